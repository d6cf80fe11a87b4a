/**
 * The analytics refresh is incremental: it reads only rows changed since its last run, writes
 * only summary rows whose values changed, and a run with nothing new changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAnalytics } from '../../src/core/analytics/refresh.ts';
import {
  type AnalyticsWorld,
  addItem,
  addManagers,
  addNote,
  createWorld,
  markNotRelevant,
  type WorldManager,
} from '../support/analytics-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let world: AnalyticsWorld;
let managers: WorldManager[];
const notes = new Map<string, string>();

const T = (text: string) => new Date(text);

/** Every summary row with when it was last written, keyed by its table and identity. */
async function snapshot(): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  const tables = {
    analytics_manager_days: 'manager_id, day, topic_id',
    analytics_week_cells: 'week, workspace_id, level, family, topic_id',
    analytics_delivery_days: 'day',
  };
  for (const [table, key] of Object.entries(tables)) {
    const { rows: found } = await database.pool.query(
      `SELECT concat_ws('/', ${key}) AS key, row_to_json(t)::text AS row FROM ${table} t`,
    );
    for (const row of found) rows.set(`${table}:${row.key}`, row.row);
  }
  return rows;
}

function refreshedAt(rows: Map<string, string>): Map<string, string> {
  return new Map([...rows].map(([key, row]) => [key, JSON.parse(row).refreshed_at]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createWorld(database.db);
  managers = await addManagers(world, 5);
  for (const manager of managers) {
    notes.set(manager.id, await addNote(world, manager, '2026-03-02', world.a1));
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('refresh_analytics', () => {
  it('when it first runs, then it summarises everything', async () => {
    const result = await refreshAnalytics(database.db, T('2026-03-02T12:00:00Z'));
    expect(result).toMatchObject({ touchedDays: 5, managerDays: 5, deliveryDays: 1 });
    // Level 0, family A, topic a1 for the week.
    expect(result.weekCells).toBe(3);
    const { rows } = await database.pool.query(
      `SELECT sent, sent_managers FROM analytics_week_cells WHERE level = 0`,
    );
    expect(rows).toEqual([{ sent: 5, sent_managers: 5 }]);
  });

  it('while another run holds the watermark, then it ends at once and changes nothing', async () => {
    const before = await snapshot();
    const holder = await database.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM analytics_refresh_state FOR UPDATE');
      const result = await refreshAnalytics(database.db, T('2026-03-02T12:05:00Z'));
      expect(result).toMatchObject({ skipped: true, touchedDays: 0, managerDays: 0 });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await snapshot()).toEqual(before);
    const { rows } = await database.pool.query(
      'SELECT refreshed_through FROM analytics_refresh_state',
    );
    expect(rows).toEqual([{ refreshed_through: T('2026-03-02T12:00:00Z') }]);
  });

  it('when it runs again with nothing new, then it changes nothing', async () => {
    const before = await snapshot();
    const result = await refreshAnalytics(database.db, T('2026-03-02T12:10:00Z'));
    expect(result).toMatchObject({
      managerDays: 0,
      managerHours: 0,
      weekCells: 0,
      activityCells: 0,
      deliveryDays: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('when notes arrive on a new day, then only that day and its week are written', async () => {
    const before = refreshedAt(await snapshot());
    for (const manager of managers) await addNote(world, manager, '2026-03-10', world.b1);
    const at = T('2026-03-10T12:00:00Z');
    const result = await refreshAnalytics(database.db, at);
    expect(result).toMatchObject({ touchedDays: 5, managerDays: 5, weekCells: 3, deliveryDays: 1 });
    const after = refreshedAt(await snapshot());
    for (const [key, written] of before) expect(after.get(key), key).toBe(written);
    const added = [...after.keys()].filter((key) => !before.has(key));
    expect(added).toHaveLength(5 + 3 + 1);
    for (const key of added) expect(new Date(String(after.get(key)))).toEqual(at);
    expect(await refreshAnalytics(database.db, T('2026-03-10T12:05:00Z'))).toMatchObject({
      managerDays: 0,
      weekCells: 0,
      deliveryDays: 0,
    });
  });

  it('when an item is written later about an old note, then that note’s day and week are recounted, and no other', async () => {
    const [first] = managers;
    if (!first) throw new Error('no manager');
    const written = T('2026-03-11T08:00:00Z');
    await addItem(
      world,
      first,
      '2026-03-02',
      { id: String(notes.get(first.id)), topicId: world.a1 },
      'done',
      written,
    );
    const before = refreshedAt(await snapshot());
    const at = T('2026-03-11T08:05:00Z');
    const result = await refreshAnalytics(database.db, at);
    // The manager's 03-02 row (topic a1) and week W1's three cells; nothing of W2.
    expect(result).toMatchObject({ managerDays: 1, weekCells: 3, deliveryDays: 0 });
    const after = refreshedAt(await snapshot());
    const changed = [...after]
      .filter(([key, when]) => before.get(key) !== when)
      .map(([key]) => key);
    expect(changed.sort()).toEqual(
      [
        `analytics_manager_days:${first.id}/2026-03-02/${world.a1}`,
        `analytics_week_cells:2026-03-02/${world.workspace.id}/0//0`,
        `analytics_week_cells:2026-03-02/${world.workspace.id}/1/${world.familyA}/0`,
        `analytics_week_cells:2026-03-02/${world.workspace.id}/2/${world.familyA}/${world.a1}`,
      ].sort(),
    );
    const { rows } = await database.pool.query(
      `SELECT sent_with_action, items, items_done, item_managers FROM analytics_week_cells
        WHERE week = '2026-03-02' AND level = 0`,
    );
    expect(rows).toEqual([{ sent_with_action: 1, items: 1, items_done: 1, item_managers: 1 }]);
  });

  it('when notes are marked not relevant days and weeks after they came, then each mark counts on its note’s day', async () => {
    const [, second, third] = managers;
    if (!second || !third) throw new Error('no manager');
    const note = (manager: WorldManager) => ({
      id: String(notes.get(manager.id)),
      topicId: world.a1,
    });
    // One mark made ten days after the note and counted by the next run, one four weeks after.
    await markNotRelevant(world, second, note(second), T('2026-03-12T09:00:00Z'));
    await refreshAnalytics(database.db, T('2026-03-12T09:05:00Z'));
    await markNotRelevant(world, third, note(third), T('2026-03-30T09:00:00Z'));
    const result = await refreshAnalytics(database.db, T('2026-03-30T09:05:00Z'));
    expect(result).toMatchObject({ managerDays: 1, deliveryDays: 0 });
    const { rows } = await database.pool.query(
      `SELECT manager_id::text, not_relevant FROM analytics_manager_days
        WHERE day = '2026-03-02' AND not_relevant > 0 ORDER BY manager_id`,
    );
    expect(rows).toEqual(
      [
        { manager_id: second.id, not_relevant: 1 },
        { manager_id: third.id, not_relevant: 1 },
      ].sort((a, b) => Number(a.manager_id) - Number(b.manager_id)),
    );
    const cell = await database.pool.query(
      `SELECT not_relevant FROM analytics_week_cells WHERE week = '2026-03-02' AND level = 0`,
    );
    expect(cell.rows).toEqual([{ not_relevant: 2 }]);
  });
});
