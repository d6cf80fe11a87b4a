/**
 * The bot's outbox: sends the blind-spot notes, the reminders and the digests. It claims due
 * deliveries and reminders from the API in batches, under a lease; posts each to the manager's
 * DM; and confirms it with the message ts, or reports why it failed. Leases are short and renewed
 * while the bot holds the rows, so a lease that runs out unconfirmed (a bot that died) is claimed
 * again by any replica within seconds (./outbox-leases.ts); before posting such a message again,
 * the outbox looks for it in the DM, where a sender that died after posting left it
 * (decision 0011). Several bot replicas can run this at once: the API never hands one delivery
 * to two of them. A 429 from Slack pauses sends to that workspace here, and through the failure
 * report holds it for every replica until Slack's Retry-After; before each post the outbox
 * checks the holds every replica recorded, read at most `holdPollMs` ago (./outbox-holds.ts,
 * decision 0013).
 */

import { WebAPIPlatformError, WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { Logger } from '../observability/logger.ts';
import type { ApiClient, FailureReport } from './api-client/index.ts';
import { createTopicNoteBuilder } from './blocks/topic-note-templates.ts';
import { createAwayCheck } from './outbox-away-check.ts';
import { claimMessages, ledgerRests, type OutboxMessage } from './outbox-claims.ts';
import { batchConfirmations } from './outbox-confirmations.ts';
import { findEarlierPost } from './outbox-earlier-post.ts';
import { classify } from './outbox-failures.ts';
import { DEFAULT_HOLD_POLL_MS, trackWorkspaceHolds } from './outbox-holds.ts';
import { keepLeases } from './outbox-leases.ts';
import { createPace, type PostOutcome } from './outbox-pace.ts';
import type { MessagePoster } from './slack-post.ts';

/**
 * Notes fall due on the minute (a manager's HH:MM, in any zone): an idle sender wakes this long
 * after the next minute starts, rather than up to a poll interval after it.
 */
const PAST_THE_MINUTE_MS = 20;

/** Failed claims in a row before the outbox warns: about three polls' worth. */
const CLAIM_FAILURES_WORTH_A_WARNING = 3;

export interface OutboxOptions {
  api: ApiClient;
  /**
   * A client that rejects rate-limited calls instead of waiting: we schedule the retry. With
   * many workspaces (Add to Slack), a function giving the client with the team's own token.
   */
  slack: WebClient | ((teamId: string) => Promise<WebClient>);
  /**
   * How a note is posted with a workspace's client: ./slack-post.ts's createMessagePoster, as
   * the bot runs; postThroughWebClient only where a test must reach WebClient's own call.
   */
  post: MessagePoster;
  logger: Logger;
  /** How long to wait between claims when there was nothing (or little) to send. */
  pollIntervalMs?: number;
  batchSize?: number;
  /**
   * How long a claim (and each renewal) holds a row. Short, so that rows a dead bot held go to
   * another replica soon; renewed while held, so a slow send or a long queue keeps its rows.
   */
  leaseSeconds?: number;
  /** How often held leases are renewed: by default a third of the lease, so two may fail. */
  renewEveryMs?: number;
  /** Messages in flight at once, at most: the ceiling of each workspace's adaptive pace. */
  concurrency?: number;
  /** Posts in flight to a workspace at first, before Slack's answers have set the pace. */
  initialPace?: number;
  /** A chat.postMessage slower than this counts as congestion (./outbox-pace.ts). */
  slowPostMs?: number;
  /**
   * How stale, at most, this replica's view of the workspaces other replicas were rate-limited
   * in may be when it posts (./outbox-holds.ts). On `now`'s clock.
   */
  holdPollMs?: number;
  /** The clock Slack's Retry-After and the hold polls are counted on; injected by tests. */
  now?: () => Date;
  /**
   * The service's clock, that notes fall due and Slack statuses expire and are cached on (the
   * sandbox's moves).
   */
  serviceNow?: () => Date;
}

export interface Outbox {
  /**
   * Claims now rather than at the next poll: a planner in this process has just run, so notes
   * or reminders may have fallen due (the sandbox's time machine). Both ledgers are asked. A
   * sender that is claiming or sending goes on; it claims again as soon as it runs out.
   */
  wake(): void;
  /** Stops claiming, lets messages in flight finish, then resolves. */
  stop(): Promise<void>;
}

export function startOutbox(options: OutboxOptions): Outbox {
  const { api, logger } = options;
  const fixedSlack = options.slack;
  const slackFor =
    typeof fixedSlack === 'function' ? fixedSlack : async (_teamId: string) => fixedSlack;
  const { post } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  // Short, so a dead sender's rows come free within seconds of its restart (npm run faults' kill
  // scenarios: with 20 s the drain after a kill -9 took 15.5–15.9 s, past the 15 s promise).
  const leaseSeconds = options.leaseSeconds ?? 10;
  const renewEveryMs = options.renewEveryMs ?? (leaseSeconds * 1000) / 3;
  const concurrency = options.concurrency ?? 32;
  // A claim takes a few round trips; started while a batch's worth is still queued, it lands
  // before the slots run dry at full speed (about 1,000 notes a second).
  const refillBelow = Math.max(concurrency, batchSize);
  const now = options.now ?? (() => new Date());
  const serviceNow = options.serviceNow ?? now;
  const log = logger.child({ component: 'outbox' });
  const pace = createPace({
    initial: options.initialPace ?? 8,
    ceiling: concurrency,
    slowMs: options.slowPostMs ?? 1_500,
  });
  const confirmations = {
    deliveries: batchConfirmations((sent) => api.confirmDeliveries(sent)),
    reminders: batchConfirmations((sent) => api.confirmReminders(sent)),
  };

  let running = true;
  /** Claimed and not yet sent. Refilled before it runs dry, so no slot waits on a claim. */
  const queue: OutboxMessage[] = [];
  /** Renews the leases of what is claimed and not yet finished (queued or in flight). */
  const leases = keepLeases<OutboxMessage>({
    api,
    log,
    leaseSeconds,
    renewEveryMs,
    onLost(lost) {
      const queued = queue.indexOf(lost);
      if (queued >= 0) queue.splice(queued, 1);
      // One in flight is finished: its confirmation records the truth either way.
      log.warn(
        { [`${lost.kind}Id`]: lost.id, attempt: lost.attempt, dropped: queued >= 0 },
        `lost the lease on a ${lost.kind}`,
      );
    },
  });
  let claiming: Promise<number> | undefined;
  /** A ledger that came back empty is not asked again before the next poll. */
  const rests = ledgerRests(() => now().getTime());
  const noteFor = createTopicNoteBuilder();
  /** Claims failed in a row; see refill. */
  let failedClaims = 0;
  let idle: { done: Promise<void>; wake: () => void } | undefined;
  /**
   * The workspaces Slack asked us, or another replica, to slow down in: what this replica
   * already claimed there waits; the API keeps every replica's claims off them (decision 0013).
   */
  const skipIfAway = createAwayCheck({ slackFor, api, log, now: serviceNow });
  const holds = trackWorkspaceHolds({
    api,
    log,
    now,
    pollMs: options.holdPollMs ?? DEFAULT_HOLD_POLL_MS,
  });

  /** Until the next poll: the poll interval, or less when a minute (and its notes) starts sooner. */
  function idleWaitMs(): number {
    const at = serviceNow().getTime();
    return Math.min(pollIntervalMs, 60_000 - (at % 60_000) + PAST_THE_MINUTE_MS);
  }

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
    if (claiming) return claiming;
    const ask = rests.toAsk();
    claiming = claimMessages(api, confirmations, batchSize, leaseSeconds, noteFor, ask)
      .then((messages) => {
        rests.found(ask, messages, idleWaitMs());
        failedClaims = 0;
        queue.push(...messages);
        leases.hold(messages);
        return messages.length;
      })
      .catch((error: unknown) => {
        // One failed claim (a slow start, a restarting api) is retried within a poll and costs
        // nothing; a run of them means the bot cannot reach the api, which is worth a warning.
        failedClaims += 1;
        const level = failedClaims >= CLAIM_FAILURES_WORTH_A_WARNING ? 'warn' : 'info';
        log[level](
          { err: error, failedClaims },
          'could not claim deliveries; trying again shortly',
        );
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
    const subject = { [`${outgoing.kind}Id`]: outgoing.id, ts };
    try {
      const status = await outgoing.confirm({ attempt: outgoing.attempt, channelId, ts });
      // Another message was recorded for this row first: a duplicate reached the manager.
      if (status === 'conflict') log.error(subject, 'sent, but another message was recorded');
      // Erased meanwhile (the manager's data, or the workspace's): nothing to record it on.
      if (status === 'not_found') log.warn(subject, `sent, but the ${outgoing.kind} is gone`);
    } catch (error) {
      log.error({ err: error, ...subject }, 'sent, but could not confirm');
    }
  }

  /**
   * Reports a failed Slack call; a 429 also pauses every send to the workspace until Slack's
   * Retry-After, here and (through the report) in every replica.
   */
  async function fail(outgoing: OutboxMessage, error: unknown) {
    const failure = classify(error);
    if (failure.kind === 'rate_limited') {
      holds.hold(outgoing.teamId, now().getTime() + (failure.retryAfterSeconds ?? 1) * 1000);
    }
    await report(outgoing, failure);
  }

  /**
   * For a re-claimed message: confirms the one a dead sender already posted, if it is in the
   * DM. `not_found` means it is still to be posted; `failed`, that the lookup's failure was
   * reported and the row goes back to the ledger.
   */
  async function confirmEarlierPost(
    outgoing: OutboxMessage,
  ): Promise<'confirmed' | 'not_found' | 'failed'> {
    const subject = { [`${outgoing.kind}Id`]: outgoing.id, attempt: outgoing.attempt };
    try {
      const { channel, dueAt } = outgoing;
      const { metadata } = outgoing.compose();
      const slack = await slackFor(outgoing.teamId);
      const earlier = await findEarlierPost(slack, { channel, dueAt, metadata });
      if (!earlier) return 'not_found';
      log.info({ ...subject, ts: earlier.ts }, `${outgoing.kind} already posted; confirming it`);
      await confirm(outgoing, earlier.channelId, earlier.ts);
      return 'confirmed';
    } catch (error) {
      // A workspace installed before im:history and im:write were granted cannot look: a
      // possible duplicate is better than a note never sent.
      if (error instanceof WebAPIPlatformError && error.data.error === 'missing_scope') {
        log.warn(subject, 'cannot read DM history (missing im:history); posting again');
        return 'not_found';
      }
      await fail(outgoing, error);
      return 'failed';
    }
  }

  /** Posts one message; says how Slack answered, for the pace (nothing was posted: `error`). */
  async function send(outgoing: OutboxMessage): Promise<PostOutcome> {
    const waitMs = await holds.remainingMs(outgoing.teamId);
    if (waitMs > 0) {
      // Rate-limited (here or by another replica) since this batch was claimed: hand it back
      // for after the pause.
      await report(outgoing, {
        kind: 'rate_limited',
        code: 'ratelimited',
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
      return { kind: 'error' };
    }
    // A second claim may follow a sender that posted and died before confirming.
    if (outgoing.attempt > 1 && (await confirmEarlierPost(outgoing)) !== 'not_found') {
      return { kind: 'error' };
    }
    // A note whose manager's Slack status says they are out is recorded as skipped, not posted.
    if (outgoing.statusOf && (await skipIfAway({ ...outgoing, userId: outgoing.statusOf }))) {
      return { kind: 'error' };
    }
    let posted: { channel?: string; ts?: string };
    let startedAt = 0;
    try {
      const slack = await slackFor(outgoing.teamId);
      startedAt = performance.now();
      posted = await post(slack, {
        channel: outgoing.channel,
        ...outgoing.compose(),
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      await fail(outgoing, error);
      return { kind: error instanceof WebAPIRateLimitedError ? 'rate_limited' : 'error' };
    }
    const latencyMs = performance.now() - startedAt;
    // Confirmed while the slot moves on: the pace counts Slack calls in flight, and the
    // confirmation (a batch shared with other slots) holds only the lease, released after it.
    confirming.set(
      outgoing,
      confirm(outgoing, String(posted.channel), String(posted.ts)).finally(() => {
        confirming.delete(outgoing);
        leases.release(outgoing);
      }),
    );
    return { kind: 'ok', latencyMs };
  }

  /**
   * One of `concurrency` slots: sends claimed messages, claiming more before the queue runs dry.
   * It takes the first queued message whose workspace has room under its pace; when none has,
   * it waits for a post in flight to finish.
   */
  async function slot(): Promise<void> {
    // On stop, what is already claimed is still sent: left alone it would wait out its lease.
    while (running || queue.length > 0) {
      const next = queue.findIndex((message) => pace.canStart(message.teamId));
      if (next >= 0) {
        const [outgoing] = queue.splice(next, 1) as [OutboxMessage];
        if (running && queue.length < refillBelow) void refill();
        pace.start(outgoing.teamId);
        let outcome: PostOutcome = { kind: 'error' };
        try {
          outcome = await send(outgoing);
        } finally {
          pace.finish(outgoing.teamId, outcome);
          if (!confirming.has(outgoing)) leases.release(outgoing);
        }
        continue;
      }
      if (queue.length > 0) {
        await pace.nextFinish();
        continue;
      }
      // A rate-limited workspace's rows are not handed out until its hold ends; others are.
      const claimed = await refill();
      if (running && claimed === 0 && queue.length === 0) await sleep(idleWaitMs());
    }
  }

  /** Posted, and their confirmations under way: their leases are released when these end. */
  const confirming = new Map<OutboxMessage, Promise<void>>();
  const slots = Promise.all(Array.from({ length: concurrency }, slot));

  return {
    wake() {
      rests.wake();
      idle?.wake();
    },
    async stop() {
      running = false;
      idle?.wake();
      await claiming;
      await slots;
      await Promise.all(confirming.values());
      // What was claimed is sent by now: nothing left to hold.
      await leases.stop();
    },
  };
}
