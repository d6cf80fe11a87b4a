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

/**
 * A worker of the pool exits when it cannot mark a finished job done or failed (graphile-worker
 * calls it "seppuku"), as when the database is out of connections for a few seconds; by
 * default the whole pool then shuts down, and with it every job, the planners' included, while
 * cron goes on queueing ticks nobody runs. Found by the bench: after its pool-exhaustion
 * scenario, no delivery was ever planned again. The job it held is left locked for
 * graphile-worker's usual four hours, as after a crash; its replacement takes the next one.
 */
export function replaceExitedWorkers(logger: Logger): GraphileConfig.Plugin {
  return {
    name: 'BlindspotReplaceExitedWorkers',
    version: '1.0.0',
    worker: {
      middleware: {
        poolWorkerPrematureExit(_next, event) {
          logger.error(
            { workerId: event.worker.workerId },
            'a job worker stopped after a database error; starting another in its place',
          );
          event.replaceWithNewWorker();
        },
      },
    },
  };
}

/** The running job runner, restarted in place if it ever stops on its own. */
export interface WorkerHandle {
  addJob: Runner['addJob'];
  stop(): Promise<void>;
}

/** How long after an unexpected stop the runner is started again. */
const RESTART_DELAY_MS = 1_000;

export async function startWorker(
  options: WorkerDependencies & {
    pool: pg.Pool;
    concurrency: number;
    /** Whether the recurring jobs run; true unless a test drives the planners itself. */
    cron?: boolean;
    /** Called with a job's task once it has run, well or not: what it wrote is committed. */
    onJobDone?: (task: string) => void;
  },
): Promise<WorkerHandle> {
  options.metrics.observeJobQueue(jobQueueReader(options.db), options.logger);
  const { onJobDone } = options;
  const start = async () => {
    const runner = await run({
      pgPool: options.pool,
      concurrency: options.concurrency,
      taskList: createTaskList(options),
      // Recurring jobs are declared in code, not read from a crontab file.
      parsedCronItems: options.cron === false ? [] : cronItems,
      logger: workerLogger(options.logger),
      // We own SIGTERM: the worker stops as one step of the process's graceful shutdown.
      noHandleSignals: true,
      preset: {
        plugins: [replaceExitedWorkers(options.logger)],
        // Completions and failures in batches, which retry (20 times, up to 30 s apart) when
        // the database is briefly out of reach. Unbatched, a completion that failed was an
        // unhandled rejection, which ends the process.
        worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 },
      },
    });
    if (onJobDone) runner.events.on('job:complete', ({ job }) => onJobDone(job.task_identifier));
    return runner;
  };
  return superviseRunner(start, options.logger);
}

/**
 * Runs `start`'s runner and starts another whenever one stops without being asked to (its
 * pool shut itself down, e.g. after it could not mark jobs done for minutes): otherwise the
 * cron ticks would go on being queued with nothing left to run them.
 */
export async function superviseRunner(
  start: () => Promise<Pick<Runner, 'addJob' | 'stop' | 'promise'>>,
  logger: Logger,
  restartDelayMs = RESTART_DELAY_MS,
): Promise<WorkerHandle> {
  let stopping = false;
  let current = await start();
  let restarting: Promise<void> | undefined;
  const watch = (runner: typeof current) => {
    const stopped = (error?: unknown) => {
      if (stopping || runner !== current) return;
      logger.error(
        { ...(error !== undefined && { err: error }) },
        'the job runner stopped on its own; starting it again',
      );
      restarting = (async () => {
        await new Promise((resolve) => setTimeout(resolve, restartDelayMs));
        while (!stopping) {
          try {
            current = await start();
            watch(current);
            return;
          } catch (failure) {
            logger.error({ err: failure }, 'the job runner could not start; trying again');
            await new Promise((resolve) => setTimeout(resolve, restartDelayMs));
          }
        }
      })();
    };
    runner.promise.then(
      () => stopped(),
      (error: unknown) => stopped(error),
    );
  };
  watch(current);
  return {
    addJob: (...args) => current.addJob(...args),
    async stop() {
      stopping = true;
      await restarting;
      // A runner that stopped on its own and could not be replaced has nothing left to stop.
      await current.stop().catch((error: unknown) => {
        logger.debug({ err: error }, 'the job runner had already stopped');
      });
    },
  };
}
