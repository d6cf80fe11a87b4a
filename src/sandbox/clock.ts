/**
 * The sandbox's clock: real time plus an offset that only moves forward (the time machine). The
 * sandbox's API, worker and bot all read it through the same injectable clock the product uses
 * everywhere, so a jump is seen by the planners, the leases and Slack's request timestamps alike.
 */
export interface SandboxClock {
  now(): Date;
  readonly offsetMs: number;
  /** Moves to `to` if it is later than now; returns the new now. */
  advanceTo(to: Date): Date;
  advanceBy(ms: number): Date;
  /** Back to real time (Reset sandbox). */
  reset(): void;
}

export function createSandboxClock(realNow: () => number = Date.now): SandboxClock {
  let offsetMs = 0;
  const now = () => new Date(realNow() + offsetMs);
  return {
    now,
    get offsetMs() {
      return offsetMs;
    },
    advanceTo(to) {
      const delta = to.getTime() - now().getTime();
      if (delta > 0) offsetMs += delta;
      return now();
    },
    advanceBy(ms) {
      if (ms > 0) offsetMs += ms;
      return now();
    },
    reset() {
      offsetMs = 0;
    },
  };
}
