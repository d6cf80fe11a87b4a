/**
 * The signature on every call the bot makes to the API (issue 13, item 5). The service token
 * says "the bot"; the signature, keyed by API_SIGNING_SECRET, binds that to one request: its
 * method, path and query, the Slack team and user it acts for, the time, and its exact body. So
 * a leaked token (a log line, a proxy) lets no one act for a manager, a captured request cannot
 * be replayed after five minutes, and no header or byte of it can be changed.
 *
 * Shared by both ends: the bot's client (src/bot/api-client) signs, the API
 * (src/api/plugins/authenticate.ts) verifies. Scripts that call the API as the bot sign with it too.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-blindspot-timestamp';
export const SIGNATURE_HEADER = 'x-blindspot-signature';
/** A request signed this long before or after the API's clock is refused. */
export const SIGNATURE_WINDOW_SECONDS = 300;

const VERSION = 'v1';
const SIGNATURE = /^v1=[0-9a-f]{64}$/;

export interface SignedParts {
  method: string;
  /** The path and query exactly as sent: `/api/v1/action-items?status=open`. */
  pathAndQuery: string;
  slackTeamId?: string;
  slackUserId?: string;
  /** Unix seconds, as sent in x-blindspot-timestamp. */
  timestamp: string;
  /** SHA-256 of the body bytes, hex; of no bytes when there is no body. */
  bodySha256: string;
}

export function sha256Hex(body: Uint8Array | string = ''): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * One field per line: none of them may hold a newline (HTTP header values and request targets
 * cannot), so no two different requests share a signed text.
 */
export function signatureOf(secret: string, parts: SignedParts): string {
  const text = [
    VERSION,
    parts.method.toUpperCase(),
    parts.pathAndQuery,
    parts.slackTeamId ?? '',
    parts.slackUserId ?? '',
    parts.timestamp,
    parts.bodySha256,
  ].join('\n');
  return `${VERSION}=${createHmac('sha256', secret).update(text).digest('hex')}`;
}

/** The two headers to add to a request. */
export function signRequest(
  secret: string,
  request: Omit<SignedParts, 'timestamp' | 'bodySha256'> & { body?: Uint8Array | string },
  now: Date,
): Record<typeof TIMESTAMP_HEADER | typeof SIGNATURE_HEADER, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = signatureOf(secret, {
    ...request,
    timestamp,
    bodySha256: sha256Hex(request.body),
  });
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature };
}

/** Whether a timestamp header is well formed and within the window of `now`, either way. */
export function isFreshTimestamp(timestamp: unknown, now: Date): timestamp is string {
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  return skew <= SIGNATURE_WINDOW_SECONDS;
}

export function isWellFormedSignature(signature: unknown): signature is string {
  return typeof signature === 'string' && SIGNATURE.test(signature);
}

/** Constant-time comparison of a presented signature with the one expected. */
export function signatureMatches(secret: string, parts: SignedParts, presented: string): boolean {
  const expected = Buffer.from(signatureOf(secret, parts));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
