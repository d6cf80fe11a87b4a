/**
 * Analytics answers are kept between reads (src/core/analytics/read-cache.ts) exactly as long as
 * the summary tables they were computed from stay the same: a refresh that changes a summary
 * row moves the version on and the next read recounts; a refresh with nothing new keeps it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_CACHE_ENTRIES } from '../../../src/core/analytics/read-cache.ts';
import { refreshAnalytics } from '../../../src/core/analytics/refresh.ts';
import { selectCellsVersion } from '../../../src/core/analytics/repositories/reads.ts';
import { engagement, topics } from '../../../src/core/analytics/service.ts';
import {
  type AnalyticsWorld,
  addManagers,
  addNote,
  createWorld,
  type WorldManager,
} from '../../support/analytics-data.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let world: AnalyticsWorld;
let managers: WorldManager[];
const K = 5;
const TODAY = new Date('2026-03-20T12:00:00Z');
const WEEK = { from: '2026-03-02', to: '2026-03-08' };

const notesDelivered = async (query = WEEK, k = K) =>
  (await engagement(database.db, query, TODAY, k)).weeks[0]?.notesDelivered.value;

/** Changes a summary row behind the refresh's back: only a recount would see it. */
const addSentBehindTheRefresh = (sent: number) =>
  sql`UPDATE analytics_week_cells SET sent = sent + ${sent} WHERE level = 0`.execute(database.db);

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createWorld(database.db);
  managers = await addManagers(world, 6);
  for (const manager of managers.slice(0, 5)) {
    await addNote(world, manager, '2026-03-02', world.a1);
  }
  await refreshAnalytics(database.db, new Date('2026-03-02T12:00:00Z'));
});

afterAll(async () => {
  await database?.drop();
});

describe('the analytics read cache', () => {
  it('serves an answer again while the summary tables keep their version', async () => {
    expect(await notesDelivered()).toBe(5);
    await addSentBehindTheRefresh(100);
    expect(await notesDelivered()).toBe(5);
    // A different k is a different answer: counted afresh, from the changed row.
    expect(await notesDelivered(WEEK, 4)).toBe(105);
    await addSentBehindTheRefresh(-100);
  });

  it('keeps the version through a refresh with nothing new, and moves it with one that writes', async () => {
    const before = await selectCellsVersion(database.db);
    const idle = await refreshAnalytics(database.db, new Date('2026-03-02T12:10:00Z'));
    expect(idle.weekCells).toBe(0);
    expect(await selectCellsVersion(database.db)).toBe(before);

    const sixth = managers[5] as WorldManager;
    await addNote(world, sixth, '2026-03-04', world.a1);
    const busy = await refreshAnalytics(database.db, new Date('2026-03-04T12:00:00Z'));
    expect(busy.weekCells).toBeGreaterThan(0);
    expect(BigInt(await selectCellsVersion(database.db))).toBe(BigInt(before) + 1n);
    expect(await notesDelivered()).toBe(6);
    const answer = await topics(database.db, WEEK, TODAY, K);
    expect(answer.topics.find((topic) => topic.topicId === world.a1)?.sent.value).toBe(6);
  });

  it(`keeps at most ${READ_CACHE_ENTRIES} answers, the least recently read leaving first`, async () => {
    expect(await notesDelivered()).toBe(6);
    // As many other answers as the cache holds push the first one out.
    for (let weeks = 1; weeks <= READ_CACHE_ENTRIES; weeks++) {
      const from = new Date(Date.parse('2026-03-02') - weeks * 7 * 86_400_000);
      await notesDelivered({ from: from.toISOString().slice(0, 10), to: WEEK.to });
    }
    await addSentBehindTheRefresh(100);
    try {
      expect(await notesDelivered()).toBe(106);
    } finally {
      await addSentBehindTheRefresh(-100);
    }
  });
});
