/**
 * Erasure by an admin over HTTP (issue 16, item 6): one manager who asked (role admin), or a
 * whole workspace (role owner), each after a typed confirmation, irreversible and audited.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApi, AdminBrowser, startAdminApi } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { footprintOf, leftoversOf } from '../support/erasure-checks.ts';
import { createSubscriber, createWorkspace, type TestWorkspace } from '../support/factories.ts';
import { liveManagers, type ManagerLife } from '../support/manager-lives.ts';

let api: AdminApi;
let north: TestWorkspace;
let south: TestWorkspace;
let admin: AdminBrowser;
let owner: AdminBrowser;
let editor: AdminBrowser;
let ada: ManagerLife;
let bo: ManagerLife;

const person = (life: ManagerLife) => ({ managerId: life.id, slackUserId: life.who.slackUserId });

beforeAll(async () => {
  api = await startAdminApi();
  north = await createWorkspace(api.db);
  south = await createWorkspace(api.db);
  await api.db
    .updateTable('workspaces')
    .set({ name: 'North & Co' })
    .where('id', '=', north.id)
    .execute();
  [ada, bo] = (await liveManagers(api.db, north, 2)) as [ManagerLife, ManagerLife];
  await createSubscriber(api.db, south, {}, new Date('2026-11-22T12:00:00Z'));
  const browser = async (role: 'admin' | 'owner' | 'editor') =>
    new AdminBrowser(api.url, { authorization: `Bearer ${await apiKeyWithRole(api, role)}` });
  [admin, owner, editor] = [
    await browser('admin'),
    await browser('owner'),
    await browser('editor'),
  ];
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('POST /admin/workspaces/{teamId}/people/{slackUserId}/erasure', () => {
  const path = () => `/workspaces/${north.slackTeamId}/people/${ada.who.slackUserId}/erasure`;

  it('refuses a wrong confirmation (400) and an editor (403), and erases nothing', async () => {
    const before = await footprintOf(api.db, person(ada));
    const wrong = await admin.post(path(), { confirmation: bo.who.slackUserId });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      code: 'confirmation_mismatch',
      requestId: expect.any(String),
    });
    expect((await editor.post(path(), { confirmation: ada.who.slackUserId })).status).toBe(403);
    expect((await admin.post(path(), {})).status).toBe(400);
    expect(await footprintOf(api.db, person(ada))).toEqual(before);
  });

  it('when an admin types the user id, then the manager is erased and the erasure audited under the admin', async () => {
    const boBefore = await footprintOf(api.db, person(bo));
    const answer = await admin.post(path(), { confirmation: ` ${ada.who.slackUserId} ` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ erased: true });
    expect(await leftoversOf(api.db, person(ada))).toEqual([]);
    expect(await footprintOf(api.db, person(bo))).toEqual(boBefore);
    const event = await api.db
      .selectFrom('audit_events')
      .where('action', '=', 'manager.erased')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      workspace_id: north.id,
      subject_id: ada.id,
      actor: expect.stringMatching(/^apikey:\d+$/),
    });
    expect(event.details).toMatchObject({ requestedBy: 'admin' });
    const again = await admin.post(path(), { confirmation: ada.who.slackUserId });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'manager_not_found' });
  });
});

describe('POST /admin/workspaces/{teamId}/erasure', () => {
  const path = () => `/workspaces/${north.slackTeamId}/erasure`;
  const rowsOf = async (workspaceId: string) => {
    const { rows } = await sql<{ n: string }>`
      SELECT (SELECT count(*) FROM managers WHERE workspace_id = ${workspaceId})
           + (SELECT count(*) FROM topics WHERE workspace_id = ${workspaceId})
           + (SELECT count(*) FROM workspaces WHERE id = ${workspaceId}) AS n`.execute(api.db);
    return Number(rows[0]?.n);
  };

  it('is for owners only, and refuses a name that is not the workspace’s', async () => {
    expect((await admin.post(path(), { confirmation: 'North & Co' })).status).toBe(403);
    const wrong = await owner.post(path(), { confirmation: 'north & co' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'confirmation_mismatch' });
    expect(await rowsOf(north.id)).toBeGreaterThan(2);
  });

  it('when an owner types its name, then the workspace and everyone in it are erased, audited, and another workspace is untouched', async () => {
    const southBefore = await rowsOf(south.id);
    const answer = await owner.post(path(), { confirmation: 'North & Co' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ erased: true, managers: 1 });
    expect(await rowsOf(north.id)).toBe(0);
    expect(await leftoversOf(api.db, person(bo))).toEqual([]);
    expect(await rowsOf(south.id)).toBe(southBefore);
    const event = await api.db
      .selectFrom('audit_events')
      .where('action', '=', 'workspace.erased')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      workspace_id: north.id,
      actor: expect.stringMatching(/^apikey:/),
    });
    expect(event.details).toEqual({ managers: 1, auditEvents: expect.any(Number) });
    expect((await owner.post(path(), { confirmation: 'North & Co' })).status).toBe(404);
  });
});
