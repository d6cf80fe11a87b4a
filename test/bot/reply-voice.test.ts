/**
 * The language a listener answers its caller in when it holds no answer about them
 * (src/bot/listeners/reply-voice.ts): what the listener learned, else the manager's profile
 * from the API, else English, and English when the profile is slow to come for a modal. When
 * the API could not serve the listener's work, the failure reply does not ask it again.
 */
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  ApiCallError,
  type ApiClient,
  type CallContext,
  type Manager,
} from '../../src/bot/api-client/index.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import {
  apiFailed,
  registerReplyVoice,
  replyVoice,
  speakAs,
} from '../../src/bot/listeners/reply-voice.ts';

const call = (): CallContext => ({ slackTeamId: 'T0VOICE', slackUserId: 'U0VOICE' });

/** Bolt's context after the middleware ran, with an API whose GET /me answers `me`. */
async function contextWith(me: () => Promise<Partial<Manager>>, slackLocale?: string) {
  const reads: CallContext[] = [];
  const profileReads: string[] = [];
  // Slack's users.info, as WebClient answers it, with the member's locale.
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        profileReads.push(user);
        return { ok: true, user: { id: user, locale: slackLocale } };
      },
    },
  };
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
    client,
    next: async () => {
      nextCalled = true;
    },
  });
  expect(nextCalled).toBe(true);
  return { context, reads, profileReads };
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

  /** After `failure`, the reply's language, and whom it asked: API German, Slack French. */
  async function voiceAfter(failure: unknown) {
    const { context, reads, profileReads } = await contextWith(
      async () => ({ locale: 'de-DE' }),
      'fr-FR',
    );
    const failed = call();
    apiFailed(failed, failure);
    const { language } = await replyVoice(context, failed);
    return { language, apiReads: reads.length, profileReads };
  }

  it('when the API could not serve the work (503, a 5xx, no answer in time), then the Slack profile, without asking the API again', async () => {
    for (const failure of [
      new ApiCallError(503, { code: 'service_unavailable', message: 'busy', requestId: 'r' }),
      new ApiCallError(502, undefined),
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    ]) {
      expect(await voiceAfter(failure)).toEqual({
        language: 'fr',
        apiReads: 0,
        profileReads: ['U0VOICE'],
      });
    }
  });

  it('when the work failed for another reason (not signed up, a Slack error), then the API is asked as before', async () => {
    for (const failure of [
      new ApiCallError(404, { code: 'manager_not_found', message: 'no', requestId: 'r' }),
      new Error('views.publish: not_enabled'),
    ]) {
      expect(await voiceAfter(failure)).toEqual({ language: 'de', apiReads: 1, profileReads: [] });
    }
  });
});
