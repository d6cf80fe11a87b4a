/**
 * The analytics API over real HTTP on real PostgreSQL: numbers asserted on data with known
 * answers, suppression below k (5), differencing (two filters that differ by one manager reveal
 * nothing), bad input, roles, CSV equal to JSON, and a slow query refused.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAnalytics } from '../../src/core/analytics/refresh.ts';
import { type AdminApi, AdminBrowser, startAdminApi, TestClock } from '../support/admin-harness.ts';
import { signedIn } from '../support/admin-sessions.ts';
import {
  type AnalyticsWorld,
  addItem,
  addManagers,
  addNote,
  addReminder,
  createWorld,
  markNotRelevant,
} from '../support/analytics-data.ts';

const K = 5;
const W1 = '2026-03-02';
const W2 = '2026-03-09';
const W3 = '2026-03-16';
const SUPPRESSED = { value: null, suppressed: true };
const EMPTY = { value: null, suppressed: false };
const n = (value: number) => ({ value, suppressed: false });

let api: AdminApi;
let viewer: AdminBrowser;
let world: AnalyticsWorld;

/**
 * W1: seven managers. M1–M6 get topic a1 (family A) on Monday, 10 s late, and b1 (family B) on
 * Tuesday, 120 s late; M7's a2 note fails on a rate limit. M1–M5 each write an item from a1
 * (done, done, lapsed, open, open) and answer Wednesday's reminder about it at 10:xx, rating it
 * 5, 4, 3, 2, 1. M6 marks b1 "not relevant".
 * W2: M7 alone gets a1, writes an item and answers its reminder on Thursday at 15:20.
 * W3: M1–M5 get a1 and M6 gets b1 on Monday: family A has five managers, family B one.
 */
async function buildWorld(): Promise<void> {
  world = await createWorld(api.db);
  const [m1, m2, m3, m4, m5, m6, m7] = await addManagers(world, 7);
  const team = [m1, m2, m3, m4, m5, m6].filter((m) => m !== undefined);
  if (!m7 || team.length !== 6) throw new Error('managers missing');
  const outcomes = ['done', 'done', 'lapsed', 'open', 'open'] as const;
  for (const [index, manager] of team.entries()) {
    const a1 = {
      id: await addNote(world, manager, W1, world.a1, { lateSeconds: 10 }),
      topicId: world.a1,
    };
    const b1 = {
      id: await addNote(world, manager, '2026-03-03', world.b1, { lateSeconds: 120 }),
      topicId: world.b1,
    };
    const outcome = outcomes[index];
    if (outcome) {
      const item = await addItem(world, manager, W1, a1, outcome);
      await addReminder(world, manager, '2026-03-04', item, {
        at: new Date(`2026-03-04T10:${15 + index}:00Z`),
        usefulness: 5 - index,
      });
    } else {
      await markNotRelevant(world, manager, b1, new Date('2026-03-03T12:00:00Z'));
    }
  }
  await addNote(world, m7, W1, world.a2, { status: 'failed', errorCode: 'ratelimited' });
  const alone = { id: await addNote(world, m7, '2026-03-10', world.a1), topicId: world.a1 };
  const item = await addItem(world, m7, '2026-03-10', alone, 'done');
  await addReminder(world, m7, '2026-03-12', item, {
    at: new Date('2026-03-12T15:20:00Z'),
    usefulness: 5,
  });
  for (const [index, manager] of team.entries()) {
    await addNote(world, manager, W3, index < 5 ? world.a1 : world.b1);
  }
  await refreshAnalytics(api.db, api.clock.now());
}

beforeAll(async () => {
  api = await startAdminApi({
    clock: new TestClock(new Date('2026-03-20T12:00:00Z')),
    admin: { analyticsMinGroup: K },
  });
  await buildWorld();
  viewer = (await signedIn(api, 'viewer')).browser;
});

afterAll(async () => {
  await api?.close();
});

