/**
 * The outbox's one hot Slack call, chat.postMessage, made straight over a keep-alive HTTP agent
 * instead of through WebClient (docs/decisions/0015-outbox-posts-without-webclient.md). A
 * fan-out makes one post per note; through WebClient each cost a form-encoded body with the
 * blocks as a JSON string, three redacted copies of request and response made for debug lines
 * whatever the log level, a queue and a retry wrapper the outbox switches off, and a fetch
 * (undici) with its web streams. Here: one JSON body, one parse of the answer.
 *
 * It fails exactly as the outbox's WebClient did (`rejectRateLimitedCalls`, no retries), with
 * the same error classes, so ./outbox-failures.ts classifies them unchanged, and it is measured
 * in the same metrics as every other Web API call (./slack-metrics.ts).
 * https://docs.slack.dev/reference/methods/chat.postMessage
 */
import { type IncomingHttpHeaders, STATUS_CODES } from 'node:http';
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

const METHOD = 'chat.postMessage';
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

export interface MessagePosterOptions {
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

export function createMessagePoster(options: MessagePosterOptions): ClosableMessagePoster {
  const base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  const url = new URL(METHOD, base);
  // Connections stay open between posts: a fan-out posts hundreds a second to one host.
  const pool = new Pool(url.origin);
  const { metrics, timeoutMs } = options;

  async function exchange(token: string, body: Buffer): Promise<Answer> {
    const response = await pool.request({
      path: url.pathname,
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

  const poster = async (client: WebClient, args: PostMessageArgs): Promise<PostedMessage> => {
    const started = performance.now();
    const record = (result: SlackApiResult) => {
      metrics.slackApi.calls.inc({ method: METHOD, result });
      metrics.slackApi.duration.observe(
        { method: METHOD, result },
        (performance.now() - started) / 1000,
      );
    };
    let answer: Answer;
    try {
      // Encoded once: a string body is measured for its length and then encoded again.
      answer = await exchange(client.token ?? '', Buffer.from(JSON.stringify(args)));
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
    const result = body as { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown };
    if (result.ok !== true) {
      throw new WebAPIPlatformError({
        ...(result as Record<string, unknown>),
        ok: false,
        error: String(result.error ?? 'unknown_error'),
      });
    }
    return {
      channel: typeof result.channel === 'string' ? result.channel : undefined,
      ts: typeof result.ts === 'string' ? result.ts : undefined,
    };
  };
  return Object.assign(poster, { close: () => pool.close() });
}
