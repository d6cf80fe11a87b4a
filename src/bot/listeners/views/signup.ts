import type { App } from '@slack/bolt';
import { ApiCallError, type ApiClient } from '../../api-client/index.ts';
import { BUSY_TEXT, confirmationMessage } from '../../blocks/messages.ts';
import {
  parseSignupSubmission,
  SIGNUP_BLOCKS,
  SIGNUP_CALLBACK_ID,
  signupErrors,
  TIME_ZONE_ACTION,
  timeZoneOptions,
} from '../../blocks/signup-modal.ts';
import { TIME_ZONES } from '../../blocks/time-zones.ts';
import { callContext, findSubscription, publishHome } from '../shared.ts';

/**
 * Submitting the sign-up modal. The API validates; its field problems go back to the modal with
 * `response_action: errors`, which keeps the modal open with nothing saved. On success the
 * modal closes, and a DM confirms the schedule.
 */
export function registerSignupModal(app: App, api: ApiClient, now: () => Date): void {
  app.view(SIGNUP_CALLBACK_ID, async ({ ack, body, view, client, context, logger }) => {
    const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
    const request = parseSignupSubmission(view.state.values);
    let before: Awaited<ReturnType<typeof findSubscription>>;
    let subscription: Awaited<ReturnType<ApiClient['putSubscription']>>;
    try {
      before = await findSubscription(api, call);
      subscription = await api.putSubscription(call, request);
    } catch (error) {
      const fields =
        error instanceof ApiCallError && error.status === 400 ? signupErrors(error.fields) : {};
      if (Object.keys(fields).length === 0) {
        logger.error(`sign-up failed: ${(error as Error).message}`);
        fields[SIGNUP_BLOCKS.weekdays] = BUSY_TEXT;
      }
      await ack({ response_action: 'errors', errors: fields });
      return;
    }
    await ack();
    const isNew = !before || before.status === 'unsubscribed';
    await client.chat.postMessage({
      channel: call.slackUserId,
      ...confirmationMessage(subscription, isNew),
    });
    await publishHome(client, api, call, subscription);
  });

  app.options(TIME_ZONE_ACTION, async ({ ack, options }) => {
    await ack({ options: timeZoneOptions(options.value, TIME_ZONES, now()) });
  });
}
