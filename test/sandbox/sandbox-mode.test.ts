/**
 * When the sandbox is served: never in production by accident, never instead of a real Slack's
 * front page, and only at /sandbox beside a real Slack when explicitly turned on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { sandboxMount } from '../../src/sandbox/index.ts';
import { startSlackHarness } from '../support/slack-harness.ts';

const TOKENS = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'secret' };
const mountFor = (env: Record<string, string>) => sandboxMount(loadConfig(env, 'all-in-one'));

describe('sandboxMount', () => {
  it('serves the sandbox at / while Slack is not configured, outside production', () => {
    expect(mountFor({})).toEqual({ root: true });
    expect(mountFor({ NODE_ENV: 'test' })).toEqual({ root: true });
  });
  it('is off with Slack tokens, in production, or when turned off', () => {
    expect(mountFor(TOKENS)).toBeUndefined();
    expect(mountFor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toBeUndefined();
    expect(mountFor({ NODE_ENV: 'production' })).toBeUndefined();
    expect(mountFor({ SANDBOX: 'off' })).toBeUndefined();
  });
  it('SANDBOX=on serves it at /sandbox only, beside a real Slack', () => {
    expect(mountFor({ ...TOKENS, SANDBOX: 'on' })).toEqual({ root: false });
    expect(mountFor({ SANDBOX: 'on', NODE_ENV: 'production' })).toEqual({ root: true });
  });
  it('refuses a value it does not know', () => {
    expect(() => mountFor({ SANDBOX: 'yes' })).toThrow(/SANDBOX/);
  });
});

describe('production with Slack tokens', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('answers 404 at / and under /sandbox', async () => {
    const harness = await startSlackHarness({
      teamId: 'T0PROD0001',
      clock: () => new Date(),
      env: { NODE_ENV: 'production', SANDBOX: 'auto' },
    });
    close = () => harness.close();
    for (const path of ['/', '/sandbox', '/sandbox/', '/sandbox/api/session']) {
      const response = await fetch(`${harness.app.url}${path}`);
      expect(response.status, path).toBe(404);
    }
    expect(harness.app.logs.text()).not.toContain('to try Blindspot');
  }, 30_000);
});
