/**
 * What is left of a person, found through the catalog rather than a list of tables, so a table
 * added later is checked without anyone remembering to: every column that names a manager by a
 * foreign key (managerReferenceColumns, which the erasure's own count reads too), every column
 * named slack_user_id, and every row of every table in the schema
 * whose text mentions the person's Slack user id (audit actors, JSON details, anything).
 */
import { type Kysely, sql } from 'kysely';
import { managerReferenceColumns } from '../../src/core/data-rights/repository.ts';
import type { Database } from '../../src/db/schema.ts';

export interface Leftover {
  table: string;
  column: string;
  rows: number;
}

async function count(db: Kysely<Database>, table: string, where: ReturnType<typeof sql>) {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM ${sql.table(table)} t WHERE ${where}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Rows that still reference the manager, by table and column; empty when none is left. */
export async function leftoversOf(
  db: Kysely<Database>,
  person: { managerId: string; slackUserId: string },
): Promise<Leftover[]> {
  const references = [
    ...(await managerReferenceColumns(db)),
    { table: 'public.managers', column: 'id' },
  ];
  const { rows: slackColumns } = await sql<{ table: string; column: string }>`
    SELECT table_schema || '.' || table_name AS table, column_name AS column
      FROM information_schema.columns
     WHERE column_name = 'slack_user_id' AND table_schema = 'public'`.execute(db);
  const { rows: tables } = await sql<{ table: string }>`
    SELECT table_schema || '.' || table_name AS table
      FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
     ORDER BY 1`.execute(db);
  const found: Leftover[] = [];
  for (const { table, column } of references) {
    const rows = await count(db, table, sql`${sql.ref(`t.${column}`)} = ${person.managerId}`);
    if (rows > 0) found.push({ table, column, rows });
  }
  for (const { table, column } of slackColumns) {
    const rows = await count(db, table, sql`${sql.ref(`t.${column}`)} = ${person.slackUserId}`);
    if (rows > 0) found.push({ table, column, rows });
  }
  for (const { table } of tables) {
    const rows = await count(
      db,
      table,
      sql`strpos(row_to_json(t)::text, ${person.slackUserId}) > 0`,
    );
    if (rows > 0) found.push({ table, column: '(any, by its text)', rows });
  }
  return found;
}

/** How many rows each table holds that reference the manager: to show a neighbour untouched. */
export async function footprintOf(
  db: Kysely<Database>,
  person: { managerId: string; slackUserId: string },
): Promise<Record<string, number>> {
  const footprint: Record<string, number> = {};
  for (const { table, column, rows } of await leftoversOf(db, person)) {
    footprint[`${table}.${column}`] = rows;
  }
  return footprint;
}
