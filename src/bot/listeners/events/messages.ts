/**
 * Direct messages to the bot. A reply in a note's or a reminder's thread is answered by
 * ./thread-replies.ts; a command word sent alone ("help", "pause", "stop") is that command; any
 * other DM soon after a note gets a one-click question; edits and deletions of a reply follow
 * to its item. Slack redelivers an event it thinks we missed (X-Slack-Retry-Num); the item's
 * source key (the message's channel and ts) makes the second delivery change nothing.
 */
import type { App } from '@slack/bolt';
import type { MessageChangedEvent, MessageDeletedEvent } from '@slack/types';
import {
  ApiCallError,
  type ApiClient,
  type CallContext,
  isNotFound,
} from '../../api-client/index.ts';
import {
  deletedReplyQuestion,
  dmButtonValue,
  dmHelpText,
  dmQuestion,
  itemReply,
  notSavedText,
} from '../../blocks/action-items.ts';
import { helpText, pausedText, tryAgainText } from '../../blocks/messages.ts';
import { unsubscribeQuestion } from '../../blocks/replies.ts';
import { type Voice, voiceFor } from '../../i18n/index.ts';
import { dmCommandOf } from '../../reply-rules.ts';
import { failureText, logOnly } from '../failure-replies.ts';
import { managerVoice } from '../manager-voice.ts';
import { refusalText } from '../refusals.ts';
import { replyVoice } from '../reply-voice.ts';
import { type EventArgs, type ListenerDeps, onEvent } from '../shared.ts';
import { refreshNote } from '../views/plan-action.ts';
import { answerThreadReply } from './thread-replies.ts';

/** A plain DM this soon after a note may well be about it. */
const RECENT_NOTE_HOURS = 72;
const BUTTON_VALUE_LIMIT = 2000;

type MessageArgs = EventArgs<'message'>;

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

/** The manager who wrote it; undefined for a bot's message (this one's included) or an edit's. */
function managerOf(message: MessageLike | undefined): string | undefined {
  return message?.bot_id ? undefined : message?.user;
}

/** A new message as the manager wrote it, or undefined for anything else. */
function newMessage({ event }: MessageArgs): MessageLike | undefined {
  return event.subtype === undefined ? (event as MessageLike) : undefined;
}

function isThreadReply(message: MessageLike): boolean {
  return Boolean(message.thread_ts && message.thread_ts !== message.ts);
}

async function itemFromSource(api: ApiClient, call: CallContext, sourceKey: string) {
  const [item] = await api.listActionItems(call, { sourceKey });
  return item;
}

function say({ client, event }: MessageArgs, text: string, threadTs?: string) {
  return client.chat.postMessage({
    channel: (event as { channel: string }).channel,
    text,
    ...(threadTs && { thread_ts: threadTs }),
  });
}

/** The API's reason an item was refused (too long, empty), or undefined for any other failure. */
function refusal(error: unknown, voice: Voice): string | undefined {
  return error instanceof ApiCallError && error.status === 400
    ? refusalText(error, voice)
    : undefined;
}

