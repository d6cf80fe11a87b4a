/**
 * The team filter's release rule (issue 15, item 3), pure. ./rules.ts releases a cell when it
 * and every sibling of its partition hold zero or at least k managers. Teams are Slack user
 * groups: they overlap, nest, and can differ by one person, so a team's number beside the
 * total, or beside another team's, could subtract down to a few managers. So the filter works
 * on *atoms* (./repositories/team-reads.ts): the managers are split by the set of chosen teams
 * they are in, plus the atom "" of those in none, worked out here as the unfiltered cell minus
 * the others. Every team is a union of atoms, and so is every difference of two teams or of a
 * team and the total. A team's cell is released only when
 *   (a) the unfiltered cell is released (./rules.ts), and
 *   (b) every atom, each taken as its own tree, releases that cell under the same rule.
 * Then any difference of served numbers is a sum of atom cells of zero or at least k managers,
 * whichever teams are compared. The price: one small atom (two managers in a team of their own,
 * or a team that is another plus one person) hides every team's number for the cells those
 * managers are in, and a team of fewer than k managers always reads "fewer than k".
 */
import type { ActivityCellRow, DeliveryDayRow } from './repositories/reads.ts';
import type { AtomActivityRow, AtomWeekCellRow } from './repositories/team-reads.ts';
import {
  Accumulator,
  enoughManagers,
  entry,
  partitionReleased,
  type Released,
  release,
  treesOf,
  type WeekCellRow,
  type WeekTree,
} from './rules.ts';

export type TreeRelease = ReturnType<typeof release>;

/** The numbers of a week cell: they add up over atoms, since atoms share no manager. */
export const SUMMED = [
  'planned',
  'sent',
  'sentWithAction',
  'items',
  'itemsDone',
  'itemsLapsed',
  'remindersAsked',
  'remindersAnswered',
  'usefulnessSum',
  'usefulnessCount',
  'notRelevant',
  'unsubscribed',
  'plannedManagers',
  'sentManagers',
  'itemManagers',
  'remindedManagers',
  'raterManagers',
  'unsubscribedManagers',
] as const satisfies readonly (keyof WeekCellRow)[];

/** `row` times `sign`, as a new row. */
const scaled = (row: WeekCellRow, sign: 1 | -1): WeekCellRow => {
  const out = { ...row };
  for (const field of SUMMED) out[field] = sign * row[field];
  return out;
};

/**
 * `into` += `sign` × `row`, field by field. Written out, not looped over SUMMED: a team read
 * adds about ten thousand cells, and named fields keep each access monomorphic (a keyed
 * access over 18 names was most of the read's CPU). test/core/analytics/team-filter.test.ts
 * checks that it adds every field of SUMMED.
 */
function addTo(into: WeekCellRow, row: WeekCellRow, sign: 1 | -1): void {
  into.planned += sign * row.planned;
  into.sent += sign * row.sent;
  into.sentWithAction += sign * row.sentWithAction;
  into.items += sign * row.items;
  into.itemsDone += sign * row.itemsDone;
  into.itemsLapsed += sign * row.itemsLapsed;
  into.remindersAsked += sign * row.remindersAsked;
  into.remindersAnswered += sign * row.remindersAnswered;
  into.usefulnessSum += sign * row.usefulnessSum;
  into.usefulnessCount += sign * row.usefulnessCount;
  into.notRelevant += sign * row.notRelevant;
  into.unsubscribed += sign * row.unsubscribed;
  into.plannedManagers += sign * row.plannedManagers;
  into.sentManagers += sign * row.sentManagers;
  into.itemManagers += sign * row.itemManagers;
  into.remindedManagers += sign * row.remindedManagers;
  into.raterManagers += sign * row.raterManagers;
  into.unsubscribedManagers += sign * row.unsubscribedManagers;
}

/** Whether `team` (an id) is one of the teams of `atom` (sorted ids joined by commas). */
export const atomHasTeam = (atom: string, team: string) => atom.split(',').includes(team);

const key = (row: WeekCellRow) => `${row.level}/${row.family}/${row.topicId}`;

