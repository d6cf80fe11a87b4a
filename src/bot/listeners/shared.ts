/** What several listeners need: whom a call acts for, the sign-up modal, the App Home, and words for failures. */
import type { webApi } from '@slack/bolt';
import {
  ApiCallError,
  type ApiClient,
  type CallContext,
  isNotFound,
  type Subscription,
} from '../api-client/index.ts';
import { buildHome } from '../blocks/home.ts';
import { BUSY_TEXT, NOT_SIGNED_UP_TEXT, TRY_AGAIN_TEXT } from '../blocks/messages.ts';
import { buildSignupModal } from '../blocks/signup-modal.ts';

type WebClient = webApi.WebClient;

/** Bolt puts our receiver's customProperties (the request id) into the listener context. */
export function callContext(
  teamId: string | undefined,
  userId: string,
  context: Record<string, unknown>,
): CallContext {
  return {
    slackTeamId: String(teamId),
    slackUserId: userId,
    requestId: typeof context.requestId === 'string' ? context.requestId : undefined,
  };
}

/** The manager's subscription, or undefined when they have not signed up. */
export async function findSubscription(
  api: ApiClient,
  call: CallContext,
): Promise<Subscription | undefined> {
  try {
    return await api.getSubscription(call);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** What to tell a manager when something failed; the details go to the log, not to them. */
export function failureText(error: unknown): string {
  if (error instanceof ApiCallError) {
    if (error.status === 503) return BUSY_TEXT;
    if (error.code === 'subscription_not_found' || error.code === 'manager_not_found')
      return NOT_SIGNED_UP_TEXT;
    if (error.status === 409 || error.status === 400) return error.message;
  }
  return TRY_AGAIN_TEXT;
}

/**
 * Opens the sign-up modal, filled in with the current schedule, or with the time zone of the
 * manager's Slack profile for a first sign-up. Slack's trigger id lasts 3 seconds, so the
 * look-ups run side by side.
 */
export async function openSignupModal(
  client: WebClient,
  api: ApiClient,
  call: CallContext,
  triggerId: string,
  now: Date,
): Promise<void> {
  const [profile, subscription, categories] = await Promise.all([
    client.users.info({ user: call.slackUserId, include_locale: true }).catch(() => undefined),
    findSubscription(api, call),
    api.topicCategories(call),
  ]);
  const profileTimeZone = profile?.user?.tz ?? subscription?.timeZone ?? 'UTC';
  await client.views.open({
    trigger_id: triggerId,
    view: buildSignupModal({ subscription, profileTimeZone, categories, now }),
  });
  // Keep the manager's profile current; the modal is already open, so this costs no waiting.
  await api.putMe(call, { timeZone: profileTimeZone, locale: profile?.user?.locale ?? 'en-US' });
}

/**
 * Shows the manager's Home tab. `known`: the subscription an API call has just returned, so it is
 * not read again (a Home tab click then costs three API calls, not four).
 */
export async function publishHome(
  client: WebClient,
  api: ApiClient,
  call: CallContext,
  known?: Subscription,
): Promise<void> {
  const subscription = known ?? (await findSubscription(api, call));
  // A manager who never signed up has no items, and may not exist for the API yet.
  const [items, progress] = subscription
    ? await Promise.all([api.listActionItems(call, { status: 'open' }), api.progress(call)])
    : [[], undefined];
  await client.views.publish({
    user_id: call.slackUserId,
    view: buildHome(subscription, items, progress),
  });
}
