/**
 * Schema compilers shared by every server in the process. Fastify compiles a validator for
 * every request part and a fast-json-stringify serializer for every response schema of every
 * route when a server starts: almost all of an api start's CPU (--cpu-prof: the serializers
 * 14 of 17 s over three starts on the loaded machine, the validators most of the rest). The
 * all-in-one process with the sandbox starts two apis, and the tests one per file or more; the
 * schemas are the same each time, so each is compiled once per process and reused.
 *
 * A compiled function depends only on its schema, the server's shared schemas and the
 * compiler's options, so those make the key; the route's method and url don't change it.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

interface RouteSchema {
  schema?: unknown;
  httpPart?: string;
  contentType?: string;
}
type Compile<F> = (route: RouteSchema) => F;

function memoised<F>(build: (external: never, options: never) => unknown) {
  const compiled = new Map<string, F>();
  return (externalSchemas: unknown, options: unknown): Compile<F> => {
    const compile = build(externalSchemas as never, options as never) as Compile<F>;
    const context = JSON.stringify([externalSchemas ?? null, options ?? null]);
    return (route) => {
      const key = `${context}\n${route.httpPart ?? ''} ${route.contentType ?? ''}\n${JSON.stringify(route.schema)}`;
      let found = compiled.get(key);
      if (found === undefined) {
        found = compile(route);
        compiled.set(key, found);
      }
      return found;
    };
  };
}

/**
 * `schemaController.compilersFactory` for Fastify. The validators come from one Ajv per set of
 * shared schemas for the whole process (@fastify/ajv-compiler pools them per factory); header
 * schemas are then passed as written, which is why ours name headers in lower case.
 */
export const cachedCompilers: CompilersFactory = {
  // Fastify's factory types name each compiler's input exactly; ours pass it through untouched.
  buildValidator: memoised(AjvCompiler()) as unknown as CompilersFactory['buildValidator'],
  buildSerializer: memoised(SerializerSelector()) as unknown as CompilersFactory['buildSerializer'],
};
