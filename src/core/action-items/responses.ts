/**
 * A manager's answers to "did you do it?" and the reflections they add to them. Each answer
 * moves its action item on: done, dropped, snoozed to a date, or asked again later.
 */
import type { Kysely, Updateable } from 'kysely';
import type { ActionItemsTable, Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { addDays, localDateOf } from '../schedule/rules.ts';
import {
  findReminderOfItem,
  findResponseTo,
  insertResponse,
  lockActionItemOf,
  lockResponseOfManager,
  type ResponseRow,
  setResponseAnswer,
  updateActionItemRow,
  updateResponseOfManager,
} from './repository.ts';
import { canChangeAnswer } from './rules.ts';

export type { ResponseRow } from './repository.ts';

export type Answer = ResponseRow['answer'];

export interface AnswerInput {
  answer: Answer;
  reminderId?: string;
  /** For 'snoozed': the local date to ask again, or how long from today. */
  until?: string;
  snoozeFor?: '1d' | '1w';
}

/** The local date a snooze asks again on; refused unless it is after today. */
function snoozeDate(input: AnswerInput, today: string): string | undefined {
  // The input is the caller's: a relative snooze becomes a date here, not in it.
  const until = input.snoozeFor ? addDays(today, input.snoozeFor === '1d' ? 1 : 7) : input.until;
  if (input.answer === 'snoozed' && (!until || until <= today)) {
    throw invalid('invalid_answer', 'Pick a date after today to be asked again.', {
      until: 'Pick a date after today.',
    });
  }
  return until;
}

/** What an answer does to its item: done, dropped, or asked again on a later date. */
function effectOf(
  answer: Answer,
  at: { now: Date; today: string; until: string | undefined; intervalDays: number },
): Updateable<ActionItemsTable> {
  const effects: Record<Answer, Updateable<ActionItemsTable>> = {
    done: { status: 'done', completed_at: at.now },
    partly: { status: 'partly', completed_at: at.now },
    dropped: { status: 'dropped' },
    not_yet: { check_back_on: addDays(at.today, at.intervalDays), unanswered_reminders: 0 },
    snoozed: { check_back_on: String(at.until), unanswered_reminders: 0 },
  };
  return effects[answer];
}

/**
 * Records an answer to "did you do it?". The same click replayed (same reminder, same item)
 * records once: the second returns the first answer with `recorded: false`.
 */
export async function answerActionItem(
  db: Kysely<Database>,
  who: SlackIdentity,
  itemId: string,
  input: AnswerInput,
  now: Date,
  context: RequestContext = {},
): Promise<{ response: ResponseRow; recorded: boolean; secondsSinceReminder: number | null }> {
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const item = await lockActionItemOf(trx, manager.id, itemId);
    if (!item) throw notFound('action_item');
    let sentAt: Date | null = null;
    if (input.reminderId) {
      const reminder = await findReminderOfItem(trx, input.reminderId, itemId);
      if (!reminder) throw notFound('reminder');
      sentAt = reminder.sentAt;
      const earlier = await findResponseTo(trx, input.reminderId, itemId);
      if (earlier) return { response: earlier, recorded: false, secondsSinceReminder: null };
    }
    const today = localDateOf(now, manager.timeZone);
    const until = snoozeDate(input, today);
    const response = await insertResponse(trx, {
      workspaceId: manager.workspaceId,
      itemId,
      reminderId: input.reminderId ?? null,
      answer: input.answer,
      answeredAt: now,
    });
    if (!response) {
      // A replayed click that raced the first: the first one's answer stands.
      const first = await findResponseTo(trx, String(input.reminderId), itemId);
      if (!first) throw new Error('the answer that won the race vanished');
      return { response: first, recorded: false, secondsSinceReminder: null };
    }
    await updateActionItemRow(trx, itemId, {
      ...effectOf(input.answer, { now, today, until, intervalDays: item.intervalDays }),
      updated_at: now,
    });
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.answered',
      subjectType: 'action_item',
      subjectId: itemId,
      requestId: context.requestId,
      details: { answer: input.answer, reminderId: input.reminderId ?? null },
    });
    return {
      response,
      recorded: true,
      secondsSinceReminder: sentAt ? (now.getTime() - sentAt.getTime()) / 1000 : null,
    };
  });
}

/**
 * "Change answer": replaces an answer with another, within a week of it and while no later
 * answer about the item followed, and moves the item on as the new answer would have; an item
 * that was done or dropped and is now "not yet" or snoozed is open again. The same answer
 * again changes nothing. The reflection, if any, stays with the answer.
 */
export async function changeAnswer(
  db: Kysely<Database>,
  who: SlackIdentity,
  itemId: string,
  responseId: string,
  input: Omit<AnswerInput, 'reminderId'>,
  now: Date,
  context: RequestContext = {},
): Promise<ResponseRow> {
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const item = await lockActionItemOf(trx, manager.id, itemId);
    if (!item) throw notFound('action_item');
    const earlier = await lockResponseOfManager(trx, manager.id, itemId, responseId);
    if (!earlier) throw notFound('response');
    const { superseded, ...response } = earlier;
    if (superseded) {
      throw conflict(
        'answer_locked',
        'That answer was followed by a newer one about the same action: change that one instead.',
      );
    }
    if (!canChangeAnswer(response.answeredAt, now)) {
      throw conflict(
        'answer_locked',
        'That answer is more than a week old, so it stays as it is. Your Home tab lists your open actions.',
      );
    }
    const today = localDateOf(now, manager.timeZone);
    const until = snoozeDate(input, today);
    if (response.answer === input.answer && input.answer !== 'snoozed') return response;
    const reopened = input.answer === 'not_yet' || input.answer === 'snoozed';
    await updateActionItemRow(trx, itemId, {
      ...effectOf(input.answer, { now, today, until, intervalDays: item.intervalDays }),
      ...(reopened && { status: 'open' as const }),
      ...((reopened || input.answer === 'dropped') && { completed_at: null }),
      updated_at: now,
    });
    const changed = await setResponseAnswer(trx, responseId, input.answer);
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.answer_changed',
      subjectType: 'action_item',
      subjectId: itemId,
      requestId: context.requestId,
      details: { from: response.answer, to: input.answer, responseId },
    });
    return changed;
  });
}

/** Adds the "what happened?" line and the 1–5 usefulness to an answer. */
export async function reflectOnAnswer(
  db: Kysely<Database>,
  who: SlackIdentity,
  itemId: string,
  responseId: string,
  reflection: { reflection?: string | null; usefulness?: number | null },
  context: RequestContext = {},
): Promise<ResponseRow> {
  const manager = await getManager(db, who);
  if (reflection.reflection && [...reflection.reflection].length > 500) {
    throw invalid(
      'invalid_reflection',
      'Keep the reflection to one line (500 characters at most).',
      {
        reflection: 'One line: 500 characters at most.',
      },
    );
  }
  return db.transaction().execute(async (trx) => {
    const row = await updateResponseOfManager(trx, manager.id, itemId, responseId, {
      ...(reflection.reflection !== undefined && {
        reflection: reflection.reflection?.trim() || null,
      }),
      ...(reflection.usefulness !== undefined && { usefulness: reflection.usefulness }),
    });
    if (!row) throw notFound('response');
    // That it happened and which fields, never the manager's words.
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.reflected',
      subjectType: 'response',
      subjectId: responseId,
      requestId: context.requestId,
      details: {
        actionItemId: itemId,
        fields: Object.keys(reflection).filter(
          (key) => reflection[key as keyof typeof reflection] !== undefined,
        ),
      },
    });
    return row;
  });
}
