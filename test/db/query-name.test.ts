/** Query names for metrics and slow-query lines: verb and first table, bounded, parameter-free. */
import { describe, expect, it } from 'vitest';
import { queryName } from '../../src/db/query-name.ts';

describe('queryName', () => {
  it.each([
    ['select "id", "status" from "deliveries" where "id" = $1', 'select:deliveries'],
    [
      'select "d"."id" from "deliveries" as "d" inner join "subscriptions" as "s" on "s"."id" = "d"."subscription_id"',
      'select:deliveries',
    ],
    ['update "reminders" set "status" = $1 where "id" = $2', 'update:reminders'],
    [
      'insert into "action_items" ("text", "source") values ($1, $2) on conflict ("workspace_id", "source_key") do update set "updated_at" = now() returning *',
      'insert:action_items',
    ],
    ['delete from "topic_feedback" where "manager_id" = $1', 'delete:topic_feedback'],
    ['SELECT 1', 'select'],
    ['begin', 'begin'],
    ['commit', 'commit'],
    ['rollback', 'rollback'],
  ])('names %s as %s', (sql, name) => {
    expect(queryName(sql)).toBe(name);
  });

  it('names a statement with CTEs by its main verb and the first real table, not a CTE', () => {
    const sql = `
      WITH picked AS (
        SELECT r.id FROM reminders r
        WHERE r.status IN ('pending', 'claimed') AND r.due_at <= $1
        ORDER BY r.due_at LIMIT $2
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE reminders SET status = 'claimed' FROM picked WHERE reminders.id = picked.id
        RETURNING reminders.*
      )
      SELECT c.id FROM claimed c JOIN managers m ON m.id = c.manager_id`;
    expect(queryName(sql)).toBe('select:reminders');
    expect(queryName('with "x" as (select 1) update "subscriptions" set "a" = 1 from "x"')).toBe(
      'update:subscriptions',
    );
  });

  it('ignores FOR UPDATE, function arguments and set-returning functions', () => {
    expect(
      queryName(
        'select extract(epoch from now() - min(due_at)) from deliveries where status = $1 for update',
      ),
    ).toBe('select:deliveries');
    expect(queryName('select * from generate_series(1, 3) join topics on true')).toBe(
      'select:topics',
    );
    expect(queryName('select coalesce((select max(id) from "managers"), 0)')).toBe(
      'select:managers',
    );
  });

  it("keeps a schema other than public, and drops public's", () => {
    expect(
      queryName('SELECT count(*)::int FROM graphile_worker.jobs WHERE locked_at IS NULL'),
    ).toBe('select:graphile_worker.jobs');
    expect(queryName('select * from "public"."workspaces"')).toBe('select:workspaces');
  });

  it('never carries literals, comments or anything that is not a table name', () => {
    expect(queryName("/* from secrets */ select 'from users' as x -- from people")).toBe('select');
    expect(queryName('select * from "Weird Name; drop"')).toBe('select');
    expect(queryName('')).toBe('other');
    expect(queryName('frobnicate the database')).toBe('other');
    expect(queryName('"quoted" first')).toBe('other');
  });
});
