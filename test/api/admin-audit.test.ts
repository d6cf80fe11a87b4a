/**
 * The audit log: sign-ins and admin changes recorded with who, when, from where and which
 * request; paged, filtered and exported as CSV; append-only in the database; kept when its
 * workspace goes; and covering what managers do without their words.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerActionItem, reflectOnAnswer } from '../../src/core/action-items/responses.ts';
import { createActionItem } from '../../src/core/action-items/service.ts';
import { recordAuditEvent } from '../../src/core/audit/repository.ts';
import { setWeeklyDigest } from '../../src/core/subscriptions/service.ts';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  startAdminApi,
  TestClock,
} from '../support/admin-harness.ts';
import { signedIn } from '../support/admin-sessions.ts';
import { createSubscriber, createWorkspace } from '../support/factories.ts';

const START = new Date('2026-12-07T09:00:00Z');

let api: AdminApi;

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(START) });
});

afterAll(async () => {
  await api?.close();
});

interface Event {
  id: string;
  actor: string;
  actorLabel: string;
  action: string;
  address: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

describe('what is recorded', () => {
  it('records sign-ins, failed or not, with the address and request id, never the password', async () => {
    const account = await createAccount(api.db, { role: 'viewer' });
    const person = new AdminBrowser(api.url, {
      'x-forwarded-for': '198.51.100.77',
      'x-request-id': 'audit-sign-in',
    });
    await person.signIn({ ...account, password: 'a wrong but long password' });
    await person.signIn(account);
    await new AdminBrowser(api.url, { 'x-forwarded-for': '198.51.100.78' }).signIn({
      email: 'nobody@example.com',
      password: 'whatever it is',
    });
    const { browser: admin } = await signedIn(api, 'admin');
    const answer = await admin.get(`/audit?action=sign_in.&actor=admin:${account.id}`);
    expect(answer.status).toBe(200);
    const events = answer.body.events as Event[];
    expect(events.map((e) => e.action)).toEqual([
      'sign_in.password_succeeded',
      'sign_in.password_failed',
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        actor: `admin:${account.id}`,
        actorLabel: expect.stringContaining(account.email),
        address: '198.51.100.77',
        requestId: 'audit-sign-in',
      });
    }
    expect(JSON.stringify(answer.body)).not.toContain('a wrong but long password');
    const unknown = await admin.get('/audit?action=sign_in.password_failed&actor=anonymous');
    expect((unknown.body.events as Event[])[0]).toMatchObject({ address: '198.51.100.78' });
  });

  it('records an admin change with its before and after, and the account that made it', async () => {
    const { browser: owner, account: ownerAccount } = await signedIn(api, 'owner');
    const { account } = await signedIn(api, 'viewer');
    await owner.request('PATCH', `/accounts/${account.id}`, { role: 'editor' });
    const answer = await owner.get(`/audit?action=account.updated&actor=admin:${ownerAccount.id}`);
    expect(answer.body.events).toEqual([
      expect.objectContaining({
        details: { fields: ['role'], before: { role: 'viewer' }, after: { role: 'editor' } },
      }),
    ]);
  });

  it('records sign-outs and revoked sessions, and by whom', async () => {
    const { browser: admin, account: adminAccount } = await signedIn(api, 'admin');
    const { account, sessionId } = await signedIn(api, 'viewer');
    await admin.request('DELETE', `/accounts/${account.id}/sessions/${sessionId}`);
    const { browser: viewer } = await signedIn(api, 'viewer', { account });
    await viewer.post('/auth/sign-out');
    const answer = await admin.get(`/audit?action=session.`);
    const events = (answer.body.events as (Event & { subjectId: string })[]).filter(
      (e) => e.subjectId === account.id,
    );
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['session.signed_out', `admin:${account.id}`],
      ['session.revoked', `admin:${adminAccount.id}`],
    ]);
  });

  it('records that a manager reflected on an answer or changed the digest, never what they wrote', async () => {
    const workspace = await createWorkspace(api.db);
    const manager = await createSubscriber(api.db, workspace, {}, START);
    await setWeeklyDigest(api.db, manager.who, false, START, { requestId: 'digest-off' });
    const { item } = await createActionItem(
      api.db,
      manager.who,
      { text: 'Ask Sam', source: 'api' },
      START,
    );
    const answered = await answerActionItem(
      api.db,
      manager.who,
      item.id,
      { answer: 'done' },
      START,
    );
    await reflectOnAnswer(
      api.db,
      manager.who,
      item.id,
      answered.response.id,
      { reflection: 'Sam was relieved, a private thought', usefulness: 5 },
      { requestId: 'reflected' },
    );
    const events = await api.db
      .selectFrom('audit_events')
      .select(['action', 'actor', 'request_id', 'details'])
      .where('workspace_id', '=', workspace.id)
      .where('action', 'in', ['subscription.weekly_digest_changed', 'action_item.reflected'])
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      {
        action: 'subscription.weekly_digest_changed',
        actor: `slack:${manager.who.slackUserId}`,
        request_id: 'digest-off',
        details: { enabled: false },
      },
      {
        action: 'action_item.reflected',
        actor: `slack:${manager.who.slackUserId}`,
        request_id: 'reflected',
        details: { actionItemId: item.id, fields: ['reflection', 'usefulness'] },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('relieved');
  });
});

describe('reading the log', () => {
  it('pages newest first with a cursor, and filters by time', async () => {
    for (let i = 0; i < 5; i += 1) {
      await recordAuditEvent(api.db, {
        actor: 'system',
        action: 'test.paged',
        subjectType: 'test',
        details: { i },
      });
    }
    const { browser: admin } = await signedIn(api, 'admin');
    const first = await admin.get('/audit?action=test.paged&limit=2');
    expect((first.body.events as Event[]).map((e) => e.details.i)).toEqual([4, 3]);
    const second = await admin.get(
      `/audit?action=test.paged&limit=2&before=${first.body.nextCursor}`,
    );
    expect((second.body.events as Event[]).map((e) => e.details.i)).toEqual([2, 1]);
    const third = await admin.get(
      `/audit?action=test.paged&limit=2&before=${second.body.nextCursor}`,
    );
    expect((third.body.events as Event[]).map((e) => e.details.i)).toEqual([0]);
    expect(third.body.nextCursor).toBeNull();
    const future = await admin.get('/audit?action=test.paged&from=2999-01-01T00:00:00Z');
    expect(future.body.events).toEqual([]);
  });

  it('exports CSV that a spreadsheet will not run as a formula', async () => {
    const account = await createAccount(api.db, { role: 'viewer' });
    await api.db
      .updateTable('admin_accounts')
      .set({ display_name: '=HYPERLINK("http://evil.example","x")' })
      .where('id', '=', account.id)
      .execute();
    await new AdminBrowser(api.url, { 'x-forwarded-for': '198.51.100.90' }).signIn(account);
    const { browser: admin } = await signedIn(api, 'admin');
    const response = await fetch(`${api.url}/api/v1/admin/audit.csv?actor=admin:${account.id}`, {
      headers: { cookie: `blindspot_admin=${admin.cookies.get('blindspot_admin')}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="blindspot-audit.csv"',
    );
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,actor,actorLabel,action,subjectType,subjectId,workspaceId,address,requestId,details',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"") <${account.email}>"`);
    expect(lines[1]).toContain(',sign_in.password_succeeded,');
  });
});

describe('the table itself', () => {
  it('refuses to change or remove an event, even to the application', async () => {
    await recordAuditEvent(api.db, { actor: 'system', action: 'test.kept', subjectType: 'test' });
    await expect(
      api.db
        .updateTable('audit_events')
        .set({ action: 'test.changed' })
        .where('action', '=', 'test.kept')
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      api.db.deleteFrom('audit_events').where('action', '=', 'test.kept').execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_events`.execute(api.db)).rejects.toThrow(/append-only/);
  });

  it('keeps a workspace’s events when the workspace is deleted', async () => {
    const workspace = await api.db
      .insertInto('workspaces')
      .values({ slack_team_id: 'T0GONE' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAuditEvent(api.db, {
      workspaceId: workspace.id,
      actor: 'system',
      action: 'test.workspace_event',
      subjectType: 'workspace',
    });
    await api.db.deleteFrom('workspaces').where('id', '=', workspace.id).execute();
    const kept = await api.db
      .selectFrom('audit_events')
      .select('workspace_id')
      .where('action', '=', 'test.workspace_event')
      .execute();
    expect(kept).toEqual([{ workspace_id: workspace.id }]);
  });
});
