/**
 * Whole HTTP requests for each operation of the API's OpenAPI document, valid and not, built from
 * the values of ./openapi-arbitraries.ts: path parameters (some not valid UTF-8), query, Slack
 * user headers, credentials and bodies (some not JSON). The fuzzer follows every route the API
 * publishes without a list kept by hand.
 */
import fc from 'fast-check';
import {
  anyJson,
  deepJsonText,
  invalidValue,
  nastyString,
  type OpenApiDocument,
  type Schema,
  validValue,
} from './openapi-arbitraries.ts';

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  operationId: string;
  method: string;
  /** The OpenAPI path, with `{name}` placeholders. */
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** 'serviceToken' (the bot's) or 'adminApiKey' (the operator's). */
  security: string;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> })?.content;
      const security = (op.security as Record<string, unknown>[] | undefined)?.[0];
      operations.push({
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Parameter[] | undefined) ?? [],
        body: content?.['application/json']?.schema,
        security: Object.keys(security ?? {})[0] ?? 'none',
      });
    }
  }
  return operations;
}

/** One HTTP request, ready for fetch. */
export interface FuzzRequest {
  operationId: string;
  method: string;
  /** Path and query, already encoded (and sometimes deliberately mis-encoded). */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A path segment from any string: percent-encoded as UTF-8, except that lone surrogates become
 * their WTF-8 bytes, which are not valid UTF-8 (encodeURIComponent would throw on them).
 */
function encodeSegment(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

const malformedSegment = fc.constantFrom('%', '%zz', '%ff', '%c0%af', '%2e%2e', '..', '%00', '%2f');

function parameterValue(parameter: Parameter, document: OpenApiDocument): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: validValue(parameter.schema, document).map(String) },
    { weight: 3, arbitrary: nastyString() },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5_000), '9'.repeat(100)) },
  );
}

/** Header values fetch can send: no control characters but tab, and only Latin-1. */
function headerSafe(value: string): string {
  return [...value]
    .map((char) => {
      const code = char.codePointAt(0) ?? 0;
      return (code < 0x20 && code !== 9) || code === 0x7f || code > 0xff ? '?' : char;
    })
    .join('')
    .trim();
}

/** The credentials part of a request: usually right, sometimes missing or wrong. */
function authorization(operation: Operation, tokens: { service: string; admin: string }) {
  const right = operation.security === 'adminApiKey' ? tokens.admin : tokens.service;
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant<string | undefined>(`Bearer ${right}`) },
    { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | undefined>(
        `Bearer ${operation.security === 'adminApiKey' ? tokens.service : tokens.admin}`,
        'Bearer ',
        `bearer ${right}x`,
        right,
        `Basic ${Buffer.from('a:b').toString('base64')}`,
      ),
    },
  );
}

/** A body: fitting the schema, broken in one of many ways, or not JSON at all. */
function bodyOf(
  operation: Operation,
  document: OpenApiDocument,
): fc.Arbitrary<{ body?: string; contentType?: string }> {
  const json = (value: unknown) => ({
    body: JSON.stringify(value),
    contentType: 'application/json',
  });
  const raw = fc.oneof(
    fc.constant({}),
    fc.constant({ body: '', contentType: 'application/json' }),
    deepJsonText.map((body) => ({ body, contentType: 'application/json' })),
    fc
      .constantFrom('{', '{"a":', 'nul', '[1,]', '{"a":1}}', '\u0000', '{"__proto__":{"x":1}}')
      .map((body) => ({ body, contentType: 'application/json' })),
    fc
      .constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        'application/xml',
      )
      .map((contentType) => ({ body: 'a=1&b=2', contentType })),
  );
  if (!operation.body) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: anyJson.map(json) },
      { weight: 1, arbitrary: raw },
    );
  }
  return fc.oneof(
    { weight: 8, arbitrary: validValue(operation.body, document).map(json) },
    { weight: 4, arbitrary: invalidValue(operation.body, document).map(json) },
    { weight: 1, arbitrary: raw },
  );
}

/** Requests for one operation, valid and not. */
export function requestsFor(
  operation: Operation,
  document: OpenApiDocument,
  tokens: { service: string; admin: string },
): fc.Arbitrary<FuzzRequest> {
  const parameters = Object.fromEntries(
    operation.parameters.map((p) => [
      `${p.in}:${p.name}`,
      fc.option(parameterValue(p, document), { freq: p.required ? 20 : 2, nil: undefined }),
    ]),
  );
  return fc
    .record({
      values: fc.record(parameters, { requiredKeys: [] }),
      pathMutation: fc.option(malformedSegment, { freq: 10, nil: undefined }),
      authorization: authorization(operation, tokens),
      body: bodyOf(operation, document),
    })
    .map(({ values, pathMutation, authorization: auth, body }) => {
      let path = operation.path;
      const query = new URLSearchParams();
      const headers: Record<string, string> = {};
      for (const p of operation.parameters) {
        const value = values[`${p.in}:${p.name}`] as string | undefined;
        if (p.in === 'path') {
          path = path.replace(`{${p.name}}`, pathMutation ?? encodeSegment(value ?? ''));
        } else if (value === undefined) {
          // Left out.
        } else if (p.in === 'query') {
          query.append(p.name, value.toWellFormed());
        } else {
          headers[p.name] = headerSafe(value);
        }
      }
      if (auth !== undefined) headers.authorization = auth;
      if (body.contentType) headers['content-type'] = body.contentType;
      const search = query.toString();
      return {
        operationId: operation.operationId,
        method: operation.method,
        target: search ? `${path}?${search}` : path,
        headers,
        // fetch sends no body with GET; the server's side of that is Node's, not ours.
        body: operation.method === 'GET' ? undefined : body.body,
      };
    });
}
