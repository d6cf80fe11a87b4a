/**
 * The reply-voice look-up (src/bot/listeners/reply-voice.ts) as Bolt sets it up for one request,
 * over a stand-in API client and Slack client that count their reads: for the tests of the
 * look-up itself and of the listener wrapper's failure replies.
 */
import type { App } from '@slack/bolt';
import { expect } from 'vitest';
import type { ApiClient, CallContext, Manager } from '../../src/bot/api-client/index.ts';
import { registerReplyVoice } from '../../src/bot/listeners/reply-voice.ts';

/**
 * Bolt's per-request context after registerReplyVoice's middleware ran, with an API whose GET /me
 * answers `me` and a Slack profile (users.info) with `slackLocale`, each recording who it was
 * asked about.
 */
export async function replyVoiceContext(me: () => Promise<Partial<Manager>>, slackLocale?: string) {
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
