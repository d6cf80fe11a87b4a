import type { App, webApi } from '@slack/bolt';
import { ApiCallError, type ApiClient, type CallContext } from '../../api-client/index.ts';
import {
  actionErrors,
  EDIT_ACTION_CALLBACK_ID,
  itemReply,
  PLAN_ACTION_CALLBACK_ID,
  parseActionSubmission,
  parseContext,
} from '../../blocks/action-items.ts';
import { BUSY_TEXT } from '../../blocks/messages.ts';
import { buildTopicMessage } from '../../blocks/topic-message.ts';
import { callContext, publishHome } from '../shared.ts';

type WebClient = webApi.WebClient;

/** Shows the note again with every action planned on it, and an "Add another" button. */
export async function refreshNote(
  client: WebClient,
  api: ApiClient,
  call: CallContext,
  deliveryId: string,
): Promise<void> {
  const [delivery, items] = await Promise.all([
    api.getMyDelivery(call, deliveryId),
    api.listActionItems(call, { deliveryId }),
  ]);
  if (!delivery.channelId || !delivery.ts) return;
  const planned = items
    .filter((item) => item.status === 'open' || item.status === 'done')
    .reverse();
  const { text, blocks } = buildTopicMessage(delivery, planned);
  await client.chat.update({ channel: delivery.channelId, ts: delivery.ts, text, blocks });
}

/**
 * Submitting "Plan an action" or "Edit your action". Problems go back to the modal's fields
 * with `response_action: errors`, and nothing is saved; on success the modal closes and the
 * note (or the item's thread reply) shows the change.
 */
export function registerPlanActionModal(app: App, api: ApiClient): void {
  for (const callbackId of [PLAN_ACTION_CALLBACK_ID, EDIT_ACTION_CALLBACK_ID]) {
    app.view(callbackId, async ({ ack, body, view, client, context, logger }) => {
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      const target = parseContext(view.private_metadata);
      const parsed = parseActionSubmission(view.state.values);
      if ('errors' in parsed) {
        await ack({ response_action: 'errors', errors: parsed.errors });
        return;
      }
      let saved: Awaited<ReturnType<ApiClient['getActionItem']>>;
      try {
        saved = target.itemId
          ? await api.updateActionItem(call, target.itemId, parsed)
          : (
              await api.createActionItem(call, {
                ...parsed,
                source: 'modal',
                ...(target.deliveryId && { deliveryId: target.deliveryId }),
              })
            ).item;
      } catch (error) {
        const errors =
          error instanceof ApiCallError && error.status === 400
            ? actionErrors(error.fields, 'on' in parsed.checkBack)
            : {};
        if (Object.keys(errors).length === 0) {
          logger.error(`saving an action failed: ${(error as Error).message}`);
          errors.action_text = BUSY_TEXT;
        }
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack();
      try {
        if (saved.deliveryId) await refreshNote(client, api, call, saved.deliveryId);
        if (target.itemId && target.channelId && target.messageTs) {
          await client.chat.update({
            channel: target.channelId,
            ts: target.messageTs,
            ...itemReply(saved, 'Updated your action'),
          });
        }
        await publishHome(client, api, call);
      } catch (error) {
        logger.error(`showing a saved action failed: ${(error as Error).message}`);
      }
    });
  }
}
