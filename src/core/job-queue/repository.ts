/**
 * graphile-worker's queue, read for the blindspot_job_queue_* gauges. Both queries use the
 * `graphile_worker.jobs` view (graphile-worker 0.16+ keeps the rows in `_private_jobs`), and
 * run on each scrape, so they stay single aggregates. A job is waiting when no worker holds it
 * and it has attempts left; one that has failed for good keeps its row but never runs again.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/** Jobs waiting for a worker. */
export async function countWaitingJobs(db: Executor): Promise<number> {
  const { rows } = await sql<{ depth: number }>`
    SELECT count(*)::int AS depth FROM graphile_worker.jobs
    WHERE locked_at IS NULL AND attempts < max_attempts`.execute(db);
  return rows[0]?.depth ?? 0;
}

/** How long the oldest due, waiting job has been due, in seconds (database clock); 0 if none. */
export async function oldestWaitingJobSeconds(db: Executor): Promise<number> {
  const { rows } = await sql<{ seconds: number }>`
    SELECT coalesce(extract(epoch FROM now() - min(run_at)), 0)::float8 AS seconds
    FROM graphile_worker.jobs
    WHERE run_at <= now() AND locked_at IS NULL AND attempts < max_attempts`.execute(db);
  return rows[0]?.seconds ?? 0;
}
