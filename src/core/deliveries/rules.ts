/**
 * Delivery rules as pure functions: which topic a manager gets, and when a delivery counts as
 * late or missed. No I/O and no clock of their own: callers pass `now`.
 */
import { MISSED_AFTER_MS } from '../ledger/rules.ts';

/** The missed window and the retry back-off are the lease protocol's, shared with reminders. */

/** Sent more than this after its due time, a delivery is marked late. */
export const LATE_AFTER_MS = 5 * 60_000;

export type Timeliness = 'on_time' | 'late' | 'missed';

export function timeliness(dueAt: Date, now: Date): Timeliness {
  const lateness = now.getTime() - dueAt.getTime();
  if (lateness > MISSED_AFTER_MS) return 'missed';
  return lateness > LATE_AFTER_MS ? 'late' : 'on_time';
}

export interface CandidateTopic {
  id: string;
  category: string;
}

export interface TopicChoiceInput {
  /** Active topics of the workspace, in catalogue order. */
  topics: readonly CandidateTopic[];
  /** The weekday's theme. */
  dayCategory: string | undefined;
  /** Themes the manager asked not to receive. */
  skippedCategories: readonly string[];
  /** Topic id → local date it was last sent to this manager ('YYYY-MM-DD'). */
  lastSent: ReadonlyMap<string, string>;
  /** Topics the manager marked "not relevant": never again. */
  notRelevant: ReadonlySet<string>;
}

/**
 * The next topic for a manager: from the day's theme, the first they have not seen; once the
 * theme is exhausted, the one they saw longest ago. If they skip the day's theme (or have
 * dismissed all of it), any theme they have not skipped stands in.
 */
export function chooseTopic(input: TopicChoiceInput): string | undefined {
  const skipped = new Set(input.skippedCategories);
  const usable = input.topics.filter((topic) => !input.notRelevant.has(topic.id));
  const ofDay =
    input.dayCategory && !skipped.has(input.dayCategory)
      ? usable.filter((topic) => topic.category === input.dayCategory)
      : [];
  const pool = ofDay.length > 0 ? ofDay : usable.filter((topic) => !skipped.has(topic.category));
  const choices = pool.length > 0 ? pool : usable;
  let best: CandidateTopic | undefined;
  let bestSeen: string | undefined;
  for (const topic of choices) {
    const seen = input.lastSent.get(topic.id);
    if (seen === undefined) return topic.id;
    if (bestSeen === undefined || seen < bestSeen) {
      best = topic;
      bestSeen = seen;
    }
  }
  return best?.id;
}
