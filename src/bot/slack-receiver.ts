/**
 * A Bolt receiver that lives inside our Fastify server, at POST /slack/events. In all-in-one
 * mode that puts Slack on the same port as the API, so a user configures one URL; in the bot
 * service it gives Slack traffic the same request ids, logs and metrics as everything else.
 *
 * The contract mirrors Bolt's HTTPReceiver: verify, parse, hand to `app.processEvent`, and
 * answer as soon as a listener calls `ack()`.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from '../http/server.ts';
import type { Metrics } from '../observability/metrics.ts';
import { slackPayloadProblem } from './slack-payload-shape.ts';
import { verifySlackSignature } from './slack-signature.ts';

/** Slack waits 3 s for an acknowledgement; past that our answer no longer matters. */
const ACK_DEADLINE_MS = 3_000;

type Body = Record<string, unknown>;

export interface SlackReceiverOptions {
  signingSecret: string;
  metrics: Metrics;
  /** Injectable clock for the timestamp check. */
  now?: () => number;
}

function parseBody(rawBody: string, contentType: string | undefined): Body {
  const form = contentType?.startsWith('application/json')
    ? undefined
    : Object.fromEntries(new URLSearchParams(rawBody));
  // Interactions arrive form-encoded with one field, `payload`, holding JSON.
  const body: unknown = form
    ? typeof form.payload === 'string'
      ? JSON.parse(form.payload)
      : form
    : JSON.parse(rawBody);
  const problem = slackPayloadProblem(body);
  if (problem) throw new Error(`malformed Slack payload: ${problem}`);
  return body as Body;
}

function kindOf(body: Body): string {
  if (typeof body.command === 'string') return 'command';
  return typeof body.type === 'string' ? body.type : 'unknown';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class FastifySlackReceiver implements Receiver {
  #app: App | undefined;
  readonly #options: SlackReceiverOptions;

  constructor(options: SlackReceiverOptions) {
    this.#options = options;
  }

  init(app: App): void {
    this.#app = app;
  }

  /** The HTTP server is started and stopped by its owner, not by Bolt. */
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Adds POST /slack/events to `server`, in a scope that keeps request bodies raw. */
  async register(server: HttpServer): Promise<void> {
    await server.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body),
      );
      scope.post('/slack/events', { schema: { hide: true } }, (request, reply) =>
        this.#handle(request, reply),
      );
    });
  }

  async #handle(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const { metrics, signingSecret } = this.#options;
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const check = verifySlackSignature({
      signingSecret,
      rawBody,
      signature: header(request, 'x-slack-signature'),
      timestamp: header(request, 'x-slack-request-timestamp'),
      nowMs: (this.#options.now ?? Date.now)(),
    });
    if (!check.valid) {
      metrics.slackRequestsRejected.inc({ reason: check.reason });
      request.log.warn({ reason: check.reason }, 'rejected a Slack request');
      return reply.status(401).send({
        code: 'invalid_slack_signature',
        message: 'The request is not signed by Slack, or its timestamp is too old.',
        requestId: request.id,
      });
    }

    let body: Body;
    try {
      body = parseBody(rawBody, header(request, 'content-type'));
    } catch {
      metrics.slackRequestsRejected.inc({ reason: 'unparseable_body' });
      return reply.status(400).send({
        code: 'invalid_body',
        message: 'The Slack request body could not be parsed.',
        requestId: request.id,
      });
    }

    // Slack checks a slash command's certificate with this; it needs only a 200.
    if (body.ssl_check) return reply.status(200).send('');
    if (body.type === 'url_verification') return { challenge: body.challenge };

    const kind = kindOf(body);
    const team = (body.team as { id?: string } | undefined)?.id ?? body.team_id;
    const user = (body.user as { id?: string } | undefined)?.id ?? body.user_id;
    // From here on, every line about this request names the Slack team and user.
    request.log = request.log.child({ slackTeamId: team, slackUserId: user, slackKind: kind });
    reply.log = request.log;
    request.log.debug('dispatching a Slack request to its listeners');
    return this.#dispatch(request, reply, body, kind);
  }

  #dispatch(request: FastifyRequest, reply: FastifyReply, body: Body, kind: string) {
    const app = this.#app;
    if (!app) throw new Error('the Slack receiver was registered before Bolt initialised it');
    const { metrics } = this.#options;
    const started = performance.now();
    return new Promise<void>((resolve) => {
      let answered = false;
      const answer = (status: number, payload: unknown) => {
        if (answered) return;
        answered = true;
        clearTimeout(deadline);
        metrics.slackAckSeconds.observe({ kind }, (performance.now() - started) / 1000);
        if (payload === undefined || payload === '') reply.status(status).send('');
        else if (typeof payload === 'string') reply.status(status).type('text/plain').send(payload);
        else reply.status(status).send(payload);
        resolve();
      };
      const deadline = setTimeout(() => {
        request.log.error({ kind }, `no listener acknowledged within ${ACK_DEADLINE_MS} ms`);
        answer(500, { code: 'not_acknowledged', message: 'Not acknowledged in time.' });
      }, ACK_DEADLINE_MS);

      const retryNum = header(request, 'x-slack-retry-num');
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          if (answered) throw new Error('this Slack request was already acknowledged');
          answer(200, response);
        },
        retryNum: retryNum === undefined ? undefined : Number(retryNum),
        retryReason: header(request, 'x-slack-retry-reason'),
        customProperties: { requestId: request.id },
      };
      app.processEvent(event).then(
        () => {
          // Bolt finished without any listener calling ack(): nothing handles this request.
          if (!answered) request.log.info({ kind }, 'no listener matched the Slack request');
          answer(404, '');
        },
        (error: unknown) => {
          request.log.error({ err: error, kind }, 'a Slack listener failed');
          answer(500, '');
        },
      );
    });
  }
}
