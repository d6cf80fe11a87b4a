/**
 * Workspace settings over real HTTP on a real database (issue 15, item 6): an admin reads and
 * replaces them, bad values come back field by field with nothing saved, every change is
 * audited from → to, roles are enforced; and what an admin sets changes what happens: the bot's
 * defaults for a sign-up, the digest of a new sign-up, the check-back of an action planned
 * without a choice, and when the reminder planner sends (quiet hours, daily cap).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/planner.ts';
import {
  claimReminders,
  confirmReminder,
  planDueReminders,
} from '../../src/core/reminders/service.ts';
import { setWeeklyDigest } from '../../src/core/subscriptions/service.ts';
import { type AdminApi, AdminBrowser, startAdminApi, TestClock } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { createSubscriber, createWorkspace, type TestWorkspace } from '../support/factories.ts';
import { botApiClient } from '../support/service-calls.ts';

/** Friday 1 January 2027, noon UTC; the Monday ten days on is 11 January. */
const START = new Date('2027-01-01T12:00:00Z');
const MONDAY = '2027-01-11';
const WEDNESDAY = '2027-01-13';

const SHIPPED = {
  defaultWeekdays: [1, 3, 5],
  defaultLocalTime: '09:00',
  quietHours: { start: '20:00', end: '08:00' },
  dailyDmCap: 2,
  checkBackDays: 7,
  weeklyDigest: false,
  defaultLanguage: 'en',
};
const CHANGED = {
  defaultWeekdays: [4, 2],
  defaultLocalTime: '10:30',
  quietHours: { start: '22:00', end: '10:00' },
  dailyDmCap: 3,
  checkBackDays: 10,
  weeklyDigest: true,
  defaultLanguage: 'de',
};

let api: AdminApi;
let changed: TestWorkspace;
let plain: TestWorkspace;
let admin: AdminBrowser;
let owner: AdminBrowser;
let editor: AdminBrowser;

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(START) });
  changed = await createWorkspace(api.db);
  plain = await createWorkspace(api.db);
  const as = async (role: 'admin' | 'owner' | 'editor') =>
    new AdminBrowser(api.url, { authorization: `Bearer ${await apiKeyWithRole(api, role)}` });
  admin = await as('admin');
  owner = await as('owner');
  editor = await as('editor');
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const path = (workspace: TestWorkspace) => `/workspaces/${workspace.slackTeamId}/settings`;

async function auditOf(workspace: TestWorkspace) {
  return api.db
    .selectFrom('audit_events')
    .where('workspace_id', '=', workspace.id)
    .where('action', '=', 'workspace_settings.updated')
    .select(['actor', 'details', 'request_id'])
    .orderBy('id')
    .execute();
}

describe('reading and saving the settings', () => {
  it('when nothing was saved, then the settings are the shipped defaults', async () => {
    const answer = await admin.get(path(plain));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(SHIPPED);
  });

  it('when an admin saves, then the settings read back (days sorted) and the change is audited from → to', async () => {
    const saved = await admin.request('PUT', path(changed), CHANGED);
    expect(saved.status).toBe(200);
    const expected = { ...CHANGED, defaultWeekdays: [2, 4] };
    expect(saved.body).toEqual(expected);
    expect((await admin.get(path(changed))).body).toEqual(expected);
    const [event, ...more] = await auditOf(changed);
    expect(more).toHaveLength(0);
    expect(event?.actor).toMatch(/^apikey:/);
    expect((event?.details as { changes: unknown } | undefined)?.changes).toEqual({
      defaultWeekdays: { from: [1, 3, 5], to: [2, 4] },
      defaultLocalTime: { from: '09:00', to: '10:30' },
      quietHours: { from: SHIPPED.quietHours, to: CHANGED.quietHours },
      dailyDmCap: { from: 2, to: 3 },
      checkBackDays: { from: 7, to: 10 },
      weeklyDigest: { from: false, to: true },
      defaultLanguage: { from: 'en', to: 'de' },
    });
  });

  it('when a save leaves the default language out, then the workspace keeps the one it had', async () => {
    const { defaultLanguage: _kept, ...withoutLanguage } = CHANGED;
    const saved = await admin.request('PUT', path(changed), {
      ...withoutLanguage,
      checkBackDays: 9,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ defaultLanguage: 'de', checkBackDays: 9 });
    const back = await admin.request('PUT', path(changed), CHANGED);
    expect(back.body).toMatchObject({ checkBackDays: 10 });
  });

  it('when the same settings are saved again, then nothing new is audited', async () => {
    const before = (await auditOf(changed)).length;
    expect((await owner.request('PUT', path(changed), CHANGED)).status).toBe(200);
    expect(await auditOf(changed)).toHaveLength(before);
  });

  it('when values are out of range, then each field says why, and nothing is saved', async () => {
    const answer = await admin.request('PUT', path(plain), {
      ...SHIPPED,
      defaultWeekdays: [],
      defaultLocalTime: '25:00',
      quietHours: { start: '08:00', end: '08:00' },
      dailyDmCap: 11,
      checkBackDays: 31,
      defaultLanguage: 'es',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'invalid_settings',
      requestId: expect.any(String),
      fields: {
        defaultWeekdays: expect.any(String),
        defaultLocalTime: expect.any(String),
        'quietHours.end': expect.stringMatching(/different times/),
        dailyDmCap: expect.stringMatching(/2 to 10/),
        checkBackDays: expect.stringMatching(/1 to 30/),
        defaultLanguage: expect.stringMatching(/en, de, fr/),
      },
    });
    expect((await admin.get(path(plain))).body).toEqual(SHIPPED);
    expect(await auditOf(plain)).toHaveLength(0);
  });

  it('when the body is not settings at all, then it is refused with the API’s error shape', async () => {
    const answer = await admin.request('PUT', path(plain), { ...SHIPPED, dailyDmCap: 'two' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
  });

  it('refuses an editor and an unknown workspace', async () => {
    expect((await editor.get(path(plain))).status).toBe(403);
    expect((await editor.request('PUT', path(plain), SHIPPED)).status).toBe(403);
    const unknown = await admin.get('/workspaces/T0NOWHERE1/settings');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'workspace_not_found' });
  });
});

