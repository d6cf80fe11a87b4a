/**
 * The voice of the manager a listener acts for, when no API answer at hand carries their locale
 * (a click on "Keep it", a refusal): read from their manager record. A manager the API does not
 * know yet, or an API that cannot answer, gets English rather than no answer at all.
 */
import type { ApiClient, CallContext } from '../api-client/index.ts';
import { type Voice, voiceFor } from '../i18n/index.ts';

export async function callerVoice(api: ApiClient, call: CallContext): Promise<Voice> {
  const me = await api.getMe(call).catch(() => undefined);
  return voiceFor(me ?? {});
}
