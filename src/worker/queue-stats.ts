/**
 * graphile-worker's queue, read for the blindspot_job_queue_* gauges. Both queries use the
 * `graphile_worker.jobs` view (graphile-worker 0.16+ keeps the rows in `_private_jobs`), and
 * run on each scrape, so they stay single aggregates. A job is waiting when no worker holds it
 * and it has attempts left; one that has failed for good keeps its row but never runs again.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { JobQueueReader } from '../observability/metrics.ts';

export function jobQueueReader(db: Kysely<Database>): JobQueueReader {
  return {
    async depth() {
      const { rows } = await sql<{ depth: number }>`
        SELECT count(*)::int AS depth FROM graphile_worker.jobs
        WHERE locked_at IS NULL AND attempts < max_attempts`.execute(db);
      return rows[0]?.depth ?? 0;
    },
    async oldestDueSeconds() {
      const { rows } = await sql<{ seconds: number }>`
        SELECT coalesce(extract(epoch FROM now() - min(run_at)), 0)::float8 AS seconds
        FROM graphile_worker.jobs
        WHERE run_at <= now() AND locked_at IS NULL AND attempts < max_attempts`.execute(db);
      return rows[0]?.seconds ?? 0;
    },
  };
}
