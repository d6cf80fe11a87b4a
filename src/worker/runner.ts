/**
 * Background work on graphile-worker: jobs live in PostgreSQL (schema graphile_worker), so any
 * number of worker replicas share one queue and a job runs once. Tasks live one per file in
 * src/worker/tasks and are listed in ./tasks/index.ts.
 */
import { type Job, type Runner, run, Logger as WorkerLogger } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { requestIdOf } from './jobs.ts';
import { jobQueueReader } from './queue-stats.ts';
import { createTaskList, cronItems } from './tasks/index.ts';

/**
 * graphile-worker's meta, made safe and useful to log. It passes the whole job, whose payload
 * may hold anything a task was given, and a failure's error under `error`, where pino's error
 * serializer and redaction (PostgreSQL's `detail`) would not see it.
 */
function logFields(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  const { job, error, ...rest } = meta as { job?: Job; error?: unknown };
  return {
    ...rest,
    ...(job && {
      jobId: job.id,
      task: job.task_identifier,
      attempts: job.attempts,
      maxAttempts: job.max_attempts,
      requestId: requestIdOf(job),
    }),
    ...(error !== undefined && { err: error }),
  };
}

/** graphile-worker's logger over pino, so its lines are JSON like ours. */
export function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => {
    const child = logger.child({ component: 'graphile-worker', ...scope });
    return (level, message, meta) => {
      const method = level === 'warning' ? 'warn' : level;
      child[method](logFields(meta), message);
    };
  });
}

export async function startWorker(
  options: WorkerDependencies & {
    pool: pg.Pool;
    concurrency: number;
  },
): Promise<Runner> {
  options.metrics.observeJobQueue(jobQueueReader(options.db), options.logger);
  return run({
    pgPool: options.pool,
    concurrency: options.concurrency,
    taskList: createTaskList(options),
    // Recurring jobs are declared in code, not read from a crontab file.
    parsedCronItems: cronItems,
    logger: workerLogger(options.logger),
    // We own SIGTERM: the worker stops as one step of the process's graceful shutdown.
    noHandleSignals: true,
  });
}
