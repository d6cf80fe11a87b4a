/**
 * A manager's data rights over real HTTP, as the bot asks for them (issue 16, item 6): an export
 * link that holds exactly their data, works once, expires after 24 hours; and erasure that
 * leaves nothing that references or names them, found through the catalog, while a second
 * manager's data stays as it was.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../src/bot/api-client/index.ts';
import { setUpTestApp } from '../support/app.ts';
import { footprintOf, leftoversOf } from '../support/erasure-checks.ts';
import { createWorkspace } from '../support/factories.ts';
import { liveManagers, type ManagerLife } from '../support/manager-lives.ts';
import { botApiClient } from '../support/service-calls.ts';

const PUBLIC_URL = 'https://blindspot.example.com';
const HOUR_MS = 3_600_000;

let api: ApiClient;
let clock = new Date('2026-12-01T10:00:00Z');
let ada: ManagerLife;
let bo: ManagerLife;

const testApp = setUpTestApp({
  env: { PUBLIC_URL },
  clock: () => clock,
});

beforeAll(async () => {
  api = botApiClient(testApp.url, () => clock);
  const workspace = await createWorkspace(testApp.database.db);
  [ada, bo] = (await liveManagers(testApp.database.db, workspace, 2)) as [ManagerLife, ManagerLife];
  // Ada's Slack status says out, with no end set: the kept flag is hers to take out and erase.
  await api.putMemberStatuses(workspace.slackTeamId, {
    readAt: clock.toISOString(),
    statuses: [{ slackUserId: ada.who.slackUserId, away: true }],
  });
}, 60_000);

/** The link as the manager's browser opens it: PUBLIC_URL is the gateway, here the app. */
function open(url: string): Promise<Response> {
  expect(url.startsWith(`${PUBLIC_URL}/api/v1/exports?token=`)).toBe(true);
  return fetch(url.replace(PUBLIC_URL, testApp.url));
}

async function idsIn(table: string, managerId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id::text AS id FROM ${sql.table(table)} WHERE manager_id = ${managerId} ORDER BY id`.execute(
    testApp.database.db,
  );
  return rows.map((row) => row.id);
}

const ids = (rows: Array<Record<string, unknown>>) => rows.map((row) => String(row.id));

describe('when a manager asks for their data', () => {
  let file: Record<string, unknown> & Record<string, Array<Record<string, unknown>>>;
  let text: string;
  let url: string;

  beforeAll(async () => {
    const link = await api.createExport(ada.who);
    url = link.url;
    expect(new Date(link.expiresAt).getTime()).toBe(clock.getTime() + 24 * HOUR_MS);
    const response = await open(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="blindspot-export-2026-12-01.json"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    text = await response.text();
    file = JSON.parse(text);
  });

  it('then the file holds their profile and subscription, field by field', () => {
    expect(file.format).toBe('blindspot-export/1');
    const profile = file.profile as unknown as Record<string, unknown>;
    expect(profile).toMatchObject({
      id: ada.id,
      slack_user_id: ada.who.slackUserId,
      time_zone: 'Europe/Berlin',
      // Only the derived flag, never the status's text or emoji.
      away_until: 'infinity',
      status_read_at: clock.toISOString(),
    });
    expect(Object.keys(profile).filter((key) => key.includes('status'))).toEqual([
      'status_read_at',
    ]);
    const subscription = file.subscription as unknown as Record<string, unknown>;
    expect(subscription).toMatchObject({
      id: ada.subscription.id,
      manager_id: ada.id,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      local_time: '09:00:00',
      time_zone: 'Europe/Berlin',
    });
  });

  it('then it holds every delivery, action, reminder, answer, reflection and feedback of theirs', async () => {
    expect(ids(file.deliveries ?? [])).toEqual([ada.deliveryId]);
    expect(ids(file.deliveries ?? [])).toEqual(await idsIn('deliveries', ada.id));
    expect(file.actionItems?.map((i) => ({ id: i.id, text: i.text, note: i.note }))).toEqual(
      ada.items,
    );
    expect(ids(file.actionItems ?? [])).toEqual(await idsIn('action_items', ada.id));
    expect(ids(file.reminders ?? [])).toEqual([ada.reminderId]);
    expect(file.responses).toEqual([
      expect.objectContaining({
        id: ada.responseId,
        action_item_id: ada.items[0]?.id,
        reminder_id: ada.reminderId,
        answer: 'partly',
        reflection: ada.reflection,
        usefulness: 4,
      }),
    ]);
    expect(file.topicFeedback).toEqual([
      expect.objectContaining({ topic_id: ada.topicId, kind: 'not_relevant' }),
    ]);
    expect(file.noteRatings).toEqual([
      expect.objectContaining({ delivery_id: ada.deliveryId, rating: 'useful' }),
    ]);
    expect(ids(file.topics ?? [])).toContain(ada.topicId);
  });

  it('then it holds the audit entries about them, and only those', () => {
    const events = file.auditEvents ?? [];
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'manager.registered',
        'subscription.created',
        'manager.export_requested',
        'manager.exported',
      ]),
    );
    for (const event of events) {
      const own = event.actor === `slack:${ada.who.slackUserId}`;
      const aboutThem = [ada.id, ada.subscription.id].includes(String(event.subject_id));
      expect(own || aboutThem).toBe(true);
    }
  });

  it('then nothing of a second manager is in it', () => {
    expect(text).not.toContain(bo.who.slackUserId);
    for (const item of bo.items) expect(text).not.toContain(item.text);
    expect(text).not.toContain(bo.reflection);
  });

  it('then the link works once: the second download is refused, 410, as JSON', async () => {
    const again = await open(url);
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({
      code: 'export_link_used',
      requestId: expect.any(String),
    });
  });

  it('then the link is neither stored (only its digest is) nor logged', async () => {
    const token = url.split('token=').at(-1) as string;
    const { rows } = await sql<{ row: string }>`
      SELECT row_to_json(e)::text AS row FROM data_exports e`.execute(testApp.database.db);
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) expect(row).not.toContain(token);
    // Nor logged: the api logs paths without their query.
    expect(testApp.logs.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(testApp.logs.lines)).not.toContain(token);
  });
});

describe('export links', () => {
  it('work until the end of their 24 hours, and not a second after', async () => {
    const made = clock;
    const first = await api.createExport(bo.who);
    const second = await api.createExport(bo.who);
    try {
      clock = new Date(made.getTime() + 24 * HOUR_MS - 1_000);
      expect((await open(first.url)).status).toBe(200);
      clock = new Date(made.getTime() + 24 * HOUR_MS + 1_000);
      const late = await open(second.url);
      expect(late.status).toBe(410);
      expect(await late.json()).toMatchObject({ code: 'export_link_expired' });
    } finally {
      clock = made;
    }
  });

  it('refuse a token that was never issued (404) and one that is not a token (400), as JSON', async () => {
    const unknown = await fetch(`${testApp.url}/api/v1/exports?token=${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'export_not_found' });
    const malformed = await fetch(`${testApp.url}/api/v1/exports?token=not-a-token`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      code: 'validation_failed',
      requestId: expect.any(String),
    });
  });

  it('are refused to someone Blindspot does not know', async () => {
    const stranger = { slackTeamId: ada.who.slackTeamId, slackUserId: 'U0NOBODY1' };
    await expect(api.createExport(stranger)).rejects.toMatchObject({
      status: 404,
      code: 'manager_not_found',
    });
  });
});

