/**
 * How the test Slack requester (test/support/slack-requests.ts) signs and encodes a request,
 * checked against Slack's documented example.
 */
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { encodeSlackForm, signSlackRequest } from '../support/slack-requests.ts';

// Slack's worked example: https://docs.slack.dev/authentication/verifying-requests-from-slack
const SLACK_EXAMPLE = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('signSlackRequest', () => {
  it("reproduces the signature of Slack's documented example", () => {
    const headers = signSlackRequest(SLACK_EXAMPLE);

    expect(headers).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': SLACK_EXAMPLE.signature,
    });
  });

  it('produces headers that Bolt accepts', () => {
    const body = '{"type":"url_verification","challenge":"abc"}';
    const headers = signSlackRequest({ signingSecret: 's3cret', body });

    const valid = isValidSlackRequest({
      signingSecret: 's3cret',
      body,
      headers: {
        'x-slack-signature': headers['X-Slack-Signature'],
        'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
      },
    });

    expect(valid).toBe(true);
  });
});

describe('encodeSlackForm', () => {
  it("encodes fields exactly as Slack's documented example body", () => {
    const body = encodeSlackForm({
      token: 'xyzz0WbapA4vBCDEFasx0q6G',
      team_id: 'T1DC2JH3J',
      team_domain: 'testteamnow',
      channel_id: 'G8PSS9T3V',
      channel_name: 'foobar',
      user_id: 'U2CERLKJA',
      user_name: 'roadrunner',
      command: '/webhook-collect',
      text: '',
      response_url:
        'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
      trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
      enterprise_id: undefined,
    });

    expect(body).toBe(SLACK_EXAMPLE.body);
  });
});