function rowsOf(tree: WeekTree): WeekCellRow[] {
  return [
    ...(tree.total ? [tree.total] : []),
    ...tree.families.values(),
    ...[...tree.topics.values()].flat(),
  ];
}

const EMPTY_TREE = (): WeekTree => ({ families: new Map(), topics: new Map() });

/**
 * Cell by cell, for one week: the sum of the `plus` rows less the sum of the `minus` rows.
 * Plain loops over one map: a team read does this for every week and atom, and it was most
 * of the read's CPU when each part went through a tree and an array of parts per cell.
 */
function arithmetic(
  plus: readonly (readonly WeekCellRow[])[],
  minus: readonly (readonly WeekCellRow[])[],
): WeekTree {
  const cells = new Map<string, WeekCellRow>();
  const add = (rows: readonly WeekCellRow[], sign: 1 | -1) => {
    for (const row of rows) {
      const cellKey = key(row);
      const cell = cells.get(cellKey);
      if (cell === undefined) cells.set(cellKey, sign === 1 ? { ...row } : scaled(row, -1));
      else addTo(cell, row, sign);
    }
  };
  for (const rows of plus) add(rows, 1);
  for (const rows of minus) add(rows, -1);
  const rows = [...cells.values()];
  for (const row of rows) {
    // Below zero, the atoms and the unfiltered cell were not read from one snapshot: show
    // nothing rather than a number no one can be behind (fewer than k hides every measure).
    if (SUMMED.some((field) => row[field] < 0)) {
      for (const field of SUMMED) if (field.endsWith('Managers')) row[field] = 1;
    }
  }
  return treesOf(rows).get(rows[0]?.week ?? '') ?? EMPTY_TREE();
}

function andReleased(a: Released, b: Released): Released {
  const out = { ...a };
  for (const measure of Object.keys(out) as (keyof Released)[]) out[measure] &&= b[measure];
  return out;
}

function andRelease(a: TreeRelease, b: TreeRelease): TreeRelease {
  const topics = new Map<string, Released>();
  for (const family of new Set([...a.topics.keys(), ...b.topics.keys()])) {
    // A tree without topics in a family releases them as it releases the family.
    topics.set(
      family,
      andReleased(a.topics.get(family) ?? a.families, b.topics.get(family) ?? b.families),
    );
  }
  return {
    total: andReleased(a.total, b.total),
    families: andReleased(a.families, b.families),
    topics,
  };
}

export interface WeekView {
  tree: WeekTree;
  released: TreeRelease;
}

/**
 * For each week, the team's cells (the sum of its atoms) and which of them may be shown:
 * (a) and (b) of the rule above. `levels` are those the unfiltered trees were read at.
 */
export function teamWeekViews(
  unfiltered: ReadonlyMap<string, WeekTree>,
  atomRows: readonly AtomWeekCellRow[],
  team: string,
  levels: readonly number[],
  k: number,
): Map<string, WeekView> {
  const atomsByWeek = new Map<string, Map<string, WeekCellRow[]>>();
  // The rows keep their `atom`: copying each without it cost more than the whole sum.
  for (const row of atomRows) {
    if (!levels.includes(row.level)) continue;
    entry(
      entry(atomsByWeek, row.week, () => new Map()),
      row.atom,
      () => [],
    ).push(row);
  }
  const views = new Map<string, WeekView>();
  const inTeam = new Map<string, boolean>();
  const hasTeam = (atom: string) => entry(inTeam, atom, () => atomHasTeam(atom, team));
  for (const week of new Set([...unfiltered.keys(), ...atomsByWeek.keys()])) {
    const whole = unfiltered.get(week) ?? EMPTY_TREE();
    const atoms = [...(atomsByWeek.get(week) ?? new Map<string, WeekCellRow[]>())];
    const outside = arithmetic(
      [rowsOf(whole)],
      atoms.map(([, rows]) => rows),
    );
    let released = andRelease(release(whole, k), release(outside, k));
    for (const [, rows] of atoms) {
      released = andRelease(released, release(treesOf(rows).get(week) as WeekTree, k));
    }
    const tree = arithmetic(
      atoms.filter(([atom]) => hasTeam(atom)).map(([, rows]) => rows),
      [],
    );
    views.set(week, { tree, released });
  }
  return views;
}

