/**
 * The emulated Web API's answer to one call, decided in this order: a fault a test queued, the
 * posting rate limits when enforced, the install endpoints (which take the app's credentials,
 * not a token), the request's and the token's problems, then the workspace's own answer. The
 * HTTP around it (latency, outages, recording) is ./server.ts.
 */
import { answerForFault, type FaultQueue } from './faults.ts';
import type { StandInInstalls } from './installs.ts';
import type { PostingLimiter } from './rate-limits.ts';
import { type Answer, type ParsedApiRequest, slackJson } from './requests.ts';
import { isStandInMethod } from './types.ts';
import type { StandInWorkspace } from './workspace.ts';

export class WebApi {
  readonly #faults: FaultQueue;
  readonly #installs: StandInInstalls;
  readonly #workspace: StandInWorkspace;
  /** The tokens the emulator accepts; without a list, any bot token (xoxb-…). */
  readonly #validTokens: ReadonlySet<string> | undefined;
  /** Read at each call: a test turns the limits on and off while the emulator runs. */
  readonly #limiter: () => PostingLimiter | undefined;

  constructor(parts: {
    faults: FaultQueue;
    installs: StandInInstalls;
    workspace: StandInWorkspace;
    validTokens: ReadonlySet<string> | undefined;
    limiter: () => PostingLimiter | undefined;
  }) {
    this.#faults = parts.faults;
    this.#installs = parts.installs;
    this.#workspace = parts.workspace;
    this.#validTokens = parts.validTokens;
    this.#limiter = parts.limiter;
  }

  /** The answer to a call of `method`, made with `token` (a bot token, or none). */
  answer(method: string, request: ParsedApiRequest, token: string | undefined): Answer {
    try {
      return this.#answer(method, request, token);
    } catch (error) {
      // A throwing `when` predicate is a bug in the test; answer 500 so it shows up in `calls`.
      const message = error instanceof Error ? error.message : String(error);
      return {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `Slack stand-in failed: ${message}`,
      };
    }
  }

  #answer(method: string, request: ParsedApiRequest, token: string | undefined): Answer {
    const fault = this.#faults.take(method, request.args);
    if (fault) return answerForFault(fault);
    const limited = this.#limiter()?.check(
      method,
      this.#workspace.identity.teamId,
      String(request.args.channel ?? ''),
      Date.now(),
    );
    if (limited?.limited) {
      return answerForFault({
        kind: 'rate-limit',
        retryAfterSeconds: limited.retryAfterSeconds,
        remaining: 1,
      });
    }
    // Called with the app's client id and secret, not a token.
    if (method === 'oauth.v2.access') return slackJson(this.#installs.access(request.args));
    // Only tokens the stand-in issued at an install can be revoked.
    if (method === 'auth.revoke') return slackJson(this.#installs.revoke(token ?? ''));
    if (!isStandInMethod(method)) return slackJson({ ok: false, error: 'unknown_method' });
    if (request.invalidJson) return slackJson({ ok: false, error: 'invalid_json' });
    if (!token) return slackJson({ ok: false, error: 'not_authed' });
    const installed = this.#installs.lookUp(token);
    if (installed) {
      if (!this.#installs.isUsable(installed)) {
        const expired = !installed.revoked;
        return slackJson({ ok: false, error: expired ? 'token_expired' : 'token_revoked' });
      }
      if (method === 'auth.test') {
        return slackJson({
          ...this.#workspace.answer(method, request.args),
          ...this.#installs.identify(installed),
        });
      }
    } else if (!this.#isValidToken(token)) {
      return slackJson({ ok: false, error: 'invalid_auth' });
    }

    const body = this.#workspace.answer(method, request.args);
    if (body.ok === true && request.warnings.length > 0) {
      // Slack reports request problems it tolerated both as `warning` and in response_metadata.
      // https://docs.slack.dev/changelog/2016-09-28-response-metadata-is-on-the-way
      body.warning = request.warnings.join(',');
      body.response_metadata = { warnings: request.warnings };
    }
    return slackJson(body);
  }

  #isValidToken(token: string): boolean {
    return this.#validTokens ? this.#validTokens.has(token) : token.startsWith('xoxb-');
  }
}
