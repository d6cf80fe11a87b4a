/**
 * Managers with a history: a note sent, actions planned (one with a note), a reminder sent and
 * answered with a reflection, a topic marked not relevant. Everything a person can leave in
 * Blindspot, written through the business layer, for the export and erasure tests.
 */

import type { Kysely } from 'kysely';
import { answerActionItem, reflectOnAnswer } from '../../src/core/action-items/responses.ts';
import { createActionItem } from '../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../src/core/deliveries/feedback.ts';
import { rateMyDelivery } from '../../src/core/deliveries/sent-deliveries.ts';
import {
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
} from '../../src/core/deliveries/service.ts';
import {
  claimReminders,
  confirmReminder,
  planDueReminders,
} from '../../src/core/reminders/service.ts';
import type { Database } from '../../src/db/schema.ts';
import { createSubscriber, type TestSubscriber, type TestWorkspace } from './factories.ts';

export interface ManagerLife extends TestSubscriber {
  deliveryId: string;
  topicId: string;
  items: Array<{ id: string; text: string; note: string | null }>;
  reminderId: string;
  responseId: string;
  reflection: string;
}

/** Sign-up on Sunday 22 November 2026; the first note on Monday 09:00 in Berlin. */
export const LIFE_STARTS = new Date('2026-11-22T12:00:00Z');

/**
 * Lives for `count` new managers of `workspace`, side by side. Planning and claiming are
 * global, so call it once per database, or only with managers whose days are yet to come.
 */
export async function liveManagers(
  db: Kysely<Database>,
  workspace: TestWorkspace,
  count: number,
): Promise<ManagerLife[]> {
  const managers: TestSubscriber[] = [];
  for (let i = 0; i < count; i += 1) {
    managers.push(await createSubscriber(db, workspace, { localTime: '09:00' }, LIFE_STARTS));
  }
  const due = new Date('2026-11-23T08:00:00Z');
  await planDueDeliveries(db, new Date(due.getTime() - 2 * 60_000));
  const sentAt = new Date(due.getTime() + 20_000);
  const { deliveries } = await claimDeliveries(db, sentAt, { limit: 100, leaseMs: 60_000 });
  const later = new Date('2026-11-23T09:00:00Z');
  const lives: ManagerLife[] = [];
  for (const [n, manager] of managers.entries()) {
    const delivery = deliveries.find((d) => d.slackUserId === manager.who.slackUserId);
    if (!delivery) throw new Error('no delivery for a new manager');
    await confirmDelivery(
      db,
      delivery.id,
      { channelId: `D0LIFE${n}`, ts: `1764000000.00${n}` },
      sentAt,
    );
    const texts = [`Ask ${manager.who.slackUserId}'s team for feedback`, `Delegate ${n} reviews`];
    const items: ManagerLife['items'] = [];
    for (const [i, text] of texts.entries()) {
      const note = i === 0 ? `A private note of ${manager.who.slackUserId}` : null;
      const { item } = await createActionItem(
        db,
        manager.who,
        {
          text,
          note: note ?? undefined,
          checkBack: { in: '2d' },
          source: 'modal',
          deliveryId: delivery.id,
        },
        later,
      );
      items.push({ id: item.id, text, note });
    }
    await markTopicNotRelevant(db, manager.who, delivery.topic.id, delivery.id);
    await rateMyDelivery(db, manager.who, delivery.id, 'useful', later);
    lives.push({
      ...manager,
      deliveryId: delivery.id,
      topicId: delivery.topic.id,
      items,
      reminderId: '',
      responseId: '',
      reflection: '',
    });
  }
  await planDueReminders(db, new Date('2026-11-25T07:58:00Z'));
  const remindedAt = new Date('2026-11-25T08:00:30Z');
  const claimed = await claimReminders(db, remindedAt, { limit: 100, leaseMs: 60_000 });
  for (const [n, life] of lives.entries()) {
    const reminder = claimed.find((r) => r.slackUserId === life.who.slackUserId);
    if (!reminder) throw new Error('no reminder for a new manager');
    await confirmReminder(
      db,
      reminder.id,
      { channelId: `D0LIFE${n}`, ts: `1764100000.00${n}` },
      remindedAt,
    );
    const first = life.items[0];
    if (!first) throw new Error('no item');
    const answered = await answerActionItem(
      db,
      life.who,
      first.id,
      { answer: 'partly', reminderId: reminder.id },
      new Date('2026-11-25T10:00:00Z'),
    );
    life.reflection = `What ${life.who.slackUserId} learnt: ask earlier`;
    await reflectOnAnswer(db, life.who, first.id, answered.response.id, {
      reflection: life.reflection,
      usefulness: 4,
    });
    life.reminderId = reminder.id;
    life.responseId = answered.response.id;
  }
  return lives;
}
