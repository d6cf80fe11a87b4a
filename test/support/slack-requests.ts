/**
 * Sends requests to an app's Slack endpoint exactly as Slack does: slash commands and
 * interactions form-encoded, Events API callbacks as JSON, all signed with the app's signing
 * secret. The payloads themselves are built in slack-payloads.ts.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
import { isDeepStrictEqual } from 'node:util';
import type { EnvelopedEvent, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import { slackSignature } from '../../src/bot/slack-signature.ts';
import {
  type BlockActionsInput,
  type BlockActionsPayload,
  newEventId,
  type SlackEventInput,
  type SlackPayloadOptions,
  type SlashCommandInput,
  slackPayloads,
  type ViewSubmissionInput,
} from './slack-payloads.ts';

/** What Slack's own HTTP client announces itself as. */
export const SLACKBOT_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

/** The headers Slack adds to every request it signs. */
export interface SlackSignatureHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/** Input of {@link signSlackRequest}. */
export interface SlackSignatureInput {
  signingSecret: string;
  /** The raw body, byte for byte as it will be sent. */
  body: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/**
 * Signs a request body the way Slack does: `v0=` and the hex HMAC-SHA256, keyed with the signing
 * secret, of `v0:<timestamp>:<raw body>`.
 */
export function signSlackRequest(input: SlackSignatureInput): SlackSignatureHeaders {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': slackSignature(input.signingSecret, timestamp, input.body),
  };
}

/**
 * Form-encodes fields in the given order, as Slack does (spaces as `+`, `/` as `%2F`); fields
 * whose value is undefined are left out.
 */
export function encodeSlackForm(fields: Readonly<Record<string, string | undefined>>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(key, value);
  }
  return form.toString();
}

/** Options for {@link createSlackRequester}: where the app listens, and whose requests these are. */
export interface SlackRequesterOptions extends SlackPayloadOptions {
  /** Where the app listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  signingSecret: string;
  /** Path of the app's Slack endpoint; defaults to `/slack/events`. */
  path?: string;
  /** Gives up on the app after this long; defaults to 10000 ms. */
  timeoutMs?: number;
}

/** What the app answered. */
export interface SlackAppResponse {
  status: number;
  headers: Headers;
  /** The body as text. */
  body: string;
  /** Time from sending until the whole answer arrived; Slack gives up after 3 seconds. */
  elapsedMs: number;
  /** What was sent, for assertions and debugging. */
  sent: { headers: Readonly<Record<string, string>>; body: string };
  /** The body parsed as JSON; throws, quoting the body, when it is not JSON. */
  json(): unknown;
}

/** Options that every signed request accepts. */
export interface SigningOverrides {
  /** Unix seconds to stamp and sign with, e.g. six minutes ago to test stale requests. */
  timestamp?: number;
}

/** Options of {@link SlackRequester.event}. */
export interface EventOptions extends SigningOverrides {
  /** Marks a redelivery: Slack sends `X-Slack-Retry-Num` 1, 2, 3 with the original event_id. */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`; defaults to `http_timeout` on retries. */
  retryReason?:
    | 'http_timeout'
    | 'http_error'
    | 'too_many_redirects'
    | 'connection_failed'
    | 'ssl_error'
    | 'unknown_error';
  /** The event_id to use; a retry of an event sent earlier resends that envelope unchanged. */
  eventId?: string;
}

/** Input of {@link SlackRequester.raw}. */
export interface RawRequestInput extends SigningOverrides {
  body: string;
  contentType: string;
  headers?: Record<string, string>;
  /** Sent instead of the correct signature; `null` leaves the header out. */
  signature?: string | null;
}

/** Sends Slack-signed requests to one app; see {@link createSlackRequester}. */
export interface SlackRequester {
  slashCommand(
    input: SlashCommandInput & SigningOverrides,
  ): Promise<SlackAppResponse & { payload: SlashCommand; responseUrl: string; triggerId: string }>;
  blockActions(input: BlockActionsInput & SigningOverrides): Promise<
    SlackAppResponse & {
      payload: BlockActionsPayload;
      responseUrl: string | undefined;
      triggerId: string;
    }
  >;
  viewSubmission(
    input: ViewSubmissionInput & SigningOverrides,
  ): Promise<SlackAppResponse & { payload: ViewSubmitAction; triggerId: string }>;
  event(
    event: SlackEventInput,
    options?: EventOptions,
  ): Promise<SlackAppResponse & { envelope: EnvelopedEvent<SlackEventInput>; eventId: string }>;
  urlVerification(challenge: string, options?: SigningOverrides): Promise<SlackAppResponse>;
  raw(input: RawRequestInput): Promise<SlackAppResponse>;
}

/** Creates a requester that signs with `signingSecret` and POSTs to `${baseUrl}/slack/events`. */
export function createSlackRequester(options: SlackRequesterOptions): SlackRequester {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}${options.path ?? '/slack/events'}`;
  const now = options.now ?? (() => new Date());
  const payloads = slackPayloads(options);
  const sentEvents = new Map<string, { event: SlackEventInput; body: string }>();
  let lastEventId: string | undefined;

