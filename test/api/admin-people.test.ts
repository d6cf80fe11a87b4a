/**
 * The people page's API on a real database over HTTP: every manager with their status,
 * schedule and last delivery, nothing they wrote; pausing and unsubscribing on request,
 * audited under the admin's name; roles and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause } from '../../src/core/subscriptions/service.ts';
import { type AdminApi, AdminBrowser, startAdminApi } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import {
  createManager,
  createSubscriber,
  createWorkspace,
  type TestSubscriber,
  type TestWorkspace,
} from '../support/factories.ts';

let api: AdminApi;
let workspace: TestWorkspace;
let admin: AdminBrowser;
let editor: AdminBrowser;
let ada: TestSubscriber;
let lapsed: TestSubscriber;
let quiet: TestSubscriber;

beforeAll(async () => {
  api = await startAdminApi();
  workspace = await createWorkspace(api.db);
  admin = new AdminBrowser(api.url, {
    authorization: `Bearer ${await apiKeyWithRole(api, 'admin')}`,
  });
  editor = new AdminBrowser(api.url, {
    authorization: `Bearer ${await apiKeyWithRole(api, 'editor')}`,
  });
  const now = new Date('2026-12-01T08:00:00Z');
  ada = await createSubscriber(api.db, workspace, { weekdays: [1, 3], localTime: '08:30' }, now);
  lapsed = await createSubscriber(api.db, workspace, { timeZone: 'Asia/Kolkata' }, now);
  await pause(api.db, lapsed.who, 'slack:user_not_found', now);
  quiet = await createSubscriber(api.db, workspace, {}, now);
  await pause(api.db, quiet.who, 'paused from the Home tab', now);
  await createManager(api.db, workspace);
  // What a manager wrote must never appear on this page.
  await api.db
    .insertInto('action_items')
    .values({
      workspace_id: workspace.id,
      manager_id: ada.id,
      topic_id: null,
      delivery_id: null,
      text: 'PRIVATE: talk to Sam about the reorg',
      note: 'PRIVATE note',
      source: 'dm',
      source_key: 'people-test',
      check_back_on: '2026-12-05',
      completed_at: null,
    })
    .execute();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const base = () => `/workspaces/${workspace.slackTeamId}/people`;

describe('GET /admin/workspaces/{teamId}/people', () => {
  it('lists every manager with status, schedule and who paused them, and nothing they wrote', async () => {
    const answer = await admin.get(base());
    expect(answer.status).toBe(200);
    const people = answer.body.people as Array<Record<string, unknown>>;
    expect(people).toHaveLength(4);
    const of = (id: string) => people.find((p) => p.slackUserId === id);
    expect(of(ada.who.slackUserId)).toMatchObject({
      status: 'active',
      weekdays: [1, 3],
      localTime: '08:30',
      pausedBy: null,
      lastDeliveredAt: null,
    });
    expect(of(lapsed.who.slackUserId)).toMatchObject({
      status: 'lapsed',
      pausedBy: 'slack',
      slackError: 'user_not_found',
      timeZone: 'Asia/Kolkata',
    });
    expect(of(quiet.who.slackUserId)).toMatchObject({ status: 'paused', pausedBy: 'manager' });
    expect(people.filter((p) => p.status === 'not_subscribed')).toHaveLength(1);
    expect(JSON.stringify(answer.body)).not.toContain('PRIVATE');
    expect(JSON.stringify(answer.body)).not.toContain('Home tab');
  });

  it('filters by status and pages by Slack user id', async () => {
    const paused = await admin.get(`${base()}?status=paused`);
    expect((paused.body.people as unknown[]).length).toBe(2);
    const first = await admin.get(`${base()}?limit=3`);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await admin.get(`${base()}?limit=3&after=${first.body.next}`);
    expect((second.body.people as unknown[]).length).toBe(1);
    expect(second.body.next).toBeNull();
  });

  it('refuses an editor, an unknown workspace and a bad filter', async () => {
    expect((await editor.get(base())).status).toBe(403);
    const unknown = await admin.get('/workspaces/T0NOWHERE1/people');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'workspace_not_found' });
    const bad = await admin.get(`${base()}?status=asleep`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
  });
});

describe('pausing and unsubscribing on request', () => {
  it('pauses as an admin, says so on the list, and audits it under the admin', async () => {
    const answer = await admin.post(`${base()}/${ada.who.slackUserId}/pause`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'paused', pausedBy: 'admin' });
    const audit = await api.db
      .selectFrom('audit_events')
      .where('subject_id', '=', ada.subscription.id)
      .where('action', '=', 'subscription.paused')
      .select(['actor'])
      .execute();
    expect(audit.map((row) => row.actor)).toEqual([expect.stringMatching(/^apikey:/)]);
  });

  it('unsubscribes, and a second request changes nothing', async () => {
    const first = await admin.post(`${base()}/${ada.who.slackUserId}/unsubscribe`);
    expect(first.body).toMatchObject({ status: 'unsubscribed' });
    const again = await admin.post(`${base()}/${ada.who.slackUserId}/unsubscribe`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'unsubscribed' });
  });

  it('refuses an unknown manager and an editor', async () => {
    expect((await admin.post(`${base()}/U0NOBODY99/pause`)).status).toBe(404);
    expect((await editor.post(`${base()}/${lapsed.who.slackUserId}/pause`)).status).toBe(403);
  });
});
