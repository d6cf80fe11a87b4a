/**
 * The bot's outbox: sends the blind-spot notes, the reminders and the digests. It claims due
 * deliveries and reminders from the API in batches, under a lease; posts each to the manager's
 * DM; and confirms it with the message ts, or reports why it failed. A lease that runs out
 * unconfirmed (a bot that died) is claimed again by any replica. Several bot replicas can run
 * this at once: the API never hands one delivery to two of them.
 */
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  type WebClient,
} from '@slack/web-api';
import type { Logger } from '../observability/logger.ts';
import type { ApiClient, FailureReport } from './api-client/index.ts';
import { buildDigestMessage, buildReminderMessage } from './blocks/reminders.ts';
import { buildTopicMessage } from './blocks/topic-message.ts';

/** Something to send: a topic note, a reminder, or a digest, with where to report back. */
interface OutboxMessage {
  kind: 'delivery' | 'reminder';
  id: string;
  attempt: number;
  channel: string;
  compose: () => { text: string; blocks: unknown[]; metadata?: unknown };
  confirm: (sent: { attempt: number; channelId: string; ts: string }) => Promise<unknown>;
  report: (failure: FailureReport) => Promise<{ status: string }>;
}

/** The two queues the outbox works through, each claimed from the API under a lease. */
async function claimMessages(
  api: ApiClient,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxMessage[]> {
  const [deliveries, reminders] = await Promise.all([
    api.claimDeliveries(limit, leaseSeconds),
    api.claimReminders(limit, leaseSeconds),
  ]);
  return [
    ...deliveries.map(
      (d): OutboxMessage => ({
        kind: 'delivery',
        id: d.id,
        attempt: d.attempt,
        channel: d.dmChannelId ?? d.slackUserId,
        compose: () => buildTopicMessage(d),
        confirm: (sent) => api.confirmDelivery(d.id, sent),
        report: (failure) => api.reportDeliveryFailure(d.id, failure),
      }),
    ),
    ...reminders.map(
      (r): OutboxMessage => ({
        kind: 'reminder',
        id: r.id,
        attempt: r.attempt,
        channel: r.dmChannelId ?? r.slackUserId,
        compose: () => (r.digest ? buildDigestMessage(r.digest) : buildReminderMessage(r)),
        confirm: (sent) => api.confirmReminder(r.id, sent),
        report: (failure) => api.reportReminderFailure(r.id, failure),
      }),
    ),
  ];
}

/**
 * Slack errors that mean this manager cannot be messaged at all: retrying would only repeat
 * the error, so the delivery fails and the subscription pauses with the reason.
 */
const UNREACHABLE = new Set([
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'channel_not_found',
  'cannot_dm_bot',
  'is_archived',
]);

export interface OutboxOptions {
  api: ApiClient;
  /** A client that rejects rate-limited calls instead of waiting: we schedule the retry. */
  slack: WebClient;
  logger: Logger;
  /** How long to wait between claims when there was nothing (or little) to send. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Longer than the slowest send plus its confirmation. */
  leaseSeconds?: number;
  /** Messages in flight at once. */
  concurrency?: number;
}

export interface Outbox {
  /** Stops claiming, lets messages in flight finish, then resolves. */
  stop(): Promise<void>;
}

function classify(error: unknown): Omit<FailureReport, 'attempt'> {
  if (error instanceof WebAPIRateLimitedError) {
    return {
      kind: 'rate_limited',
      code: 'ratelimited',
      retryAfterSeconds: Math.ceil(error.retryAfter),
    };
  }
  if (error instanceof WebAPIPlatformError) {
    const code =
      String(error.data.error)
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 64) || 'platform_error';
    return { kind: UNREACHABLE.has(code) ? 'unreachable' : 'transient', code };
  }
  if (error instanceof WebAPIHTTPError)
    return { kind: 'transient', code: `http_${error.statusCode}` };
  return { kind: 'transient', code: 'request_failed' };
}

