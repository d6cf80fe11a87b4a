import type { App, ViewSubmitAction } from '@slack/bolt';
import { ApiCallError } from '../../api-client/index.ts';
import { withProblemOnTop } from '../../blocks/elements.ts';
import { confirmationMessage } from '../../blocks/messages.ts';
import {
  parseSignupSubmission,
  SIGNUP_BLOCKS,
  SIGNUP_CALLBACK_ID,
  signupErrors,
  TIME_ZONE_ACTION,
  timeZoneOptions,
} from '../../blocks/signup-modal.ts';
import { TIME_ZONES } from '../../blocks/time-zones.ts';
import {
  failureText,
  findSubscription,
  type ListenerDeps,
  ModalShownAgain,
  modalErrors,
  onSubmission,
  publishHome,
} from '../shared.ts';

/**
 * Submitting the sign-up modal. The API validates; its field problems go back to the modal with
 * `response_action: errors`, which keeps the modal open with nothing saved; a problem with no
 * field (busy, a fault) shows on top of the modal. On success the
 * modal closes, and a DM confirms the schedule.
 */
export function registerSignupModal(app: App, { api, logger, now }: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    SIGNUP_CALLBACK_ID,
    onSubmission(
      logger,
      'sign-up',
      async ({ ack, view, client }, call) => {
        const before = await findSubscription(api, call);
        const subscription = await api.putSubscription(
          call,
          parseSignupSubmission(view.state.values),
        );
        await ack();
        const isNew = !before || before.status === 'unsubscribed';
        await client.chat.postMessage({
          channel: call.slackUserId,
          ...confirmationMessage(subscription, isNew),
        });
        await publishHome(client, api, call, subscription);
      },
      // A field's problem shows beside it; any other on top, not under the first field.
      (error, { body }) => {
        const fields =
          error instanceof ApiCallError && error.status === 400 ? signupErrors(error.fields) : {};
        if (Object.keys(fields).length > 0 || !body.view.blocks?.length) {
          return modalErrors(error, signupErrors, SIGNUP_BLOCKS.weekdays);
        }
        return new ModalShownAgain(
          withProblemOnTop(body.view as Parameters<typeof withProblemOnTop>[0], failureText(error)),
        );
      },
    ),
  );

  app.options(TIME_ZONE_ACTION, async ({ ack, options }) => {
    await ack({ options: timeZoneOptions(options.value, TIME_ZONES, now()) });
  });
}
