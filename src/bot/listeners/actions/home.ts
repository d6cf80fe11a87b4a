import type { App } from '@slack/bolt';
import type { CallContext, Subscription } from '../../api-client/index.ts';
import { HOME_ACTIONS } from '../../blocks/home.ts';
import { dmFailure, type ListenerDeps, onAction, openSignupModal, publishHome } from '../shared.ts';

/** The App Home's buttons. Each acks, acts through the API, and shows the Home tab again. */
export function registerHomeActions(app: App, { api, logger, now }: ListenerDeps): void {
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
        async ({ client }, call) => publishHome(client, api, call, await change(call)),
        dmFailure,
      ),
    );
  }
}
