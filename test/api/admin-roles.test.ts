/**
 * Roles, enforced by the API: walks every /api/v1/admin operation in the live OpenAPI document
 * and calls it with no session, with the bot's signed service calls, with a session of each role
 * (and each sign-in stage), and with an API key of each role, and checks each answer against the
 * role the operation declares (`x-blindspot-role`). An allowed caller reaches the handler: a
 * read answers 2xx on data that exists, and a write, sent a valid body, gets no refusal, no
 * validation error and no 5xx; a caller below the role gets 403; nobody gets in unauthenticated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLES, type AdminRole, roleAtLeast } from '../../src/core/admin-accounts/rules.ts';
import { type SessionStage, sessionPolicy } from '../../src/core/admin-sessions/rules.ts';
import { createSession } from '../../src/core/admin-sessions/service.ts';
import { loadCatalogue } from '../../src/core/topics/catalogue.ts';
import { seedWorkspace } from '../../src/core/topics/seeding.ts';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  type HttpAnswer,
  startAdminApi,
} from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch } from '../support/service-calls.ts';

const TEAM = 'T0ROLES';
/** The codes of a refusal; anything else means the caller got past the door. */
const REFUSALS = ['unauthenticated', 'unauthorized', 'forbidden', 'csrf_invalid'];
const DECLARATIONS = [...ADMIN_ROLES, 'public', 'session'];
const MISSING_ID = '999999999';

interface Operation {
  method: string;
  path: string;
  operationId: string;
  role: string;
  hasBody: boolean;
}

let api: AdminApi;
let operations: Operation[];
let params: Record<string, string>;
let category: string;
const accountOf = new Map<AdminRole, string>();
const keyOf = new Map<AdminRole, string>();
let made = 0;

/** A WebAuthn response of the right shape whose proof is wrong: it fails verification. */
const forgedCredential = (response: Record<string, string>) => ({
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: 'e30', ...response },
  clientExtensionResults: {},
});

/**
 * A valid body for every operation that takes one, so the walk reaches the handler (a 400
 * validation_failed fails it). Each call gets fresh names where names must be unique.
 */
const SAMPLE_BODIES: Record<string, () => unknown> = {
  completeAdminSetup: () => ({
    token: 'not-a-setup-token',
    email: 'setup@example.com',
    displayName: 'Sam Setup',
    password: 'correct horse battery staple',
  }),
  signIn: () => ({ email: 'nobody@example.com', password: 'not the password at all' }),
  acceptInvitation: () => ({
    token: 'not-an-invitation-token',
    displayName: 'Ivy',
    password: 'a long and unusual passphrase',
  }),
  requestPasswordReset: () => ({ email: 'nobody@example.com' }),
  resetPassword: () => ({ token: 'not-a-reset-token', password: 'a long and unusual passphrase' }),
  // The walk's accounts have no second factor yet, so no reauthentication is asked.
  startTotpEnrolment: () => ({}),
  renewRecoveryCodes: () => ({}),
  startPasskeyRegistration: () => ({}),
  confirmTotpEnrolment: () => ({ code: '123456' }),
  verifyTotp: () => ({ code: '123456' }),
  verifyRecoveryCode: () => ({ code: 'abcde-fghij' }),
  finishPasskeyRegistration: () => ({
    response: forgedCredential({ attestationObject: 'AAAA' }),
    name: 'Laptop',
  }),
  startPasskeySignIn: () => ({}),
  finishPasskeySignIn: () => ({
    response: forgedCredential({ authenticatorData: 'AAAA', signature: 'AAAA' }),
  }),
  inviteAccount: () => ({
    email: `walk-${++made}-${process.pid}@example.com`,
    displayName: 'Ivy Invited',
    role: 'viewer',
  }),
  updateAccount: () => ({ displayName: 'Tess Target' }),
  // Confirmations that never match: the walk must not erase the workspace it walks through.
  erasePerson: () => ({ confirmation: 'not the user id' }),
  eraseWorkspace: () => ({ confirmation: 'not the workspace name' }),
  createApiKey: () => ({ name: `walk key ${++made}`, role: 'viewer' }),
  createTopic: () => ({
    slug: `walked-topic-${++made}`,
    category,
    title: `A walked topic ${made}`,
    summary: 'What the walk wrote.',
    whyItMatters: 'It proves the handler ran.',
    example: 'An editor adds a topic.',
    reflectionQuestion: 'Did it arrive?',
    actions: ['Look', 'Check', 'Confirm'],
    reference: 'The role walk',
  }),
  updateTopic: () => ({ summary: 'Rewritten by the walk.' }),
  putTopicTranslation: () => ({
    title: 'Ein abgelaufenes Thema',
    summary: 'Was der Rundgang schrieb.',
    whyItMatters: 'Es zeigt, dass der Handler lief.',
    example: 'Eine Redakteurin übersetzt ein Thema.',
    reflectionQuestion: 'Ist es angekommen?',
    actions: ['Schauen', 'Prüfen', 'Bestätigen'],
  }),
  // An empty file is a valid import that changes nothing.
  importTopics: () => ({ topics: [] }),
  setWeekdayTheme: () => ({ category }),
  // No group is listed in this workspace: an empty choice is valid and changes nothing.
  chooseAnalyticsTeams: () => ({ groupIds: [] }),
  updateWorkspaceSettings: () => ({
    defaultWeekdays: [1, 3, 5],
    defaultLocalTime: '09:00',
    quietHours: { start: '20:00', end: '08:00' },
    dailyDmCap: 2,
    checkBackDays: 7,
    weeklyDigest: false,
    defaultLanguage: 'en',
  }),
};

