/**
 * Reminders close the loop: at each action item's check-back date, Blindspot asks whether the
 * manager did it. Like deliveries, a reminder is a ledger row (one per manager, local date and
 * kind), planned by the worker, then claimed, confirmed or reported failed through the lease
 * protocol of ../ledger/service.ts. One reminder bundles every item due that day; the weekly
 * digest is a ledger row of its own.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { languageChoicesOfRow } from '../languages/repository.ts';
import { effectiveLanguage, type Language } from '../languages/rules.ts';
import type { FailureOutcome, FailureReport } from '../ledger/rules.ts';
import { latenessSeconds } from '../ledger/rules.ts';
import {
  type ClaimedLease,
  claimedLease,
  claimLeases,
  confirmLease,
  type HeldLease,
  type LeaseRenewal,
  type Ledger,
  renewLeases,
  reportLeaseFailure,
} from '../ledger/service.ts';
import { addDays, localDateOf } from '../schedule/rules.ts';
import { titlesInLanguage } from '../topics/localize.ts';
import { planDueDigests } from './digest-planner.ts';
import {
  type ActiveSubscription,
  cancelReminder,
  countDmsByDate,
  firstOpenCheckBack,
  hasReminderInFlight,
  insertReminder,
  insertReminderItem,
  itemsToAsk,
  lockActiveSubscriptionsOf,
  managersWithItemsDue,
  markItemLapsed,
  openItemsAskedBy,
  openItemsDueBy,
  REMINDER_CLAIM,
  type ReminderClaimColumns,
  type ReminderItem,
  recordUnansweredReminder,
  reminderDatesFrom,
  weekCounts,
} from './repository.ts';
import {
  MAX_UNANSWERED,
  nextCheckBackAfterSilence,
  PAST_SLOT_GRACE_MS,
  reminderSlot,
  weekOf,
} from './rules.ts';

export type { ReminderItem } from './repository.ts';

const REMINDERS: Ledger<'reminders'> = {
  table: 'reminders',
  subject: 'reminder',
  recordsErrorCode: false,
};

/** Plan this far ahead, like deliveries. */
const LOOKAHEAD_MS = 5 * 60_000;

export interface ReminderPlan {
  planned: number;
  /** Items that went unanswered three times: marked lapsed, with a last word. */
  lapsed: number;
  digests: number;
}

async function planOneManager(
  trx: Executor,
  subscription: ActiveSubscription,
  now: Date,
  until: Date,
  result: ReminderPlan,
): Promise<void> {
  const today = localDateOf(now, subscription.timeZone);
  // One reminder in flight at a time: its items are already in it.
  if (await hasReminderInFlight(trx, subscription.managerId)) return;
  const first = await firstOpenCheckBack(trx, subscription.managerId);
  if (!first) return;
  const from = first > today ? first : today;
  const counts = await countDmsByDate(trx, subscription.managerId, today);
  const notBefore = new Date(now.getTime() - PAST_SLOT_GRACE_MS);
  // Days that already have a reminder are full: one reminder message a day at most.
  const taken = await reminderDatesFrom(trx, subscription.managerId, from);
  const slot = reminderSlot(
    subscription,
    from,
    (date) => (taken.has(date) ? subscription.dailyDmCap : (counts.get(date) ?? 0)),
    notBefore,
    subscription,
  );
  if (!slot || slot.dueAt > until) return;
  // Where it would have gone without the cap: the first slot on or after the check-back date.
  const wanted = reminderSlot(subscription, first, () => 0, undefined, subscription);
  const items = await openItemsDueBy(trx, subscription.managerId, slot.localDate);
  if (items.length === 0) return;
  const reminderId = await insertReminder(trx, {
    workspaceId: subscription.workspaceId,
    managerId: subscription.managerId,
    localDate: slot.localDate,
    kind: 'reminder',
    dueAt: slot.dueAt,
    wantedAt: wanted?.dueAt ?? slot.dueAt,
  });
  if (!reminderId) return;
  for (const item of items) {
    const final = item.unanswered_reminders >= MAX_UNANSWERED;
    await insertReminderItem(trx, {
      reminderId,
      actionItemId: item.id,
      workspaceId: subscription.workspaceId,
      final,
    });
    if (final) {
      await markItemLapsed(trx, item.id, now);
      result.lapsed += 1;
    }
  }
  result.planned += 1;
}

