/**
 * fast-check arbitraries made from the API's own OpenAPI document (docs/api/openapi.json, which
 * `npm run api:generate` writes from the route schemas): values that fit a JSON schema, and
 * deliberately broken ones: wrong types, missing and extra fields, huge strings, unicode edge
 * cases, NUL bytes, deep JSON. ./openapi-requests.ts makes whole HTTP requests of them.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/** The subset of JSON Schema the route schemas use (TypeBox output). */
export interface Schema {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  $ref?: string;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Schema> };
}

export function readOpenApiDocument(): OpenApiDocument {
  const url = new URL('../../docs/api/openapi.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as OpenApiDocument;
}

/** The error codes the OpenAPI Error schema allows. */
export function errorCodesOf(document: OpenApiDocument): Set<string> {
  const code = document.components.schemas.Error?.properties?.code;
  return new Set((code?.enum ?? []) as string[]);
}

/** Teams and users the fuzzer keeps coming back to, so one request finds another's rows. */
export const FUZZ_TEAMS = ['T0FUZZ', 'T0FUZZB'] as const;
export const FUZZ_USERS = ['U0FUZZ', 'U0FUZZB'] as const;

/** Strings that have broken text handling somewhere: each is a single JSON-encodable value. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800', // a lone high surrogate
  'x\udc00y', // a lone low surrogate
  '\udc00\ud800', // surrogates in the wrong order
  '\u202eevil\u202c', // right-to-left override
  'שלום עולם', // right-to-left text
  '👩🏽‍💻🏳️‍🌈', // emoji with skin tone and zero-width joiners
  'e\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  '\ufeffbom',
  '\u200b\u200c\u200d',
  '\r\n\t\u000b\u000c',
  '\u0085\u2028\u2029',
  '\uffff\ufffe',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  "'; DROP TABLE action_items; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%ff%',
  '{{7*7}}<%= 7*7 %>',
  '__proto__',
  'constructor',
  '9'.repeat(40),
  '-1',
  '1e309',
  'NaN',
  'null',
];

/** One "character" of a fuzzed string: mostly ordinary, sometimes one of the edge cases. */
const nastyUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 1, minLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 1, minLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\ud800',
      '\udfff',
      '\u202e',
      '\u0301',
      '👍🏿',
      '\u200d',
      '\ufeff',
      '\\',
      '"',
    ),
  },
);

/** Arbitrary strings with unicode edge cases mixed in, up to `maxLength` units. */
export function nastyString(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 3, arbitrary: fc.array(nastyUnit, { maxLength }).map((units) => units.join('')) },
  );
}

/** A string far past any limit: the body limit (1 MiB) included, sometimes. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', 'é', '👍', '\u0000', ' '),
    fc.constantFrom(4_001, 8_001, 70_000, 600_000),
  )
  .map(([unit, count]) => unit.repeat(count));

/**
 * JSON nested far deeper than any schema, as a value (JSON.stringify itself overflows the stack
 * somewhere past a few thousand levels; deepJsonText goes deeper, as text).
 */
export const deepJson: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom('array', 'object'), fc.constantFrom(64, 1_000, 2_000))
  .map(([kind, depth]) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
    return value;
  });

/** JSON text nested 100,000 deep, to parse. */
export const deepJsonText: fc.Arbitrary<string> = fc
  .constantFrom(['[', ']'], ['{"a":', '}'])
  .map(
    ([open, close]) => `${(open as string).repeat(100_000)}1${(close as string).repeat(100_000)}`,
  );

/** Any JSON value, including awkward numbers and keys. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, '', [], {}),
  nastyString(),
);

function resolve(schema: Schema, document: OpenApiDocument): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = document.components.schemas[name];
  if (!target) throw new Error(`unknown $ref ${schema.$ref}`);
  return target;
}

/** Values the schema accepts (the business rules may still refuse them). */
export function validValue(input: Schema, document: OpenApiDocument): fc.Arbitrary<unknown> {
  const schema = resolve(input, document);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => validValue(s, document)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return validString(schema);
    case 'array':
      return fc.array(validValue(schema.items ?? {}, document), {
        minLength: schema.minItems ?? 0,
        maxLength: schema.maxItems ?? 5,
      });
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([k, s]) => [k, validValue(s, document)]),
        ),
        { requiredKeys: schema.required ?? [] },
      );
    default:
      return anyJson;
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 60);
  if (schema.pattern === '^[0-9]{1,18}$') {
    // Ids: small ones hit rows the run has made; the rest hit nothing, or overflow a bigint.
    return fc.oneof(
      fc.integer({ min: 1, max: 40 }).map(String),
      fc.stringMatching(/^[0-9]{1,18}$/),
    );
  }
  if (schema.pattern === '^[A-Z0-9]{2,32}$') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...FUZZ_TEAMS, ...FUZZ_USERS) },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Z0-9]{2,32}$/) },
    );
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === 'date') {
    return fc
      .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (schema.format === 'date-time') {
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  }
  return fc.oneof(
    fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, max) }),
    nastyString(max).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? 60)),
  );
}

/** Values of the wrong shape for the schema: wrong types, edge-case strings, deep or huge ones. */
export function invalidValue(input: Schema, document: OpenApiDocument): fc.Arbitrary<unknown> {
  const schema = resolve(input, document);
  const generic = fc.oneof(
    { weight: 4, arbitrary: anyJson },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: deepJson },
  );
  // An object with no properties (a body that carries nothing, such as passkey options) has no
  // field to drop or to spoil: only the generic shapes apply.
  if (schema.type !== 'object' || !schema.properties || Object.keys(schema.properties).length === 0)
    return generic;
  const properties = schema.properties;
  const keys = Object.keys(properties);
  const valid = validValue(schema, document) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    { weight: 2, arbitrary: generic },
    // A required field missing.
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...(schema.required?.length ? schema.required : keys)))
        .map(([value, key]) => {
          const { [key]: _dropped, ...rest } = value;
          return rest;
        }),
    },
    // A field nobody asked for.
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom('__proto__', 'constructor', 'extra', ''), anyJson)
        .map(([value, key, extra]) =>
          JSON.parse(
            `{${JSON.stringify(key)}:${JSON.stringify(extra)},${JSON.stringify(value).slice(1)}`.replace(
              /,}$/,
              '}',
            ),
          ),
        ),
    },
    // One field of the wrong shape, the rest fine.
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...keys)
        .chain((key) =>
          fc
            .tuple(
              valid,
              fc.oneof(invalidValue(properties[key] as Schema, document), nastyString(200)),
            )
            .map(([value, bad]) => ({ ...value, [key]: bad })),
        ),
    },
  );
}
