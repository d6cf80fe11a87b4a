/**
 * Secrets and a manager's words never reach the logs. Each one is pushed through the code paths
 * that could leak it (the boot line, Slack calls that fail, a badly signed request, API requests
 * with credentials, links to the admin app with a token in their query, PostgreSQL errors that
 * quote the failing row, a Slack message that becomes an action item, a failing background job)
 * with the service logging at debug level; then every captured line is searched for each of them.
 */
import { makeWorkerUtils, runOnce } from 'graphile-worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { logBoot } from '../../src/entrypoints/boot.ts';
import { databaseServer, openDatabase } from '../../src/entrypoints/wiring.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import { addJobForRequest } from '../../src/worker/jobs.ts';
import { workerLogger } from '../../src/worker/runner.ts';
import {
  TEST_BOT_TOKEN,
  TEST_SERVICE_TOKEN,
  TEST_SIGNING_SECRET,
  type TestApp,
} from '../support/app.ts';
import type { TestDatabase } from '../support/database.ts';
import { serviceFetch } from '../support/service-calls.ts';
import {
  answerOf,
  type RecordedCall,
  type SlackHarness,
  startSlackHarness,
} from '../support/slack-harness.ts';
import type { SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0SAFETY';
const ALEX = 'U0SAFEALEX';
const BO = 'U0SAFEBO';
const ADMIN_API_KEY = 'admin-key-7b3f0a1c9e8d2f4a6b5c0d1e2f3a4b5c';
const DATABASE_PASSWORD = 'pg-password-5e0c1b0f9d2a77';
/** A manager's words, each taking a different way in. */
const THREAD_REPLY = 'I will tell Jordan about the reorg before Friday';
const FAILED_REPLY = 'I will stop interrupting Mei in the design review';
const ROW_IN_ERROR = 'Ask HR about the pay gap on my team, kx93';
const JOB_PAYLOAD = 'Confront Lee about the missed launch';

const SECRETS = {
  'the bot token': TEST_BOT_TOKEN,
  'the signing secret': TEST_SIGNING_SECRET,
  'the API service token': TEST_SERVICE_TOKEN,
  'the admin API key': ADMIN_API_KEY,
  'the database password': DATABASE_PASSWORD,
  'a thread reply': THREAD_REPLY,
  'a reply whose answer failed': FAILED_REPLY,
  'a row quoted by PostgreSQL': ROW_IN_ERROR,
  "a job's payload": JOB_PAYLOAD,
};

/** Slack's OIDC answer to the callback, as a browser would carry it in the query. */
const OIDC_CODE = 'oidc-code-0d1e2f3a4b5c6d7e';
const OIDC_STATE = 'oidc-state-9a8b7c6d5e4f3a2b';
/** The invitation token and the OIDC pair, once the test has them. */
const linkCredentials: string[] = [];

let harness: SlackHarness;
let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let slack: SlackRequester;
/** Monday 23 November 2026, just before 09:00 in Berlin. */
let clock = new Date('2026-11-23T07:58:00Z');

// As the bot's client does, every call with an Authorization header is signed.
const fetch = serviceFetch(() => clock);
let tsCounter = 0;

const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
const asUser = (user: string) => ({
  authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
  'x-slack-team-id': TEAM,
  'x-slack-user-id': user,
  'content-type': 'application/json',
});
/** Whether Slack (the stand-in) accepted the call. */
const answered = (call: RecordedCall) => (call.response.body as { ok?: unknown }).ok === true;
const lines = (msg: string) => app.logs.lines.filter((line) => line.msg === msg);

beforeAll(async () => {
  harness = await startSlackHarness({
    teamId: TEAM,
    clock: () => clock,
    env: { ADMIN_API_KEY, DB_SLOW_QUERY_MS: '0' },
  });
  ({ database, standIn, app, slack } = harness);
  for (const user of [ALEX, BO]) {
    standIn.addUser({ id: user, teamId: TEAM, tz: 'Europe/Berlin' });
    const signedUp = await fetch(`${app.url}/api/v1/subscriptions/me`, {
      method: 'PUT',
      headers: asUser(user),
      body: JSON.stringify({ weekdays: [1], localTime: '09:00', timeZone: 'Europe/Berlin' }),
    });
    expect(signedUp.status).toBe(200);
  }
});

afterAll(async () => {
  await harness?.close();
});

describe('the logs, at debug level', () => {
  it('log the configuration at boot without a secret or the database password', () => {
    const config = loadConfig(
      {
        DATABASE_URL: `postgres://blindspot:${DATABASE_PASSWORD}@db.internal:5432/blindspot`,
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
        ADMIN_API_KEY,
      },
      'all-in-one',
    );
    logBoot(app.logger, config, 'all-in-one');
    expect(lines('starting blindspot all-in-one')).toHaveLength(1);
  });

  it('report an unreachable database without its password', async () => {
    const config = loadConfig({ DB_CONNECTION_TIMEOUT_MS: '500' }, 'all-in-one');
    const metrics = createMetrics();
    const url = `postgres://blindspot:${DATABASE_PASSWORD}@127.0.0.1:1/none`;
    const opened = openDatabase(url, config, 'probe', app.logger, metrics, 1);
    const server = await databaseServer(opened, app.logger, metrics, []);
    try {
      expect((await server.inject('/readyz')).statusCode).toBe(503);
    } finally {
      await server.close();
      await opened.pool.end();
    }
  });

  it('record a failed send by the delivery sender, and the notes sent', async () => {
    const boChannels = new Set([BO, standIn.dmChannelIdFor(BO)]);
    standIn.failNext('chat.postMessage', {
      error: 'account_inactive',
      when: (args) => boChannels.has(String(args.channel)),
    });
    await planDueDeliveries(database.db, clock);
    clock = new Date('2026-11-23T08:00:00Z');
    await expect.poll(() => lines('delivery not sent').length).toBe(1);
    await standIn.waitForCall('chat.postMessage', (call) => answered(call));
  });

  it('reject a badly signed Slack request that carries secrets in its headers and body', async () => {
    const rejected = await slack.raw({
      contentType: 'application/json',
      body: JSON.stringify({
        type: 'event_callback',
        token: TEST_BOT_TOKEN,
        event: { type: 'message', text: THREAD_REPLY, secret: TEST_SIGNING_SECRET },
      }),
      signature: `v0=${TEST_SIGNING_SECRET}`,
      headers: { authorization: `Bearer ${TEST_BOT_TOKEN}` },
    });
    expect(rejected.status).toBe(401);
    expect(lines('rejected a Slack request')).toHaveLength(1);
  });

  it('serve API requests that carry the service token and the admin key', async () => {
    const me = await fetch(`${app.url}/api/v1/me`, { headers: asUser(ALEX) });
    expect(me.status).toBe(200);
    const topics = await fetch(`${app.url}/api/v1/admin/workspaces/${TEAM}/topics`, {
      headers: { authorization: `Bearer ${ADMIN_API_KEY}` },
    });
    expect(topics.status).toBe(200);
    const wrong = await fetch(`${app.url}/api/v1/admin/workspaces/${TEAM}/topics`, {
      headers: { authorization: `Bearer ${ADMIN_API_KEY}x` },
    });
    expect(wrong.status).toBe(401);
  });

  it('serve admin links whose query carries a one-time credential, logging only their path', async () => {
    const invited = await fetch(`${app.url}/api/v1/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ines@example.com', displayName: 'Ines', role: 'viewer' }),
    });
    expect(invited.status).toBe(201);
    const { invitation } = (await invited.json()) as { invitation: { url: string } };
    const link = new URL(invitation.url);
    const token = String(link.searchParams.get('token'));
    linkCredentials.push(token, OIDC_CODE, OIDC_STATE);
    const opened = await fetch(`${app.url}${link.pathname}${link.search}`);
    expect(opened.status).toBe(200);
    const callback = `/api/v1/admin/auth/slack/callback?code=${OIDC_CODE}&state=${OIDC_STATE}`;
    await fetch(`${app.url}${callback}`, { redirect: 'manual' });
    const urls = lines('incoming request').map((line) => (line.req as { url: string }).url);
    expect(urls).toContain('/admin/invite?[redacted]');
    expect(urls).toContain('/api/v1/admin/auth/slack/callback?[redacted]');
  });

  it("log a PostgreSQL error whose detail quotes the failing row, without the row's text", async () => {
    // A stricter rule than the schema's, so an API request reaches a real constraint error.
    await sql`ALTER TABLE action_items ADD CONSTRAINT log_safety_probe
      CHECK (position('kx93' in text) = 0)`.execute(database.db);
    try {
      const created = await fetch(`${app.url}/api/v1/action-items`, {
        method: 'POST',
        headers: asUser(ALEX),
        body: JSON.stringify({ text: ROW_IN_ERROR, source: 'api' }),
      });
      expect(created.status).toBe(500);
    } finally {
      await sql`ALTER TABLE action_items DROP CONSTRAINT log_safety_probe`.execute(database.db);
    }
    const [failed] = lines('request failed');
    expect(failed?.err).toMatchObject({ code: '23514', detail: '[redacted]' });
  });

  it('turn Slack messages into action items, with the Web API bodies left out', async () => {
    const note = await standIn.waitForCall(
      'chat.postMessage',
      (call) => answered(call) && Boolean(call.args.metadata),
    );
    const reply = (text: string) => {
      const ts = newTs();
      return slack.event({
        type: 'message',
        channel_type: 'im',
        channel: answerOf(note).channel,
        user: ALEX,
        text,
        ts,
        thread_ts: answerOf(note).ts,
        event_ts: ts,
      });
    };
    await reply(THREAD_REPLY);
    await standIn.waitForCall('chat.update');
    // The bot's answer to the second reply fails at Slack; the listener logs that.
    standIn.failNext('chat.postMessage', {
      error: 'invalid_blocks',
      when: (args) => Boolean(args.thread_ts),
    });
    await reply(FAILED_REPLY);
    await expect
      .poll(() =>
        app.logs.lines.some((line) =>
          String(line.msg).startsWith('answering a thread reply failed'),
        ),
      )
      .toBe(true);
    const items = await database.db.selectFrom('action_items').select('text').execute();
    expect(items.map((item) => item.text).sort()).toEqual([FAILED_REPLY, THREAD_REPLY].sort());
    // The Web API client did log its requests, just not what they carried.
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({ component: 'bolt', msg: 'http request body: [data omitted]' }),
    );
  });

  it("log a failing job without its payload or PostgreSQL's detail, under the job's request id", async () => {
    await sql`CREATE TABLE log_safety_rows (words text CHECK (char_length(words) < 10))`.execute(
      database.db,
    );
    const utils = await makeWorkerUtils({ connectionString: database.url });
    try {
      await addJobForRequest(utils, 'log_safety_probe', { words: JOB_PAYLOAD }, 'req-log-safety', {
        maxAttempts: 1,
      });
    } finally {
      await utils.release();
    }
    await runOnce({
      connectionString: database.url,
      logger: workerLogger(app.logger),
      taskList: {
        log_safety_probe: async (payload) => {
          const { words } = payload as { words: string };
          await sql`INSERT INTO log_safety_rows (words) VALUES (${words})`.execute(database.db);
        },
      },
    });
    const failed = app.logs.lines.find((line) => String(line.msg).startsWith('Failed task'));
    expect(failed).toMatchObject({
      requestId: 'req-log-safety',
      task: 'log_safety_probe',
      err: { code: '23514', detail: '[redacted]' },
    });
  });

  it('hold none of the secrets, nor any of the words', () => {
    // Debug lines were captured, so the check covers the most talkative level.
    expect(app.logs.lines.some((line) => line.level === 'debug')).toBe(true);
    expect(lines('slow query').length).toBeGreaterThan(0);
    const text = app.logs.text();
    const found = Object.entries(SECRETS)
      .filter(([, secret]) => text.includes(secret))
      .map(([what]) => what);
    expect(found).toEqual([]);
    expect(linkCredentials).toHaveLength(3);
    expect(linkCredentials.filter((credential) => text.includes(credential))).toEqual([]);
  });
});
