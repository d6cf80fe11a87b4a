/**
 * Closes the duplicate window of decision 0011: before a re-claimed row is posted again, the
 * outbox looks in the manager's DM for the message a sender posted for it and died before
 * confirming.
 */
import type { MessageMetadata } from '@slack/types';
import type { WebClient } from '@slack/web-api';

/**
 * How long before its due time a row's message may carry a ts: claims take only rows that are
 * due, so the margin only absorbs the difference between our clock and Slack's.
 */
const LOOKUP_MARGIN_MS = 5 * 60_000;
/** A DM holds a few of our messages a day; past this many pages the lookup gives up and posts. */
const LOOKUP_MAX_PAGES = 5;

function sameMetadata(
  found: { event_type?: string; event_payload?: object } | undefined,
  wanted: MessageMetadata,
): boolean {
  const payload = (found?.event_payload ?? {}) as Record<string, unknown>;
  return (
    found?.event_type === wanted.event_type &&
    Object.entries(wanted.event_payload).every(([key, value]) => payload[key] === value)
  );
}

/**
 * The message a sender posted for this row and died before confirming, if it is in the DM:
 * found by the metadata it was posted with, no older than the row's due time. Throws what
 * Slack throws. https://docs.slack.dev/reference/methods/conversations.history
 */
export async function findEarlierPost(
  slack: WebClient,
  outgoing: { channel: string; dueAt: string; metadata: MessageMetadata },
): Promise<{ channelId: string; ts: string } | undefined> {
  const { metadata } = outgoing;
  let channelId = outgoing.channel;
  // History is read by conversation id; a row that never had its DM confirmed has a user id.
  if (!channelId.startsWith('D')) {
    const opened = await slack.conversations.open({ users: outgoing.channel });
    channelId = String(opened.channel?.id);
  }
  const oldest = ((Date.parse(outgoing.dueAt) - LOOKUP_MARGIN_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
    const history = await slack.conversations.history({
      channel: channelId,
      oldest,
      // Without it Slack leaves the metadata out of the messages it returns.
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    const found = history.messages?.find((message) => sameMetadata(message.metadata, metadata));
    if (found?.ts) return { channelId, ts: found.ts };
    cursor = history.response_metadata?.next_cursor;
    if (!history.has_more || !cursor) return undefined;
  }
  return undefined;
}
