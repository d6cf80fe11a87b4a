/**
 * The API's callers, for now: the Slack bot, acting for one Slack user. It proves itself with
 * the shared service token, names the user in two headers, and signs each request with
 * API_SIGNING_SECRET (src/http/service-signature.ts), so the token alone, leaked, is not enough.
 * Only the bot holds both.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Transform } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { SlackIdentity } from '../../core/request-context.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  isFreshTimestamp,
  isWellFormedSignature,
  SIGNATURE_HEADER,
  signatureMatches,
  TIMESTAMP_HEADER,
} from '../../http/service-signature.ts';

/** A service call's signature, from onRequest (headers) until it is checked against the body. */
interface PendingSignature {
  timestamp: string;
  signature: string;
  body: ReturnType<typeof createHash>;
  /** The body's SHA-256 once digested; the hash can't be updated or digested again after. */
  bodySha256?: string;
  verified: boolean;
}

function digestOnce(pending: PendingSignature): string {
  pending.bodySha256 ??= pending.body.digest('hex');
  return pending.bodySha256;
}

declare module 'fastify' {
  interface FastifyRequest {
    slackUser?: SlackIdentity;
    /** Set for a request carrying the service token; `verified` once its signature is checked. */
    serviceSignature?: PendingSignature;
  }
}

const SLACK_ID = '^[A-Z0-9]{2,32}$';

/** The headers every /api/v1 route that acts for a Slack user declares. */
export const SlackUserHeaders = Type.Object({
  'x-slack-team-id': Type.String({ pattern: SLACK_ID, description: 'Slack team (workspace) id' }),
  'x-slack-user-id': Type.String({ pattern: SLACK_ID, description: 'Slack user id' }),
});

export const SERVICE_TOKEN_SECURITY = [{ serviceToken: [] }];

