/**
 * The language a listener answers its caller in when it holds no answer about them
 * (src/bot/listeners/reply-voice.ts): what the listener learned, else the manager's profile
 * from the API, else English, and English when the profile is slow to come for a modal.
 */
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { ApiClient, CallContext, Manager } from '../../src/bot/api-client/index.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { registerReplyVoice, replyVoice, speakAs } from '../../src/bot/listeners/reply-voice.ts';

const call = (): CallContext => ({ slackTeamId: 'T0VOICE', slackUserId: 'U0VOICE' });

/** Bolt's context after the middleware ran, with an API whose GET /me answers `me`. */
async function contextWith(me: () => Promise<Partial<Manager>>) {
  const reads: CallContext[] = [];
  const api = {
    getMe: (asked: CallContext) => {
      reads.push(asked);
      return me();
    },
  } as unknown as ApiClient;
  let middleware: ((args: object) => Promise<void>) | undefined;
  const app = {
    use: (registered: typeof middleware) => {
      middleware = registered;
    },
  } as unknown as App;
  registerReplyVoice(app, { api });
  const context: Record<string, unknown> = {};
  let nextCalled = false;
  await middleware?.({
    context,
    client: {},
    next: async () => {
      nextCalled = true;
    },
  });
  expect(nextCalled).toBe(true);
  return { context, reads };
}

describe('the voice a listener answers its caller in', () => {
  it('when the listener learned it, then that voice, without asking the API', async () => {
    const { context, reads } = await contextWith(async () => ({ locale: 'de-DE' }));
    const asked = call();
    speakAs(asked, voiceFor({ language: 'fr' }));
    expect((await replyVoice(context, asked)).language).toBe('fr');
    expect(reads).toEqual([]);
  });

  it("when it did not, then the manager's profile from the API: their locale's language", async () => {
    const { context, reads } = await contextWith(async () => ({ locale: 'de-DE' }));
    const voice = await replyVoice(context, call());
    expect(voice.language).toBe('de');
    expect(voice.t('note.thread.thisNote')).toBe('diese Notiz');
    expect(reads).toHaveLength(1);
  });

  it('when the API fails too, then English rather than no answer', async () => {
    const { context } = await contextWith(async () => {
      throw new Error('the API is down');
    });
    expect((await replyVoice(context, call())).language).toBe('en');
  });

  it('when the profile comes too late for a modal, then English at the deadline', async () => {
    const { context } = await contextWith(() => new Promise(() => {}));
    const started = Date.now();
    expect((await replyVoice(context, call(), 50)).language).toBe('en');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('when no look-up was registered (a listener run outside the app), then English', async () => {
    expect((await replyVoice({}, call())).language).toBe('en');
  });
});
