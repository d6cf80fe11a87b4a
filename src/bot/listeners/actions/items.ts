/**
 * Buttons on action items, wherever they show: a note's thread reply, the /blindspot actions
 * list, the Home tab, and the questions about a plain DM or a deleted reply.
 */
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import {
  type ActionItem,
  ApiCallError,
  type ApiClient,
  type CallContext,
} from '../../api-client/index.ts';
import {
  deletedReply,
  dmHelpText,
  ITEM_ACTIONS,
  isPreset,
  itemReply,
  notSavedText,
  parseDmButtonValue,
} from '../../blocks/action-items.ts';
import { buildActionModal } from '../../blocks/action-modal.ts';
import { RECENT_NOTES_BLOCK } from '../../blocks/history.ts';
import { historyText } from '../../blocks/messages.ts';
import { OPEN_ITEMS_BLOCK, openItemBlocks, pageShown } from '../../blocks/open-items.ts';
import { PROGRESS_BLOCK, progressBlocks } from '../../blocks/reminders.ts';
import { voiceFor } from '../../i18n/index.ts';
import { dmFailure, failureText } from '../failure-replies.ts';
import { apiIdOf, MalformedInputError } from '../malformed-input.ts';
import { refusalText } from '../refusals.ts';
import { replyVoice } from '../reply-voice.ts';
import { type ActionArgs, type ListenerDeps, onAction, publishHome } from '../shared.ts';
import { refreshNote } from '../views/plan-action.ts';
import { refreshReminder } from './reminders.ts';

type Clicked = BlockAction<ButtonAction | StaticSelectAction>;
type Respond = (message: {
  replace_original?: boolean;
  response_type?: 'ephemeral';
  text: string;
  blocks?: unknown[];
}) => Promise<unknown>;

/** Whether the click came from a list of open items (the Home tab, a list message). */
function fromList(body: Clicked): boolean {
  return (
    body.view?.type === 'home' ||
    Boolean(
      body.message?.blocks?.some((b: { block_id?: string }) => b.block_id === OPEN_ITEMS_BLOCK),
    )
  );
}

/** What a refreshed list shows besides the items: which page, and an item just deleted. */
interface ListShown {
  page?: number;
  deleted?: Pick<ActionItem, 'id' | 'text'>;
}

/**
 * The open-items list this click came from, shown again at `shown.page` (by default the page it
 * showed); or the Home tab. In the history DM the progress summary above the list stays.
 */
async function refreshList(
  { body, context }: Pick<ActionArgs<Clicked>, 'body' | 'context'>,
  api: ApiClient,
  call: CallContext,
  respond: Respond,
  publish: (page: number, deleted?: ListShown['deleted']) => Promise<void>,
  shown: ListShown = {},
) {
  const blocks = (body.view?.type === 'home' ? body.view.blocks : body.message?.blocks) as
    | Array<{ block_id?: string }>
    | undefined;
  const onPage = shown.page ?? pageShown(blocks);
  if (body.view?.type === 'home') {
    await publish(onPage, shown.deleted);
    return;
  }
  if (!blocks?.some((block) => block.block_id === OPEN_ITEMS_BLOCK)) return;
  const withProgress = blocks.some((block) => block.block_id === PROGRESS_BLOCK);
  const [items, progress] = await Promise.all([
    api.listActionItems(call, { status: 'open' }),
    withProgress ? api.progress(call) : undefined,
  ]);
  // The items carry their manager's locale; an empty list asks for it.
  const voice = items[0] ? voiceFor(items[0]) : await replyVoice(context, call);
  const list = openItemBlocks(items, { page: onPage, deleted: shown.deleted, voice });
  // The history DM's past notes don't change with a click: kept as they were shown.
  const notes = blocks.filter((block) => block.block_id === RECENT_NOTES_BLOCK) as KnownBlock[];
  await respond({
    replace_original: true,
    text: withProgress ? historyText(voice) : voice.t('items.list.title'),
    blocks: progress ? [...progressBlocks(progress, voice), ...notes, ...list] : list,
  });
}

/**
 * A one-click "save this as an action" under a manager's own words (a plain DM, a thread
 * reply): the button carries the text, so one click creates the item, answers in place of the
 * question and refreshes the note the item belongs to.
 */
export function saveFromButton(
  { api, logger }: Pick<ListenerDeps, 'api' | 'logger'>,
  saved: { source: 'dm' | 'thread'; what: string; button: string },
) {
  return onAction<BlockAction<ButtonAction>>(
    logger,
    `saving ${saved.what} as an action`,
    async ({ action, client, respond }, call) => {
      const value = parseDmButtonValue(action.value);
      if (!value) throw new MalformedInputError(`a ${saved.button} button without its value`);
      const deliveryId = apiIdOf(value.deliveryId, `a ${saved.button} button's delivery`);
      const { item } = await api.createActionItem(call, {
        text: value.text,
        source: saved.source,
        sourceKey: value.sourceKey,
        deliveryId,
      });
      await respond({ replace_original: true, ...itemReply(item, voiceFor(item)) });
      await refreshNote(client, api, call, deliveryId);
    },
    // The question is answered either way, so the answer takes its place.
    async ({ respond, context }, error, call) => {
      const voice = await replyVoice(context, call);
      return respond({
        replace_original: true,
        text:
          error instanceof ApiCallError && error.status === 400
            ? notSavedText(refusalText(error, voice), voice)
            : failureText(error, voice),
      });
    },
  );
}

