import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { ApiClient } from '../../api-client/index.ts';
import { buildActionModal } from '../../blocks/action-items.ts';
import {
  NOT_RELEVANT_NOTE,
  PAUSED_TEXT,
  SEND_NOW_ACTION,
  SEND_NOW_TEXT,
} from '../../blocks/messages.ts';
import {
  parseTopicButtonValue,
  TOPIC_ACTIONS,
  withButtonsReplaced,
} from '../../blocks/topic-message.ts';
import { callContext, failureText, publishHome } from '../shared.ts';

/** The buttons on a blind-spot message, and "Send me one now" on the sign-up confirmation. */
export function registerTopicActions(app: App, api: ApiClient): void {
  app.action<BlockAction<ButtonAction>>(
    TOPIC_ACTIONS.notRelevant,
    async ({ ack, body, action, client, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      const value = parseTopicButtonValue(action.value);
      try {
        if (!value) throw new Error('button without a delivery');
        await api.markNotRelevant(call, value.topicId, value.deliveryId);
        const channel = body.channel?.id;
        const ts = body.message?.ts;
        const blocks = body.message?.blocks as KnownBlock[] | undefined;
        if (channel && ts && blocks) {
          await client.chat.update({
            channel,
            ts,
            text: body.message?.text ?? NOT_RELEVANT_NOTE,
            blocks: withButtonsReplaced(blocks, NOT_RELEVANT_NOTE),
          });
        }
      } catch (error) {
        logger.error(`not relevant failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(
    TOPIC_ACTIONS.pause,
    async ({ ack, body, client, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        await api.pause(call, 'paused from a note');
        await respond({ response_type: 'ephemeral', replace_original: false, text: PAUSED_TEXT });
        await publishHome(client, api, call);
      } catch (error) {
        logger.error(`pause failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  // "Plan an action" (and "Add another"): the modal, remembering which note to update after.
  app.action<BlockAction<ButtonAction>>(
    TOPIC_ACTIONS.planAction,
    async ({ ack, body, action, client, respond, logger }) => {
      await ack();
      const value = parseTopicButtonValue(action.value);
      const header = (body.message?.blocks as KnownBlock[] | undefined)?.find(
        (b) => b.type === 'header',
      );
      try {
        if (!value) throw new Error('button without a delivery');
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildActionModal({
            context: {
              deliveryId: value.deliveryId,
              channelId: body.channel?.id,
              messageTs: body.message?.ts,
            },
            topicTitle: header && 'text' in header ? String(header.text?.text ?? '') : undefined,
          }),
        });
      } catch (error) {
        logger.error(`opening the plan-an-action modal failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(
    SEND_NOW_ACTION,
    async ({ ack, body, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        const result = await api.sendNow(call);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: SEND_NOW_TEXT[result.status],
        });
      } catch (error) {
        logger.error(`send now failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );
}
