/**
 * Retention (issue 16, item 6): the nightly job deletes deliveries, reminders and answers older
 * than RETENTION_DAYS, and nothing younger; in batches of a bounded size; counting rows by table
 * in blindspot_retention_rows_deleted_total. Run through the real graphile-worker.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeOldData } from '../../src/core/retention/service.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startWorker } from '../../src/worker/runner.ts';
import { cronItems } from '../../src/worker/tasks/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createWorkspace } from '../support/factories.ts';
import { liveManagers, type ManagerLife } from '../support/manager-lives.ts';

/** About two years after the lives began (November 2026): none of it past 730 days yet. */
const NOW = new Date('2028-11-20T12:00:00Z');

let database: TestDatabase;
let lives: ManagerLife[];

/** Moves a manager's history back in time by `days`, as if it had happened then. */
async function age(life: ManagerLife, days: number): Promise<void> {
  const by = sql.lit(`${days} days`);
  await sql`UPDATE deliveries SET due_at = due_at - ${by}::interval WHERE manager_id = ${life.id}`.execute(
    database.db,
  );
  await sql`UPDATE reminders SET due_at = due_at - ${by}::interval WHERE manager_id = ${life.id}`.execute(
    database.db,
  );
  await sql`UPDATE responses SET answered_at = answered_at - ${by}::interval
             WHERE action_item_id IN (SELECT id FROM action_items WHERE manager_id = ${life.id})`.execute(
    database.db,
  );
}

async function counts(life: ManagerLife) {
  const { rows } = await sql<{
    deliveries: string;
    reminders: string;
    responses: string;
    items: string;
  }>`
    SELECT (SELECT count(*) FROM deliveries WHERE manager_id = ${life.id}) AS deliveries,
           (SELECT count(*) FROM reminders WHERE manager_id = ${life.id}) AS reminders,
           (SELECT count(*) FROM responses r JOIN action_items a ON a.id = r.action_item_id
             WHERE a.manager_id = ${life.id}) AS responses,
           (SELECT count(*) FROM action_items WHERE manager_id = ${life.id}) AS items`.execute(
    database.db,
  );
  const row = rows[0];
  return {
    deliveries: Number(row?.deliveries),
    reminders: Number(row?.reminders),
    responses: Number(row?.responses),
    items: Number(row?.items),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  lives = await liveManagers(database.db, await createWorkspace(database.db), 4);
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

describe('purge_old_data', () => {
  it('is declared as a nightly cron job', () => {
    expect(cronItems.find((item) => item.task === 'purge_old_data')).toMatchObject({
      match: expect.any(Function),
      options: { backfillPeriod: 0 },
    });
  });

  it('when rows are older than the period, then it deletes them in bounded batches, and only them', async () => {
    const [first, second, third, young] = lives as [
      ManagerLife,
      ManagerLife,
      ManagerLife,
      ManagerLife,
    ];
    for (const life of [first, second, third]) await age(life, 60);
    const batches: Array<[string, number]> = [];
    const totals = await purgeOldData(database.db, {
      now: NOW,
      days: 730,
      batch: 2,
      onDeleted: (table, rows) => batches.push([table, rows]),
    });
    expect(totals).toEqual({ responses: 3, reminders: 3, deliveries: 3 });
    // Three old rows per table, two at a time: a full batch, then the rest.
    expect(batches).toEqual([
      ['responses', 2],
      ['responses', 1],
      ['reminders', 2],
      ['reminders', 1],
      ['deliveries', 2],
      ['deliveries', 1],
    ]);
    for (const life of [first, second, third]) {
      // Their own list of actions stays: it is theirs to keep or delete.
      expect(await counts(life)).toEqual({ deliveries: 0, reminders: 0, responses: 0, items: 2 });
    }
    expect(await counts(young)).toEqual({ deliveries: 1, reminders: 1, responses: 1, items: 2 });
  });

  it('when the worker runs it, then it honours RETENTION_DAYS and counts rows by table', async () => {
    const young = lives[3] as ManagerLife;
    const metrics = createMetrics();
    const logger = createLogger({ level: 'silent', service: 'test' });
    // 700 days: the young manager's history, two years old on NOW, is past it.
    const runner = await startWorker({
      pool: database.pool,
      db: database.db,
      metrics,
      logger,
      now: () => NOW,
      concurrency: 1,
      retentionDays: 700,
    });
    try {
      await runner.addJob('purge_old_data', {});
      const deleted = async (table: string) =>
        (await metrics.retentionRowsDeleted.get()).values.find((v) => v.labels.table === table)
          ?.value ?? 0;
      await expect.poll(() => deleted('deliveries'), { timeout: 20_000 }).toBe(1);
      expect(await deleted('reminders')).toBe(1);
      expect(await deleted('responses')).toBe(1);
      expect(await counts(young)).toEqual({ deliveries: 0, reminders: 0, responses: 0, items: 2 });
    } finally {
      await runner.stop();
    }
  });
});
