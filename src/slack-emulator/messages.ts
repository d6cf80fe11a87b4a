/**
 * The messages in the workspace's conversations: the Web API methods that post, change and delete
 * them, what a person types in their DM with the bot, and what an app's response_url POSTs make
 * of them. Ephemeral messages are kept apart from the others' history, as Slack keeps them.
 */
import { randomUUID } from 'node:crypto';
import type {
  ChatDeleteResponse,
  ChatPostEphemeralResponse,
  ChatPostMessageResponse,
  ChatUpdateResponse,
  ConversationsHistoryResponse,
} from '@slack/web-api';
import { historyPage } from './history.ts';
import { hasMessageContent, isJsonObject, objectArg, stringArg } from './requests.ts';
import type {
  ChangeScope,
  EmulatedMessage,
  JsonObject,
  PostedMessage,
  SlackMessage,
  SlackNulls,
  SlackStandInIdentity,
} from './types.ts';

/** What the message store needs from the workspace around it. */
export interface MessageContext {
  readonly identity: SlackStandInIdentity;
  readonly startedAtSeconds: number;
  /** The conversation a `channel` argument names (a user id names the bot's DM with them). */
  resolveChannel(channel: string | undefined): string | undefined;
  /** The member whose DM with the bot `channel` is. */
  dmOwner(channel: string): string | undefined;
  nextTs(): string;
  changed(userId: string, scope: ChangeScope): void;
}

interface StoredMessage {
  channel: string;
  message: SlackMessage;
  /** The only member who sees an ephemeral message. */
  ephemeralTo?: string;
  edited: boolean;
}

/** Where a response_url's POSTs go: the person who acted, their conversation, the message. */
export interface ResponseUrlTarget {
  userId: string;
  channelId: string;
  messageTs?: string;
}

/**
 * The app's own content (blocks, attachments, metadata), passed back as the app sent it, as
 * Slack does once it has validated it. The emulator does not validate Block Kit, so it takes the
 * SDK's word for these types; every other field of its answers is checked against @slack/web-api.
 */
export function appContent<T>(value: unknown): T {
  return value as T;
}

export class MessageStore {
  readonly #context: MessageContext;
  readonly #messages = new Map<string, StoredMessage>();

  constructor(context: MessageContext) {
    this.#context = context;
  }

  postMessage(args: JsonObject): ChatPostMessageResponse {
    const channel = this.#context.resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!hasMessageContent(args)) return { ok: false, error: 'no_text' };
    // Posting to a deactivated member's DM succeeds: Slack keeps the conversation, so only
    // users.info's `deleted` tells the app. https://github.com/slackapi/python-slack-sdk/issues/1156
    const message = this.#botMessage(args, this.#context.nextTs());
    const metadata = objectArg(args, 'metadata');
    // Kept with the message for conversations.history, which shows it only when asked to.
    this.#store({ channel, message: metadata ? { ...message, metadata } : message, edited: false });
    return { ok: true, channel, ts: message.ts, message };
  }

  update(args: JsonObject): ChatUpdateResponse {
    const channel = this.#context.resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    const stored = ts ? this.#messages.get(messageKey(channel, ts)) : undefined;
    // An ephemeral message is the client's alone: chat.update cannot reach it.
    if (!ts || stored?.ephemeralTo) return { ok: false, error: 'message_not_found' };
    if (!hasMessageContent(args)) return { ok: false, error: 'no_text' };
    const text = stringArg(args, 'text') ?? '';
    const message: SlackMessage = {
      ...(stored?.message ?? this.#botMessage({}, ts)),
      text,
      ...(args.blocks !== undefined ? { blocks: appContent(args.blocks) } : {}),
      ...(args.attachments !== undefined ? { attachments: appContent(args.attachments) } : {}),
    };
    this.#store({ channel, message, edited: true });
    return {
      ok: true,
      channel,
      ts,
      text,
      // Slack's answer names these fields of the message (not its ts or thread).
      message: {
        type: message.type,
        user: message.user,
        bot_id: message.bot_id,
        app_id: message.app_id,
        team: message.team,
        bot_profile: message.bot_profile,
        text,
        ...(message.blocks !== undefined ? { blocks: appContent(message.blocks) } : {}),
      },
    };
  }

  postEphemeral(args: JsonObject): ChatPostEphemeralResponse {
    const channel = this.#context.resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const user = stringArg(args, 'user');
    if (!user) return { ok: false, error: 'invalid_arguments' };
    if (!hasMessageContent(args)) return { ok: false, error: 'no_text' };
    const ts = this.#context.nextTs();
    this.#store({ channel, message: this.#botMessage(args, ts), ephemeralTo: user, edited: false });
    return { ok: true, message_ts: ts };
  }

  delete(args: JsonObject): ChatDeleteResponse {
    const channel = this.#context.resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    if (!ts || this.#messages.get(messageKey(channel, ts))?.ephemeralTo) {
      return { ok: false, error: 'message_not_found' };
    }
    this.#remove(channel, ts);
    return { ok: true, channel, ts };
  }

