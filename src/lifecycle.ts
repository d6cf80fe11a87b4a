/**
 * Graceful shutdown. On SIGTERM or SIGINT: stop taking requests and finish those in flight,
 * stop the workers, close the pools, stop the embedded PostgreSQL; each step bounded in time.
 * A second signal exits at once.
 */
import type { Logger } from './observability/logger.ts';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

async function bounded(step: ShutdownStep, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([step.run().then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the steps in order, each within `timeoutMs`. Resolves true if all finished cleanly. */
export async function shutDown(
  steps: readonly ShutdownStep[],
  logger: Logger,
  timeoutMs: number,
): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    try {
      if (await bounded(step, timeoutMs)) {
        logger.debug({ step: step.name }, 'shutdown step done');
      } else {
        clean = false;
        logger.warn({ step: step.name, timeoutMs }, 'shutdown step timed out; moving on');
      }
    } catch (error) {
      clean = false;
      logger.error({ err: error, step: step.name }, 'shutdown step failed; moving on');
    }
  }
  return clean;
}

/** Installs the signal handlers; `steps` is read when the signal arrives. */
export function exitOnSignals(
  steps: () => readonly ShutdownStep[],
  logger: Logger,
  timeoutMs: number,
): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    shutDown(steps(), logger, timeoutMs).then((clean) => {
      logger.info({ clean }, 'stopped');
      // process.exit does not wait for buffered log lines: flush the last ones first.
      logger.flush(() => process.exit(clean ? 0 : 1));
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
