/**
 * Step 1 of the delivery pipeline (see ./service.ts): the planner. Every minute it writes the
 * ledger rows of the subscriptions due within the look-ahead and moves each subscription on to
 * its next occurrence.
 *
 * Set-based (issue 19, item 3): a batch of due subscriptions costs a fixed handful of
 * statements (lock the batch, load the topic facts of its workspaces and managers, insert its
 * rows, advance its subscriptions), whatever its size. The dates and topics are computed here in
 * TypeScript, by the pure rules (../schedule/rules.ts, ./rules.ts).
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { publicHolidayOn } from '../holidays/rules.ts';
import { lockDueSubscriptions } from '../schedule/repository.ts';
import {
  firstOccurrenceAfterDate,
  isoWeekdayOf,
  localDateOf,
  type Schedule,
} from '../schedule/rules.ts';
import { resumeReturningSubscriptions } from '../subscriptions/returns.ts';
import {
  activeTopicsOf,
  advanceSubscriptions,
  dismissedTopicsOf,
  insertPlannedDeliveries,
  type PlannedDelivery,
  topicHistoriesOf,
  weekdayThemesOf,
} from './repositories/planning.ts';
import { chooseTopic, timeliness } from './rules.ts';

/** Plan this far ahead, so a row is waiting when its minute comes. */
export const PLAN_LOOKAHEAD_MS = 5 * 60_000;
/**
 * Subscriptions per transaction. Large enough that the few statements per batch are cheap per
 * row; small enough that a batch's locks and arrays stay modest and other planners (SKIP
 * LOCKED) find work beside it.
 */
const PLAN_BATCH = 1_000;

/** Which count of the result each status the planner writes adds to. */
const COUNTED_AS = {
  pending: 'planned',
  missed: 'missed',
  failed: 'failed',
  skipped_holiday: 'skipped',
} as const;

export interface PlanResult {
  /** Ledger rows written to be sent. */
  planned: number;
  /** Occurrences already more than 2 hours past (after downtime): recorded, not sent. */
  missed: number;
  /** Occurrences with no topic to send (an empty catalogue). */
  failed: number;
  /** Occurrences on a public holiday where the manager is: recorded, not sent. */
  skipped: number;
  /** Managers back from an away (../subscriptions/returns.ts), planned again from this tick. */
  returned: number;
}

/** Who a topic is chosen for: the manager, their workspace and the themes they skip. */
export interface TopicRecipient {
  workspaceId: string;
  managerId: string;
  skippedCategories: readonly string[];
}

/**
 * Everything choosing a topic needs for these recipients, loaded in four statements, and a
 * chooser that then works without I/O.
 */
export async function loadTopicChooser(
  db: Executor,
  recipients: readonly TopicRecipient[],
): Promise<(recipient: TopicRecipient, localDate: string) => string | undefined> {
  const workspaceIds = [...new Set(recipients.map((r) => r.workspaceId))];
  const managerIds = [...new Set(recipients.map((r) => r.managerId))];
  const [topics, themes, histories, dismissed] = await Promise.all([
    activeTopicsOf(db, workspaceIds),
    weekdayThemesOf(db, workspaceIds),
    topicHistoriesOf(db, managerIds),
    dismissedTopicsOf(db, managerIds),
  ]);
  return (recipient, localDate) =>
    chooseTopic({
      topics: topics.get(recipient.workspaceId) ?? [],
      dayCategory: themes.get(recipient.workspaceId)?.get(isoWeekdayOf(localDate)),
      skippedCategories: recipient.skippedCategories,
      history: histories.get(recipient.managerId) ?? new Map(),
      notRelevant: dismissed.get(recipient.managerId) ?? new Set(),
    });
}

/**
 * `compute`, remembered by `keyOf` for the life of one batch. A tick's due subscriptions share a
 * few instants, zones and schedules (most are due on the hour), and the date maths (Luxon, and
 * Intl for each zone offset) was the largest CPU cost per planned row: it now runs once per
 * group of rows that share its inputs. The results are pure functions of the key.
 */
