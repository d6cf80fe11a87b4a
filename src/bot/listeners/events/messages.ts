/**
 * Direct messages to the bot. A reply in a note's thread becomes an action item for that note;
 * a plain DM soon after a note gets a one-click question; edits and deletions of a reply follow
 * to its item. Slack redelivers an event it thinks we missed (X-Slack-Retry-Num); the item's
 * source key (the message's channel and ts) makes the second delivery change nothing.
 */
import type { App } from '@slack/bolt';
import {
  ApiCallError,
  type ApiClient,
  type CallContext,
  isNotFound,
} from '../../api-client/index.ts';
import {
  DM_HELP_TEXT,
  deletedReplyQuestion,
  dmQuestion,
  itemReply,
  NOT_SAVED_TEXT,
} from '../../blocks/action-items.ts';
import { TRY_AGAIN_TEXT } from '../../blocks/messages.ts';
import { callContext } from '../shared.ts';
import { refreshNote } from '../views/plan-action.ts';

/** A plain DM this soon after a note may well be about it. */
const RECENT_NOTE_HOURS = 72;
const BUTTON_VALUE_LIMIT = 2000;
const TOO_LONG_FOR_AN_ACTION = 'an action fits in 500 characters. Try the first step only.';

/** Slack escapes &, < and > in message text; an item keeps what the manager typed. */
function asTyped(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function sourceKeyOf(channel: string, ts: string): string {
  return `message:${channel}:${ts}`;
}

interface MessageLike {
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
}

async function itemFromSource(api: ApiClient, call: CallContext, sourceKey: string) {
  const [item] = await api.listActionItems(call, { sourceKey });
  return item;
}

export function registerDirectMessages(app: App, api: ApiClient): void {
  app.event('message', async ({ event, body, client, context, logger }) => {
    if (event.channel_type !== 'im') return;
    const say = (text: string, threadTs?: string) =>
      client.chat.postMessage({
        channel: event.channel,
        text,
        ...(threadTs && { thread_ts: threadTs }),
      });

    if (event.subtype === 'message_changed') {
      const message = event.message as MessageLike;
      const previous = event.previous_message as MessageLike | undefined;
      if (!message.user || message.bot_id || message.text === previous?.text) return;
      const call = callContext(body.team_id, message.user, context);
      const item = await itemFromSource(api, call, sourceKeyOf(event.channel, message.ts));
      if (!item) return;
      try {
        const updated = await api.updateActionItem(call, item.id, {
          text: asTyped(message.text ?? ''),
        });
        await say(itemReply(updated, 'Updated your action').text, message.thread_ts ?? message.ts);
        if (updated.deliveryId) await refreshNote(client, api, call, updated.deliveryId);
      } catch (error) {
        const problem =
          error instanceof ApiCallError && error.status === 400 ? error.message : TRY_AGAIN_TEXT;
        await say(
          `${NOT_SAVED_TEXT(problem)} Your action stays as it was.`,
          message.thread_ts ?? message.ts,
        );
      }
      return;
    }

    if (event.subtype === 'message_deleted') {
      const previous = event.previous_message as MessageLike | undefined;
      if (!previous?.user || previous.bot_id) return;
      const call = callContext(body.team_id, previous.user, context);
      const item = await itemFromSource(api, call, sourceKeyOf(event.channel, previous.ts));
      if (!item) return;
      // Ask first: deleting a message is not always meant to delete the plan made from it.
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: previous.thread_ts ?? previous.ts,
        ...deletedReplyQuestion(item),
      });
      return;
    }

    // New messages only; bots (including this one) are never taken for managers.
    if (
      event.subtype !== undefined ||
      !('user' in event) ||
      !event.user ||
      ('bot_id' in event && event.bot_id)
    )
      return;
    const call = callContext(body.team_id, event.user, context);
    const text = asTyped(event.text ?? '');
    const sourceKey = sourceKeyOf(event.channel, event.ts);

    if (event.thread_ts && event.thread_ts !== event.ts) {
      let deliveryId: string;
      try {
        deliveryId = (await api.findDeliveryByMessage(call, event.channel, event.thread_ts)).id;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        return; // A thread that is not one of our notes: nothing to do.
      }
      try {
        const { item, created } = await api.createActionItem(call, {
          text,
          source: 'thread',
          sourceKey,
          deliveryId,
        });
        if (!created) return;
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts: event.thread_ts,
          ...itemReply(item),
        });
        await refreshNote(client, api, call, deliveryId);
      } catch (error) {
        if (error instanceof ApiCallError && error.status === 400) {
          await say(NOT_SAVED_TEXT(error.message), event.thread_ts);
          return;
        }
        logger.error(`saving a thread reply as an action failed: ${(error as Error).message}`);
        await say(TRY_AGAIN_TEXT, event.thread_ts);
      }
      return;
    }

    try {
      const note = await api.latestDelivery(call, RECENT_NOTE_HOURS);
      // The button carries the text, so one click saves it; Slack caps a button value at 2,000.
      const value = JSON.stringify({ d: note.id, k: sourceKey, t: text });
      if (value.length > BUTTON_VALUE_LIMIT) {
        await say(NOT_SAVED_TEXT(TOO_LONG_FOR_AN_ACTION));
        return;
      }
      await client.chat.postMessage({
        channel: event.channel,
        ...dmQuestion(note.topicTitle ?? 'your last note', value),
      });
    } catch (error) {
      if (!isNotFound(error)) logger.error(`answering a DM failed: ${(error as Error).message}`);
      await say(isNotFound(error) ? DM_HELP_TEXT : TRY_AGAIN_TEXT);
    }
  });
}
