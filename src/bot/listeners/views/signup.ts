import type { App, ViewSubmitAction } from '@slack/bolt';
import { ApiCallError } from '../../api-client/index.ts';
import { withProblemOnTop } from '../../blocks/elements.ts';
import { placeValue } from '../../blocks/holidays.ts';
import { confirmationMessage } from '../../blocks/messages.ts';
import {
  parseSignupHolidays,
  parseSignupSubmission,
  SIGNUP_BLOCKS,
  SIGNUP_CALLBACK_ID,
  signupErrors,
  TIME_ZONE_ACTION,
  timeZoneOptions,
} from '../../blocks/signup-modal.ts';
import { TIME_ZONES } from '../../blocks/time-zones.ts';
import { voiceFor } from '../../i18n/index.ts';
import { failureText, modalErrors } from '../failure-replies.ts';
import { managerVoice } from '../manager-voice.ts';
import {
  findSubscription,
  type ListenerDeps,
  ModalShownAgain,
  onSubmission,
  publishHome,
} from '../shared.ts';

/**
 * Submitting the sign-up modal. The API validates; its field problems go back to the modal with
 * `response_action: errors`, which keeps the modal open with nothing saved; a problem with no
 * field (busy, a fault) shows on top of the modal. On success the
 * modal closes, and a DM confirms the schedule.
 */
export function registerSignupModal(app: App, deps: ListenerDeps): void {
  const { api, logger, now } = deps;
  app.view<ViewSubmitAction>(
    SIGNUP_CALLBACK_ID,
    onSubmission(
      logger,
      'sign-up',
      async ({ ack, view, client }, call) => {
        const holidays = parseSignupHolidays(view.state.values);
        const [before, places] = await Promise.all([
          findSubscription(api, call),
          holidays ? api.holidayPlaces(call) : [],
        ]);
        // A place the API no longer knows (a stale menu) is refused before anything is saved.
        if (holidays && !places.some((place) => placeValue(place) === placeValue(holidays))) {
          const voice = before ? voiceFor(before) : await managerVoice(client, api, call);
          await ack({
            response_action: 'errors',
            errors: { [SIGNUP_BLOCKS.holidays]: voice.t('home.signup.unknownPlace') },
          });
          return;
        }
        let subscription = await api.putSubscription(
          call,
          parseSignupSubmission(view.state.values),
        );
        if (holidays !== undefined) {
          const kept = await api.setHolidays(call, holidays);
          subscription = { ...subscription, holidays: kept };
        }
        await ack();
        const isNew = !before || before.status === 'unsubscribed';
        await client.chat.postMessage({
          channel: call.slackUserId,
          ...confirmationMessage(subscription, isNew, voiceFor(subscription)),
        });
        await publishHome(client, deps, call);
      },
      // A field's problem shows beside it; any other on top, not under the first field.
      (error, { body }, voice) => {
        const fields =
          error instanceof ApiCallError && error.status === 400 ? signupErrors(error.fields) : {};
        if (Object.keys(fields).length > 0 || !body.view.blocks?.length) {
          return modalErrors(error, signupErrors, SIGNUP_BLOCKS.weekdays, voice);
        }
        return new ModalShownAgain(
          withProblemOnTop(
            body.view as Parameters<typeof withProblemOnTop>[0],
            failureText(error, voice),
            voice,
          ),
        );
      },
    ),
  );

  app.options(TIME_ZONE_ACTION, async ({ ack, options }) => {
    await ack({ options: timeZoneOptions(options.value, TIME_ZONES, now()) });
  });
}
