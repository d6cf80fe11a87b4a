/**
 * How many posts the outbox keeps in flight to each workspace, adapted to what Slack says:
 * additive increase, multiplicative decrease (AIMD, as TCP paces a connection). Each workspace
 * starts at `initial`; every `limit` posts answered fast and without a 429 raise its limit by
 * one, up to `ceiling`; a 429 halves it, and a slow answer (Slack queueing us) takes a quarter
 * off, at most once per round of `limit` posts so one burst of slow answers counts once. It
 * never falls below one, so a workspace always makes progress. The 429's Retry-After is kept by
 * the holds (./outbox-holds.ts); this only decides how hard to push once the hold is over.
 */

export interface PaceOptions {
  /** Posts in flight per workspace at first, and after a restart. */
  initial: number;
  /** Never more than this per workspace (the outbox's concurrency). */
  ceiling: number;
  /** An answer slower than this is a sign of congestion. */
  slowMs: number;
}

export type PostOutcome =
  | { kind: 'ok'; latencyMs: number }
  | { kind: 'rate_limited' }
  | { kind: 'error' };

interface WorkspacePace {
  limit: number;
  inFlight: number;
  /** Posts answered since the limit last changed: a round is `limit` of them. */
  answered: number;
  fastInRound: number;
}

export interface Pace {
  /** Whether a post to this workspace may start now. */
  canStart(teamId: string): boolean;
  /** Counts a post as started; call `finish` with its outcome when Slack has answered. */
  start(teamId: string): void;
  finish(teamId: string, outcome: PostOutcome): void;
  /** Resolves at the next `finish` anywhere: a slot waiting for room looks again then. */
  nextFinish(): Promise<void>;
  limitOf(teamId: string): number;
}

export function createPace(options: PaceOptions): Pace {
  const initial = Math.max(1, Math.min(options.initial, options.ceiling));
  const workspaces = new Map<string, WorkspacePace>();
  let waiters: Array<() => void> = [];

  function paceOf(teamId: string): WorkspacePace {
    let pace = workspaces.get(teamId);
    if (!pace) {
      pace = { limit: initial, inFlight: 0, answered: 0, fastInRound: 0 };
      workspaces.set(teamId, pace);
    }
    return pace;
  }

  function setLimit(pace: WorkspacePace, limit: number) {
    pace.limit = Math.max(1, Math.min(options.ceiling, limit));
    pace.answered = 0;
    pace.fastInRound = 0;
  }

  return {
    canStart: (teamId) => {
      const pace = paceOf(teamId);
      return pace.inFlight < pace.limit;
    },
    start(teamId) {
      paceOf(teamId).inFlight += 1;
    },
    finish(teamId, outcome) {
      const pace = paceOf(teamId);
      pace.inFlight = Math.max(0, pace.inFlight - 1);
      if (outcome.kind === 'rate_limited') {
        setLimit(pace, Math.floor(pace.limit / 2));
      } else if (outcome.kind === 'ok') {
        pace.answered += 1;
        if (outcome.latencyMs < options.slowMs) pace.fastInRound += 1;
        if (pace.answered >= pace.limit) {
          const allFast = pace.fastInRound === pace.answered;
          setLimit(pace, allFast ? pace.limit + 1 : Math.floor(pace.limit * 0.75));
        }
      }
      // Other errors say nothing about Slack's pace: they are retried on their own terms.
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    nextFinish: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
      }),
    limitOf: (teamId) => paceOf(teamId).limit,
  };
}
