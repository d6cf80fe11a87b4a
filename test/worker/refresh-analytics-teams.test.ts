/**
 * The refresh keeps the team filter's cells per atom (db/migrations/0032): counted for every
 * week of the atoms whose managers changed (a sync, a team chosen, a manager erased), for the
 * touched weeks of every atom, and not written at all when nothing is new. The reads merge the
 * atoms of teams smaller than k, so k is the API's to change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAnalytics } from '../../src/core/analytics/refresh.ts';
import {
  selectAtomWeekCells,
  selectTeamDeliveryDays,
} from '../../src/core/analytics/repositories/team-reads.ts';
import { deleteManager } from '../../src/core/data-rights/repository.ts';
import {
  type AnalyticsWorld,
  addManagers,
  addNote,
  createWorld,
  setTeams,
  type WorldManager,
} from '../support/analytics-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const W1 = '2026-03-02';
const W2 = '2026-03-09';
const WEDNESDAY_W2 = '2026-03-11';
const ATOM_TABLES = {
  analytics_atom_members: 'manager_id',
  analytics_atoms: 'atom',
  analytics_atom_week_cells: 'week, atom, level, family, topic_id',
  analytics_atom_activity_cells: 'week, atom, level, family, iso_weekday, hour',
  analytics_atom_delivery_days: 'day, atom',
  analytics_team_delivery_days: 'group_id, day',
};

let database: TestDatabase;
let world: AnalyticsWorld;
/** M1–M8; alpha is M1–M5 and beta M4–M8 until a test moves someone. */
let managers: WorldManager[];
let clock = new Date('2026-03-10T12:00:00Z');

/** The next tick of the worker, ten minutes on (past the refresh's overlap). */
const tick = () => {
  clock = new Date(clock.getTime() + 10 * 60_000);
  return refreshAnalytics(database.db, clock);
};

const teams = (groups: Record<string, readonly WorldManager[]>) => setTeams(world, groups, clock);

/** Every row of the atom tables, keyed by its table and identity. */
async function snapshot(): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const [table, key] of Object.entries(ATOM_TABLES)) {
    const { rows: found } = await database.pool.query(
      `SELECT concat_ws('/', ${key}) AS key, row_to_json(t)::text AS row FROM ${table} t`,
    );
    for (const row of found) rows.set(`${table}:${row.key}`, row.row);
  }
  return rows;
}

/** Sent managers per atom in a week's level-0 cells, as stored (fine atoms). */
async function storedAtoms(week: string): Promise<Record<string, number>> {
  const { rows } = await database.pool.query<{ atom: string; sent_managers: number }>(
    `SELECT atom, sent_managers FROM analytics_atom_week_cells
      WHERE week = $1 AND level = 0 ORDER BY atom`,
    [week],
  );
  return Object.fromEntries(rows.map((row) => [row.atom, row.sent_managers]));
}

/** Sent managers per atom in a week, as the API reads them at `k`. */
async function readAtoms(week: string, k: number): Promise<Record<string, number>> {
  const rows = await selectAtomWeekCells(database.db, week, week, k, [0]);
  return Object.fromEntries(
    rows.sort((a, b) => a.atom.localeCompare(b.atom)).map((row) => [row.atom, row.sentManagers]),
  );
}

const atom = (...ids: (string | undefined)[]) =>
  ids
    .map(Number)
    .sort((a, b) => a - b)
    .join(',');

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createWorld(database.db);
  managers = await addManagers(world, 8);
  for (const manager of managers) {
    await addNote(world, manager, W1, world.a1);
    await addNote(world, manager, W2, world.b1);
  }
});

afterAll(async () => {
  await database?.drop();
});

