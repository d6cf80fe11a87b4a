/** Small helpers the fault scenarios share: waiting with a deadline, and figures as text. */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `condition` every `intervalMs` until it holds (true) or `timeoutMs` has passed (false).
 * A condition that throws counts as not holding: a database or service that is down is waited on.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  for (;;) {
    if (
      await Promise.resolve()
        .then(condition)
        .catch(() => false)
    )
      return true;
    if (Date.now() >= deadline) return false;
    await delay(intervalMs);
  }
}

/** 10000 → "10,000". */
export const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** 6.23 → "6.2 s"; NaN → "n/a". */
export const seconds = (s: number) => (Number.isFinite(s) ? `${s.toFixed(1)} s` : 'n/a');