export function startOutbox(options: OutboxOptions): Outbox {
  const { api, slack, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const concurrency = options.concurrency ?? 32;
  const log = logger.child({ component: 'outbox' });

  let running = true;
  /** Claimed and not yet sent. Refilled before it runs dry, so no slot waits on a claim. */
  const queue: OutboxMessage[] = [];
  let claiming: Promise<number> | undefined;
  let idle: { done: Promise<void>; wake: () => void } | undefined;
  /** Slack asked us to slow down: no message leaves before this time. */
  let pausedUntil = 0;

  /** One shared wait, so that idle slots poll the API once per interval, not once each. */
  function sleep(ms: number): Promise<void> {
    if (!idle) {
      let wake = () => {};
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => {
        idle = undefined;
      });
      idle = { done, wake };
    }
    return idle.done;
  }

  /** Claims the next batch, unless a claim is already under way: then it shares that one. */
  function refill(): Promise<number> {
    claiming ??= claimMessages(api, batchSize, leaseSeconds)
      .then((messages) => {
        queue.push(...messages);
        return messages.length;
      })
      .catch((error: unknown) => {
        log.warn({ err: error }, 'could not claim deliveries; trying again shortly');
        return 0;
      })
      .finally(() => {
        claiming = undefined;
      });
    return claiming;
  }

  async function report(outgoing: OutboxMessage, failure: Omit<FailureReport, 'attempt'>) {
    const subject = { [`${outgoing.kind}Id`]: outgoing.id };
    try {
      const outcome = await outgoing.report({ attempt: outgoing.attempt, ...failure });
      const level = failure.kind === 'unreachable' ? 'warn' : 'info';
      log[level]({ ...subject, ...failure, ...outcome }, `${outgoing.kind} not sent`);
    } catch (error) {
      // The lease runs out and it is claimed again: nothing is lost.
      log.warn({ err: error, ...subject }, `could not report a failed ${outgoing.kind}`);
    }
  }

  async function confirm(outgoing: OutboxMessage, channelId: string, ts: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        await outgoing.confirm({ attempt: outgoing.attempt, channelId, ts });
        return;
      } catch (error) {
        if (attempt >= 3) {
          log.error(
            { err: error, [`${outgoing.kind}Id`]: outgoing.id, ts },
            'sent, but could not confirm',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  }

  async function send(outgoing: OutboxMessage) {
    const waitMs = pausedUntil - Date.now();
    if (waitMs > 0) {
      // Rate-limited since this batch was claimed: hand it back for after the pause.
      await report(outgoing, {
        kind: 'rate_limited',
        code: 'ratelimited',
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
      return;
    }
    let posted: { channel?: string; ts?: string };
    try {
      posted = await slack.chat.postMessage({
        channel: outgoing.channel,
        ...(outgoing.compose() as { text: string }),
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      const failure = classify(error);
      if (failure.kind === 'rate_limited') {
        pausedUntil = Math.max(pausedUntil, Date.now() + (failure.retryAfterSeconds ?? 1) * 1000);
      }
      await report(outgoing, failure);
      return;
    }
    await confirm(outgoing, String(posted.channel), String(posted.ts));
  }

  /** One of `concurrency` slots: sends claimed messages, claiming more before the queue runs dry. */
  async function slot(): Promise<void> {
    // On stop, what is already claimed is still sent: left alone it would wait out its lease.
    while (running || queue.length > 0) {
      const outgoing = queue.shift();
      if (outgoing) {
        if (running && queue.length < concurrency) void refill();
        await send(outgoing);
        continue;
      }
      const waitMs = pausedUntil - Date.now();
      if (waitMs > 0) {
        await sleep(waitMs);
        continue;
      }
      const claimed = await refill();
      if (running && claimed === 0 && queue.length === 0) await sleep(pollIntervalMs);
    }
  }

  const slots = Promise.all(Array.from({ length: concurrency }, slot));

  return {
    async stop() {
      running = false;
      idle?.wake();
      await claiming;
      await slots;
    },
  };
}
