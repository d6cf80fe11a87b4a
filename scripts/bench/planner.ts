/**
 * The planner bench (issue 19, items 3 and 3b): one delivery-planning tick with K subscriptions
 * due among N active ones, for (10k, 10k), (100k, 10k) and (1M, 10k); and one Monday tick of
 * the reminder planner with 100k weekly-digest subscribers among 1M. The targets: a tick's cost
 * follows the number due, not the number of subscriptions (tick(1M, 10k) ≤ 1.5 × tick(10k,
 * 10k)); ≤ 0.05 ms per planned row; the Monday digest tick under 100 ms.
 *
 *   npm run bench -- --only planner [--planner-scale 0.01]
 *   node scripts/bench/planner.ts [--scale 0.01]
 *
 * Each scenario gets fresh data (./planner-data.ts) in a new database on DATABASE_URL's server,
 * or on an embedded PostgreSQL without one; the planners run in this process, as the worker
 * runs them, through the same pool and Kysely set-up. --scale shrinks every size, for a quick
 * check that the bench works; figures at a scale below 1 are not the targets' figures.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { planDatabase } from './database.ts';
import { generatePlannerData } from './planner-data.ts';

/** Monday 09:00 UTC, when the due subscriptions are due. */
const DUE_AT = new Date('2026-11-23T09:00:00Z');
/** Monday 12:00 UTC: the digest tick, in the middle of the digests' 08:00–19:59 spread. */
const DIGEST_TICK = new Date('2026-11-23T12:00:00Z');
const DELIVERY_SCENARIOS = [
  { subscriptions: 10_000, due: 10_000 },
  { subscriptions: 100_000, due: 10_000 },
  { subscriptions: 1_000_000, due: 10_000 },
];
const DIGEST_SCENARIO = { subscriptions: 1_000_000, digests: 100_000 };

export interface PlannerBenchRow {
  scenario: string;
  subscriptions: number;
  due: number;
  planned: number;
  tickMs: number;
  msPerRow: number | null;
}

const log = (message: string) => process.stderr.write(`[bench planner] ${message}\n`);

/**
 * A fresh, migrated database (removed by `cleanups`) and a pool to it set up as the worker's,
 * through which the planners run as the worker runs them.
 */
export async function plannerPool(
  cleanups: Array<() => Promise<unknown>>,
  logger: Logger,
): Promise<pg.Pool> {
  const plan = await planDatabase(true, (_name, run) => cleanups.push(run));
  const pool = createPool(
    {
      connectionString: await plan.url(),
      applicationName: 'blindspot-worker',
      max: 4,
      connectionTimeoutMillis: 30_000,
      idleTimeoutMillis: 30_000,
      // The worker's own limit, so a tick that would time out there fails here too.
      statementTimeoutMs: 5_000,
      idleInTransactionTimeoutMs: 60_000,
    },
    logger,
  );
  cleanups.push(() => pool.end());
  await migrate(pool, logger);
  return pool;
}

/** Runs every scenario at `scale` × its size; returns one row per tick timed. */
export async function runPlannerBench(scale = 1): Promise<PlannerBenchRow[]> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const logger = createLogger({ level: 'warn', service: 'bench', destination: process.stderr });
  const sized = (n: number) => Math.max(1, Math.round(n * scale));
  const results: PlannerBenchRow[] = [];
  try {
    const pool = await plannerPool(cleanups, logger);
    const db = createDatabase(pool);
    for (const scenario of DELIVERY_SCENARIOS) {
      const subscriptions = sized(scenario.subscriptions);
      const due = sized(scenario.due);
      const written = performance.now();
      await generatePlannerData(pool, { subscriptions, due, dueAt: DUE_AT });
      log(
        `${subscriptions} subscriptions written in ${Math.round(performance.now() - written)} ms`,
      );
      // A minute before they are due: inside the planner's five-minute look-ahead.
      const started = performance.now();
      const result = await planDueDeliveries(db, new Date(DUE_AT.getTime() - 60_000));
      const tickMs = performance.now() - started;
      if (result.planned !== due) throw new Error(`planned ${result.planned} of ${due} due`);
      results.push({
        scenario: 'delivery planning tick',
        subscriptions,
        due,
        planned: result.planned,
        tickMs,
        msPerRow: tickMs / result.planned,
      });
    }
    const subscriptions = sized(DIGEST_SCENARIO.subscriptions);
    const digests = sized(DIGEST_SCENARIO.digests);
    await generatePlannerData(pool, { subscriptions, due: 0, digests, dueAt: DIGEST_TICK });
    const started = performance.now();
    const result = await planDueReminders(db, DIGEST_TICK);
    const tickMs = performance.now() - started;
    results.push({
      scenario: `Monday reminder tick, ${digests} digest subscribers`,
      subscriptions,
      due: result.digests,
      planned: result.digests,
      tickMs,
      msPerRow: result.digests > 0 ? tickMs / result.digests : null,
    });
    return results;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: Error) => log(`cleanup failed: ${error.message}`));
    }
  }
}

/** The rows as a Markdown table, with the 1M ÷ 10k ratio the target is about. */
export function renderPlannerTable(rows: readonly PlannerBenchRow[], scale: number): string {
  const lines = [
    `Planner bench${scale === 1 ? '' : ` at scale ${scale} (sizes × ${scale}: not the targets' sizes)`}`,
    '',
    '| tick | subscriptions | due | planned | tick ms | ms per planned row |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.subscriptions} | ${row.due} | ${row.planned} | ${row.tickMs.toFixed(1)} | ${row.msPerRow === null ? '–' : row.msPerRow.toFixed(3)} |`,
    ),
  ];
  const ticks = rows.filter((row) => row.scenario === 'delivery planning tick');
  const first = ticks[0];
  const last = ticks.at(-1);
  if (first && last && ticks.length > 1) {
    lines.push(
      '',
      `tick(${last.subscriptions}, ${last.due} due) ÷ tick(${first.subscriptions}, ${first.due} due) = ${(last.tickMs / first.tickMs).toFixed(2)} (target ≤ 1.5)`,
    );
  }
  return lines.join('\n');
}

/** A bench section's --scale: a number in (0, 1], 1 when not given. */
export function scaleFlag(value: string | undefined): number {
  const scale = value === undefined ? 1 : Number(value);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale takes a number in (0, 1], got ${value}`);
  return scale;
}

/** `npm run bench -- --only planner` comes here too. */
export async function plannerBenchMain(scaleValue: string | undefined): Promise<void> {
  const scale = scaleFlag(scaleValue);
  const rows = await runPlannerBench(scale);
  process.stdout.write(`\n${renderPlannerTable(rows, scale)}\n`);
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { scale: { type: 'string' } } });
  await plannerBenchMain(values.scale);
}
