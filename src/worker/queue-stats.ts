/** graphile-worker's queue as the metrics reader sees it; the queries are in core/job-queue. */
import type { Kysely } from 'kysely';
import { countWaitingJobs, oldestWaitingJobSeconds } from '../core/job-queue/repository.ts';
import type { Database } from '../db/schema.ts';
import type { JobQueueReader } from '../observability/metrics.ts';

export function jobQueueReader(db: Kysely<Database>): JobQueueReader {
  return {
    depth: () => countWaitingJobs(db),
    oldestDueSeconds: () => oldestWaitingJobSeconds(db),
  };
}
