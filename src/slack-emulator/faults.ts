/** Slack's failure modes, queued by a test and taken by the calls they match. */
import { STATUS_CODES } from 'node:http';
import { type Answer, slackJson } from './requests.ts';
import type { JsonObject, KillAfterPostOptions, ResponseUrlFailureOptions } from './types.ts';

export type Fault =
  | { kind: 'error'; error: string; remaining: number; when?: (args: JsonObject) => boolean }
  | {
      kind: 'rate-limit';
      retryAfterSeconds: number;
      remaining: number;
      when?: (args: JsonObject) => boolean;
    }
  | {
      kind: 'server-error';
      status: number;
      remaining: number;
      when?: (args: JsonObject) => boolean;
    };

/** Faults waiting for the calls they apply to, per Web API method (`'*'` for any). */
export class FaultQueue {
  readonly #faults = new Map<string, Fault[]>();
  readonly #responseUrlFaults: { status: number; remaining: number }[] = [];

  add(method: string, fault: Fault): void {
    const queue = this.#faults.get(method) ?? [];
    queue.push(fault);
    this.#faults.set(method, queue);
  }

  /** The fault that applies to this call, if any, counting the call against it. */
  take(method: string, args: JsonObject): Fault | undefined {
    for (const key of [method, '*']) {
      const queue = this.#faults.get(key) ?? [];
      const index = queue.findIndex((fault) => !fault.when || fault.when(args));
      const fault = queue[index];
      if (!fault) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) queue.splice(index, 1);
      return fault;
    }
    return undefined;
  }

  addResponseUrlFailure(options: ResponseUrlFailureOptions): void {
    this.#responseUrlFaults.push({
      status: options.status,
      remaining: faultCount(options).remaining,
    });
  }

  /** The status the next response_url POST fails with, if a failure is queued. */
  takeResponseUrlFailure(): number | undefined {
    const fault = this.#responseUrlFaults[0];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#responseUrlFaults.shift();
    return fault.status;
  }

  clear(): void {
    this.#faults.clear();
    this.#responseUrlFaults.length = 0;
  }
}

export function faultCount(options: { times?: number; when?: (args: JsonObject) => boolean }): {
  remaining: number;
  when?: (args: JsonObject) => boolean;
} {
  const times = options.times ?? 1;
  if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
    throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
  }
  return options.when ? { remaining: times, when: options.when } : { remaining: times };
}

export function answerForFault(fault: Fault): Answer {
  switch (fault.kind) {
    case 'error':
      // Slack reports method errors with HTTP 200 and `ok: false`.
      // https://docs.slack.dev/apis/web-api
      return slackJson({ ok: false, error: fault.error });
    case 'rate-limit':
      // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 and a Retry-After in seconds;
      // the body carries the `ratelimited` error (https://github.com/slackapi/python-slack-sdk/issues/805).
      return {
        status: 429,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'retry-after': String(fault.retryAfterSeconds),
        },
        body: { ok: false, error: 'ratelimited' },
      };
    case 'server-error':
      return {
        status: fault.status,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `${fault.status} ${STATUS_CODES[fault.status] ?? 'Server Error'}`,
      };
  }
}

/**
 * Hooks that end a sender right after Slack has taken its message: each is used once, by the
 * first successful chat.postMessage it matches.
 */
export class KillAfterPostHooks {
  readonly #hooks: KillAfterPostOptions[] = [];

  add(options: KillAfterPostOptions): void {
    if (options.pid === undefined && options.onPosted === undefined) {
      throw new TypeError('killAfterPost needs a pid to kill or an `onPosted` callback');
    }
    this.#hooks.push(options);
  }

  /**
   * Runs the hook this answered post matches, if any. Called in the same tick as the answer is
   * written, so the sender cannot have confirmed the message to anyone before it dies.
   */
  fire(method: string, args: JsonObject, answer: Answer): void {
    if (method !== 'chat.postMessage' || answer.status !== 200) return;
    if (typeof answer.body === 'string' || answer.body.ok !== true) return;
    const index = this.#hooks.findIndex((hook) => !hook.when || hook.when(args));
    const hook = this.#hooks[index];
    if (!hook) return;
    this.#hooks.splice(index, 1);
    if (hook.pid !== undefined) process.kill(hook.pid, 'SIGKILL');
    hook.onPosted?.({ args, body: answer.body });
  }

  clear(): void {
    this.#hooks.length = 0;
  }
}
