/**
 * Background work on graphile-worker: jobs live in PostgreSQL (schema graphile_worker), so any
 * number of worker replicas share one queue and a job runs once. Tasks live one per file in
 * src/worker/tasks and are listed in ./tasks/index.ts.
 */
import { type Runner, run, Logger as WorkerLogger } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import { createTaskList, cronItems, type WorkerDependencies } from './tasks/index.ts';

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => {
    const child = logger.child({ component: 'graphile-worker', ...scope });
    return (level, message, meta) => {
      const method = level === 'warning' ? 'warn' : level;
      child[method](meta ?? {}, message);
    };
  });
}

export async function startWorker(
  options: WorkerDependencies & {
    pool: pg.Pool;
    logger: Logger;
    concurrency: number;
  },
): Promise<Runner> {
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