  /** conversations.history for a conversation `channel` already resolved. */
  history(
    channel: string,
    args: JsonObject,
  ): SlackNulls<ConversationsHistoryResponse, 'channel_actions_ts'> {
    const inChannel = [...this.#messages.values()]
      .filter((stored) => stored.channel === channel && !stored.ephemeralTo)
      .map((stored) => stored.message);
    return historyPage(inChannel, args);
  }

  /** A message a member typed in `channel` (their DM with the bot). */
  postAsMember(
    userId: string,
    channel: string,
    input: { text: string; threadTs?: string },
  ): PostedMessage {
    const ts = this.#context.nextTs();
    const parent = input.threadTs
      ? this.#messages.get(messageKey(channel, input.threadTs))?.message
      : undefined;
    const message: SlackMessage = {
      // Slack clients send a client_msg_id with every message a person types.
      client_msg_id: randomUUID(),
      type: 'message',
      text: input.text,
      user: userId,
      ts,
      team: this.#context.identity.teamId,
      ...(input.threadTs
        ? {
            thread_ts: input.threadTs,
            parent_user_id: parent?.user ?? this.#context.identity.botUserId,
          }
        : {}),
    };
    this.#store({ channel, message, edited: false });
    return { channel, ts };
  }

  /**
   * A POST to a response_url, applied as Slack applies it: `delete_original` deletes the message
   * the URL came from, `replace_original` replaces it (keeping it ephemeral if it was), otherwise
   * `response_type: 'in_channel'` posts a message and `ephemeral` (the default) shows one to the
   * person only. https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
   */
  applyResponseUrlPost(target: ResponseUrlTarget, body: unknown): { status: number; body: string } {
    if (!isJsonObject(body)) return { status: 400, body: 'invalid_payload' };
    const { channelId, messageTs, userId } = target;
    const original = messageTs ? this.#messages.get(messageKey(channelId, messageTs)) : undefined;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (!original || !messageTs) return { status: 404, body: 'message_not_found' };
      this.#remove(channelId, messageTs);
      return { status: 200, body: 'ok' };
    }
    if (!hasMessageContent(body)) return { status: 400, body: 'no_text' };
    const replace = body.replace_original === true || body.replace_original === 'true';
    if (replace && original && messageTs) {
      // The reply replaces the whole message: blocks it leaves out are gone.
      const { blocks: _blocks, attachments: _attachments, ...kept } = original.message;
      const message: SlackMessage = {
        ...kept,
        text: stringArg(body, 'text') ?? '',
        ...(body.blocks !== undefined ? { blocks: appContent(body.blocks) } : {}),
        ...(body.attachments !== undefined ? { attachments: appContent(body.attachments) } : {}),
      };
      this.#store({ ...original, message, edited: true });
      return { status: 200, body: 'ok' };
    }
    const message = this.#botMessage(body, this.#context.nextTs());
    const inChannel = body.response_type === 'in_channel';
    this.#store({
      channel: channelId,
      message,
      edited: false,
      ...(inChannel ? {} : { ephemeralTo: userId }),
    });
    return { status: 200, body: 'ok' };
  }

  /** The messages `userId` sees in `channel`, oldest first: everyone's, and their ephemerals. */
  seenBy(userId: string, channel: string): EmulatedMessage[] {
    return [...this.#messages.values()]
      .filter((stored) => stored.channel === channel)
      .filter((stored) => stored.ephemeralTo === undefined || stored.ephemeralTo === userId)
      .map((stored) => emulatedMessage(stored))
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  /** The conversations that hold any message. */
  channels(): Set<string> {
    return new Set([...this.#messages.values()].map((stored) => stored.channel));
  }

  clear(): void {
    this.#messages.clear();
  }

  #botMessage(args: JsonObject, ts: string): SlackMessage {
    const { identity, startedAtSeconds } = this.#context;
    const threadTs = stringArg(args, 'thread_ts');
    return {
      user: identity.botUserId,
      type: 'message',
      ts,
      bot_id: identity.botId,
      app_id: identity.appId,
      text: stringArg(args, 'text') ?? '',
      team: identity.teamId,
      bot_profile: {
        id: identity.botId,
        app_id: identity.appId,
        name: identity.botName,
        icons: { image_48: `https://a.slack-edge.com/${identity.botId}_48.png` },
        deleted: false,
        updated: startedAtSeconds,
        team_id: identity.teamId,
      },
      ...(args.blocks !== undefined ? { blocks: appContent(args.blocks) } : {}),
      ...(args.attachments !== undefined ? { attachments: appContent(args.attachments) } : {}),
      ...(threadTs ? { thread_ts: threadTs, parent_user_id: identity.botUserId } : {}),
    };
  }

  #store(stored: StoredMessage): void {
    this.#messages.set(messageKey(stored.channel, stored.message.ts ?? ''), stored);
    this.#notify(stored);
  }

  #remove(channel: string, ts: string): void {
    const stored = this.#messages.get(messageKey(channel, ts));
    this.#messages.delete(messageKey(channel, ts));
    if (stored) this.#notify(stored);
  }

  /** Tells the person whose DM it is, if they can see it. */
  #notify(stored: StoredMessage): void {
    const owner = this.#context.dmOwner(stored.channel);
    if (!owner || (stored.ephemeralTo !== undefined && stored.ephemeralTo !== owner)) return;
    this.#context.changed(owner, 'dm');
  }
}

function emulatedMessage(stored: StoredMessage): EmulatedMessage {
  const { message } = stored;
  return {
    ts: message.ts ?? '',
    channel: stored.channel,
    user: message.user ?? '',
    text: message.text ?? '',
    ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
    ...(message.thread_ts !== undefined ? { threadTs: message.thread_ts } : {}),
    ...(stored.ephemeralTo !== undefined ? { ephemeral: true } : {}),
    ...(stored.edited ? { edited: true } : {}),
    ...(message.metadata !== undefined ? { metadata: message.metadata } : {}),
  };
}

function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

/** Orders Slack timestamps ("1512085950.000216") exactly, without floating point. */
function compareTs(a: string, b: string): number {
  const [aSeconds = '', aFraction = ''] = a.split('.');
  const [bSeconds = '', bFraction = ''] = b.split('.');
  return (
    Number(aSeconds) - Number(bSeconds) ||
    aFraction.padEnd(6, '0').localeCompare(bFraction.padEnd(6, '0'))
  );
}
