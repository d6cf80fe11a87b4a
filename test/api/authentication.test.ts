/**
 * Every /api/v1 route the bot calls checks the service token before anything else: a caller
 * without it gets 401 before its body is parsed or its input validated, so it learns nothing
 * from validation errors. The routes come from the running service's own OpenAPI document, so a
 * route added later is covered without a change here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SERVICE_TOKEN, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

let database: TestDatabase;
let app: TestApp;
let operations: Operation[];

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ databaseUrl: database.url });
  const document = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<string, { security?: Record<string, string[]>[]; requestBody?: unknown }>
    >;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => operation.security?.some((s) => 'serviceToken' in s))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        hasBody: operation.requestBody !== undefined,
      })),
  );
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/**
 * A request that fails validation on every count it can: path parameters that are not ids, no
 * Slack user headers, and a body that is not even JSON.
 */
async function badRequest(operation: Operation, authorization?: string) {
  const path = operation.path.replace(/\{[^}]+\}/g, 'not-an-id');
  const response = await fetch(`${app.url}${path}`, {
    method: operation.method,
    headers: {
      ...(authorization && { authorization }),
      ...(operation.hasBody && { 'content-type': 'application/json' }),
    },
    body: operation.hasBody ? '{"topicId": 12, "kind": ' : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const WITHOUT_A_VALID_TOKEN: [string, string | undefined][] = [
  ['no Authorization header', undefined],
  ['a wrong bearer token', 'Bearer not-the-service-token'],
  ['the token in another scheme', `Basic ${TEST_SERVICE_TOKEN}`],
];

describe('a caller without the service token', () => {
  it('finds the routes the bot calls in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(operations).toContainEqual({
      method: 'POST',
      path: '/api/v1/me/topic-feedback',
      hasBody: true,
    });
  });

  it.each(WITHOUT_A_VALID_TOKEN)(
    'with %s, when it sends an invalid request to any of them, then 401 unauthorized, not 400',
    async (_case, authorization) => {
      for (const operation of operations) {
        const answer = await badRequest(operation, authorization);
        expect({ ...operation, status: answer.status, code: answer.body.code }).toEqual({
          ...operation,
          status: 401,
          code: 'unauthorized',
        });
        expect(answer.body.requestId).toEqual(expect.any(String));
        expect(JSON.stringify(answer.body)).not.toMatch(/body|header|params|JSON/i);
      }
    },
  );

  it('while the bot, with the token, still has the same requests refused as invalid (400)', async () => {
    for (const operation of operations) {
      const answer = await badRequest(operation, `Bearer ${TEST_SERVICE_TOKEN}`);
      expect({ ...operation, status: answer.status }).toEqual({ ...operation, status: 400 });
    }
  });
});