beforeAll(async () => {
  api = await startAdminApi();
  const workspace = await api.db
    .insertInto('workspaces')
    .values({ slack_team_id: TEAM })
    .returning('id')
    .executeTakeFirstOrThrow();
  await seedWorkspace(api.db, workspace.id, await loadCatalogue(), new Date());
  const topic = await api.db
    .selectFrom('topics')
    .select(['id', 'category'])
    .where('workspace_id', '=', workspace.id)
    .limit(1)
    .executeTakeFirstOrThrow();
  category = topic.category;
  for (const role of ADMIN_ROLES) {
    accountOf.set(role, (await createAccount(api.db, { role })).id);
    keyOf.set(role, await apiKeyWithRole(api, role));
  }
  // A viewer for operations on "an account": reset links, its sessions, its second factors.
  const target = await createAccount(api.db, { role: 'viewer' });
  params = {
    teamId: TEAM,
    topicId: topic.id,
    revision: '1',
    language: 'de',
    isoWeekday: '1',
    id: target.id,
    slackUserId: 'U0NOBODY01',
  };
  const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<string, { operationId: string; 'x-blindspot-role'?: string; requestBody?: unknown }>
    >;
  };
  operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/v1/admin/'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        role: String(operation['x-blindspot-role']),
        hasBody: operation.requestBody !== undefined,
      })),
    );
});

afterAll(async () => {
  await api?.close();
});