/**
 * Plans the reminders (and weekly digests) due within the look-ahead. Safe to run from any
 * number of workers: subscriptions are locked with SKIP LOCKED, and the ledger's unique key
 * allows one reminder per manager per day. Only the subscriptions with an item or a digest due
 * are read and locked.
 */
export async function planDueReminders(db: Kysely<Database>, now: Date): Promise<ReminderPlan> {
  const result: ReminderPlan = { planned: 0, lapsed: 0, digests: 0 };
  const until = new Date(now.getTime() + LOOKAHEAD_MS);
  // Any zone's today is at most a day from UTC's: a day's margin finds every due item.
  const horizon = addDays(localDateOf(until, 'UTC'), 1);
  await db.transaction().execute(async (trx) => {
    const withItemsDue = await lockActiveSubscriptionsOf(
      trx,
      await managersWithItemsDue(trx, horizon),
    );
    // The digests first, all at once: a digest counts towards the daily cap a reminder must fit
    // under (countDmsByDate sees it).
    result.digests = await planDueDigests(trx, now, until);
    for (const subscription of withItemsDue) {
      await planOneManager(trx, subscription, now, until, result);
    }
  });
  return result;
}

export interface DigestSummary {
  weekStart: string;
  topicsReceived: number;
  actionsPlanned: number;
  actionsDone: number;
  actionsLapsed: number;
}

export interface ClaimedReminder extends ClaimedLease {
  kind: 'reminder' | 'digest' | 'welcome_back';
  timeZone: string;
  /** The manager's Slack locale: the message writes its dates as they read them. */
  locale: string;
  /** The language the manager reads (effectiveLanguage); topic titles are in it when they can be. */
  language: Language;
  items: ReminderItem[];
  digest: DigestSummary | null;
}

async function digestFor(
  db: Executor,
  managerId: string,
  timeZone: string,
  localDate: string,
): Promise<DigestSummary> {
  const weekStart = addDays(weekOf(localDate), -7);
  const weekEnd = addDays(weekStart, 7);
  const row = await weekCounts(db, managerId, timeZone, weekStart, weekEnd);
  return {
    weekStart,
    topicsReceived: row.topics,
    actionsPlanned: row.planned,
    actionsDone: row.done,
    actionsLapsed: row.lapsed,
  };
}

/**
 * Hands out due reminders under a lease, as deliveries are, each with its items or its digest.
 * A reminder whose items were all answered since it was planned is cancelled, not handed out.
 */
export async function claimReminders(
  db: Kysely<Database>,
  now: Date,
  options: { limit: number; leaseMs: number },
): Promise<ClaimedReminder[]> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await claimLeases<ReminderClaimColumns>(
      trx,
      REMINDERS,
      now,
      options,
      REMINDER_CLAIM,
    );
    const claimed: ClaimedReminder[] = [];
    for (const row of rows) {
      const language = effectiveLanguage(languageChoicesOfRow(row));
      const items =
        row.kind === 'reminder'
          ? await titlesInLanguage(trx, await itemsToAsk(trx, row.id, row.time_zone), language)
          : [];
      if (row.kind === 'reminder' && items.length === 0) {
        await cancelReminder(trx, row.id, now);
        continue;
      }
      claimed.push({
        ...claimedLease(row),
        kind: row.kind,
        timeZone: row.time_zone,
        locale: row.locale,
        language,
        items,
        digest:
          row.kind === 'digest'
            ? await digestFor(trx, row.manager_id, row.time_zone, row.local_date)
            : null,
      });
    }
    return claimed;
  });
}

