/**
 * Buttons under the bot's answers to a manager's own words (../../blocks/replies.ts): save a
 * thread reply as an action or keep it as a thought, confirm an unsubscribe asked for by DM,
 * and pick which of a reminder's items a reply was about.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  justAThoughtText,
  keptSubscriptionText,
  parseWhichItemValue,
  REPLY_ACTIONS,
  replyRecorded,
  unsubscribedText,
} from '../../blocks/replies.ts';
import { voiceFor } from '../../i18n/index.ts';
import { apiIdOf, MalformedInputError } from '../malformed-input.ts';
import { speakAs } from '../reply-voice.ts';
import { findSubscription, type ListenerDeps, onAction } from '../shared.ts';
import { saveFromButton } from './items.ts';
import { refreshReminder } from './reminders.ts';

type Clicked = BlockAction<ButtonAction>;

export function registerReplyActions(app: App, { api, logger }: ListenerDeps): void {
  app.action(
    REPLY_ACTIONS.saveThread,
    saveFromButton(
      { api, logger },
      { source: 'thread', what: 'a thread reply', button: 'save-reply' },
    ),
  );

  app.action(
    REPLY_ACTIONS.justAThought,
    onAction<Clicked>(logger, 'keeping a thread reply as a thought', async ({ respond }, call) => {
      const voice = speakAs(call, voiceFor(await findSubscription(api, call)));
      await respond({ replace_original: true, text: justAThoughtText(voice) });
    }),
  );

  app.action(
    REPLY_ACTIONS.unsubscribe,
    onAction<Clicked>(logger, 'unsubscribing from a DM', async ({ respond }, call) => {
      const voice = speakAs(call, voiceFor(await api.unsubscribe(call)));
      await respond({ replace_original: true, text: unsubscribedText(voice) });
    }),
  );

  app.action(
    REPLY_ACTIONS.keepSubscription,
    onAction<Clicked>(logger, 'keeping a subscription', async ({ respond }, call) => {
      const voice = speakAs(call, voiceFor(await findSubscription(api, call)));
      await respond({ replace_original: true, text: keptSubscriptionText(voice) });
    }),
  );

  app.action(
    REPLY_ACTIONS.whichItem,
    onAction<Clicked>(
      logger,
      'answering a reminder from a reply',
      async ({ action, client, respond }, call) => {
        const value = parseWhichItemValue(action.value);
        if (!value) throw new MalformedInputError('an item button without its reminder');
        const itemId = apiIdOf(value.itemId, "an item button's item");
        const reminderId = apiIdOf(value.reminderId, "an item button's reminder");
        const [result, item, subscription] = await Promise.all([
          api.answer(call, itemId, { answer: value.answer, reminderId }),
          api.getActionItem(call, itemId),
          findSubscription(api, call),
        ]);
        const voice = speakAs(call, voiceFor(subscription));
        await respond({
          replace_original: true,
          ...replyRecorded(item.text, result.response.answer, voice, {
            reminderId: value.reminderId,
            itemId: value.itemId,
            responseId: result.response.id,
          }),
        });
        await refreshReminder(client, { api, logger }, call, { reminderId });
      },
    ),
  );
}
