/**
 * Queries that run per request or per scheduler tick must use an index, at realistic volumes.
 * The plan is read from EXPLAIN after ANALYZE, never timed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueSubscriptionsQuery } from '../../src/core/schedule/repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const SUBSCRIPTIONS = 100_000;
let database: TestDatabase;

async function plan(query: { compile(): { sql: string; parameters: readonly unknown[] } }) {
  const compiled = query.compile();
  const { rows } = await database.pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN ${compiled.sql}`,
    compiled.parameters as unknown[],
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

beforeAll(async () => {
  database = await createTestDatabase();
  // One workspace, 100,000 managers each with a subscription spread over a week of due times;
  // a fifth of them paused. Built in SQL: inserting row by row would take minutes.
  await sql`INSERT INTO workspaces (slack_team_id) VALUES ('T0PLAN')`.execute(database.db);
  await sql`
    INSERT INTO managers (workspace_id, slack_user_id, time_zone)
    SELECT 1, 'U' || lpad(i::text, 8, '0'), 'Europe/Berlin' FROM generate_series(1, ${SUBSCRIPTIONS}) AS i
  `.execute(database.db);
  await sql`
    INSERT INTO subscriptions (workspace_id, manager_id, weekdays, local_time, time_zone, status, next_due_at)
    SELECT 1, m.id, ARRAY[1,2,3,4,5]::smallint[], '09:00', 'Europe/Berlin',
      CASE WHEN m.id % 5 = 0 THEN 'paused' ELSE 'active' END,
      CASE WHEN m.id % 5 = 0 THEN NULL
        ELSE timestamptz '2026-11-23 00:00Z' + (m.id % 10080) * interval '1 minute' END
    FROM managers m
  `.execute(database.db);
  await sql`ANALYZE`.execute(database.db);
});

afterAll(async () => {
  await database?.drop();
});

describe('the "what is due now" query', () => {
  it(`uses the subscriptions_due index on ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions`, async () => {
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM subscriptions');
    expect(rows[0].n).toBe(SUBSCRIPTIONS);
    const text = await plan(
      dueSubscriptionsQuery(database.db, new Date('2026-11-23T09:00:00Z'), 500),
    );
    expect(text).toMatch(/Index (Only )?Scan using subscriptions_due on subscriptions/);
    expect(text).not.toMatch(/Seq Scan on subscriptions/);
  });

  it('returns only active subscriptions that are due, oldest first', async () => {
    const now = new Date('2026-11-23T00:10:00Z');
    const due = await dueSubscriptionsQuery(database.db, now, 1000).execute();
    expect(due.length).toBeGreaterThan(0);
    for (const row of due)
      expect((row.nextDueAt as Date).getTime()).toBeLessThanOrEqual(now.getTime());
    const times = due.map((row) => (row.nextDueAt as Date).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const ids = due.map((row) => Number(row.managerId));
    expect(ids.some((id) => id % 5 === 0)).toBe(false);
  });
});