function memoised<A extends unknown[], R>(
  keyOf: (...args: A) => string,
  compute: (...args: A) => R,
): (...args: A) => R {
  const known = new Map<string, R>();
  return (...args) => {
    const key = keyOf(...args);
    if (known.has(key)) return known.get(key) as R;
    const value = compute(...args);
    known.set(key, value);
    return value;
  };
}

/**
 * Writes the ledger rows for every subscription due by `now` + look-ahead. Safe to run from any
 * number of workers at once: rows are locked with SKIP LOCKED, and the ledger's unique key
 * makes a second row for the same date impossible.
 */
export async function planDueDeliveries(
  db: Kysely<Database>,
  now: Date,
  lookaheadMs = PLAN_LOOKAHEAD_MS,
): Promise<PlanResult> {
  const result: PlanResult = { planned: 0, missed: 0, failed: 0, skipped: 0, returned: 0 };
  const until = new Date(now.getTime() + lookaheadMs);
  for (;;) {
    const handled = await db.transaction().execute(async (trx) => {
      // Those back from an away first, so their first note is planned in this very pass. Their
      // rows were paused, out of the due index: being away cost the planner nothing.
      const back = await resumeReturningSubscriptions(trx, now, PLAN_BATCH);
      result.returned += back;
      const due = await lockDueSubscriptions(trx, until, PLAN_BATCH);
      if (due.length === 0) return back;
      const localDateAt = memoised(
        (dueAt: Date, timeZone: string) => `${timeZone} ${dueAt.getTime()}`,
        localDateOf,
      );
      const nextAfter = memoised(
        (schedule: Schedule, localDate: string) =>
          `${schedule.timeZone} ${schedule.localTime} ${schedule.weekdays.join()} ${localDate}`,
        firstOccurrenceAfterDate,
      );
      const occurrences = due.map((subscription) => {
        const dueAt = subscription.nextDueAt as Date;
        const localDate = localDateAt(dueAt, subscription.timeZone);
        // A note due on a public holiday where the manager is, is recorded, not sent.
        const country = subscription.holidayCountry;
        const place = country ? { country, region: subscription.holidayRegion } : undefined;
        return {
          subscription,
          dueAt,
          localDate,
          missed: timeliness(dueAt, now) === 'missed',
          holiday: place !== undefined && publicHolidayOn(place, localDate) !== undefined,
        };
      });
      // Missed and holiday occurrences are recorded without a topic: only the others need
      // their history.
      const choose = await loadTopicChooser(
        trx,
        occurrences.filter((o) => !o.missed && !o.holiday).map((o) => o.subscription),
      );
      const rows = occurrences.map(({ subscription, dueAt, localDate, missed, holiday }) => {
        const topicId = missed || holiday ? undefined : choose(subscription, localDate);
        const status = missed
          ? 'missed'
          : holiday
            ? 'skipped_holiday'
            : topicId
              ? 'pending'
              : 'failed';
        return {
          workspaceId: subscription.workspaceId,
          subscriptionId: subscription.id,
          managerId: subscription.managerId,
          localDate,
          dueAt,
          topicId: topicId ?? null,
          status,
          errorCode: status === 'failed' ? 'no_topics' : null,
        } satisfies PlannedDelivery;
      });
      for (const status of await insertPlannedDeliveries(trx, rows)) {
        result[COUNTED_AS[status]] += 1;
      }
      await advanceSubscriptions(
        trx,
        occurrences.map(({ subscription, localDate }) => ({
          subscriptionId: subscription.id,
          nextDueAt: nextAfter(subscription as Schedule, localDate).dueAt,
        })),
        now,
      );
      return back + due.length;
    });
    // Each pass moves every subscription it saw on by at least one occurrence, so one run
    // catches up a subscription days behind (after downtime); an empty pass ends it.
    if (handled === 0) return result;
  }
}