export function registerItemActions(app: App, deps: ListenerDeps): void {
  const { api, logger } = deps;
  const refresh = (
    { body, client, context, respond }: ActionArgs<Clicked>,
    call: CallContext,
    shown?: ListShown,
  ) =>
    refreshList(
      { body, context },
      api,
      call,
      respond as Respond,
      (itemsPage, deleted) => publishHome(client, deps, call, { itemsPage, deleted }),
      shown,
    );

  // The list's "Next 20" / "Previous 20": the same list, another page.
  app.action(
    ITEM_ACTIONS.page,
    onAction<Clicked>(logger, 'turning a page of actions', async (args, call) => {
      const page = Number((args.action as ButtonAction).value);
      if (!Number.isInteger(page) || page < 0 || page > 1000)
        throw new MalformedInputError('a page button without its page');
      await refresh(args, call, { page });
    }),
  );

  app.action(
    ITEM_ACTIONS.edit,
    onAction<Clicked>(logger, 'opening the edit modal', async ({ body, action, client }, call) => {
      const id = apiIdOf((action as ButtonAction).value, "an edit button's item");
      const item = await api.getActionItem(call, id);
      const inThread =
        body.message &&
        !body.message.blocks?.some((b: { block_id?: string }) => b.block_id === OPEN_ITEMS_BLOCK);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildActionModal({
          item,
          context: inThread ? { channelId: body.channel?.id, messageTs: body.message?.ts } : {},
          topicTitle: item.topic?.title,
          voice: voiceFor(item),
        }),
      });
    }),
  );

  app.action(
    ITEM_ACTIONS.done,
    onAction<Clicked>(logger, 'marking an action done', async (args, call) => {
      const id = apiIdOf((args.action as ButtonAction).value, "a done button's item");
      const item = await api.updateActionItem(call, id, { status: 'done' });
      await refresh(args, call);
      if (item.deliveryId) await refreshNote(args.client, api, call, item.deliveryId);
      // A reminder still asking "Did you do it?" about it says it is done instead.
      await refreshReminder(args.client, { api, logger }, call, { itemId: id });
    }),
  );

  // Deleted at once, after Slack's confirmation dialog; for a minute the message offers "Undo".
  app.action(
    ITEM_ACTIONS.delete,
    onAction<Clicked>(logger, 'deleting an action', async (args, call) => {
      const { body, action, client, respond } = args;
      const id = apiIdOf((action as ButtonAction).value, "a delete button's item");
      const item = await api.getActionItem(call, id);
      await api.deleteActionItem(call, id);
      if (fromList(body)) await refresh(args, call, { deleted: item });
      else await respond({ replace_original: true, ...deletedReply(item, voiceFor(item)) });
      if (item.deliveryId) await refreshNote(client, api, call, item.deliveryId);
    }),
  );

  app.action(
    ITEM_ACTIONS.undoDelete,
    onAction<Clicked>(
      logger,
      'undoing the deletion of an action',
      async (args, call) => {
        const { body, action, client, respond } = args;
        const id = apiIdOf((action as ButtonAction).value, "an undo button's item");
        const item = await api.restoreActionItem(call, id);
        if (fromList(body)) await refresh(args, call);
        else
          await respond({ replace_original: true, ...itemReply(item, voiceFor(item), 'restored') });
        if (item.deliveryId) await refreshNote(client, api, call, item.deliveryId);
      },
      // Too late: the Undo button goes, and the manager is told why, where they clicked.
      async (args, error, call) => {
        const { body, respond, client } = args;
        const voice = await replyVoice(args.context, call);
        if (body.view?.type === 'home') {
          await publishHome(client, deps, call);
          await dmFailure(args, error, call);
        } else if (fromList(body)) {
          await refresh(args, call);
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: failureText(error, voice),
          });
        } else if (error instanceof ApiCallError && error.code === 'undo_expired') {
          await respond({ replace_original: true, text: failureText(error, voice) });
        } else {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: failureText(error, voice),
          });
        }
      },
    ),
  );

  app.action(
    ITEM_ACTIONS.keep,
    onAction<Clicked>(logger, 'keeping an action', async ({ respond, context }, call) => {
      const { t } = await replyVoice(context, call);
      await respond({ replace_original: true, text: t('items.reply.kept') });
    }),
  );

  app.action(
    ITEM_ACTIONS.checkBack,
    onAction<Clicked>(logger, 'changing a check-back date', async ({ action, respond }, call) => {
      const [id, preset] = String((action as StaticSelectAction).selected_option?.value).split(':');
      if (!isPreset(preset))
        throw new MalformedInputError('a check-back menu option that is not ours');
      const item = await api.updateActionItem(call, apiIdOf(id, "a check-back menu's item"), {
        checkBack: { in: preset },
      });
      await respond({ replace_original: true, ...itemReply(item, voiceFor(item), 'updated') });
    }),
  );

  app.action(
    ITEM_ACTIONS.saveFromDm,
    saveFromButton({ api, logger }, { source: 'dm', what: 'a DM', button: 'save-from-DM' }),
  );

  app.action(
    ITEM_ACTIONS.notAnAction,
    onAction<Clicked>(logger, 'declining to save a DM', async ({ respond, context }, call) => {
      const voice = await replyVoice(context, call);
      const text = voice.t('items.dm.nothingSaved', { help: dmHelpText(voice) });
      await respond({ replace_original: true, text });
    }),
  );
}
