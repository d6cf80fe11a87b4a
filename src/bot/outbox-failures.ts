/** What a failed Slack call means for the ledger: retry later, wait for Slack, or give up. */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import type { FailureReport } from './api-client/index.ts';

/**
 * Slack errors that mean this manager cannot be messaged at all: retrying would only repeat
 * the error, so the delivery fails and the subscription pauses with the reason.
 */
const UNREACHABLE = new Set([
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'channel_not_found',
  'cannot_dm_bot',
  'is_archived',
]);

export function classify(error: unknown): Omit<FailureReport, 'attempt'> {
  if (error instanceof WebAPIRateLimitedError) {
    return {
      kind: 'rate_limited',
      code: 'ratelimited',
      retryAfterSeconds: Math.ceil(error.retryAfter),
    };
  }
  if (error instanceof WebAPIPlatformError) {
    const code =
      String(error.data.error)
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 64) || 'platform_error';
    return { kind: UNREACHABLE.has(code) ? 'unreachable' : 'transient', code };
  }
  if (error instanceof WebAPIHTTPError)
    return { kind: 'transient', code: `http_${error.statusCode}` };
  return { kind: 'transient', code: 'request_failed' };
}
