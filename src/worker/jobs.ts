/**
 * Request ids for background jobs. A job added while serving a request carries that request's
 * id in its payload, so everything the job logs is found with the request that caused it. A job
 * without one (graphile-worker's cron adds those) is known by an id made from its job id: the
 * same on each of its lines, graphile-worker's "Completed task" and "Failed task" included.
 */
import type { AddJobFunction, Job, JobHelpers, Task, TaskSpec } from 'graphile-worker';
import { isSafeRequestId, type Logger } from '../observability/logger.ts';

/** The request id a job runs under: its payload's, or `job-<id>` when it has none. */
export function requestIdOf(job: Pick<Job, 'id' | 'payload'>): string {
  const payload = job.payload;
  const carried =
    typeof payload === 'object' && payload !== null && 'requestId' in payload
      ? payload.requestId
      : undefined;
  return isSafeRequestId(carried) ? carried : `job-${job.id}`;
}

/**
 * Adds a job that carries `requestId` in its payload. `queue` is anything that adds jobs: a
 * task's helpers, or graphile-worker's WorkerUtils where a request is served.
 */
export function addJobForRequest(
  queue: { addJob: AddJobFunction },
  task: string,
  payload: Record<string, unknown>,
  requestId: string,
  spec?: TaskSpec,
): Promise<Job> {
  return queue.addJob(task, { ...payload, requestId }, spec);
}

/** A task's body: its payload, and a logger whose every line names the job and its request id. */
export type JobBody = (
  payload: unknown,
  job: { log: Logger; helpers: JobHelpers },
) => Promise<void>;

/** Makes a graphile-worker task from a body that logs through `logger`, with the job's request id. */
export function jobWithRequestId(logger: Logger, body: JobBody): Task {
  return (payload, helpers) => {
    const log = logger.child({
      component: 'worker',
      task: helpers.job.task_identifier,
      jobId: helpers.job.id,
      requestId: requestIdOf(helpers.job),
    });
    return body(payload, { log, helpers });
  };
}