describe('when a manager erases their data', () => {
  it('then no row anywhere references or names them, and the second manager keeps everything', async () => {
    const adaPerson = { managerId: ada.id, slackUserId: ada.who.slackUserId };
    const boPerson = { managerId: bo.id, slackUserId: bo.who.slackUserId };
    expect((await leftoversOf(testApp.database.db, adaPerson)).length).toBeGreaterThan(5);
    const boBefore = await footprintOf(testApp.database.db, boPerson);

    const erased = await api.eraseMe(ada.who);
    expect(erased.erased).toBe(true);
    expect(erased.rows).toMatchObject({ managers: 1, deliveries: 1, action_items: 2 });

    expect(await leftoversOf(testApp.database.db, adaPerson)).toEqual([]);
    expect(await footprintOf(testApp.database.db, boPerson)).toEqual(boBefore);
    const texts = await sql<{ n: string }>`
      SELECT count(*) AS n FROM responses WHERE reflection = ${ada.reflection}`.execute(
      testApp.database.db,
    );
    expect(Number(texts.rows[0]?.n)).toBe(0);
  });

  it('then the audit log keeps only that an erasure happened, under the internal id', async () => {
    const events = await testApp.database.db
      .selectFrom('audit_events')
      .where('subject_id', '=', ada.id)
      .where('subject_type', '=', 'manager')
      .selectAll()
      .execute();
    expect(events.map((e) => e.action)).toEqual(['manager.erased']);
    expect(events[0]).toMatchObject({ actor: `manager:${ada.id}` });
    // Counts by table only: no Slack id, no item text, no private note.
    const details = JSON.stringify(events[0]?.details);
    expect(details).not.toMatch(/U0|Ask|A private note/);
    expect(details).toContain('"note_ratings":1');
  });

  it('then erasing again finds no one (404), and the audit log still refuses other deletes', async () => {
    await expect(api.eraseMe(ada.who)).rejects.toBeInstanceOf(ApiCallError);
    await expect(
      sql`DELETE FROM audit_events WHERE actor = ${`slack:${bo.who.slackUserId}`}`.execute(
        testApp.database.db,
      ),
    ).rejects.toThrow(/append-only/);
  });
});
