/**
 * The week cells' eighteen counts, listed once for the four statements that handle them: the
 * refresh's recounts of everyone's cells (./cells.ts) and of the atoms' (./atom-cells.ts), and
 * the API's reads of each (./reads.ts, ./team-reads.ts). A count added to the tables (by a
 * migration) is added here, and every statement follows. Columns are left unqualified: each
 * statement reads them from one table.
 */
import { type RawBuilder, sql } from 'kysely';

/** The summed counts, as the week cells and the manager-days both name them. */
const SUMS = [
  'planned',
  'sent',
  'sent_with_action',
  'items',
  'items_done',
  'items_lapsed',
  'reminder_items_asked',
  'reminder_items_answered',
  'usefulness_sum',
  'usefulness_count',
  'not_relevant',
  'unsubscribed',
] as const;

/** Each population (distinct managers) and the manager-day count that puts a manager in it. */
const POPULATIONS = [
  ['planned_managers', 'planned'],
  ['sent_managers', 'sent'],
  ['item_managers', 'items'],
  ['reminded_managers', 'reminder_items_asked'],
  ['rater_managers', 'usefulness_count'],
  ['unsubscribed_managers', 'unsubscribed'],
] as const;

const COLUMNS = [...SUMS, ...POPULATIONS.map(([population]) => population)];

/** The names the API's rows use (./rules.ts WeekCellRow); two differ from the columns'. */
const FIELD_NAMES: Record<string, string> = {
  reminder_items_asked: 'remindersAsked',
  reminder_items_answered: 'remindersAnswered',
};
const fieldName = (column: string) =>
  FIELD_NAMES[column] ?? column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

const list = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql`, `);

/** A week's counts from manager-day rows (analytics_manager_days' columns), in COLUMNS order. */
export const WEEK_CELL_COUNTS = list([
  ...SUMS.map((column) => sql`sum(${sql.ref(column)})::int AS ${sql.ref(column)}`),
  ...POPULATIONS.map(
    ([population, count]) =>
      sql`count(DISTINCT manager_id) FILTER (WHERE ${sql.ref(count)} > 0)::int AS ${sql.ref(population)}`,
  ),
]);

/** The counted columns, in WEEK_CELL_COUNTS' order, for an INSERT's column list. */
export const WEEK_CELL_COLUMNS = list(COLUMNS.map((column) => sql.ref(column)));

/**
 * An upsert's `DO UPDATE SET …` of a week cell aliased `o`, then `WHERE` it differs: a
 * recount that finds the same numbers writes nothing.
 */
export const WEEK_CELL_UPDATE = sql`${list(
  COLUMNS.map((column) => sql`${sql.ref(column)} = excluded.${sql.ref(column)}`),
)}, refreshed_at = excluded.refreshed_at
  WHERE (${list(COLUMNS.map((column) => sql`o.${sql.ref(column)}`))})
        IS DISTINCT FROM (${list(COLUMNS.map((column) => sql`excluded.${sql.ref(column)}`))})`;

/** Week cells summed (over workspaces, or over merged atoms), named as WeekCellRow's fields. */
export const WEEK_CELL_READ = list(
  COLUMNS.map((column) => sql`sum(${sql.ref(column)})::int AS ${sql.ref(fieldName(column))}`),
);

/**
 * A week cell's counts as stored, named as WeekCellRow's fields: for a read whose rows are
 * each a whole cell already, which WEEK_CELL_READ's GROUP BY would only copy. That GROUP BY
 * was half a year's read on the server (18 sums over each of a few thousand rows).
 */
export const WEEK_CELL_FIELDS = list(
  COLUMNS.map((column) => sql`${sql.ref(column)} AS ${sql.ref(fieldName(column))}`),
);
