/**
 * Slack request signing: https://api.slack.com/authentication/verifying-requests-from-slack
 * Bolt's own check rejects only timestamps in the past; we reject both directions, so a
 * request signed with a clock far ahead cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type SignatureCheck =
  | { valid: true }
  | { valid: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

/** Slack's signature of a request: `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string) {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return { valid: false, reason: 'missing_headers' };
  }
  if (Math.abs(input.nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return { valid: false, reason: 'stale_timestamp' };
  }
  const expected = slackSignature(input.signingSecret, timestamp, input.rawBody);
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { valid: false, reason: 'bad_signature' };
  }
  return { valid: true };
}