export function registerDirectMessages(app: App, { api, logger }: ListenerDeps): void {
  // A message event carries no locale: the API's record of the manager gives their language.
  const voiceOf = ({ client }: MessageArgs, call: CallContext) => managerVoice(client, api, call);

  /** An edited reply: its item follows. */
  const edited = onEvent<'message'>(
    logger,
    'updating an action from an edited reply',
    ({ event }) => {
      const { message, previous_message: previous } = event as MessageChangedEvent;
      // Slack always sends the edited message; a payload without one is not Slack's.
      const edit = message as MessageLike | null | undefined;
      if (!edit) return undefined;
      return edit.text === (previous as MessageLike | null | undefined)?.text
        ? undefined
        : managerOf(edit);
    },
    async (args, call) => {
      const event = args.event as MessageChangedEvent;
      const message = event.message as MessageLike;
      const item = await itemFromSource(api, call, sourceKeyOf(event.channel, message.ts));
      if (!item) return;
      const [updated, voice] = await Promise.all([
        api.updateActionItem(call, item.id, { text: asTyped(message.text ?? '') }),
        voiceOf(args, call),
      ]);
      await say(args, itemReply(updated, voice, 'updated').text, message.thread_ts ?? message.ts);
      if (updated.deliveryId) await refreshNote(args.client, api, call, updated.deliveryId);
    },
    async (args, error, call) => {
      const message = (args.event as MessageChangedEvent).message as MessageLike;
      const voice = await voiceOf(args, call);
      return say(
        args,
        `${notSavedText(refusal(error, voice) ?? tryAgainText(voice), voice)} ${voice.t('commands.dm.unchanged')}`,
        message.thread_ts ?? message.ts,
      );
    },
  );

  /** A deleted reply: ask first, since deleting a message is not always meant to delete the plan. */
  const deleted = onEvent<'message'>(
    logger,
    'asking about a deleted reply',
    ({ event }) => managerOf((event as MessageDeletedEvent).previous_message as MessageLike),
    async ({ event, client }, call) => {
      const { channel, previous_message } = event as MessageDeletedEvent;
      const previous = previous_message as MessageLike;
      const item = await itemFromSource(api, call, sourceKeyOf(channel, previous.ts));
      if (!item) return;
      await client.chat.postMessage({
        channel,
        thread_ts: previous.thread_ts ?? previous.ts,
        ...deletedReplyQuestion(item, voiceFor(item)),
      });
    },
    logOnly,
  );

  /** A reply in the thread of one of our notes or reminders (./thread-replies.ts). */
  const threadReply = onEvent<'message'>(
    logger,
    'answering a thread reply',
    (args) => managerOf(newMessage(args)),
    (args, call) => {
      const message = newMessage(args) as MessageLike & { thread_ts: string };
      const channel = (args.event as { channel: string }).channel;
      return answerThreadReply({ api, logger }, args, call, {
        channel,
        ts: message.ts,
        threadTs: message.thread_ts,
        text: asTyped(message.text ?? ''),
        sourceKey: sourceKeyOf(channel, message.ts),
      });
    },
    async (args, error, call) => {
      const voice = await voiceOf(args, call);
      const reason = refusal(error, voice);
      return say(
        args,
        reason ? notSavedText(reason, voice) : failureText(error, voice),
        newMessage(args)?.thread_ts,
      );
    },
  );

  /** "help", "pause", "stop" sent as a DM: the command, not a possible action. */
  const dmCommand = onEvent<'message'>(
    logger,
    'answering a command sent as a DM',
    (args) => managerOf(newMessage(args)),
    async (args, call) => {
      const command = dmCommandOf(newMessage(args)?.text ?? '');
      if (command === 'help') await say(args, helpText(await voiceOf(args, call)));
      else if (command === 'pause') {
        const paused = await api.pause(call, 'paused with a DM');
        await say(args, pausedText(voiceFor(paused)));
      } else if (command === 'unsubscribe') {
        await args.client.chat.postMessage({
          channel: (args.event as { channel: string }).channel,
          ...unsubscribeQuestion(await voiceOf(args, call)),
        });
      }
    },
    async (args, error, call) =>
      say(args, failureText(error, await replyVoice(args.context, call))),
  );

  /** A plain DM soon after a note gets a one-click question: is this an action for it? */
  const plainMessage = onEvent<'message'>(
    logger,
    'answering a DM',
    (args) => managerOf(newMessage(args)),
    async (args, call) => {
      const message = newMessage(args) as MessageLike;
      const channel = (args.event as { channel: string }).channel;
      const [note, voice] = await Promise.all([
        api.latestDelivery(call, RECENT_NOTE_HOURS),
        voiceOf(args, call),
      ]);
      // The button carries the text, so one click saves it; Slack caps a button value at 2,000.
      const value = dmButtonValue({
        deliveryId: note.id,
        sourceKey: sourceKeyOf(channel, message.ts),
        text: asTyped(message.text ?? ''),
      });
      if (value.length > BUTTON_VALUE_LIMIT) {
        await say(args, notSavedText(voice.t('commands.dm.tooLong'), voice));
        return;
      }
      await args.client.chat.postMessage({
        channel,
        ...dmQuestion(note.topicTitle ?? voice.t('commands.dm.lastNote'), value, voice),
      });
    },
    // No note lately (404): how to plan an action instead.
    async (args, error, call) =>
      say(
        args,
        isNotFound(error)
          ? dmHelpText(await voiceOf(args, call))
          : tryAgainText(await voiceOf(args, call)),
      ),
  );

  app.event('message', async (args) => {
    if (args.event.channel_type !== 'im') return;
    if (args.event.subtype === 'message_changed') return edited(args);
    if (args.event.subtype === 'message_deleted') return deleted(args);
    const message = newMessage(args);
    if (message && isThreadReply(message)) return threadReply(args);
    if (message && dmCommandOf(message.text ?? '')) return dmCommand(args);
    return plainMessage(args);
  });
}
