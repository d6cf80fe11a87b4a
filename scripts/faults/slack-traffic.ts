/**
 * Steady Slack traffic for the fault scenarios: signed slash commands, as Slack sends them, at a
 * fixed rate, each timed to its acknowledgement and followed to what the user then sees (the
 * ephemeral answer the bot posts to the command's response_url). Slack shows the user an error
 * when an acknowledgement takes longer than 3 s (https://docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response),
 * and the bot promises a friendly "try again" wherever the database or the API was needed.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { busyText, tryAgainText } from '../../src/bot/blocks/messages.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import type { RecordedResponseUrlPost } from '../../src/slack-emulator/index.ts';
import { createSlackRequester } from '../../test/support/slack-requests.ts';
import { percentile } from '../bench/load.ts';
import type { World } from './world.ts';

/** Slack's limit on an acknowledgement. */
export const ACK_LIMIT_MS = 3_000;
/** How long after the last command its answer may still come (the bot's API calls time out). */
const ANSWER_GRACE_MS = 15_000;

export interface SlackTrafficSummary {
  sent: number;
  /** Commands answered 2xx within 3 s. */
  ackedInTime: number;
  /** Answered non-2xx, or later than 3 s, or not at all. */
  ackFailures: number;
  ackP99Ms: number;
  ackMaxMs: number;
  /** What users saw: the command's own answer, the friendly failure text, or nothing. */
  answered: number;
  friendly: number;
  /** Posts to the response_url that were neither the answer nor the friendly text. */
  unfriendly: number;
  /** Commands whose user never heard back. */
  silent: number;
  /** A few examples of what went wrong, for the report. */
  examples: string[];
}

export interface SlackTraffic {
  /** Ack times of commands sent from now on only. */
  mark(): void;
  stop(): Promise<SlackTrafficSummary>;
}

interface Sent {
  at: number;
  responseUrlId: string;
  ackMs?: number;
  status?: number;
  error?: string;
}

/**
 * Sends `/blindspot <command>` from `users` in turn, `perSecond` a second, until stopped.
 * `command` needs the API (and so the database): `actions` lists the user's open actions.
 */
export function startSlackTraffic(
  world: World,
  options: { users: readonly string[]; perSecond: number; command?: string },
): SlackTraffic {
  const requester = createSlackRequester({
    baseUrl: world.deployment.slack.url,
    signingSecret: world.signingSecret,
    teamId: world.team,
    standIn: world.standIn,
    timeoutMs: 30_000,
  });
  const command = options.command ?? 'actions';
  const sent: Sent[] = [];
  const posts = new Map<string, RecordedResponseUrlPost>();
  const unsubscribe = world.standIn.onResponseUrlPost((post) => {
    if (!posts.has(post.id)) posts.set(post.id, post);
  });
  let running = true;
  let turn = 0;
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    const intervalMs = 1000 / options.perSecond;
    let next = performance.now();
    while (running) {
      const userId = options.users[turn++ % options.users.length] as string;
      const entry: Sent = { at: Date.now(), responseUrlId: '' };
      const responseUrl = world.standIn.newResponseUrl();
      entry.responseUrlId = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
      sent.push(entry);
      const request = requester
        .slashCommand({ command: '/blindspot', text: command, userId, responseUrl })
        .then(
          (response) => {
            entry.ackMs = response.elapsedMs;
            entry.status = response.status;
          },
          (error: unknown) => {
            entry.error = (error as Error).message;
          },
        )
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
      // A steady rate: after a stall (a busy machine), carry on from now rather than catch up.
      next = Math.max(next + intervalMs, performance.now() - intervalMs);
      await delay(Math.max(0, next - performance.now()));
    }
  })();
  let from = 0;

  return {
    mark() {
      from = sent.length;
    },
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
      const measured = sent.slice(from);
      // Answers come after the ack; wait for the last ones, or until the grace runs out.
      const deadline = Date.now() + ANSWER_GRACE_MS;
      while (Date.now() < deadline && measured.some((s) => !posts.has(s.responseUrlId))) {
        await delay(200);
      }
      unsubscribe();
      return summarise(measured, posts);
    },
  };
}