describe('the team filter’s cells', () => {
  let ids: Record<string, string>;

  it('when no team is chosen, then the refresh writes no atom rows', async () => {
    const result = await tick();
    expect(result).toMatchObject({ touchedDays: 16, atomMembers: 0, atomsChanged: 0 });
    expect(await snapshot()).toEqual(new Map());
  });

  it('when teams are chosen, then the next refresh counts every week’s atom cells', async () => {
    ids = await teams({ S0ALPHA: managers.slice(0, 5), S0BETA: managers.slice(3) });
    expect(await storedAtoms(W1)).toEqual({});
    const result = await tick();
    // Nothing in the ledgers changed: no week was touched, yet all are counted.
    expect(result).toMatchObject({
      touchedDays: 0,
      weekCells: 0,
      atomsChanged: 3,
      // Eight memberships and three atoms.
      atomMembers: 8 + 3,
      // Two weeks × three atoms × (all, a family, a topic).
      atomWeekCells: 2 * 3 * 3,
      atomDeliveryDays: 2 * 3,
      teamDeliveryDays: 2 * 2,
    });
    const [alpha, beta] = [ids.S0ALPHA, ids.S0BETA];
    for (const week of [W1, W2]) {
      expect(await storedAtoms(week)).toEqual({
        [atom(alpha)]: 3,
        [atom(alpha, beta)]: 2,
        [atom(beta)]: 3,
      });
    }
    const health = await selectTeamDeliveryDays(database.db, String(alpha), W1, W2);
    expect(health.map((day) => [day.day, day.due, day.managers])).toEqual([
      [W1, 5, 5],
      [W2, 5, 5],
    ]);
  });

  it('when a refresh has nothing new, then it writes no atom rows', async () => {
    const before = await snapshot();
    expect(before.size).toBeGreaterThan(0);
    const result = await tick();
    expect(result).toMatchObject({
      touchedDays: 0,
      atomMembers: 0,
      atomsChanged: 0,
      atomWeekCells: 0,
      atomActivityCells: 0,
      atomDeliveryDays: 0,
      teamDeliveryDays: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('when a note arrives, then only its week’s atom cells are recounted', async () => {
    const before = await snapshot();
    // M1 (alpha's alone) gets a2 on Wednesday of W2.
    const written = new Date(clock.getTime() + 60_000);
    await addNote(world, managers[0] as WorldManager, WEDNESDAY_W2, world.a2, {}, written);
    const result = await tick();
    expect(result).toMatchObject({
      touchedDays: 1,
      atomsChanged: 0,
      // Alpha's atom in W2: its level-0 cell changes, family A's and a2's are added.
      atomWeekCells: 3,
      atomActivityCells: 0,
      atomDeliveryDays: 1,
      teamDeliveryDays: 1,
    });
    const changed = [...(await snapshot())]
      .filter(([key, row]) => before.get(key) !== row)
      .map(([key]) => key);
    expect(changed).toHaveLength(3 + 1 + 1);
    for (const key of changed) expect(key).toMatch(new RegExp(`${W2}|${WEDNESDAY_W2}`));
  });

  it('when a team’s members change, then nothing moves until the next refresh, which recounts every week of the atoms that changed', async () => {
    const [alpha, beta] = [ids.S0ALPHA, ids.S0BETA];
    const betaWritten = () =>
      database.pool
        .query('SELECT refreshed_at FROM analytics_atom_week_cells WHERE atom = $1 ORDER BY 1', [
          atom(beta),
        ])
        .then(({ rows }) => rows);
    const before = await betaWritten();
    // M3 joins beta: alpha alone keeps M1 and M2.
    await teams({ S0ALPHA: managers.slice(0, 5), S0BETA: managers.slice(2) });
    expect(await readAtoms(W1, 2)).toEqual({
      [atom(alpha)]: 3,
      [atom(alpha, beta)]: 2,
      [atom(beta)]: 3,
    });
    const result = await tick();
    // M3's row, and the counts of the two atoms M3 moved between; beta's alone is untouched.
    expect(result).toMatchObject({ touchedDays: 0, atomsChanged: 2, atomMembers: 1 + 2 });
    expect(await betaWritten()).toEqual(before);
    for (const week of [W1, W2]) {
      expect(await readAtoms(week, 2)).toEqual({
        [atom(alpha)]: 2,
        [atom(alpha, beta)]: 3,
        [atom(beta)]: 3,
      });
    }
  });

  it('reads the atoms of teams smaller than k as merged into the others, whatever k is', async () => {
    // Gamma (M1, M2) splits alpha's atoms where k lets it count.
    const all = await teams({
      S0ALPHA: managers.slice(0, 5),
      S0BETA: managers.slice(2),
      S0GAMMA: managers.slice(0, 2),
    });
    await tick();
    const [alpha, beta, gamma] = [all.S0ALPHA, all.S0BETA, all.S0GAMMA];
    expect(await readAtoms(W1, 2)).toEqual({
      [atom(alpha, gamma)]: 2,
      [atom(alpha, beta)]: 3,
      [atom(beta)]: 3,
    });
    expect(await readAtoms(W1, 3)).toEqual({
      [atom(alpha)]: 2,
      [atom(alpha, beta)]: 3,
      [atom(beta)]: 3,
    });
    // At 6, only beta (six managers) is a team: everyone else is outside every atom.
    expect(await readAtoms(W1, 6)).toEqual({ [atom(beta)]: 6 });
  });

  it('when a member is erased, then the next refresh recounts their atom without them', async () => {
    const beta = ids.S0BETA;
    const last = managers[7] as WorldManager;
    await deleteManager(database.db, {
      id: last.id,
      workspaceId: world.workspace.id,
      slackUserId: last.slackUserId,
    });
    const result = await tick();
    expect(result).toMatchObject({ atomsChanged: 1 });
    expect((await readAtoms(W1, 3))[atom(beta)]).toBe(2);
    // Beta (M3–M8) less M8, its whole delivery health recounted.
    const health = await selectTeamDeliveryDays(database.db, String(beta), W1, W1);
    expect(health.map((day) => [day.day, day.due, day.managers])).toEqual([[W1, 5, 5]]);
    expect(await tick()).toMatchObject({ atomMembers: 0, atomsChanged: 0 });
  });
});