  const nowSeconds = () => Math.floor(now().getTime() / 1000);

  const send = async (request: {
    body: string;
    contentType: string;
    timestamp?: number;
    headers?: Record<string, string>;
    signature?: string | null;
  }): Promise<SlackAppResponse> => {
    const timestamp = request.timestamp ?? nowSeconds();
    const signed = signSlackRequest({
      signingSecret: options.signingSecret,
      body: request.body,
      timestamp,
    });
    const headers: Record<string, string> = {
      'Content-Type': request.contentType,
      'User-Agent': SLACKBOT_USER_AGENT,
      'X-Slack-Request-Timestamp': signed['X-Slack-Request-Timestamp'],
      ...(request.signature === null
        ? {}
        : { 'X-Slack-Signature': request.signature ?? signed['X-Slack-Signature'] }),
      ...request.headers,
    };
    const startedAt = performance.now();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: request.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body,
      elapsedMs: performance.now() - startedAt,
      sent: { headers, body: request.body },
      json: () => {
        try {
          return JSON.parse(body) as unknown;
        } catch {
          throw new Error(
            `The app answered ${response.status} with a body that is not JSON: ${body}`,
          );
        }
      },
    };
  };

  const sendForm = (fields: Record<string, string | undefined>, timestamp?: number) =>
    send({
      body: encodeSlackForm(fields),
      contentType: 'application/x-www-form-urlencoded',
      timestamp,
    });

  // Interactions arrive as a form with a single `payload` field holding JSON.
  // https://docs.slack.dev/interactivity/handling-user-interaction
  const sendInteraction = (payload: object, timestamp?: number) =>
    sendForm({ payload: JSON.stringify(payload) }, timestamp);

  return {
    async slashCommand(input) {
      const { payload, responseUrl, triggerId } = payloads.slashCommand(input);
      const response = await sendForm(payload, input.timestamp);
      return { ...response, payload, responseUrl, triggerId };
    },

    async blockActions(input) {
      const { payload, responseUrl, triggerId } = payloads.blockActions(input);
      const response = await sendInteraction(payload, input.timestamp);
      return { ...response, payload, responseUrl, triggerId };
    },

    async viewSubmission(input) {
      const { payload, triggerId } = payloads.viewSubmission(input);
      const response = await sendInteraction(payload, input.timestamp);
      return { ...response, payload, triggerId };
    },

    async event(event, eventOptions = {}) {
      const retryHeaders: Record<string, string> =
        eventOptions.retryNum === undefined
          ? {}
          : {
              'X-Slack-Retry-Num': String(eventOptions.retryNum),
              'X-Slack-Retry-Reason': eventOptions.retryReason ?? 'http_timeout',
            };
      const eventId =
        eventOptions.eventId ??
        (eventOptions.retryNum === undefined ? newEventId() : originalEventId(event));
      // A retry is the same delivery again: same envelope, same event_id and event_time.
      const original = sentEvents.get(eventId);
      const body = original?.body ?? JSON.stringify(payloads.eventEnvelope(event, eventId));
      sentEvents.set(eventId, { event, body });
      lastEventId = eventId;
      const response = await send({
        body,
        contentType: 'application/json',
        timestamp: eventOptions.timestamp,
        headers: retryHeaders,
      });
      return {
        ...response,
        envelope: JSON.parse(body) as EnvelopedEvent<SlackEventInput>,
        eventId,
      };
    },

    urlVerification(challenge, overrides = {}) {
      const body = JSON.stringify(payloads.urlVerification(challenge));
      return send({ body, contentType: 'application/json', timestamp: overrides.timestamp });
    },

    raw(input) {
      return send(input);
    },
  };

  function originalEventId(event: SlackEventInput): string {
    for (const [eventId, sent] of [...sentEvents].reverse()) {
      if (isDeepStrictEqual(sent.event, event)) return eventId;
    }
    throw new Error(
      `A retry needs the original delivery: pass eventId, or send the same event first (last event_id sent: ${lastEventId ?? 'none'}).`,
    );
  }
}
