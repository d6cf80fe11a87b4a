import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_SECONDS, verifySlackSignature } from '../../src/bot/slack-signature.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fblindspot&text=pause&user_id=U2147483697';
const NOW_SECONDS = 1_772_438_400; // 2026-03-02T08:00:00Z
const NOW_MS = NOW_SECONDS * 1000;

/** Signs like Slack does: https://api.slack.com/authentication/verifying-requests-from-slack */
function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function signedRequest(timestampSeconds: number, body = BODY) {
  const timestamp = String(timestampSeconds);
  return {
    signingSecret: SECRET,
    rawBody: body,
    timestamp,
    signature: slackSignature(SECRET, timestamp, body),
    nowMs: NOW_MS,
  };
}

describe('verifySlackSignature', () => {
  it('when a request is signed with the signing secret just now, then it is valid', () => {
    expect(verifySlackSignature(signedRequest(NOW_SECONDS))).toEqual({ valid: true });
  });

  it('when a request is signed with another secret, then the signature is bad', () => {
    const timestamp = String(NOW_SECONDS);
    const check = verifySlackSignature({
      ...signedRequest(NOW_SECONDS),
      signature: slackSignature('not-the-signing-secret', timestamp, BODY),
    });
    expect(check).toEqual({ valid: false, reason: 'bad_signature' });
  });

  it('when the body was changed after signing, then the signature is bad', () => {
    const check = verifySlackSignature({
      ...signedRequest(NOW_SECONDS),
      rawBody: BODY.replace('text=pause', 'text=resume'),
    });
    expect(check).toEqual({ valid: false, reason: 'bad_signature' });
  });

  it('when the timestamp was changed after signing, then the signature is bad', () => {
    const check = verifySlackSignature({
      ...signedRequest(NOW_SECONDS),
      timestamp: String(NOW_SECONDS - 1),
    });
    expect(check).toEqual({ valid: false, reason: 'bad_signature' });
  });

  it('when the signature is truncated or not a v0 signature, then it is bad, without throwing', () => {
    const request = signedRequest(NOW_SECONDS);
    expect(verifySlackSignature({ ...request, signature: request.signature.slice(0, -1) })).toEqual(
      { valid: false, reason: 'bad_signature' },
    );
    expect(
      verifySlackSignature({ ...request, signature: request.signature.replace('v0=', 'v1=') }),
    ).toEqual({ valid: false, reason: 'bad_signature' });
  });

  it('when the signature header is missing or empty, then the headers are missing', () => {
    const request = signedRequest(NOW_SECONDS);
    expect(verifySlackSignature({ ...request, signature: undefined })).toEqual({
      valid: false,
      reason: 'missing_headers',
    });
    expect(verifySlackSignature({ ...request, signature: '' })).toEqual({
      valid: false,
      reason: 'missing_headers',
    });
  });

  it('when the timestamp header is missing, then the headers are missing', () => {
    expect(verifySlackSignature({ ...signedRequest(NOW_SECONDS), timestamp: undefined })).toEqual({
      valid: false,
      reason: 'missing_headers',
    });
  });

  it.each(['yesterday', '1772438400.5', '-1772438400', ' 1772438400', '1e9', ''])(
    'when the timestamp is %j, not a whole number of seconds, then it is rejected as a missing header',
    (timestamp) => {
      const check = verifySlackSignature({
        ...signedRequest(NOW_SECONDS),
        timestamp,
        // Signed over the odd timestamp, so only the timestamp check can reject it.
        signature: slackSignature(SECRET, timestamp, BODY),
      });
      expect(check).toEqual({ valid: false, reason: 'missing_headers' });
    },
  );

  it('allows a clock skew of 5 minutes', () => {
    expect(MAX_CLOCK_SKEW_SECONDS).toBe(300);
  });

  it('when the request was signed exactly 5 minutes ago, then it is still valid', () => {
    expect(verifySlackSignature(signedRequest(NOW_SECONDS - 300))).toEqual({ valid: true });
  });

  it('when the request was signed 5 minutes and 1 second ago, then it is stale', () => {
    expect(verifySlackSignature(signedRequest(NOW_SECONDS - 301))).toEqual({
      valid: false,
      reason: 'stale_timestamp',
    });
  });

  it('when the request claims to be signed exactly 5 minutes in the future, then it is still valid', () => {
    expect(verifySlackSignature(signedRequest(NOW_SECONDS + 300))).toEqual({ valid: true });
  });

  it('when the request claims to be signed 5 minutes and 1 second in the future, then it is stale, so it cannot be replayed later', () => {
    expect(verifySlackSignature(signedRequest(NOW_SECONDS + 301))).toEqual({
      valid: false,
      reason: 'stale_timestamp',
    });
  });

  it('when the clock has moved on a fraction of a second past the window, then it is stale', () => {
    const check = verifySlackSignature({ ...signedRequest(NOW_SECONDS - 300), nowMs: NOW_MS + 1 });
    expect(check).toEqual({ valid: false, reason: 'stale_timestamp' });
  });

  it('when the timestamp is stale, then staleness is the reason given, whatever the signature', () => {
    const check = verifySlackSignature({
      ...signedRequest(NOW_SECONDS - 3600),
      signature: 'v0=0000',
    });
    expect(check).toEqual({ valid: false, reason: 'stale_timestamp' });
  });

  it('when the body has non-ASCII text, then it is signed and checked as UTF-8', () => {
    const body = 'text=%C3%A9quipe&user_name=Zo%C3%AB&raw=équipe 🚀';
    expect(verifySlackSignature(signedRequest(NOW_SECONDS, body))).toEqual({ valid: true });
  });
});
