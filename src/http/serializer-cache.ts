/**
 * Response serializers compiled once per process. Fastify compiles a fast-json-stringify
 * function for every response schema of every route when a server starts: most of an api
 * start's CPU (about 1.5 s on our 2 cores, measured with --cpu-prof). The all-in-one process
 * with the sandbox starts two apis, and the tests start one per file or more; the schemas are
 * the same module-level objects each time, so each is compiled once and reused.
 *
 * A serializer is a pure function of its schema, the server's shared schemas and the
 * serializer options, so those three make the key; the route's method and url don't change it.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Serializer = (data: unknown) => string;
interface RouteSchema {
  schema?: unknown;
}

const compiled = new Map<string, Serializer>();
const compilerFor = SerializerSelector();

/** Fastify's `schemaController.compilersFactory.buildSerializer`, memoised. */
export function buildCachedSerializer(externalSchemas: unknown, options: unknown) {
  const compile = compilerFor(externalSchemas as never, options as never) as (
    route: RouteSchema,
  ) => Serializer;
  const context = JSON.stringify([externalSchemas ?? null, options ?? null]);
  return (route: RouteSchema): Serializer => {
    const key = `${context}\n${JSON.stringify(route.schema)}`;
    let serializer = compiled.get(key);
    if (!serializer) {
      serializer = compile(route);
      compiled.set(key, serializer);
    }
    return serializer;
  };
}
