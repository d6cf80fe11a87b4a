/**
 * Fastify's request log, with polls kept quiet. The bot asks the api for due notes and
 * reminders every second, and probes and Prometheus ask for /healthz, /readyz and /metrics on
 * a schedule: at info, two lines a request, an idle service wrote about a thousand lines a
 * minute, every one saying nothing happened. A route marked `config: { poll: true }` is logged
 * in one line when it completes (with its method and url, since no "incoming request" line
 * precedes it): at debug when it succeeded with nothing to hand out, and at info when it
 * handed out work (`pollFoundWork`) or answered 4xx or 5xx (the error handler logs why beside
 * it). A response that broke off is logged as an error, as Fastify does. Every other route is
 * logged as Fastify logs it.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Asked on a schedule, mostly to hear there is nothing to do; see request-log.ts. */
    poll?: boolean;
  }
}

/** A poll route's config: `{ config: POLL, ... }`. */
export const POLL = { poll: true } as const;

const eventful = new WeakSet<FastifyRequest>();

/** Says this poll's answer is worth a line at info: it handed out work. */
export function pollFoundWork(request: FastifyRequest): void {
  eventful.add(request);
}

const isPoll = (request: FastifyRequest) => request.routeOptions.config?.poll === true;

export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (!isPoll(request)) super.incomingRequest(request, reply);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (!isPoll(request)) {
      super.requestCompleted(error, request, reply);
      return;
    }
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (reply.statusCode >= 400 || eventful.has(request)) {
      reply.log.info(line, 'request completed');
    } else reply.log.debug(line, 'request completed');
  }
}
