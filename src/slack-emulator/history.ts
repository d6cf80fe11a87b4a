/**
 * conversations.history over the stand-in's stored messages, answered the way Slack answers it:
 * newest first, bounded by `oldest`/`latest` (exclusive unless `inclusive`), `limit` per page
 * with a `next_cursor`, and message metadata only for callers that ask with
 * `include_all_metadata`. https://docs.slack.dev/reference/methods/conversations.history
 */
import type { ConversationsHistoryResponse } from '@slack/web-api';
import { flagArg, stringArg } from './requests.ts';
import type { JsonObject, SlackMessage, SlackNulls } from './types.ts';

/** Slack's default page size, and the most it returns in one page. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

/** A ts ("1512085950.000216", or "1512085950" as a bound) as microseconds, for exact ordering. */
export function tsMicros(ts: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match) return undefined;
  return BigInt(match[1] ?? '0') * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}

// Slack's cursors are base64 of "next_ts:<ts without the dot>"; callers treat them as opaque.
function encodeCursor(micros: bigint): string {
  return Buffer.from(`next_ts:${micros}`).toString('base64');
}

function decodeCursor(cursor: string): bigint | undefined {
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? BigInt(match[1] ?? '0') : undefined;
}

/**
 * One page of a channel's history. `messages` are the channel's stored messages in any order;
 * thread replies are left out, as Slack leaves them out of conversations.history.
 */
export function historyPage(
  messages: readonly SlackMessage[],
  args: JsonObject,
): SlackNulls<ConversationsHistoryResponse, 'channel_actions_ts'> {
  const inclusive = flagArg(args, 'inclusive');
  const oldest = tsMicros(stringArg(args, 'oldest') ?? '0');
  const latestArg = stringArg(args, 'latest');
  const latest = latestArg === undefined ? undefined : tsMicros(latestArg);
  const cursorArg = stringArg(args, 'cursor');
  const cursor = cursorArg === undefined ? undefined : decodeCursor(cursorArg);
  const limitArg = stringArg(args, 'limit');
  const limit = Number(limitArg ?? DEFAULT_LIMIT);
  if (oldest === undefined) return { ok: false, error: 'invalid_ts_oldest' };
  if (latestArg !== undefined && latest === undefined)
    return { ok: false, error: 'invalid_ts_latest' };
  if (cursorArg !== undefined && cursor === undefined)
    return { ok: false, error: 'invalid_cursor' };
  // Slack answers a page of at most 999 whatever the caller asks, and its default for none.
  const pageSize =
    Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : DEFAULT_LIMIT;
  const withMetadata = flagArg(args, 'include_all_metadata');

  const inRange = messages
    .map((message) => ({ message, at: tsMicros(message.ts ?? '') ?? 0n }))
    .filter(({ message }) => message.thread_ts === undefined || message.thread_ts === message.ts)
    .filter(({ at }) => (inclusive ? at >= oldest : at > oldest))
    .filter(({ at }) => latest === undefined || (inclusive ? at <= latest : at < latest))
    // The cursor names the next message to return, so it bounds the page inclusively.
    .filter(({ at }) => cursor === undefined || at <= cursor)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const page = inRange.slice(0, pageSize);
  const next = inRange[pageSize];
  return {
    ok: true,
    messages: page.map(({ message }) => {
      if (withMetadata) return message;
      const { metadata: _hidden, ...rest } = message;
      return rest;
    }),
    has_more: next !== undefined,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: next ? encodeCursor(next.at) : '' },
  };
}
