import type { TaskList } from 'graphile-worker';

/**
 * Every task the worker runs, by name. Each lives in its own file beside this one and must be
 * idempotent: graphile-worker runs a job at least once.
 */
export const taskList: TaskList = {};
