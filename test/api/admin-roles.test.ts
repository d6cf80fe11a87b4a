/**
 * Roles, enforced by the API: walks every /api/v1/admin operation in the live OpenAPI document
 * and calls it with no session, with the bot's service token, with a session of each role (and
 * each sign-in stage), and with an API key of each role, and checks each answer against the
 * role the operation declares (`x-blindspot-role`). An allowed caller may get 2xx or a 4xx about
 * its input, never a refusal; a caller below the role gets 403; nobody gets in unauthenticated.
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

const TEAM = 'T0ROLES';
/** The codes of a refusal; anything else means the caller got past the door. */
const REFUSALS = ['unauthenticated', 'unauthorized', 'forbidden', 'csrf_invalid'];
const DECLARATIONS = [...ADMIN_ROLES, 'public', 'session'];

interface Operation {
  method: string;
  path: string;
  operationId: string;
  role: string;
}

let api: AdminApi;
let operations: Operation[];
let params: Record<string, string>;
const accountOf = new Map<AdminRole, string>();
const keyOf = new Map<AdminRole, string>();

beforeAll(async () => {
  api = await startAdminApi();
  const workspace = await api.db
    .insertInto('workspaces')
    .values({ slack_team_id: TEAM })
    .returning('id')
    .executeTakeFirstOrThrow();
  await seedWorkspace(api.db, workspace.id, await loadCatalogue(), new Date());
  const topic = await api.db.selectFrom('topics').select('id').limit(1).executeTakeFirstOrThrow();
  for (const role of ADMIN_ROLES) {
    accountOf.set(role, (await createAccount(api.db, { role })).id);
    keyOf.set(role, await apiKeyWithRole(api, role));
  }
  // A viewer for operations on "an account": reset links, its sessions, its second factors.
  const target = await createAccount(api.db, { role: 'viewer' });
  params = {
    teamId: TEAM,
    topicId: topic.id,
    isoWeekday: '1',
    id: target.id,
    sessionId: '999999999',
  };
  const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId: string; 'x-blindspot-role'?: string }>>;
  };
  operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/v1/admin/'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        role: String(operation['x-blindspot-role']),
      })),
    );
});

afterAll(async () => {
  await api?.close();
});

/** The operation's URL with its parameters filled in (ids that need not exist). */
function urlOf(operation: Operation): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    // Revoking and deleting name ids that do not exist: the answer is 404, nothing is lost.
    if (name === 'id' && !operation.path.startsWith('/api/v1/admin/accounts/')) return '999999999';
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${operation.path}`);
    return value;
  });
  return `${api.url}${path}`;
}

async function call(operation: Operation, browser: AdminBrowser): Promise<HttpAnswer> {
  const body = ['POST', 'PUT', 'PATCH'].includes(operation.method) ? {} : undefined;
  return browser.request(operation.method, urlOf(operation), body);
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

describe('every admin operation', () => {
  it('declares a role, and the document has them all', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations) {
      expect(DECLARATIONS, `${operation.method} ${operation.path}`).toContain(operation.role);
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

  it('refuses callers with no session, and the bot with its service token', async () => {
    for (const operation of operations.filter((o) => o.role !== 'public')) {
      const anonymous = await call(operation, new AdminBrowser(api.url));
      expect(anonymous.status, describeAnswer(operation, 'nobody', anonymous)).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
      const bot = await call(
        operation,
        new AdminBrowser(api.url, { authorization: `Bearer ${TEST_SERVICE_TOKEN}` }),
      );
      expect(bot.status, describeAnswer(operation, 'the bot', bot)).toBe(401);
      expect(bot.body.code).toBe('unauthorized');
    }
  });

  it('lets anyone reach the public ones', async () => {
    for (const operation of operations.filter((o) => o.role === 'public')) {
      const answer = await call(operation, new AdminBrowser(api.url));
      expect(refused(answer), describeAnswer(operation, 'nobody', answer)).toBe(false);
    }
  });

  it('admits each role to what it declares, and only that', async () => {
    const byRole = operations.filter((o) => (ADMIN_ROLES as readonly string[]).includes(o.role));
    for (const operation of byRole) {
      for (const role of ADMIN_ROLES) {
        const answer = await call(operation, await sessionOf(role));
        const who = `a ${role}`;
        if (roleAtLeast(role, operation.role as AdminRole)) {
          expect(refused(answer), describeAnswer(operation, who, answer)).toBe(false);
        } else {
          expect(answer.status, describeAnswer(operation, who, answer)).toBe(403);
          expect(answer.body.code).toBe('forbidden');
        }
      }
      // Before the second factor, an owner is nobody yet.
      for (const stage of ['enrolment', 'second_factor'] as const) {
        const answer = await call(operation, await sessionOf('owner', stage));
        expect(answer.status, describeAnswer(operation, `an owner in ${stage}`, answer)).toBe(403);
      }
    }
  });

  it('lets a session in some stage reach the session ones, and never answers them 401', async () => {
    for (const operation of operations.filter((o) => o.role === 'session')) {
      const answers = [];
      for (const stage of ['enrolment', 'second_factor', 'full'] as const) {
        const answer = await call(operation, await sessionOf('viewer', stage));
        expect(answer.status, describeAnswer(operation, `a viewer in ${stage}`, answer)).not.toBe(
          401,
        );
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
          expect(refused(answer), describeAnswer(operation, who, answer)).toBe(false);
        } else {
          expect(answer.status, describeAnswer(operation, who, answer)).toBe(403);
        }
      }
    }
  });
});
