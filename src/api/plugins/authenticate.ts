/**
 * The API's callers, for now: the Slack bot, acting for one Slack user. It proves itself with
 * the shared service token and names the user in two headers. Only the bot holds the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { SlackIdentity } from '../../core/request-context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    slackUser?: SlackIdentity;
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

/**
 * A hook that admits only the bot, for calls made on no one's behalf (delivery claims). Attach
 * it as `onRequest`, as every hook here: an unauthenticated caller gets 401 before its body is
 * parsed or validated, and so learns nothing from schema errors (as admin-auth.ts does).
 */
export function requireService(serviceToken: string) {
  const isService = presentsServiceToken(serviceToken);
  return async (request: FastifyRequest) => {
    if (!isService(request)) {
      throw new AppError('unauthorized', 'A valid service token is required.', 401);
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