/** A row of an answer: a week, family, topic, day or cell. */
type Row = Record<string, unknown>;
interface Body {
  weeks: Row[];
  families: Row[];
  topics: Row[];
  days: Row[];
  cells: Row[];
  [field: string]: unknown;
}

const get = async (path: string): Promise<Body> => {
  const answer = await viewer.get(`/analytics/${path}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as unknown as Body;
};

describe('engagement', () => {
  it('when everything is asked for, then each week has its known numbers, and a week of one manager is suppressed', async () => {
    const body = await get(`engagement?from=${W1}&to=2026-03-22`);
    expect(body).toMatchObject({ from: W1, to: '2026-03-22', family: null, minGroup: K });
    expect(body.weeks).toEqual([
      {
        week: W1,
        managersSubscribed: n(7),
        notesDelivered: n(12),
        actionShare: n(0.4167),
        completionRate: n(0.4),
        reminderAnswerRate: n(1),
        lapseRate: n(0.2),
        unsubscribes: n(0),
      },
      {
        week: W2,
        managersSubscribed: SUPPRESSED,
        notesDelivered: SUPPRESSED,
        actionShare: SUPPRESSED,
        completionRate: SUPPRESSED,
        reminderAnswerRate: SUPPRESSED,
        lapseRate: SUPPRESSED,
        unsubscribes: n(0),
      },
      {
        week: W3,
        managersSubscribed: n(6),
        notesDelivered: n(6),
        actionShare: n(0),
        completionRate: EMPTY,
        reminderAnswerRate: EMPTY,
        lapseRate: EMPTY,
        unsubscribes: n(0),
      },
    ]);
  });

  it('when a family is asked for, then its share is counted, widened to whole weeks', async () => {
    const body = await get(`engagement?from=2026-03-04&to=2026-03-05&family=${world.familyA}`);
    expect(body).toMatchObject({ from: W1, to: '2026-03-08', family: world.familyA });
    expect(body.weeks).toEqual([
      {
        week: W1,
        managersSubscribed: n(7),
        notesDelivered: n(6),
        actionShare: n(0.8333),
        completionRate: n(0.4),
        reminderAnswerRate: n(1),
        lapseRate: n(0.2),
        unsubscribes: EMPTY,
      },
    ]);
  });

  it('by default covers the twelve weeks up to today', async () => {
    const body = await get('engagement');
    expect(body).toMatchObject({ from: '2025-12-22', to: '2026-03-22' });
    expect(body.weeks).toHaveLength(13);
  });
});

describe('differencing: two filters that differ by one manager', () => {
  it('when family A (five managers) and everything (six) are asked for in W3, then the one manager of family B cannot be subtracted out', async () => {
    const all = await get(`engagement?from=${W3}&to=${W3}`);
    const familyA = await get(`engagement?from=${W3}&to=${W3}&family=${world.familyA}`);
    const familyB = await get(`engagement?from=${W3}&to=${W3}&family=${world.familyB}`);
    expect(all.weeks[0]).toMatchObject({ notesDelivered: n(6), managersSubscribed: n(6) });
    // Family A alone has k managers, but shown beside the total it would give away family B's.
    for (const answer of [familyA, familyB]) {
      expect(answer.weeks[0]).toMatchObject({
        notesDelivered: SUPPRESSED,
        managersSubscribed: SUPPRESSED,
        actionShare: SUPPRESSED,
      });
    }
    const topics = await get(`topics?from=${W3}&to=${W3}`);
    expect(topics.families).toEqual([
      expect.objectContaining({ family: world.familyA, sent: SUPPRESSED }),
      expect.objectContaining({ family: world.familyB, sent: SUPPRESSED }),
    ]);
    expect(topics.topics).toEqual(
      expect.arrayContaining([expect.objectContaining({ topicId: world.a1, sent: SUPPRESSED })]),
    );
  });

  it('when a range grows by the week of one manager, then the longer range is suppressed, not one more', async () => {
    const short = await get(`topics?from=${W1}&to=2026-03-08`);
    const long = await get(`topics?from=${W1}&to=2026-03-15`);
    const a1 = (body: Body) => body.topics.find((t) => t.topicId === world.a1);
    expect(a1(short)).toMatchObject({ sent: n(6), meanUsefulness: n(3) });
    expect(a1(long)).toMatchObject({
      sent: SUPPRESSED,
      actionRate: SUPPRESSED,
      completionRate: SUPPRESSED,
      meanUsefulness: SUPPRESSED,
    });
    const activityShort = await get(`activity?from=${W1}&to=2026-03-08`);
    const activityLong = await get(`activity?from=${W1}&to=2026-03-15`);
    const cell = (body: Body, day: number, hour: number) =>
      body.cells.find((c) => c.isoWeekday === day && c.hour === hour);
    expect(cell(activityShort, 4, 15)).toMatchObject({ answers: n(0) });
    expect(cell(activityLong, 4, 15)).toMatchObject({ answers: SUPPRESSED });
  });
});

describe('topics', () => {
  it('counts per family and per topic over the range', async () => {
    const body = await get(`topics?from=${W1}&to=2026-03-08`);
    expect(body.families).toEqual([
      {
        family: world.familyA,
        sent: n(6),
        actionRate: n(0.8333),
        completionRate: n(0.4),
        meanUsefulness: n(3),
        notRelevantRate: n(0),
      },
      {
        family: world.familyB,
        sent: n(6),
        actionRate: n(0),
        completionRate: EMPTY,
        meanUsefulness: EMPTY,
        notRelevantRate: n(0.1667),
      },
    ]);
    const byId = new Map(body.topics.map((t) => [t.topicId, t]));
    expect(byId.get(world.a1)).toMatchObject({
      family: world.familyA,
      teamId: world.workspace.slackTeamId,
      sent: n(6),
      actionRate: n(0.8333),
      completionRate: n(0.4),
      meanUsefulness: n(3),
      notRelevantRate: n(0),
    });
    expect(byId.get(world.a2)).toMatchObject({ sent: n(0), actionRate: EMPTY });
    expect(byId.get(world.b1)).toMatchObject({ sent: n(6), notRelevantRate: n(0.1667) });
  });

  it('returns only the family asked for', async () => {
    const body = await get(`topics?from=${W1}&to=2026-03-08&family=${world.familyB}`);
    expect(body.families.map((f) => f.family)).toEqual([world.familyB]);
    expect(body.topics.every((t) => t.family === world.familyB)).toBe(true);
  });
});

describe('delivery health', () => {
  it('counts each day, and suppresses a week with a day of fewer than k managers', async () => {
    const body = await get(`delivery-health?from=${W1}&to=2026-03-10`);
    const days = body.days as { day: string }[];
    expect(days).toHaveLength(9);
    expect(days[0]).toEqual({
      day: W1,
      due: n(7),
      onTime: n(6),
      late: n(0),
      missed: n(0),
      failed: n(1),
      slackErrors: n(0),
      rateLimited: n(1),
      latenessP50Ms: n(10_000),
      latenessP99Ms: n(10_000),
    });
    expect(days[1]).toMatchObject({
      day: '2026-03-03',
      due: n(6),
      late: n(6),
      latenessP50Ms: n(120_000),
    });
    expect(days[2]).toMatchObject({ day: '2026-03-04', due: n(0), latenessP50Ms: EMPTY });
    expect(days[8]).toMatchObject({
      day: '2026-03-10',
      due: SUPPRESSED,
      latenessP99Ms: SUPPRESSED,
    });
  });
});

describe('activity', () => {
  it('counts answers by local weekday and hour, for everything or a family', async () => {
    for (const family of ['', `&family=${world.familyA}`]) {
      const body = await get(`activity?from=${W1}&to=2026-03-08${family}`);
      const cells = body.cells as { isoWeekday: number; hour: number; answers: unknown }[];
      expect(cells).toHaveLength(7 * 24);
      const shown = cells.filter((c) => JSON.stringify(c.answers) !== JSON.stringify(n(0)));
      expect(shown).toEqual([{ isoWeekday: 3, hour: 10, answers: n(5) }]);
    }
  });
});

describe('privacy and input', () => {
  it('never returns what managers wrote', async () => {
    for (const path of ['engagement', 'topics', 'delivery-health', 'activity']) {
      const text = JSON.stringify(await get(`${path}?from=${W1}&to=2026-03-22`));
      expect(text).not.toMatch(/Private words|reflection the analytics/);
    }
  });

  it.each([
    ['a backwards range', 'engagement?from=2026-03-10&to=2026-03-01', 'invalid_date_range'],
    ['a range over two years', 'topics?from=2024-01-01&to=2026-03-01', 'invalid_date_range'],
    ['a day that does not exist', 'delivery-health?from=2026-02-30', 'validation_failed'],
    ['an unknown family', 'activity?family=no-such-family', 'unknown_category'],
    ['an unknown format', 'engagement?format=xml', 'validation_failed'],
  ])('refuses %s with 400 and our error shape', async (_name, path, code) => {
    const answer = await viewer.get(`/analytics/${path}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code,
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('lets a viewer read, and nobody without a session', async () => {
    const anonymous = await new AdminBrowser(api.url).get('/analytics/engagement');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('unauthenticated');
  });

  it('refuses a query that runs past its time limit with a clear 503', async () => {
    const blocker = new pg.Client({ connectionString: api.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE analytics_week_cells IN ACCESS EXCLUSIVE MODE');
      // A range no other test reads: an answer already given is kept (read-cache.ts) and would
      // not touch the locked table.
      const answer = await viewer.get('/analytics/engagement?from=2024-01-01&to=2024-02-04');
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body).toMatchObject({ code: 'analytics_too_slow' });
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});

/** RFC 4180, enough for our own output: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\r\n')) {
    const cells: string[] = [];
    const re = /("([^"]|"")*"|[^,]*)(,|$)/g;
    for (const match of line.matchAll(re)) {
      const raw = match[1] ?? '';
      cells.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
      if (match[3] === '') break;
    }
    rows.push(cells);
  }
  return rows;
}

const shownInCsv = (cell: { value: number | null; suppressed: boolean }) =>
  cell.suppressed ? `<${K}` : cell.value === null ? '' : String(cell.value);

describe('CSV', () => {
  it.each([
    ['engagement', 'weeks'],
    ['delivery-health', 'days'],
    ['activity', 'cells'],
  ])('%s as CSV holds the JSON rows, suppressed numbers as "<k"', async (path, key) => {
    const query = `from=${W1}&to=2026-03-22`;
    const json = (await get(`${path}?${query}`))[key] as Row[];
    const answer = await fetch(`${api.url}/api/v1/admin/analytics/${path}?${query}&format=csv`, {
      headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header = [], ...rows] = parseCsv(await answer.text());
    expect(rows).toHaveLength(json.length);
    rows.forEach((row, index) => {
      const record = json[index] as Record<string, unknown>;
      header.forEach((column, at) => {
        const value = record[column] as
          | { value: number | null; suppressed: boolean }
          | string
          | number;
        expect(row[at], `${column} of row ${index}`).toBe(
          typeof value === 'object' ? shownInCsv(value) : String(value),
        );
      });
    });
    expect(rows.flat()).toContain(`<${K}`);
  });

  it('topics as CSV: families then topics', async () => {
    const query = `from=${W1}&to=2026-03-08&format=csv`;
    const answer = await fetch(`${api.url}/api/v1/admin/analytics/topics?${query}`, {
      headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    const [header, ...rows] = parseCsv(await answer.text());
    expect(header).toEqual([
      'kind',
      'family',
      'teamId',
      'slug',
      'title',
      'sent',
      'actionRate',
      'completionRate',
      'meanUsefulness',
      'notRelevantRate',
    ]);
    expect(rows[0]).toEqual(['family', world.familyA, '', '', '', '6', '0.8333', '0.4', '3', '0']);
    expect(rows.filter((row) => row[0] === 'topic').length).toBeGreaterThanOrEqual(3);
  });
});