function textOf(post: RecordedResponseUrlPost): string {
  const body = post.body as { text?: unknown } | string;
  return typeof body === 'string' ? body : String(body.text ?? '');
}

function summarise(
  measured: Sent[],
  posts: Map<string, RecordedResponseUrlPost>,
): SlackTrafficSummary {
  const acks = measured
    .filter((s) => s.ackMs !== undefined)
    .map((s) => s.ackMs as number)
    .sort((a, b) => a - b);
  const examples: string[] = [];
  const example = (line: string) => {
    if (examples.length < 5) examples.push(line);
  };
  let ackFailures = 0;
  let answered = 0;
  let friendly = 0;
  let unfriendly = 0;
  let silent = 0;
  for (const s of measured) {
    const inTime =
      s.status !== undefined &&
      s.status < 300 &&
      (s.ackMs ?? Number.POSITIVE_INFINITY) <= ACK_LIMIT_MS;
    if (!inTime) {
      ackFailures += 1;
      example(
        `ack ${s.status ?? 'none'} after ${s.ackMs?.toFixed(0) ?? '∞'} ms${s.error ? ` (${s.error})` : ''}`,
      );
    }
    const post = posts.get(s.responseUrlId);
    if (!post) {
      silent += 1;
      continue;
    }
    const text = textOf(post);
    if (text === tryAgainText(voiceFor()) || text === busyText(voiceFor())) friendly += 1;
    else if (/error|fail|exception|\b5\d\d\b/i.test(text)) {
      unfriendly += 1;
      example(`answered "${text.slice(0, 80)}"`);
    } else answered += 1;
  }
  return {
    sent: measured.length,
    ackedInTime: measured.length - ackFailures,
    ackFailures,
    ackP99Ms: percentile(acks, 99),
    ackMaxMs: acks.at(-1) ?? Number.NaN,
    answered,
    friendly,
    unfriendly,
    silent,
    examples,
  };
}

/** "240 commands: ack p99 41 ms, max 380 ms; 220 answered, 20 friendly 'try again', 0 silent". */
export function describeTraffic(s: SlackTrafficSummary): string {
  return (
    `${s.sent} commands: ack p99 ${Math.round(s.ackP99Ms)} ms, max ${Math.round(s.ackMaxMs)} ms` +
    `${s.ackFailures > 0 ? ` (${s.ackFailures} over 3 s or not 2xx)` : ''}; ` +
    `${s.answered} answered, ${s.friendly} friendly "try again"` +
    `${s.unfriendly > 0 ? `, ${s.unfriendly} unfriendly` : ''}, ${s.silent} silent`
  );
}

/** Whether the traffic kept Slack's and the user's promises: all in time, nobody left unanswered. */
export function trafficKeptPromises(s: SlackTrafficSummary): boolean {
  return s.sent > 0 && s.ackFailures === 0 && s.unfriendly === 0 && s.silent === 0;
}

/** Managers who use Slack during a scenario: known to the stand-in, signed up through the API. */
export async function signUpUsers(world: World, count: number, prefix = 'U0TRAFFIC') {
  const users = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  // Their notes due at a time of day far from now, so they stay out of the scenario's figures.
  const farHour = String((new Date().getUTCHours() + 12) % 24).padStart(2, '0');
  for (const user of users) {
    world.standIn.addUser({ id: user, tz: 'UTC' });
    await world.api('PUT', '/me', user, { timeZone: 'UTC', locale: 'en-US' });
    await world.api('PUT', '/subscriptions/me', user, {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      localTime: `${farHour}:00`,
      timeZone: 'UTC',
    });
    await world.api('POST', '/action-items', user, {
      text: `Ask ${user} one question`,
      source: 'api',
    });
  }
  return users;
}
