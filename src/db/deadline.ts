/**
 * A deadline for the database work of one API request. The postmortem's outage was requests
 * queueing behind slow queries until clients gave up; a request that cannot be served quickly
 * should fail fast with a 503, so the client retries and nothing piles up.
 *
 * The pool (./pool.ts) honours it twice: a request waits for a connection no longer than what
 * is left of its deadline, and a query that starts late gets a statement_timeout of what is
 * left, so PostgreSQL itself cancels the query (and rolls back its transaction) at the deadline.
 * Work outside a request (the worker, migrations, start-up) runs without one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

const deadlines = new AsyncLocalStorage<number>();

/** Runs fn, and every promise it starts, under a deadline `budgetMs` from now. */
export function runWithDeadline<T>(budgetMs: number, fn: () => T): T {
  return deadlines.run(performance.now() + budgetMs, fn);
}

/** Milliseconds left before the current deadline, or undefined outside one. */
export function deadlineRemainingMs(): number | undefined {
  const deadline = deadlines.getStore();
  return deadline === undefined ? undefined : deadline - performance.now();
}