describe('what the settings change', () => {
  beforeAll(async () => {
    expect((await admin.request('PUT', path(changed), CHANGED)).status).toBe(200);
  });

  const bot = () => botApiClient(api.url, api.clock.now);

  it('the bot offers the workspace’s days, time and check-back; a workspace Blindspot has not met gets the shipped ones', async () => {
    const call = (slackTeamId: string) => ({ slackTeamId, slackUserId: 'U0SETTINGS1' });
    expect(await bot().workspaceDefaults(call(changed.slackTeamId))).toEqual({
      weekdays: [2, 4],
      localTime: '10:30',
      checkBackDays: 10,
    });
    expect(await bot().workspaceDefaults(call('T0NEWTEAM01'))).toEqual({
      weekdays: [1, 3, 5],
      localTime: '09:00',
      checkBackDays: 7,
    });
  });

  it('a new sign-up gets the digest default, an action planned without a choice the check-back default, and reminders keep to the quiet hours and the cap', async () => {
    api.clock.set(START);
    const schedule = { weekdays: [1, 3, 5], localTime: '09:00', timeZone: 'UTC' };
    const kept = await createSubscriber(api.db, changed, schedule, START);
    const usual = await createSubscriber(api.db, plain, schedule, START);
    expect(kept.subscription.weeklyDigest).toBe(true);
    expect(usual.subscription.weeklyDigest).toBe(false);

    const keptItem = await bot().createActionItem(kept.who, { text: 'Ask Sam', source: 'modal' });
    const usualItem = await bot().createActionItem(usual.who, { text: 'Ask Kim', source: 'modal' });
    expect(keptItem.item.checkBackOn).toBe(MONDAY);
    expect(usualItem.item.checkBackOn).toBe('2027-01-08');

    // Both get the digest, so that Monday holds a note and a digest before any reminder.
    await setWeeklyDigest(api.db, usual.who, true, START);

    // The worker's ticks just before each slot that matters (09:00, and 10:00 where the changed
    // quiet hours end) on Monday and on Wednesday, the next note day; and the bot sending what
    // is due, since a reminder in flight holds back the next.
    const ticks = ['08:56', '09:56'].flatMap((time) =>
      [MONDAY, WEDNESDAY].map((d) => `${d}T${time}:00Z`),
    );
    for (const tick of ticks.sort()) {
      const at = new Date(tick);
      await planDueDeliveries(api.db, at);
      await planDueReminders(api.db, at);
      const sendAt = new Date(at.getTime() + 5 * 60_000);
      for (const due of await claimReminders(api.db, sendAt, { limit: 10, leaseMs: 60_000 })) {
        await confirmReminder(api.db, due.id, { channelId: 'D0SETTINGS', ts: '1.2' }, sendAt);
      }
    }
    const reminders = (managerId: string) =>
      api.db
        .selectFrom('reminders')
        .where('manager_id', '=', managerId)
        .select(['kind', 'local_date', 'due_at'])
        .orderBy('due_at')
        .orderBy('kind')
        .execute();
    // Shipped settings: the note and the digest fill Monday's two DMs; the reminder waits for
    // Wednesday's note day, at the delivery time.
    expect(await reminders(usual.id)).toEqual([
      { kind: 'digest', local_date: MONDAY, due_at: new Date(`${MONDAY}T09:00:00Z`) },
      { kind: 'reminder', local_date: WEDNESDAY, due_at: new Date(`${WEDNESDAY}T09:00:00Z`) },
    ]);
    // Quiet until 10:00 moves the digest and the reminder; a cap of three leaves room on Monday.
    expect(await reminders(kept.id)).toEqual([
      { kind: 'digest', local_date: MONDAY, due_at: new Date(`${MONDAY}T10:00:00Z`) },
      { kind: 'reminder', local_date: MONDAY, due_at: new Date(`${MONDAY}T10:00:00Z`) },
    ]);
  });
});
