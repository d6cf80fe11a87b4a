/**
 * The job runner outlives a database that cannot take a finished job back: a worker that
 * cannot mark its job done exits, and graphile-worker's default is then to shut the whole pool
 * down, after which cron queues ticks that nobody runs; unbatched, a completion that failed
 * was an unhandled rejection. Here the job table is locked past the worker's statement
 * timeout just as a job finishes: the runner gives up and is started again, and later jobs
 * run. And, with a stand-in runner, the supervision's own rules.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startWorker, superviseRunner } from '../../src/worker/runner.ts';
import { LogCapture } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

async function queued(task: string): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = $1',
    [task],
  );
  return rows[0]?.n ?? 0;
}

/** The worker's statement waiting on a lock, if any: its text's start. */
async function waitingOnLock(): Promise<string[]> {
  const { rows } = await database.pool.query<{ query: string }>(
    `SELECT left(query, 60) AS query FROM pg_stat_activity
      WHERE application_name = 'blindspot-worker' AND wait_event_type = 'Lock'`,
  );
  return rows.map((row) => row.query);
}

it('when a finished job cannot be marked done, then the runner is started again, and later jobs run', async () => {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', service: 'test', destination: logs });
  // The worker's own settings, shortened: a statement waits at most 1 s.
  const pool = createPool(
    {
      connectionString: database.url,
      applicationName: 'blindspot-worker',
      max: 4,
      connectionTimeoutMillis: 2_000,
      idleTimeoutMillis: 10_000,
      statementTimeoutMs: 1_000,
      idleInTransactionTimeoutMs: 10_000,
    },
    logger,
  );
  const runner = await startWorker({
    pool,
    db: createDatabase(pool),
    metrics: createMetrics(),
    logger,
    now: () => new Date(),
    concurrency: 1,
    retentionDays: 730,
  });
  const blocker = await database.pool.connect();
  const jobs = await database.pool.connect();
  try {
    // The job waits on the refresh's watermark, so that the job table can be locked while it runs.
    await blocker.query('BEGIN');
    await blocker.query(
      "INSERT INTO analytics_refresh_state (name, refreshed_through) VALUES ('analytics', '-infinity')",
    );
    await blocker.query('LOCK TABLE analytics_refresh_state IN ACCESS EXCLUSIVE MODE');
    await runner.addJob('refresh_analytics', {});
    await expect.poll(waitingOnLock).toEqual([expect.stringContaining('INSERT INTO analytics')]);
    // Now nothing can write to the job table: the job, once free, cannot be marked done...
    await jobs.query('BEGIN');
    await jobs.query('LOCK TABLE graphile_worker._private_jobs IN ACCESS EXCLUSIVE MODE');
    await blocker.query('ROLLBACK');
    const completing = async () =>
      (await waitingOnLock()).filter((query) => query.startsWith('delete from')).length;
    await expect.poll(completing).toBe(1);
    // ...until its statement times out (1 s), and the completion waits for its next attempt.
    await expect.poll(completing, { timeout: 5_000 }).toBe(0);
    // Read through the lock's own connection: any other would wait on it.
    const held = await jobs.query(
      "SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'refresh_analytics'",
    );
    expect(held.rows).toEqual([{ n: 1 }]);
    await jobs.query('ROLLBACK');

    // graphile-worker gives up on a completion that fails other than by a lost connection and
    // shuts its pool down; the job stays locked, as after a crash, for its four hours.
    await expect
      .poll(() => logs.text(), { timeout: 10_000 })
      .toContain('the job runner stopped on its own; starting it again');
    expect(logs.text()).toContain('Failed to complete jobs');
    await runner.addJob('plan_deliveries', {});
    await expect.poll(() => queued('plan_deliveries'), { timeout: 10_000 }).toBe(0);
  } finally {
    await jobs.query('ROLLBACK').catch(() => undefined);
    await blocker.query('ROLLBACK').catch(() => undefined);
    jobs.release();
    blocker.release();
    await runner.stop();
    await pool.end();
  }
});

describe('superviseRunner', () => {
  function fakeRunner() {
    let end: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => {
      end = resolve;
    });
    return {
      promise,
      end: () => end(),
      addJob: vi.fn(async () => ({}) as never),
      stop: vi.fn(async () => undefined),
    };
  }

  it('when the runner stops on its own, then it starts another, and stop() stops that one', async () => {
    const runners = [fakeRunner(), fakeRunner()];
    let started = 0;
    const logs = new LogCapture();
    const logger = createLogger({ level: 'info', service: 'test', destination: logs });
    const handle = await superviseRunner(
      async () => runners[started++] as ReturnType<typeof fakeRunner>,
      logger,
      10,
    );
    runners[0]?.end();
    await expect.poll(() => started).toBe(2);
    expect(logs.text()).toContain('the job runner stopped on its own; starting it again');
    await handle.addJob('plan_deliveries', {});
    expect(runners[1]?.addJob).toHaveBeenCalledTimes(1);
    expect(runners[0]?.addJob).not.toHaveBeenCalled();
    await handle.stop();
    expect(runners[1]?.stop).toHaveBeenCalledTimes(1);
    expect(runners[0]?.stop).not.toHaveBeenCalled();
  });

  it('when it is stopped as asked, then it starts nothing more', async () => {
    const runner = fakeRunner();
    let started = 0;
    const handle = await superviseRunner(
      async () => {
        started += 1;
        return runner;
      },
      createLogger({ level: 'silent', service: 'test' }),
      10,
    );
    await handle.stop();
    runner.end();
    await runner.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(1);
  });
});
