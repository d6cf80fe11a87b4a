/**
 * Delivery rules as pure functions: which topic a manager gets (docs/user-guide/manager.md, "How
 * topics are chosen"), and when a delivery counts as late or missed. No I/O and no clock of their own: callers pass `now`.
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

/** What a manager has had of one topic so far. */
export interface TopicHistory {
  /** Local date it last went (or is about to go) to them ('YYYY-MM-DD'). */
  lastSent: string;
  /** How many times it went to them: the rounds of the catalogue it has been part of. */
  timesSent: number;
  /** Whether they turned it into an action item. */
  actedOn: boolean;
}

export interface TopicChoiceInput {
  /** Active topics of the workspace, in catalogue order. */
  topics: readonly CandidateTopic[];
  /** The weekday's theme: a preference, not a wall. */
  dayCategory: string | undefined;
  /** Themes the manager asked not to receive. */
  skippedCategories: readonly string[];
  /** Topic id → what this manager has had of it; a topic they never had is absent. */
  history: ReadonlyMap<string, TopicHistory>;
  /** Topics the manager marked "not relevant": never again. */
  notRelevant: ReadonlySet<string>;
}

/**
 * How much a family's notes being acted on can count when families are compared: a family whose
 * every note became an action item weighs 1.5 times one whose notes never did. Bounded, and it
 * only orders the families within a round, so no family is ever left out.
 */
export const ACTED_ON_WEIGHT = 0.5;

/**
 * The family to draw from when the day's theme has nothing left this round: the one with the
 * most topics left, each family's count weighted up by the share of its notes (among those this
 * manager had) that they acted on, at most by ACTED_ON_WEIGHT; on a tie, the family that comes
 * first in the catalogue.
 */
function favouredFamily(
  left: readonly CandidateTopic[],
  eligible: readonly CandidateTopic[],
  history: ReadonlyMap<string, TopicHistory>,
): string | undefined {
  const leftByFamily = new Map<string, number>();
  for (const topic of left) {
    leftByFamily.set(topic.category, (leftByFamily.get(topic.category) ?? 0) + 1);
  }
  // Each family's notes had and acted on, in one pass over the eligible topics (the planner
  // runs this for many of the rows it plans); nothing to count for a manager who had none.
  const had = new Map<string, number>();
  const acted = new Map<string, number>();
  if (history.size > 0) {
    for (const topic of eligible) {
      const seen = history.get(topic.id);
      if (!seen) continue;
      had.set(topic.category, (had.get(topic.category) ?? 0) + 1);
      if (seen.actedOn) acted.set(topic.category, (acted.get(topic.category) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  let bestScore = -1;
  for (const [family, count] of leftByFamily) {
    const hadOfFamily = had.get(family) ?? 0;
    const share = hadOfFamily === 0 ? 0 : (acted.get(family) ?? 0) / hadOfFamily;
    const score = count * (1 + ACTED_ON_WEIGHT * share);
    if (score > bestScore) {
      best = family;
      bestScore = score;
    }
  }
  return best;
}

/** The topic of `pool` had longest ago (never had comes first); on a tie, catalogue order. */
function longestAgo(
  pool: readonly CandidateTopic[],
  history: ReadonlyMap<string, TopicHistory>,
): CandidateTopic | undefined {
  let best: CandidateTopic | undefined;
  let bestSeen: string | undefined;
  for (const topic of pool) {
    const seen = history.get(topic.id)?.lastSent;
    if (seen === undefined) return topic;
    if (bestSeen === undefined || seen < bestSeen) {
      best = topic;
      bestSeen = seen;
    }
  }
  return best;
}

/**
 * The next topic for a manager. The catalogue goes round in rounds: a topic comes again only
 * once every topic the manager can get has come as often (a topic added later, or a theme no
 * longer skipped, is therefore caught up first). Within a round, the day's theme goes first while
 * it has topics left; otherwise the family chosen by favouredFamily. Within a family, the topic
 * had longest ago, so the first round follows catalogue order and later ones repeat it.
 *
 * Topics marked "not relevant" never come. Skipped themes do not either, unless every topic of
 * the themes not skipped was dismissed, when anything not dismissed stands in.
 */
export function chooseTopic(input: TopicChoiceInput): string | undefined {
  const eligible = eligibleTopics(input);
  if (eligible.length === 0) return undefined;

  // The round: the fewest times any eligible topic went; `left`, those it has not yet reached.
  // One pass, as the planner runs this for every row it plans.
  let round = Number.POSITIVE_INFINITY;
  let left: CandidateTopic[] = [];
  for (const topic of eligible) {
    const timesSent = input.history.get(topic.id)?.timesSent ?? 0;
    if (timesSent < round) {
      round = timesSent;
      left = [topic];
    } else if (timesSent === round) {
      left.push(topic);
    }
  }

  const family = left.some((topic) => topic.category === input.dayCategory)
    ? input.dayCategory
    : favouredFamily(left, eligible, input.history);
  return longestAgo(
    left.filter((topic) => topic.category === family),
    input.history,
  )?.id;
}

/** The topics not marked "not relevant", of the themes not skipped unless that leaves none. */
function eligibleTopics(input: TopicChoiceInput): readonly CandidateTopic[] {
  // Most managers dismissed and skipped nothing: their catalogue is the workspace's, uncopied.
  if (input.notRelevant.size === 0 && input.skippedCategories.length === 0) return input.topics;
  const skipped = new Set(input.skippedCategories);
  const usable = input.topics.filter((topic) => !input.notRelevant.has(topic.id));
  const wanted = usable.filter((topic) => !skipped.has(topic.category));
  return wanted.length > 0 ? wanted : usable;
}