/**
 * Answers by weekday and hour for the team: each week's slot is released when the unfiltered
 * slot is (./service.ts) and every atom's slot is too, the family split included when a
 * family is asked for.
 */
export function teamActivitySums(
  unfiltered: readonly ActivityCellRow[],
  atomRows: readonly AtomActivityRow[],
  team: string,
  family: string | undefined,
  k: number,
): Map<string, Accumulator> {
  type Slot = { total?: ActivityCellRow; parts: ActivityCellRow[] };
  const slotOf = (row: ActivityCellRow) => `${row.week}/${row.isoWeekday}/${row.hour}`;
  /** Per slot (week, weekday, hour), per atom ("*" for everyone): the total and the families. */
  const slots = new Map<string, Map<string, Slot>>();
  const add = (row: ActivityCellRow, atom: string) => {
    // Without a family asked for, only the totals count (the unfiltered read has no others).
    if (family === undefined && row.level !== 0) return;
    const cell = entry(
      entry(slots, slotOf(row), () => new Map()),
      atom,
      (): Slot => ({ parts: [] }),
    );
    if (row.level === 0) cell.total = row;
    else cell.parts.push(row);
  };
  for (const row of unfiltered) add(row, '*');
  for (const row of atomRows) add(row, row.atom);
  const sums = new Map<string, Accumulator>();
  for (const cells of slots.values()) {
    const families = [...new Set([...cells.values()].flatMap((c) => c.parts.map((r) => r.family)))];
    const populations = (cell: Slot | undefined) => [
      cell?.total?.managers ?? 0,
      ...families.map((f) => cell?.parts.find((row) => row.family === f)?.managers ?? 0),
    ];
    const whole = populations(cells.get('*'));
    const atoms = [...cells].filter(([atom]) => atom !== '*');
    const outside = whole.map(
      (n, at) => n - atoms.reduce((sum, [, cell]) => sum + (populations(cell)[at] ?? 0), 0),
    );
    const releases = ([total = 0, ...parts]: number[]) =>
      total >= 0 &&
      parts.every((n) => n >= 0) &&
      partitionReleased(enoughManagers(total, k), parts, k);
    const released =
      releases(whole) &&
      releases(outside) &&
      atoms.every(([, cell]) => releases(populations(cell)));
    for (const [atom, cell] of atoms) {
      if (!atomHasTeam(atom, team)) continue;
      const row = family === undefined ? cell.total : cell.parts.find((r) => r.family === family);
      if (!row) continue;
      const at = `${row.isoWeekday}/${row.hour}`;
      entry(sums, at, () => new Accumulator()).add(released, row.managers, row.answers);
    }
  }
  return sums;
}

/**
 * Which weeks (by Monday) of delivery health the team's days may be shown in: every day of
 * the week has zero or at least k managers, unfiltered and in every atom.
 */
export function teamHealthWeeks(
  unfiltered: readonly DeliveryDayRow[],
  atomRows: readonly { day: string; atom: string; managers: number }[],
  weekOf: (day: string) => string,
  k: number,
): Map<string, boolean> {
  const byDay = new Map<string, { whole: number; atoms: number[] }>();
  for (const row of unfiltered)
    entry(byDay, row.day, () => ({ whole: 0, atoms: [] })).whole = row.managers;
  for (const row of atomRows)
    entry(byDay, row.day, () => ({ whole: 0, atoms: [] })).atoms.push(row.managers);
  const weeks = new Map<string, boolean>();
  for (const [day, { whole, atoms }] of byDay) {
    const outside = whole - atoms.reduce((sum, n) => sum + n, 0);
    const ok = outside >= 0 && [whole, outside, ...atoms].every((n) => enoughManagers(n, k));
    const week = weekOf(day);
    weeks.set(week, (weeks.get(week) ?? true) && ok);
  }
  return weeks;
}
