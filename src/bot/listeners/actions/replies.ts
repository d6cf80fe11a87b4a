/**
 * Buttons under the bot's answers to a manager's own words (../../blocks/replies.ts): save a
 * thread reply as an action or keep it as a thought, confirm an unsubscribe asked for by DM,
 * and pick which of a reminder's items a reply was about.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ApiCallError } from '../../api-client/index.ts';
import { itemReply, NOT_SAVED_TEXT, parseDmButtonValue } from '../../blocks/action-items.ts';
import {
  JUST_A_THOUGHT_TEXT,
  KEPT_SUBSCRIPTION_TEXT,
  parseWhichItemValue,
  REPLY_ACTIONS,
  replyRecorded,
  UNSUBSCRIBED_TEXT,
} from '../../blocks/replies.ts';
import { apiIdOf, MalformedInputError } from '../malformed-input.ts';
import { failureText, type ListenerDeps, onAction } from '../shared.ts';
import { refreshNote } from '../views/plan-action.ts';

type Clicked = BlockAction<ButtonAction>;

export function registerReplyActions(app: App, { api, logger }: ListenerDeps): void {
  app.action(
    REPLY_ACTIONS.saveThread,
    onAction<Clicked>(
      logger,
      'saving a thread reply as an action',
      async ({ action, client, respond }, call) => {
        const value = parseDmButtonValue(action.value);
        if (!value) throw new MalformedInputError('a save-reply button without its value');
        const deliveryId = apiIdOf(value.deliveryId, "a save-reply button's delivery");
        const { item } = await api.createActionItem(call, {
          text: value.text,
          source: 'thread',
          sourceKey: value.sourceKey,
          deliveryId,
        });
        await respond({ replace_original: true, ...itemReply(item) });
        await refreshNote(client, api, call, deliveryId);
      },
      // The question is answered either way, so the answer takes its place.
      ({ respond }, error) =>
        respond({
          replace_original: true,
          text:
            error instanceof ApiCallError && error.status === 400
              ? NOT_SAVED_TEXT(error.message)
              : failureText(error),
        }),
    ),
  );

  app.action(
    REPLY_ACTIONS.justAThought,
    onAction<Clicked>(logger, 'keeping a thread reply as a thought', async ({ respond }) => {
      await respond({ replace_original: true, text: JUST_A_THOUGHT_TEXT });
    }),
  );

  app.action(
    REPLY_ACTIONS.unsubscribe,
    onAction<Clicked>(logger, 'unsubscribing from a DM', async ({ respond }, call) => {
      await api.unsubscribe(call);
      await respond({ replace_original: true, text: UNSUBSCRIBED_TEXT });
    }),
  );

  app.action(
    REPLY_ACTIONS.keepSubscription,
    onAction<Clicked>(logger, 'keeping a subscription', async ({ respond }) => {
      await respond({ replace_original: true, text: KEPT_SUBSCRIPTION_TEXT });
    }),
  );

  app.action(
    REPLY_ACTIONS.whichItem,
    onAction<Clicked>(
      logger,
      'answering a reminder from a reply',
      async ({ action, respond }, call) => {
        const value = parseWhichItemValue(action.value);
        if (!value) throw new MalformedInputError('an item button without its reminder');
        const itemId = apiIdOf(value.itemId, "an item button's item");
        const [result, item] = await Promise.all([
          api.answer(call, itemId, {
            answer: value.answer,
            reminderId: apiIdOf(value.reminderId, "an item button's reminder"),
          }),
          api.getActionItem(call, itemId),
        ]);
        await respond({
          replace_original: true,
          ...replyRecorded(item.text, result.response.answer),
        });
      },
    ),
  );
}
