/**
 * The API's read of everyone's week cells (src/core/analytics/repositories/reads.ts): the
 * summary keeps a row per workspace, and the read serves one per cell. With one workspace it
 * reads the rows as stored; with several it sums them, populations included (a manager belongs
 * to one workspace, so distinct managers add up).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAnalytics } from '../../../src/core/analytics/refresh.ts';
import { selectWeekCells } from '../../../src/core/analytics/repositories/reads.ts';
import type { WeekCellRow } from '../../../src/core/analytics/rules.ts';
import {
  type AnalyticsWorld,
  addManagers,
  addNote,
  createWorld,
} from '../../support/analytics-data.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let first: AnalyticsWorld;
const WEEK = '2026-03-02';
const LEVELS = [0, 1, 2];

/**
 * Sends a note of `topicId` on Monday of WEEK to `count` new managers of `world`, written at
 * `hour` that day, and runs the refresh an hour later, which counts them.
 */
async function notesTo(
  world: AnalyticsWorld,
  count: number,
  topicId: string,
  hour: number,
): Promise<void> {
  const at = (h: number) => new Date(`${WEEK}T${String(h).padStart(2, '0')}:00:00Z`);
  for (const manager of await addManagers(world, count)) {
    await addNote(world, manager, WEEK, topicId, {}, at(hour));
  }
  await refreshAnalytics(database.db, at(hour + 1));
}

const cellsByKey = async () =>
  new Map(
    (await selectWeekCells(database.db, WEEK, WEEK, LEVELS)).map((row): [string, WeekCellRow] => [
      `${row.level}/${row.family}/${row.topicId}`,
      row,
    ]),
  );

beforeAll(async () => {
  database = await createTestDatabase();
  first = await createWorld(database.db);
  await notesTo(first, 3, first.a1, 12);
});

afterAll(async () => {
  await database?.drop();
});

describe("reading everyone's week cells", () => {
  it('with one workspace, reads each cell as the refresh stored it', async () => {
    const cells = await cellsByKey();
    expect([...cells.keys()].sort()).toEqual([
      '0//0',
      `1/${first.familyA}/0`,
      `2/${first.familyA}/${first.a1}`,
    ]);
    expect(cells.get('0//0')).toMatchObject({ week: WEEK, sent: 3, sentManagers: 3, planned: 3 });
  });

  it('when a second workspace has notes in the same week, then each cell sums both', async () => {
    const second = await createWorld(database.db);
    await notesTo(second, 4, second.a1, 14);
    const cells = await cellsByKey();
    // The total and the family are shared cells; each workspace's topic is a cell of its own.
    expect(cells.get('0//0')).toMatchObject({ sent: 7, sentManagers: 7, plannedManagers: 7 });
    expect(cells.get(`1/${first.familyA}/0`)).toMatchObject({ sent: 7, sentManagers: 7 });
    expect(cells.get(`2/${first.familyA}/${first.a1}`)).toMatchObject({ sent: 3, sentManagers: 3 });
    expect(cells.get(`2/${first.familyA}/${second.a1}`)).toMatchObject({
      sent: 4,
      sentManagers: 4,
    });
    expect(cells.size).toBe(4);
  });
});
