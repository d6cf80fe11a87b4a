/**
 * The voice of a manager a listener knows only by their Slack ids (a slash command, a DM, a
 * Home tab click: Slack's payloads carry no locale). Listeners holding an API answer about the
 * manager (a subscription, a delivery) use `voiceFor(answer)` instead, at no cost.
 */
import type { webApi } from '@slack/bolt';
import type { ApiClient, CallContext } from '../api-client/index.ts';
import { type Voice, voiceFor } from '../i18n/index.ts';

/**
 * The API's record of the manager (their chosen language and Slack locale, kept current each
 * time the sign-up modal opens); for someone the API has not met yet, their Slack profile's
 * locale; and when neither answers, English rather than no reply at all.
 */
export async function managerVoice(
  client: webApi.WebClient,
  api: ApiClient,
  call: CallContext,
): Promise<Voice> {
  const me = await api.getMe(call).catch(() => undefined);
  return me ? voiceFor(me) : slackProfileVoice(client, call);
}

/** The voice of someone the API has not met: their Slack profile's locale, else English. */
export async function slackProfileVoice(
  client: webApi.WebClient,
  call: CallContext,
): Promise<Voice> {
  const profile = await client.users
    .info({ user: call.slackUserId, include_locale: true })
    .catch(() => undefined);
  return voiceFor({ locale: profile?.user?.locale });
}