/** The schema fields of a route that acts for one Slack user: its tag, security and headers. */
export function slackUserRouteSchema(tag: string) {
  return { tags: [tag], security: SERVICE_TOKEN_SECURITY, headers: SlackUserHeaders };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The headers of a call the bot makes for a whole workspace (an uninstall, say). */
export const SlackTeamHeaders = Type.Object({
  'x-slack-team-id': Type.String({ pattern: SLACK_ID, description: 'Slack team (workspace) id' }),
});

/** Whether a request carries the service token as its bearer token. */
export function presentsServiceToken(serviceToken: string) {
  const expected = digest(serviceToken);
  return (request: FastifyRequest): boolean => {
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    // Compare digests: equal length always, and no timing hint about the token.
    return presented !== '' && timingSafeEqual(digest(presented), expected);
  };
}

function unsigned(): AppError {
  return new AppError(
    'unauthorized',
    'A valid service token and request signature are required.',
    401,
  );
}

/** Methods whose requests Fastify never reads a body for: their signature is checked at once. */
const BODYLESS = new Set(['GET', 'HEAD']);

export interface ServiceAuthenticationOptions {
  serviceToken: string;
  /** API_SIGNING_SECRET: the key of every service call's signature. */
  signingSecret: string;
  now: () => Date;
}

/**
 * Checks the signature of every request that carries the service token, on whatever route.
 * Register it on the root instance before the routes; requireService refuses to run without it.
 *
 * The signature covers the body's SHA-256, and the body is read only after onRequest, so the
 * check is split across three hooks, all before the body is validated:
 * - onRequest: the token's request must carry a well-formed signature and a timestamp within
 *   five minutes either way, or it is refused (401) before its body is read at all. A GET (no
 *   body) is checked completely here.
 * - preParsing: the body stream is passed through a hash as Fastify's parser reads it, so what
 *   is hashed is exactly the bytes that were parsed.
 * - preValidation (after parsing, before schema validation): the signature is checked over the
 *   whole request. A token holder whose body is not even JSON learns that (400) before this
 *   step; nothing about the schema, which validation, after this, would tell.
 */
export function registerServiceAuthentication(
  app: HttpServer,
  options: ServiceAuthenticationOptions,
): void {
  const isService = presentsServiceToken(options.serviceToken);
  const verify = (request: FastifyRequest, pending: PendingSignature) => {
    const team = request.headers['x-slack-team-id'];
    const user = request.headers['x-slack-user-id'];
    const matches = signatureMatches(
      options.signingSecret,
      {
        method: request.method,
        pathAndQuery: request.url,
        slackTeamId: typeof team === 'string' ? team : undefined,
        slackUserId: typeof user === 'string' ? user : undefined,
        timestamp: pending.timestamp,
        // Digested once, here; `verified` (set below, or by the throw's 401) stops the hashing
        // transform from touching the finished hash.
        bodySha256: digestOnce(pending),
      },
      pending.signature,
    );
    if (!matches) throw unsigned();
    pending.verified = true;
  };

  app.addHook('onRequest', async (request) => {
    if (!isService(request)) return;
    const timestamp = request.headers[TIMESTAMP_HEADER];
    const signature = request.headers[SIGNATURE_HEADER];
    if (!isFreshTimestamp(timestamp, options.now()) || !isWellFormedSignature(signature)) {
      throw unsigned();
    }
    const pending = { timestamp, signature, body: createHash('sha256'), verified: false };
    request.serviceSignature = pending;
    if (BODYLESS.has(request.method)) verify(request, pending);
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const pending = request.serviceSignature;
    if (!pending || pending.verified) return payload;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        // Fastify hands the body to its parser only once the stream has ended, so every byte it
        // parses went through here before preValidation digested the hash. A chunk seen after
        // that (a stream still flushing when the request was answered early) was never parsed:
        // skipped, since updating a digested hash throws, and a throw in a transform is an
        // uncaught exception that would end the process (seen once in CI under the fuzzer).
        if (pending.bodySha256 === undefined) pending.body.update(chunk);
        done(null, chunk);
      },
    });
    // Same bytes out as in: Fastify's body limit and Content-Length check still hold.
    payload.on('error', (error) => hashing.destroy(error));
    return payload.pipe(hashing);
  });

  app.addHook('preValidation', async (request) => {
    const pending = request.serviceSignature;
    if (pending && !pending.verified) verify(request, pending);
  });
}

/**
 * A hook that admits only the bot, for calls made on no one's behalf (delivery claims). Attach
 * it as `onRequest`, as every hook here: an unauthenticated caller gets 401 before its body is
 * parsed or validated, and so learns nothing from schema errors (as admin-auth.ts does). The
 * request's signature is checked by registerServiceAuthentication, whose onRequest hook has run
 * by now; without it this hook refuses every call rather than admit an unsigned one.
 */
export function requireService(serviceToken: string) {
  const isService = presentsServiceToken(serviceToken);
  return async (request: FastifyRequest) => {
    if (!isService(request)) throw unsigned();
    if (!request.serviceSignature) {
      throw new Error(
        'registerServiceAuthentication is not registered: service calls are unsigned',
      );
    }
  };
}

/**
 * An `onRequest` hook that admits the bot and records whom it acts for on `request.slackUser`.
 * The headers are not validated yet when it runs; the route's schema (SlackUserHeaders, from
 * slackUserRouteSchema) validates them before the handler, the only reader of `slackUser`.
 */
export function requireSlackUser(serviceToken: string) {
  const service = requireService(serviceToken);
  return async (request: FastifyRequest) => {
    await service(request);
    request.slackUser = {
      slackTeamId: String(request.headers['x-slack-team-id']),
      slackUserId: String(request.headers['x-slack-user-id']),
    };
  };
}

export function slackUserOf(request: FastifyRequest): SlackIdentity {
  if (!request.slackUser) throw new Error('route is missing the requireSlackUser onRequest hook');
  return request.slackUser;
}
