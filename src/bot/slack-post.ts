/**
 * The bot's two hot Slack calls, made straight over undici's connection pool instead of through
 * WebClient (docs/decisions/0015-outbox-posts-without-webclient.md): the outbox's
 * chat.postMessage, one a note, and views.publish, one each time a Home tab is drawn (every
 * click on it). Through WebClient each cost a form-encoded body with the blocks as a JSON
 * string, three redacted copies of request and answer made for debug lines whatever the log
 * level, a queue, a retry wrapper, and a fetch with its web streams. Here: one JSON body, one
 * parse of the answer.
 *
 * Both fail with WebClient's error classes, so ./outbox-failures.ts and the listeners' failure
 * replies read them unchanged, and both are measured in the same metrics as every other Web API
 * call (./slack-metrics.ts). The post retries nothing, as the outbox's WebClient did; the
 * publish retries as the listeners' WebClient does.
 * https://docs.slack.dev/reference/methods/chat.postMessage
 * https://docs.slack.dev/reference/methods/views.publish
 */
import { type IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  type WebClient,
} from '@slack/web-api';
import { Pool } from 'undici';
import type { Metrics } from '../observability/metrics.ts';
import { VERSION } from '../version.ts';
import { type SlackApiResult, slackApiResult } from './slack-metrics.ts';

const USER_AGENT = `blindspot/${VERSION} node/${process.versions.node}`;

export interface PostMessageArgs {
  channel: string;
  text: string;
  blocks?: unknown[];
  metadata?: unknown;
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

export interface PostedMessage {
  channel?: string;
  ts?: string;
}

export interface SlackCallOptions {
  /** Slack's Web API base URL, e.g. https://slack.com/api/ (or the stand-in's). */
  apiUrl: string;
  metrics: Metrics;
  /** No answer within this long: the post fails as a request error, as WebClient's timeout. */
  timeoutMs: number;
}

/** Posts with the workspace's client's bot token; throws WebClient's error classes. */
export type MessagePoster = (client: WebClient, args: PostMessageArgs) => Promise<PostedMessage>;

/** A poster with its own connections to Slack, closed when the sender stops. */
export type ClosableMessagePoster = MessagePoster & { close(): Promise<void> };

/** The outbox's poster without this module: the client's own chat.postMessage (tests). */
export const postThroughWebClient: MessagePoster = (client, args) =>
  client.chat.postMessage(args as Parameters<WebClient['chat']['postMessage']>[0]);

/** What views.publish takes: the member whose Home tab it is, and the view. */
export interface PublishViewArgs {
  user_id: string;
  view: unknown;
  hash?: string;
}

/** Publishes a Home tab with the workspace's client's bot token; throws WebClient's errors. */
export type ViewPublisher = (client: WebClient, args: PublishViewArgs) => Promise<void>;

/** A publisher with its own connections to Slack, closed when the bot stops. */
export type ClosableViewPublisher = ViewPublisher & { close(): Promise<void> };

/** The publisher without this module: the client's own views.publish (tests). */
export const publishThroughWebClient: ViewPublisher = async (client, args) => {
  await client.views.publish(args as Parameters<WebClient['views']['publish']>[0]);
};

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key, String(value ?? '')]),
  );
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type SlackCall = (token: string, args: unknown) => Promise<Record<string, unknown>>;

/**
 * Calls of one Web API method with a JSON body over `pool`, each answered with Slack's JSON when
 * `ok`, or WebClient's error for what went wrong; each counted and timed under the method.
 */
function slackMethod(
  pool: Pool,
  base: string,
  method: string,
  options: SlackCallOptions,
): SlackCall {
  const { metrics, timeoutMs } = options;
  // Resolved once: the outbox posts hundreds a second.
  const path = new URL(method, base).pathname;

  async function exchange(token: string, body: Buffer): Promise<Answer> {
    const response = await pool.request({
      path,
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json; charset=utf-8',
        'user-agent': USER_AGENT,
      },
      body,
      // No answer, or no more of it, within this long: a request error, as WebClient's timeout.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return {
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      text: await response.body.text(),
    };
  }

  return async (token, args) => {
    const started = performance.now();
    const record = (result: SlackApiResult) => {
      metrics.slackApi.calls.inc({ method, result });
      metrics.slackApi.duration.observe({ method, result }, (performance.now() - started) / 1000);
    };
    let answer: Answer;
    try {
      // Encoded once: a string body is measured for its length and then encoded again.
      answer = await exchange(token, Buffer.from(JSON.stringify(args)));
    } catch (error) {
      record('request_error');
      throw new WebAPIRequestError(error as Error);
    }
    const body = parsed(answer.text);
    record(slackApiResult(answer.status, body));
    if (answer.status === 429) {
      const retryAfter = Number.parseInt(String(answer.headers['retry-after'] ?? ''), 10);
      throw new WebAPIRateLimitedError(Number.isFinite(retryAfter) ? retryAfter : 1);
    }
    if (answer.status !== 200 || typeof body !== 'object' || body === null) {
      throw new WebAPIHTTPError(
        answer.status,
        STATUS_CODES[answer.status] ?? '',
        flatHeaders(answer.headers),
        body ?? answer.text,
      );
    }
    const result = body as Record<string, unknown>;
    if (result.ok !== true) {
      throw new WebAPIPlatformError({
        ...result,
        ok: false,
        error: String(result.error ?? 'unknown_error'),
      });
    }
    return result;
  };
}

function connect(options: SlackCallOptions): { pool: Pool; base: string } {
  const base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  // Connections stay open between calls: a fan-out posts hundreds a second to one host.
  return { pool: new Pool(new URL(base).origin), base };
}

export function createMessagePoster(options: SlackCallOptions): ClosableMessagePoster {
  const { pool, base } = connect(options);
  const post = slackMethod(pool, base, 'chat.postMessage', options);
  const poster: MessagePoster = async (client, args) => {
    const result = await post(client.token ?? '', args);
    return {
      channel: typeof result.channel === 'string' ? result.channel : undefined,
      ts: typeof result.ts === 'string' ? result.ts : undefined,
    };
  };
  return Object.assign(poster, { close: () => pool.close() });
}

export interface ViewPublisherOptions extends SlackCallOptions {
  /**
   * The waits before each retry after no answer or an HTTP error: the listeners' WebClient's
   * (two retries, 200 ms doubling). A Slack refusal (`ok: false`) is not retried.
   */
  retryDelaysMs?: readonly number[];
  /** Waits out a delay or a 429's Retry-After; tests record the waits instead. */
  wait?: (ms: number) => Promise<void>;
}

const LISTENER_RETRY_DELAYS_MS = [200, 400];

/**
 * views.publish as the listeners' WebClient made it: a request error or an HTTP error is tried
 * again after a short wait, and a 429 after Slack's Retry-After, up to two more times, while
 * the member waits for their Home tab.
 */
export function createViewPublisher(options: ViewPublisherOptions): ClosableViewPublisher {
  const { pool, base } = connect(options);
  const publish = slackMethod(pool, base, 'views.publish', options);
  const delays = options.retryDelaysMs ?? LISTENER_RETRY_DELAYS_MS;
  const wait: (ms: number) => Promise<void> = options.wait ?? sleep;
  const publisher: ViewPublisher = async (client, args) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await publish(client.token ?? '', args);
        return;
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined || error instanceof WebAPIPlatformError) throw error;
        await wait(error instanceof WebAPIRateLimitedError ? error.retryAfter * 1_000 : delay);
      }
    }
  };
  return Object.assign(publisher, { close: () => pool.close() });
}
