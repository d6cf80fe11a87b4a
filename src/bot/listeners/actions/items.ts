/**
 * Buttons on action items, wherever they show: a note's thread reply, the /blindspot actions
 * list, the Home tab, and the questions about a plain DM or a deleted reply.
 */
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { ApiCallError, type ApiClient, type CallContext } from '../../api-client/index.ts';
import {
  buildActionModal,
  DM_HELP_TEXT,
  ITEM_ACTIONS,
  itemReply,
  NOT_SAVED_TEXT,
  OPEN_ITEMS_BLOCK,
  openItemBlocks,
} from '../../blocks/action-items.ts';
import { callContext, failureText, publishHome } from '../shared.ts';
import { refreshNote } from '../views/plan-action.ts';

type Clicked = BlockAction<ButtonAction | StaticSelectAction>;
type Respond = (message: {
  replace_original?: boolean;
  response_type?: 'ephemeral';
  text: string;
  blocks?: unknown[];
}) => Promise<unknown>;

/** The open-items list this click came from, shown again; or the Home tab. */
async function refreshList(
  body: Clicked,
  api: ApiClient,
  call: CallContext,
  respond: Respond,
  publish: () => Promise<void>,
) {
  if (body.view?.type === 'home') {
    await publish();
    return;
  }
  const fromList = (body.message?.blocks as Array<{ block_id?: string }> | undefined)?.some(
    (block) => block.block_id === OPEN_ITEMS_BLOCK,
  );
  if (fromList) {
    const items = await api.listActionItems(call, { status: 'open' });
    await respond({
      replace_original: true,
      text: 'Your open actions',
      blocks: openItemBlocks(items),
    });
  }
}

export function registerItemActions(app: App, api: ApiClient): void {
  app.action<Clicked>(
    ITEM_ACTIONS.edit,
    async ({ ack, body, action, client, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        const item = await api.getActionItem(call, String((action as ButtonAction).value));
        const inThread =
          body.message &&
          !body.message.blocks?.some((b: { block_id?: string }) => b.block_id === OPEN_ITEMS_BLOCK);
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildActionModal({
            item,
            context: inThread ? { channelId: body.channel?.id, messageTs: body.message?.ts } : {},
            topicTitle: item.topic?.title,
          }),
        });
      } catch (error) {
        logger.error(`opening the edit modal failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  app.action<Clicked>(
    ITEM_ACTIONS.done,
    async ({ ack, body, action, client, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        const item = await api.updateActionItem(call, String((action as ButtonAction).value), {
          status: 'done',
        });
        await refreshList(body, api, call, respond as Respond, () =>
          publishHome(client, api, call),
        );
        if (item.deliveryId) await refreshNote(client, api, call, item.deliveryId);
      } catch (error) {
        logger.error(`marking an action done failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  app.action<Clicked>(
    ITEM_ACTIONS.delete,
    async ({ ack, body, action, client, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      const id = String((action as ButtonAction).value);
      try {
        const item = await api.getActionItem(call, id);
        await api.deleteActionItem(call, id);
        if (
          body.view?.type === 'home' ||
          body.message?.blocks?.some((b: { block_id?: string }) => b.block_id === OPEN_ITEMS_BLOCK)
        ) {
          await refreshList(body, api, call, respond as Respond, () =>
            publishHome(client, api, call),
          );
        } else {
          await respond({ replace_original: true, text: 'Deleted that action.' });
        }
        if (item.deliveryId) await refreshNote(client, api, call, item.deliveryId);
      } catch (error) {
        logger.error(`deleting an action failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  app.action<Clicked>(ITEM_ACTIONS.keep, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'Kept your action.' });
  });

  app.action<Clicked>(
    ITEM_ACTIONS.checkBack,
    async ({ ack, body, action, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      const [id, preset] = String((action as StaticSelectAction).selected_option?.value).split(':');
      try {
        const item = await api.updateActionItem(call, String(id), {
          checkBack: { in: preset as '2d' | '1w' | '2w' },
        });
        await respond({ replace_original: true, ...itemReply(item, 'Updated your action') });
      } catch (error) {
        logger.error(`changing a check-back date failed: ${(error as Error).message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: failureText(error),
        });
      }
    },
  );

  app.action<Clicked>(
    ITEM_ACTIONS.saveFromDm,
    async ({ ack, body, action, client, respond, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        const {
          d: deliveryId,
          k: sourceKey,
          t: text,
        } = JSON.parse(String((action as ButtonAction).value)) as Record<string, string>;
        const { item } = await api.createActionItem(call, {
          text: String(text),
          source: 'dm',
          sourceKey,
          deliveryId,
        });
        await respond({ replace_original: true, ...itemReply(item) });
        await refreshNote(client, api, call, String(deliveryId));
      } catch (error) {
        const text =
          error instanceof ApiCallError && error.status === 400
            ? NOT_SAVED_TEXT(error.message)
            : failureText(error);
        if (!(error instanceof ApiCallError && error.status === 400))
          logger.error(`saving a DM as an action failed: ${(error as Error).message}`);
        await respond({ replace_original: true, text });
      }
    },
  );

  app.action<Clicked>(ITEM_ACTIONS.notAnAction, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: `Noted, nothing saved. ${DM_HELP_TEXT}` });
  });
}
