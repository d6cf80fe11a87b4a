/**
 * Where a delivery-planning tick's time goes, statement by statement: `DATABASE_URL=… npx node
 * scripts/bench/planner-statements.ts [--ticks 5]`. In a fresh database (./database.ts), the
 * planner bench's data for 10,000 due among 100,000 (./planner-data.ts); then, `--ticks` times,
 * the ledger emptied and vacuumed, the due subscriptions put back, and one tick timed: its wall
 * time, this process's CPU, and each statement's time by name (src/db/query-name.ts) from the
 * pool's own query log. Prints the median of each, per planned row. The planner bench
 * (./planner.ts) times one cold tick per size; this is for finding what a row costs.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Metrics } from '../../src/observability/metrics.ts';
import { plannerPool } from './planner.ts';
import { generatePlannerData } from './planner-data.ts';

const DUE_AT = new Date('2026-11-23T09:00:00Z');
const SUBSCRIPTIONS = 100_000;
const DUE = 10_000;

const { values } = parseArgs({ options: { ticks: { type: 'string', default: '5' } } });
const ticks = Number(values.ticks);
if (!Number.isInteger(ticks) || ticks < 1) throw new Error('--ticks takes a whole number ≥ 1');

const logger = createLogger({ level: 'warn', service: 'bench', destination: process.stderr });
const cleanups: Array<() => Promise<unknown>> = [];
const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const perRow = (ms: number) => `${((ms * 1000) / DUE).toFixed(1)} µs`;

try {
  const pool = await plannerPool(cleanups, logger);
  await generatePlannerData(pool, { subscriptions: SUBSCRIPTIONS, due: DUE, dueAt: DUE_AT });
  // The pool's query log reports each statement's time by name to metrics; only that is kept.
  let statements = new Map<string, number>();
  const metrics = {
    dbQueryDuration: {
      observe: ({ query }: { query: string }, seconds: number) =>
        statements.set(query, (statements.get(query) ?? 0) + seconds * 1000),
    },
    poolAcquireSeconds: { observe: () => {} },
  } as unknown as Metrics;
  const db = createDatabase(pool, { metrics });
  const walls: number[] = [];
  const cpus: number[] = [];
  const byStatement = new Map<string, number[]>();
  for (let tick = 0; tick < ticks; tick += 1) {
    await pool.query('DELETE FROM deliveries');
    // The tick moved each due subscription to the next day; back to due, as before it.
    await pool.query('UPDATE subscriptions SET next_due_at = $1 WHERE next_due_at >= $2', [
      DUE_AT,
      new Date(DUE_AT.getTime() + 15 * 3_600_000),
    ]);
    await pool.query('VACUUM ANALYZE deliveries, subscriptions');
    statements = new Map();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await planDueDeliveries(db, new Date(DUE_AT.getTime() - 60_000));
    walls.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    if (result.planned !== DUE) throw new Error(`planned ${result.planned} of ${DUE} due`);
    for (const [name, ms] of statements)
      byStatement.set(name, [...(byStatement.get(name) ?? []), ms]);
  }
  console.log(`Planning ${DUE} due among ${SUBSCRIPTIONS}, median of ${ticks} ticks, per row:`);
  console.log(
    `  tick ${perRow(median(walls))} (ticks: ${walls.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
  );
  console.log(`  this process's CPU ${perRow(median(cpus))}`);
  for (const [name, times] of [...byStatement].sort((a, b) => median(b[1]) - median(a[1]))) {
    console.log(`  ${name}: ${perRow(median(times))}`);
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