/** The operation's URL with its parameters filled in. */
function urlOf(operation: Operation): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    // Revoking and deleting name ids that do not exist: the answer is 404, nothing is lost.
    if (name === 'sessionId') return MISSING_ID;
    if (name === 'id' && !operation.path.startsWith('/api/v1/admin/accounts/')) return MISSING_ID;
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${operation.path}`);
    return value;
  });
  return `${api.url}${path}`;
}

function bodyOf(operation: Operation): unknown {
  if (!operation.hasBody) return undefined;
  const sample = SAMPLE_BODIES[operation.operationId];
  if (!sample) throw new Error(`no sample body for ${operation.operationId}: add one`);
  return sample();
}

function call(operation: Operation, browser: AdminBrowser): Promise<HttpAnswer> {
  return browser.request(operation.method, urlOf(operation), bodyOf(operation));
}

/** A new session (each call may sign itself out) of the role's account, in `stage`. */
async function sessionOf(role: AdminRole, stage: SessionStage = 'full'): Promise<AdminBrowser> {
  const { token } = await createSession(
    api.db,
    { accountId: String(accountOf.get(role)), stage, address: null, userAgent: null },
    sessionPolicy(30, 12),
    api.clock.now(),
  );
  const browser = new AdminBrowser(api.url);
  browser.cookies.set('blindspot_admin', token);
  await browser.session();
  return browser;
}

const refused = (answer: HttpAnswer) =>
  [401, 403].includes(answer.status) && REFUSALS.includes(String(answer.body.code));

const describeAnswer = (operation: Operation, who: string, answer: HttpAnswer) =>
  `${operation.method} ${operation.path} (${operation.role}) as ${who}: ${answer.status} ${String(answer.body.code ?? '')}`;

/**
 * What an admitted caller must get: a read answers 2xx; a write reaches its handler, which may
 * still say no to this input (404, 409, a wrong code) but never 401, 403 or 5xx, and never a
 * validation error, which would mean the walk's body did not get it that far.
 */
function expectAdmitted(operation: Operation, who: string, answer: HttpAnswer): void {
  const shown = describeAnswer(operation, who, answer);
  if (operation.method === 'GET') {
    expect(answer.status, shown).toBeGreaterThanOrEqual(200);
    expect(answer.status, shown).toBeLessThan(300);
    return;
  }
  expect([401, 403], shown).not.toContain(answer.status);
  expect(answer.status, shown).toBeLessThan(500);
  expect(answer.body.code, shown).not.toBe('validation_failed');
}

describe('every admin operation', () => {
  it('declares a role, and the document has them all', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations) {
      expect(DECLARATIONS, `${operation.method} ${operation.path}`).toContain(operation.role);
      if (operation.hasBody) expect(Object.keys(SAMPLE_BODIES)).toContain(operation.operationId);
    }
    expect(operations.map((o) => o.operationId)).toEqual(
      expect.arrayContaining([
        'signIn',
        'listAccounts',
        'createApiKey',
        'listAuditEvents',
        'setWeekdayTheme',
      ]),
    );
  });

  it('refuses callers with no session, and the bot even with a valid signature', async () => {
    // As the bot's client sends it: the service token, whom it acts for, and a signature.
    const botFetch = serviceFetch(api.clock.now);
    const asBot = async (method: string, url: string, body?: unknown) => {
      const response = await botFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
          'x-slack-team-id': TEAM,
          'x-slack-user-id': 'U0ROLES',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    };
    // The signature is good: the same call reaches one of the bot's own routes.
    const own = await asBot('GET', `${api.url}/api/v1/topic-categories`);
    expect(own.status).toBe(200);
    for (const operation of operations.filter((o) => o.role !== 'public')) {
      const anonymous = await call(operation, new AdminBrowser(api.url));
      expect(anonymous.status, describeAnswer(operation, 'nobody', anonymous)).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
      const bot = await asBot(operation.method, urlOf(operation), bodyOf(operation));
      const shown = `${operation.method} ${operation.path} as the bot: ${bot.status}`;
      // Refused by the admin guard, which takes no service token for an API key, not by the
      // signature check ('A valid service token and request signature are required.').
      expect(bot.status, shown).toBe(401);
      expect(bot.body, shown).toMatchObject({
        code: 'unauthorized',
        message: 'A valid admin API key is required.',
      });
    }
  });

  it('lets anyone reach the public ones', async () => {
    for (const operation of operations.filter((o) => o.role === 'public')) {
      const answer = await call(operation, new AdminBrowser(api.url));
      const shown = describeAnswer(operation, 'nobody', answer);
      expect(refused(answer), shown).toBe(false);
      expect(answer.status, shown).toBeLessThan(500);
      expect(answer.body.code, shown).not.toBe('validation_failed');
    }
  });

  it('admits each role to what it declares, and only that', async () => {
    const byRole = operations.filter((o) => (ADMIN_ROLES as readonly string[]).includes(o.role));
    for (const operation of byRole) {
      for (const role of ADMIN_ROLES) {
        const answer = await call(operation, await sessionOf(role));
        const who = `a ${role}`;
        if (roleAtLeast(role, operation.role as AdminRole)) {
          expectAdmitted(operation, who, answer);
        } else {
          expect(answer.status, describeAnswer(operation, who, answer)).toBe(403);
          expect(answer.body.code).toBe('forbidden');
        }
      }
      // Before the second factor, an owner is nobody yet.
      for (const stage of ['enrolment', 'second_factor'] as const) {
        const answer = await call(operation, await sessionOf('owner', stage));
        expect(answer.status, describeAnswer(operation, `an owner in ${stage}`, answer)).toBe(403);
        expect(answer.body.code).toBe('forbidden');
      }
    }
  });

  it('lets a session in every stage past the door of the session ones, and in some stage to their handler', async () => {
    for (const operation of operations.filter((o) => o.role === 'session')) {
      const answers = [];
      for (const stage of ['enrolment', 'second_factor', 'full'] as const) {
        const answer = await call(operation, await sessionOf('viewer', stage));
        const shown = describeAnswer(operation, `a viewer in ${stage}`, answer);
        // A 401 here may only be the handler's verdict on the sample (a wrong code).
        expect(['unauthenticated', 'unauthorized'], shown).not.toContain(answer.body.code);
        expect(answer.status, shown).toBeLessThan(500);
        expect(answer.body.code, shown).not.toBe('validation_failed');
        // Reading the session, or its list, works in every stage.
        if (operation.method === 'GET') expectAdmitted(operation, `a viewer in ${stage}`, answer);
        answers.push(answer);
      }
      expect(
        answers.some((answer) => !refused(answer)),
        `${operation.method} ${operation.path}: refused in every stage`,
      ).toBe(true);
    }
  });

  it('admits API keys by their role, but never to a person’s own session routes', async () => {
    for (const operation of operations.filter((o) => o.role !== 'public')) {
      const personal =
        operation.role === 'session' || operation.path.startsWith('/api/v1/admin/auth/');
      for (const role of ADMIN_ROLES) {
        const browser = new AdminBrowser(api.url, { authorization: `Bearer ${keyOf.get(role)}` });
        const answer = await call(operation, browser);
        const who = `a ${role} API key`;
        if (!personal && roleAtLeast(role, operation.role as AdminRole)) {
          expectAdmitted(operation, who, answer);
        } else {
          expect(answer.status, describeAnswer(operation, who, answer)).toBe(403);
          expect(answer.body.code).toBe('forbidden');
        }
      }
    }
  });
});
