/**
 * Property-based fuzzing of the whole HTTP API, from its OpenAPI document: every operation gets
 * requests that fit its schemas and requests broken on purpose (test/support/openapi-requests.ts),
 * sent as real HTTP to the real service on a test database. The promise: no 5xx, the process
 * stays up, every 4xx is `{ code, message, requestId }` with a published code, and accepted
 * text reads back exactly as sent.
 *
 * `npm test` runs it briefly with a fixed seed; `npm run fuzz` (FUZZ_RUNS=10000) at full size.
 * A failure prints fast-check's shrunk counterexample and the seed to replay it with.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import {
  errorCodesOf,
  FUZZ_TEAMS,
  FUZZ_USERS,
  nastyString,
  readOpenApiDocument,
} from '../support/openapi-arbitraries.ts';
import { type FuzzRequest, operationsOf, requestsFor } from '../support/openapi-requests.ts';
import { serviceFetch } from '../support/service-calls.ts';

const ADMIN_API_KEY = 'test-admin-api-key-0123456789abcdef0123';
/** Requests in the main property; the two read-back properties get an eighth of it each. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);

const document = readOpenApiDocument();
const operations = operationsOf(document);
const errorCodes = errorCodesOf(document);

// As the bot's client does, every call with an Authorization header is signed.
const fetch = serviceFetch();

const testApp = setUpTestApp({
  // The admin routes need a key; the limiter would turn most admin requests into 429s.
  env: { ADMIN_API_KEY, API_RATE_LIMIT_PER_MINUTE: '0', API_RATE_LIMIT_PER_USER_PER_MINUTE: '0' },
});

beforeAll(async () => {
  // Rows for the fuzzed ids to find: managers, subscriptions and action items.
  for (const team of FUZZ_TEAMS) {
    for (const user of FUZZ_USERS) {
      const who = asManager(team, user);
      await send('PUT', '/api/v1/me', who, { timeZone: 'Europe/Berlin', locale: 'en-US' });
      await send('PUT', '/api/v1/subscriptions/me', who, {
        weekdays: [1, 2, 3, 4, 5],
        localTime: '09:00',
        timeZone: 'Europe/Berlin',
      });
      await send('POST', '/api/v1/action-items', who, { text: 'Ask one question', source: 'api' });
    }
  }
});

function asManager(team: string, user: string): Record<string, string> {
  return {
    authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
    'x-slack-team-id': team,
    'x-slack-user-id': user,
  };
}

/** The fields of the answers these tests read. */
interface Answered {
  id?: string;
  text?: string;
  note?: string | null;
  response?: { id: string };
  events?: { reflection?: string | null }[];
}

async function send(
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const response = await fetch(`${testApp.url}${target}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: (text ? JSON.parse(text) : undefined) as Answered,
  };
}

async function sendFuzzed(request: FuzzRequest) {
  const response = await fetch(`${testApp.url}${request.target}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

/** What a 4xx must look like; returns a description of what is wrong, or undefined. */
function problemWithError(
  status: number,
  contentType: string | null,
  text: string,
): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  if (!contentType?.startsWith('application/json')) return `4xx with content-type ${contentType}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `4xx body is not JSON: ${text.slice(0, 200)}`;
  }
  if (typeof body.code !== 'string' || !errorCodes.has(body.code))
    return `unknown code ${String(body.code)}`;
  if (typeof body.message !== 'string') return 'no message';
  if (typeof body.requestId !== 'string' || body.requestId === '') return 'no requestId';
  return undefined;
}

describe('the API under fuzzed requests', () => {
  it('answers every request, valid or not, with no 5xx and a well-formed error for each 4xx', async () => {
    // Built once per operation: building them inside .chain() for each case costs 15 ms a case.
    const request = fc.oneof(
      ...operations.map((operation) =>
        requestsFor(operation, document, { service: TEST_SERVICE_TOKEN, admin: ADMIN_API_KEY }),
      ),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const answer = await sendFuzzed(r);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = problemWithError(answer.status, answer.contentType, answer.text);
        if (problem) throw new Error(`${r.operationId}: ${problem}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    // A fuzzer that only ever hears 400 is testing the validator, not the routes.
    const successes = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    expect(successes, JSON.stringify(Object.fromEntries(statuses))).toBeGreaterThan(RUNS / 50);
    // The process is still up and still reaches its database.
    expect((await fetch(`${testApp.url}/readyz`)).status).toBe(200);
  }, 600_000);
});

/** Text a manager might type, and text nobody should: every unicode edge case the arbitraries know. */
const typedText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
  nastyString(300),
);

describe('text the API accepts', () => {
  const who = asManager(FUZZ_TEAMS[0], FUZZ_USERS[0]);
  const readBackRuns = Math.max(20, Math.round(RUNS / 8));
  let accepted = 0;

  /** Either it was stored (and is returned), or refused with a well-formed 400. */
  function acceptedOrRefused(answer: Awaited<ReturnType<typeof send>>, what: string): boolean {
    if (answer.status < 300) {
      accepted += 1;
      return true;
    }
    if (answer.status !== 400 || problemWithError(answer.status, 'application/json', answer.text)) {
      throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    return false;
  }

  it("reads an action item's text and note back exactly as they were written", async () => {
    await fc.assert(
      fc.asyncProperty(
        typedText,
        fc.option(typedText, { nil: undefined }),
        typedText,
        async (text, note, changed) => {
          const created = await send('POST', '/api/v1/action-items', who, {
            text,
            note,
            source: 'api',
          });
          if (!acceptedOrRefused(created, 'create')) return;
          const id = String(created.json?.id);
          const read = await send('GET', `/api/v1/action-items/${id}`, who);
          expect(read.json?.text).toBe(text);
          // A note of only whitespace is no note.
          expect(read.json?.note).toBe(note?.trim() ? note : null);
          const patched = await send('PATCH', `/api/v1/action-items/${id}`, who, { text: changed });
          if (!acceptedOrRefused(patched, 'update')) return;
          expect((await send('GET', `/api/v1/action-items/${id}`, who)).json?.text).toBe(changed);
        },
      ),
      { numRuns: readBackRuns, seed: SEED },
    );
    // Most of the text is ordinary enough to be stored: the comparison ran, not only refusals.
    expect(accepted).toBeGreaterThan(readBackRuns / 2);
  }, 600_000);

  it('reads a reflection back as written, less the whitespace around it', async () => {
    const item = await send('POST', '/api/v1/action-items', who, {
      text: 'Reflect on it',
      source: 'api',
    });
    const id = String(item.json?.id);
    await fc.assert(
      fc.asyncProperty(typedText, async (reflection) => {
        const answered = await send('POST', `/api/v1/action-items/${id}/responses`, who, {
          answer: 'partly',
        });
        expect(answered.status).toBeLessThan(300);
        const responseId = String(answered.json?.response?.id);
        const reflected = await send(
          'PATCH',
          `/api/v1/action-items/${id}/responses/${responseId}`,
          who,
          {
            reflection,
          },
        );
        if (!acceptedOrRefused(reflected, 'reflect')) return;
        const history = await send('GET', `/api/v1/action-items/${id}/history`, who);
        const events = history.json?.events ?? [];
        expect(events.map((e) => e.reflection)).toContain(reflection.trim() || null);
      }),
      { numRuns: readBackRuns, seed: SEED },
    );
    expect(accepted).toBeGreaterThan(readBackRuns / 2);
  }, 600_000);
});
