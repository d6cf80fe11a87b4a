/**
 * The language a listener answers its caller in when it holds no answer about them
 * (src/bot/listeners/reply-voice.ts): what the listener learned, else the manager's profile
 * from the API, else English, and English when the profile is slow to come for a modal. When
 * the API could not serve the listener's work, the failure reply does not ask it again.
 */
import { describe, expect, it } from 'vitest';
import { ApiCallError, type CallContext } from '../../src/bot/api-client/index.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { apiFailed, replyVoice, speakAs } from '../../src/bot/listeners/reply-voice.ts';
import { replyVoiceContext } from '../support/reply-voice-context.ts';

const call = (): CallContext => ({ slackTeamId: 'T0VOICE', slackUserId: 'U0VOICE' });

describe('the voice a listener answers its caller in', () => {
  it('when the listener learned it, then that voice, without asking the API', async () => {
    const { context, reads } = await replyVoiceContext(async () => ({ locale: 'de-DE' }));
    const asked = call();
    speakAs(asked, voiceFor({ language: 'fr' }));
    expect((await replyVoice(context, asked)).language).toBe('fr');
    expect(reads).toEqual([]);
  });

  it("when it did not, then the manager's profile from the API: their locale's language", async () => {
    const { context, reads } = await replyVoiceContext(async () => ({ locale: 'de-DE' }));
    const voice = await replyVoice(context, call());
    expect(voice.language).toBe('de');
    expect(voice.t('note.thread.thisNote')).toBe('diese Notiz');
    expect(reads).toHaveLength(1);
  });

  it('when the API fails too, then English rather than no answer', async () => {
    const { context } = await replyVoiceContext(async () => {
      throw new Error('the API is down');
    });
    expect((await replyVoice(context, call())).language).toBe('en');
  });

  it('when the profile comes too late for a modal, then English at the deadline', async () => {
    const { context } = await replyVoiceContext(() => new Promise(() => {}));
    const started = Date.now();
    expect((await replyVoice(context, call(), 50)).language).toBe('en');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('when no look-up was registered (a listener run outside the app), then English', async () => {
    expect((await replyVoice({}, call())).language).toBe('en');
  });

  /** After `failure`, the reply's language, and whom it asked: API German, Slack French. */
  async function voiceAfter(failure: unknown) {
    const { context, reads, profileReads } = await replyVoiceContext(
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
