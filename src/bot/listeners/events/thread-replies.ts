/**
 * A reply in the thread of one of our messages. Under a note, an obvious plan ("I will…") is
 * saved at once and anything else gets a one-click choice, since the note asks a question and a
 * reply may be only an answer to it. Under a reminder, "done", "not yet" or "drop it" is
 * recorded as the reminder's buttons record it, and the reminder itself shows the answer;
 * anything else gets the buttons again.
 */
import type { ApiClient, CallContext, SentReminder } from '../../api-client/index.ts';
import { dmButtonValue, itemReply } from '../../blocks/action-items.ts';
import {
  reminderAllAnsweredText,
  reminderButtonsAgain,
  replyRecorded,
  threadChoice,
  whichItemQuestion,
} from '../../blocks/replies.ts';
import { type Voice, voiceFor } from '../../i18n/index.ts';
import { isObviousPlan, reminderReplyOf } from '../../reply-rules.ts';
import { refreshReminder } from '../actions/reminders.ts';
import { speakAs } from '../reply-voice.ts';
import { type EventArgs, findSubscription, type ListenerDeps, unlessNotFound } from '../shared.ts';
import { refreshNote } from '../views/plan-action.ts';

/** Slack caps a button's value at 2,000 characters; an action fits in 500. */
const BUTTON_VALUE_LIMIT = 2000;
const ACTION_TEXT_LIMIT = 500;

export interface ThreadReply {
  channel: string;
  ts: string;
  threadTs: string;
  /** As the manager typed it (Slack's escapes undone). */
  text: string;
  sourceKey: string;
}

type Post = (message: { text: string; blocks?: unknown[] }) => Promise<unknown>;

/** Answers a thread reply to a note or a reminder; a thread of anything else is left alone. */
export async function answerThreadReply(
  { api, logger }: Pick<ListenerDeps, 'api' | 'logger'>,
  args: EventArgs<'message'>,
  call: CallContext,
  reply: ThreadReply,
): Promise<void> {
  const post: Post = (message) =>
    args.client.chat.postMessage({
      channel: reply.channel,
      thread_ts: reply.threadTs,
      ...message,
    } as Parameters<typeof args.client.chat.postMessage>[0]);
  // The found note carries no language; the subscription, read alongside, does.
  const [delivery, subscription] = await Promise.all([
    unlessNotFound(api.findDeliveryByMessage(call, reply.channel, reply.threadTs)),
    findSubscription(api, call),
  ]);
  const voice = speakAs(call, voiceFor(subscription));
  if (delivery) {
    await answerNoteReply(api, args, call, reply, { ...delivery, post }, voice);
    return;
  }
  const reminder = await unlessNotFound(
    api.findReminderByMessage(call, reply.channel, reply.threadTs),
  );
  if (reminder) {
    const answered = await answerReminderReply(api, call, reply, reminder, post, voice);
    if (answered) await refreshReminder(args.client, { api, logger }, call, answered);
  }
}

async function answerNoteReply(
  api: ApiClient,
  { client }: EventArgs<'message'>,
  call: CallContext,
  reply: ThreadReply,
  note: { id: string; topicTitle?: string | null; post: Post },
  voice: Voice,
): Promise<void> {
  const value = dmButtonValue({
    deliveryId: note.id,
    sourceKey: reply.sourceKey,
    text: reply.text,
  });
  // A reply that can't be an action (empty, too long) is saved straight away, so that the API's
  // reason comes back now rather than after a click.
  const savable = reply.text.trim() !== '' && reply.text.length <= ACTION_TEXT_LIMIT;
  if (savable && value.length <= BUTTON_VALUE_LIMIT && !isObviousPlan(reply.text, voice.language)) {
    await note.post(threadChoice(note.topicTitle, value, voice));
    return;
  }
  const { item, created } = await api.createActionItem(call, {
    text: reply.text,
    source: 'thread',
    sourceKey: reply.sourceKey,
    deliveryId: note.id,
  });
  if (!created) return;
  await note.post(itemReply(item, voiceFor(item)));
  await refreshNote(client, api, call, note.id);
}

/** Answers a reply to a reminder; resolves with the reminder when the reply recorded an answer. */
async function answerReminderReply(
  api: ApiClient,
  call: CallContext,
  reply: ThreadReply,
  reminder: SentReminder,
  post: Post,
  voice: Voice,
): Promise<{ reminderId: string } | undefined> {
  // An item marked done or dropped elsewhere (the Home tab) is not asked about again here.
  const unanswered = reminder.items.filter(
    (item) => item.answer === null && item.status === 'open',
  );
  const [only] = unanswered;
  if (!only) {
    await post({ text: reminderAllAnsweredText(voice) });
    return undefined;
  }
  const answer = reminderReplyOf(reply.text, voice.language);
  if (!answer) {
    await post(reminderButtonsAgain(reminder, unanswered, voice));
    return undefined;
  }
  if (unanswered.length > 1) {
    await post(whichItemQuestion(reminder, answer, unanswered, voice));
    return undefined;
  }
  const result = await api.answer(call, only.id, { answer, reminderId: reminder.id });
  await post(
    replyRecorded(only.text, result.response.answer, voice, {
      reminderId: reminder.id,
      itemId: only.id,
      responseId: result.response.id,
    }),
  );
  return { reminderId: reminder.id };
}
