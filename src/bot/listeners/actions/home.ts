import type {
  App,
  BlockAction,
  DatepickerAction,
  ExternalSelectAction,
  StaticSelectAction,
} from '@slack/bolt';
import type { CallContext, Subscription } from '../../api-client/index.ts';
import { AWAY_ACTIONS } from '../../blocks/away.ts';
import { HOLIDAY_ACTIONS, holidayOptions, placeOfValue } from '../../blocks/holidays.ts';
import { HOME_ACTIONS } from '../../blocks/home.ts';
import { LANGUAGE_ACTIONS, languageOfValue } from '../../blocks/language.ts';
import { SIGNUP_HOLIDAYS_ACTION } from '../../blocks/signup-modal.ts';
import { dmFailure } from '../failure-replies.ts';
import { managerVoice } from '../manager-voice.ts';
import { type ListenerDeps, onAction, openSignupModal, publishHome } from '../shared.ts';

/** The App Home's buttons. Each acks, acts through the API, and shows the Home tab again. */
export function registerHomeActions(app: App, deps: ListenerDeps): void {
  const { api, logger, now } = deps;
  for (const actionId of [HOME_ACTIONS.signUp, HOME_ACTIONS.changeSchedule]) {
    app.action(
      actionId,
      onAction(
        logger,
        'opening the sign-up modal',
        ({ body, client }, call) => openSignupModal(client, api, call, body.trigger_id, now()),
        // The Home tab has no place for a reply: the failure comes as a DM, not only a log line.
        dmFailure,
      ),
    );
  }

  const changes: Record<string, (call: CallContext) => Promise<Subscription>> = {
    [HOME_ACTIONS.pause]: (call) => api.pause(call, 'paused from the Home tab'),
    [HOME_ACTIONS.resume]: (call) => api.resume(call),
    [HOME_ACTIONS.unsubscribe]: (call) => api.unsubscribe(call),
  };
  for (const [actionId, change] of Object.entries(changes)) {
    app.action(
      actionId,
      onAction(
        logger,
        actionId,
        async ({ client }, call) => {
          await change(call);
          await publishHome(client, deps, call);
        },
        dmFailure,
      ),
    );
  }

  // "I'm away until …": the date picked is the first day back. A date the API refuses (past,
  // more than a year ahead) comes back as a DM saying why; nothing is saved.
  app.action<BlockAction<DatepickerAction>>(
    AWAY_ACTIONS.until,
    onAction<BlockAction<DatepickerAction>>(
      logger,
      'going away from the Home tab',
      async ({ action, client }, call) => {
        const until = action.selected_date;
        if (!until) return;
        await api.pause(call, 'away from the Home tab', until);
        await publishHome(client, deps, call);
      },
      dmFailure,
    ),
  );

  // The language menu: the Home tab is shown again at once in the language chosen.
  app.action<BlockAction<StaticSelectAction>>(
    LANGUAGE_ACTIONS.home,
    onAction<BlockAction<StaticSelectAction>>(
      logger,
      'choosing a language',
      async ({ action, client }, call) => {
        const value = action.selected_option?.value;
        if (value === undefined) return;
        await api.setLanguage(call, languageOfValue(value));
        await publishHome(client, deps, call);
      },
      dmFailure,
    ),
  );

  // Public holidays: the menu lists the API's places as the manager types; picking one keeps
  // its holidays. An unknown place (a stale menu) comes back as a DM saying why. The sign-up
  // modal's menu lists the same places, and is read when the modal is submitted.
  for (const menu of [HOLIDAY_ACTIONS.place, SIGNUP_HOLIDAYS_ACTION]) {
    app.options(menu, async ({ ack, body, options, context, client }) => {
      const call = {
        slackTeamId: String(body.team?.id ?? body.user.team_id),
        slackUserId: body.user.id,
        requestId: typeof context.requestId === 'string' ? context.requestId : undefined,
      };
      try {
        // "None" is worded in the manager's language; the places' names are the API's.
        const [places, voice] = await Promise.all([
          api.holidayPlaces(call),
          managerVoice(client, api, call),
        ]);
        await ack({ options: holidayOptions(places, options.value, voice) });
      } catch (error) {
        logger.warn({ err: error, requestId: call.requestId }, 'listing holiday places failed');
        await ack({ options: [] });
      }
    });
  }
  app.action<BlockAction<ExternalSelectAction>>(
    HOLIDAY_ACTIONS.place,
    onAction<BlockAction<ExternalSelectAction>>(
      logger,
      'choosing public holidays',
      async ({ action, client }, call) => {
        const value = action.selected_option?.value;
        if (value === undefined) return;
        await api.setHolidays(call, placeOfValue(value));
        await publishHome(client, deps, call);
      },
      dmFailure,
    ),
  );
}
