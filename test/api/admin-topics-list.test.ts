/**
 * The admin's topic list over HTTP on a real database: search words, family and status
 * filters, and times sent and mean usefulness read from the analytics summary, hidden below
 * k = 5 managers, with sorting and minimum filters that never reveal a hidden number.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDate, weekOf } from '../../src/core/analytics/rules.ts';
import { type AdminApi, AdminBrowser, startAdminApi } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { createWorkspace, type TestWorkspace } from '../support/factories.ts';

let api: AdminApi;
let workspace: TestWorkspace;
let viewer: AdminBrowser;
/** Two released topics of one family, and one sent to only two managers. */
const ids = { liked: '', busy: '', small: '' };

interface Listed {
  id: string;
  slug: string;
  category: string;
  retiredAt: string | null;
  timesSent: { value: number | null; suppressed: boolean };
  meanUsefulness: { value: number | null; suppressed: boolean };
}

/** One analytics cell, every count zero unless given. */
function cell(
  week: string,
  level: number,
  family: string,
  topicId: string,
  counts: { sent: number; managers: number; usefulness?: number },
) {
  return {
    week,
    workspace_id: workspace.id,
    level,
    family,
    topic_id: topicId,
    planned: counts.sent,
    sent: counts.sent,
    sent_with_action: 0,
    items: 0,
    items_done: 0,
    items_lapsed: 0,
    reminder_items_asked: 0,
    reminder_items_answered: 0,
    usefulness_sum: (counts.usefulness ?? 0) * counts.managers,
    usefulness_count: counts.usefulness === undefined ? 0 : counts.managers,
    not_relevant: 0,
    unsubscribed: 0,
    planned_managers: counts.managers,
    sent_managers: counts.managers,
    item_managers: 0,
    reminded_managers: 0,
    rater_managers: counts.usefulness === undefined ? 0 : counts.managers,
    unsubscribed_managers: 0,
    refreshed_at: new Date(),
  };
}

beforeAll(async () => {
  api = await startAdminApi();
  workspace = await createWorkspace(api.db);
  viewer = new AdminBrowser(api.url, {
    authorization: `Bearer ${await apiKeyWithRole(api, 'viewer')}`,
  });
  const idsIn = async (category: string) =>
    (
      await api.db
        .selectFrom('topics')
        .where('workspace_id', '=', workspace.id)
        .where('category', '=', category)
        .select('id')
        .orderBy('slug')
        .execute()
    ).map((row) => row.id);
  const [liked = '', busy = ''] = await idsIn('recognition-and-feedback');
  const [small = ''] = await idsIn('clarity-and-direction');
  Object.assign(ids, { liked, busy, small });
  const today = api.clock.now();
  const lastWeek = isoDate(weekOf(addDays(today, -7)));
  const weekBefore = isoDate(weekOf(addDays(today, -14)));
  const family = 'recognition-and-feedback';
  const rows = [
    // Last week: six managers each for two topics of one family, all released.
    cell(lastWeek, 0, '', '0', { sent: 29, managers: 12, usefulness: 3 }),
    cell(lastWeek, 1, family, '0', { sent: 29, managers: 12, usefulness: 3 }),
    cell(lastWeek, 2, family, liked, { sent: 9, managers: 6, usefulness: 4 }),
    cell(lastWeek, 2, family, busy, { sent: 20, managers: 6, usefulness: 2 }),
    // The week before: one topic sent to two managers, who both rated it 5: hidden.
    cell(weekBefore, 0, '', '0', { sent: 3, managers: 2, usefulness: 5 }),
    cell(weekBefore, 1, 'clarity-and-direction', '0', { sent: 3, managers: 2, usefulness: 5 }),
    cell(weekBefore, 2, 'clarity-and-direction', small, { sent: 3, managers: 2, usefulness: 5 }),
  ];
  // As the worker's refresh writes them (db/migrations/0015); raw SQL, so this test does not
  // depend on how the analytics code types the table.
  await sql`
    INSERT INTO analytics_week_cells
    SELECT * FROM jsonb_populate_recordset(null::analytics_week_cells, ${JSON.stringify(rows)}::jsonb)
  `.execute(api.db);
});

afterAll(async () => {
  await api?.close();
});

async function list(query = ''): Promise<Listed[]> {
  const answer = await viewer.request('GET', `/workspaces/${workspace.slackTeamId}/topics${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  // The k the statistics were suppressed under, for the page to say "fewer than k".
  expect(answer.body.minGroup).toBe(5);
  return answer.body.topics as Listed[];
}

describe('the topic list', () => {
  it('shows times sent and usefulness where enough managers are behind them', async () => {
    const byId = new Map((await list()).map((topic) => [topic.id, topic]));
    expect(byId.get(ids.liked)).toMatchObject({
      timesSent: { value: 9, suppressed: false },
      meanUsefulness: { value: 4, suppressed: false },
    });
    expect(byId.get(ids.small)).toMatchObject({
      timesSent: { value: null, suppressed: true },
      meanUsefulness: { value: null, suppressed: true },
    });
  });

  it('sorts by times sent or usefulness, most first, with hidden numbers last', async () => {
    const sent = await list('?sort=timesSent');
    expect(sent.slice(0, 2).map((t) => t.id)).toEqual([ids.busy, ids.liked]);
    expect(sent.at(-1)?.id).toBe(ids.small);
    const useful = await list('?sort=usefulness');
    expect(useful.slice(0, 2).map((t) => t.id)).toEqual([ids.liked, ids.busy]);
  });

  it('filters by a minimum usefulness without letting a hidden one through', async () => {
    expect((await list('?minUsefulness=3')).map((t) => t.id)).toEqual([ids.liked]);
    // The hidden topic's managers rated it 5, but a filter must not say so.
    expect((await list('?minUsefulness=1')).map((t) => t.id).sort()).toEqual(
      [ids.liked, ids.busy].sort(),
    );
    expect((await list('?minTimesSent=10')).map((t) => t.id)).toEqual([ids.busy]);
  });

  it('finds topics by words in any order and case, and filters by family and status', async () => {
    const [first] = await list();
    if (!first) throw new Error('no topics');
    const words = first.slug.split('-');
    const found = await list(
      `?q=${encodeURIComponent(`${words.at(-1)?.toUpperCase()} ${words[0]}`)}`,
    );
    expect(found.map((t) => t.id)).toContain(first.id);
    // "%" is a character to find, not a LIKE wildcard: it finds only the topics that contain it
    // (a percentage, an encoded search link), not every topic.
    const all = await list();
    const percent = await list('?q=%25');
    expect(percent.length).toBeLessThan(all.length);
    for (const topic of percent as unknown as Record<string, unknown>[]) {
      const text = ['slug', 'title', 'summary', 'reference'].map((f) => topic[f]).join(' ');
      expect(text, String(topic.slug)).toContain('%');
    }
    const family = await list('?category=listening-and-communication');
    expect(new Set(family.map((t) => t.category))).toEqual(
      new Set(['listening-and-communication']),
    );

    const editor = new AdminBrowser(api.url, {
      authorization: `Bearer ${await apiKeyWithRole(api, 'editor')}`,
    });
    await editor.request('POST', `/workspaces/${workspace.slackTeamId}/topics/${first.id}/retire`);
    const retired = await list('?status=retired');
    expect(retired.map((t) => t.id)).toEqual([first.id]);
    expect((await list()).map((t) => t.id)).not.toContain(first.id);
    expect((await list('?status=all')).map((t) => t.id)).toContain(first.id);
  });
});
