/**
 * A manager's answers to "did you do it?" and the reflections they add to them. Each answer
 * moves its action item on: done, dropped, snoozed to a date, or asked again later.
 */
import type { Kysely, Updateable } from 'kysely';
import type { ActionItemsTable, Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid, notFound } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { addDays, localDateOf } from '../schedule/rules.ts';

export type Answer = 'done' | 'partly' | 'not_yet' | 'snoozed' | 'dropped';

export interface AnswerInput {
  answer: Answer;
  reminderId?: string;
  /** For 'snoozed': the local date to ask again, or how long from today. */
  until?: string;
  snoozeFor?: '1d' | '1w';
}

export interface ResponseRow {
  id: string;
  answer: Answer;
  reflection: string | null;
  usefulness: number | null;
  answeredAt: Date;
}

const RESPONSE_COLUMNS = [
  'id',
  'answer',
  'reflection',
  'usefulness',
  'answered_at as answeredAt',
] as const;

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
    const item = await trx
      .selectFrom('action_items')
      .where('id', '=', itemId)
      .where('manager_id', '=', manager.id)
      .select(['id', 'status', 'interval_days'])
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw notFound('action_item');
    let sentAt: Date | null = null;
    if (input.reminderId) {
      const reminder = await trx
        .selectFrom('reminder_items as ri')
        .innerJoin('reminders as r', 'r.id', 'ri.reminder_id')
        .where('ri.reminder_id', '=', input.reminderId)
        .where('ri.action_item_id', '=', itemId)
        .select('r.sent_at')
        .executeTakeFirst();
      if (!reminder) throw notFound('reminder');
      sentAt = reminder.sent_at;
      const earlier = await trx
        .selectFrom('responses')
        .where('reminder_id', '=', input.reminderId)
        .where('action_item_id', '=', itemId)
        .select(RESPONSE_COLUMNS)
        .executeTakeFirst();
      if (earlier)
        return { response: earlier as ResponseRow, recorded: false, secondsSinceReminder: null };
    }
    const today = localDateOf(now, manager.timeZone);
    if (input.snoozeFor) input.until = addDays(today, input.snoozeFor === '1d' ? 1 : 7);
    if (input.answer === 'snoozed' && (!input.until || input.until <= today)) {
      throw invalid('invalid_answer', 'Pick a date after today to be asked again.', {
        until: 'Pick a date after today.',
      });
    }
    const response = await trx
      .insertInto('responses')
      .values({
        workspace_id: manager.workspaceId,
        action_item_id: itemId,
        reminder_id: input.reminderId ?? null,
        answer: input.answer,
        answered_at: now,
      })
      .onConflict((oc) => oc.columns(['reminder_id', 'action_item_id']).doNothing())
      .returning(RESPONSE_COLUMNS)
      .executeTakeFirst();
    if (!response) {
      // A replayed click that raced the first: the first one's answer stands.
      const first = await trx
        .selectFrom('responses')
        .where('reminder_id', '=', String(input.reminderId))
        .where('action_item_id', '=', itemId)
        .select(RESPONSE_COLUMNS)
        .executeTakeFirstOrThrow();
      return { response: first as ResponseRow, recorded: false, secondsSinceReminder: null };
    }
    const effects: Record<Answer, Updateable<ActionItemsTable>> = {
      done: { status: 'done', completed_at: now },
      partly: { status: 'partly', completed_at: now },
      dropped: { status: 'dropped' },
      not_yet: { check_back_on: addDays(today, item.interval_days), unanswered_reminders: 0 },
      snoozed: { check_back_on: String(input.until), unanswered_reminders: 0 },
    };
    await trx
      .updateTable('action_items')
      .set({ ...effects[input.answer], updated_at: now })
      .where('id', '=', itemId)
      .execute();
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
      response: response as ResponseRow,
      recorded: true,
      secondsSinceReminder: sentAt ? (now.getTime() - sentAt.getTime()) / 1000 : null,
    };
  });
}

/** Adds the "what happened?" line and the 1–5 usefulness to an answer. */
export async function reflectOnAnswer(
  db: Kysely<Database>,
  who: SlackIdentity,
  itemId: string,
  responseId: string,
  reflection: { reflection?: string | null; usefulness?: number | null },
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
  const row = await db
    .updateTable('responses')
    .set({
      ...(reflection.reflection !== undefined && {
        reflection: reflection.reflection?.trim() || null,
      }),
      ...(reflection.usefulness !== undefined && { usefulness: reflection.usefulness }),
    })
    .where('id', '=', responseId)
    .where('action_item_id', '=', itemId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('action_items')
          .whereRef('action_items.id', '=', 'responses.action_item_id')
          .where('action_items.manager_id', '=', manager.id)
          .select('action_items.id'),
      ),
    )
    .returning(RESPONSE_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('response');
  return row as ResponseRow;
}