/**
 * Records a reminder as sent. Each item in it now waits for an answer: one more unanswered
 * reminder, and the next check-back backs off (the interval doubles each time). Confirming
 * again changes nothing.
 */
export async function confirmReminder(
  db: Kysely<Database>,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
): Promise<ReminderConfirmation> {
  return db.transaction().execute((trx) => confirmReminderIn(trx, id, sent, now));
}

export interface ReminderConfirmation {
  latenessSeconds: number;
  itemsDue: number;
  repeated: boolean;
}

async function confirmReminderIn(
  trx: Executor,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
): Promise<ReminderConfirmation> {
  const { row: reminder, repeated } = await confirmLease(trx, REMINDERS, id, sent, now);
  const lateness = latenessSeconds(reminder.wanted_at ?? reminder.due_at, now);
  if (repeated) return { latenessSeconds: lateness, itemsDue: 0, repeated: true };
  const items = await openItemsAskedBy(trx, id);
  for (const item of items) {
    const unanswered = item.unanswered_reminders + 1;
    const checkBackOn = nextCheckBackAfterSilence(
      reminder.local_date,
      item.interval_days,
      unanswered,
    );
    await recordUnansweredReminder(trx, item.id, unanswered, checkBackOn, now);
  }
  return { latenessSeconds: lateness, itemsDue: items.length, repeated: false };
}

/**
 * confirmReminder for a batch, in one transaction and one API call. Reminders are few beside
 * deliveries (one per manager and day at most), so each keeps its own statements; the batch
 * saves the sender a round trip per message. In id order, so overlapping batches can't deadlock.
 */
export async function confirmReminders(
  db: Kysely<Database>,
  sent: ReadonlyArray<{ id: string; channelId: string; ts: string }>,
  now: Date,
): Promise<
  Array<
    { id: string } & (
      | { status: 'not_found' }
      | ({ status: 'sent' | 'repeated' } & ReminderConfirmation)
    )
  >
> {
  // In id order, so overlapping batches lock alike and cannot deadlock; answered as asked.
  const order = sent.map((message, index) => ({ message, index }));
  order.sort((a, b) => Number(BigInt(a.message.id) - BigInt(b.message.id)) || a.index - b.index);
  const answers = await db.transaction().execute(async (trx) => {
    const byIndex = new Array<ReminderConfirmation | 'not_found'>(sent.length);
    for (const { message, index } of order) {
      try {
        byIndex[index] = await confirmReminderIn(trx, message.id, message, now);
      } catch (error) {
        if (!(error instanceof AppError && error.statusCode === 404)) throw error;
        byIndex[index] = 'not_found';
      }
    }
    return byIndex;
  });
  return sent.map((message, index) => {
    const answer = answers[index];
    if (answer === undefined || answer === 'not_found')
      return { id: message.id, status: 'not_found' };
    return { id: message.id, status: answer.repeated ? 'repeated' : 'sent', ...answer };
  });
}

/** A failed send: retry later (rate limit, transient) or give up (unreachable). */
export async function reportReminderFailure(
  db: Kysely<Database>,
  id: string,
  report: FailureReport,
  now: Date,
): Promise<FailureOutcome> {
  return db.transaction().execute(async (trx) => {
    const failure = await reportLeaseFailure(trx, REMINDERS, id, report, now);
    return failure.status === 'retrying'
      ? { status: 'retrying', retryAt: failure.retryAt, subscriptionPaused: false }
      : { status: failure.status, subscriptionPaused: false };
  });
}

/** Renews the leases a sender holds on these reminders in one statement (see renewLeases). */
export function renewReminderLeases(
  db: Kysely<Database>,
  leases: readonly HeldLease[],
  now: Date,
  leaseMs: number,
): Promise<LeaseRenewal[]> {
  return renewLeases(db, REMINDERS, leases, now, leaseMs);
}
