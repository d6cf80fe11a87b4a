import type { App, BlockAction } from '@slack/bolt';
import type { ApiClient } from '../../api-client/index.ts';
import { HOME_ACTIONS } from '../../blocks/home.ts';
import { callContext, failureText, openSignupModal, publishHome } from '../shared.ts';

/** The App Home's buttons. Each acks, acts through the API, and shows the Home tab again. */
export function registerHomeActions(app: App, api: ApiClient, now: () => Date): void {
  for (const actionId of [HOME_ACTIONS.signUp, HOME_ACTIONS.changeSchedule]) {
    app.action<BlockAction>(actionId, async ({ ack, body, client, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        await openSignupModal(client, api, call, body.trigger_id, now());
      } catch (error) {
        logger.error(`opening the sign-up modal failed: ${(error as Error).message}`);
      }
    });
  }

  const changes = {
    [HOME_ACTIONS.pause]: (call: Parameters<ApiClient['pause']>[0]) =>
      api.pause(call, 'paused from the Home tab'),
    [HOME_ACTIONS.resume]: (call: Parameters<ApiClient['resume']>[0]) => api.resume(call),
    [HOME_ACTIONS.unsubscribe]: (call: Parameters<ApiClient['unsubscribe']>[0]) =>
      api.unsubscribe(call),
  };
  for (const [actionId, change] of Object.entries(changes)) {
    app.action<BlockAction>(actionId, async ({ ack, body, client, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        await publishHome(client, api, call, await change(call));
      } catch (error) {
        logger.error(`${actionId} failed: ${(error as Error).message}`);
        await client.chat.postMessage({ channel: call.slackUserId, text: failureText(error) });
      }
    });
  }
}
