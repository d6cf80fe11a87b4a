import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { buildActionModal } from '../../blocks/action-items.ts';
import { HIDDEN_TOPIC_ACTIONS } from '../../blocks/hidden-topics.ts';
import {
  notRelevantNote,
  pausedText,
  SEND_NOW_ACTION,
  sendNowText,
} from '../../blocks/messages.ts';
import {
  parseTopicButtonValue,
  TOPIC_ACTIONS,
  withButtonsReplaced,
  withRating,
} from '../../blocks/topic-message.ts';
import { voiceFor } from '../../i18n/index.ts';
import { apiIdOf, MalformedInputError } from '../malformed-input.ts';
import { managerVoice } from '../manager-voice.ts';
import { dmFailure, type ListenerDeps, onAction, publishHome } from '../shared.ts';

/** The delivery and topic a note's button names, checked: they go into API paths. */
function noteOf(value: string | undefined): { deliveryId: string; topicId: string } {
  const parsed = parseTopicButtonValue(value);
  if (!parsed) throw new MalformedInputError('a note button without its delivery');
  return {
    deliveryId: apiIdOf(parsed.deliveryId, "a note button's delivery"),
    topicId: apiIdOf(parsed.topicId, "a note button's topic"),
  };
}

type Clicked = BlockAction<ButtonAction>;

/** The buttons on a blind-spot message, and "Send me one now" on the sign-up confirmation. */
export function registerTopicActions(app: App, { api, logger }: ListenerDeps): void {
  app.action(
    TOPIC_ACTIONS.notRelevant,
    onAction<Clicked>(
      logger,
      'marking a topic not relevant',
      async ({ body, action, client }, call) => {
        const value = noteOf(action.value);
        await api.markNotRelevant(call, value.topicId, value.deliveryId);
        const channel = body.channel?.id;
        const ts = body.message?.ts;
        const blocks = body.message?.blocks as KnownBlock[] | undefined;
        if (channel && ts && blocks) {
          const note = notRelevantNote(await managerVoice(client, api, call));
          await client.chat.update({
            channel,
            ts,
            text: body.message?.text ?? note,
            blocks: withButtonsReplaced(blocks, note),
          });
        }
        // "Topics you hid" on the Home tab lists it now, with Restore.
        await publishHome(client, api, call);
      },
    ),
  );

  // "Restore" under "Topics you hid": the topic can come again; the Home tab shows the rest.
  app.action(
    HIDDEN_TOPIC_ACTIONS.restore,
    onAction<Clicked>(
      logger,
      'restoring a hidden topic',
      async ({ action, client }, call) => {
        await api.restoreTopic(call, apiIdOf(action.value, "a restore button's topic"));
        await publishHome(client, api, call);
      },
      dmFailure,
    ),
  );

  app.action(
    TOPIC_ACTIONS.pause,
    onAction<Clicked>(logger, 'pausing from a note', async ({ client, respond }, call) => {
      await api.pause(call, 'paused from a note');
      const text = pausedText(await managerVoice(client, api, call));
      await respond({ response_type: 'ephemeral', replace_original: false, text });
      await publishHome(client, api, call);
    }),
  );

  // "Plan an action" (and "Add another"): the modal, remembering which note to update after.
  // Slack's trigger id lasts 3 seconds, so the modal opens at once and gets the topic's
  // suggested actions, as one-click choices, from the API after.
  app.action(
    TOPIC_ACTIONS.planAction,
    onAction<Clicked>(
      logger,
      'opening the plan-an-action modal',
      async ({ body, action, client }, call) => {
        const value = noteOf(action.value);
        const header = (body.message?.blocks as KnownBlock[] | undefined)?.find(
          (b) => b.type === 'header',
        );
        const input = {
          context: {
            deliveryId: value.deliveryId,
            channelId: body.channel?.id,
            messageTs: body.message?.ts,
          },
          topicTitle: header && 'text' in header ? String(header.text?.text ?? '') : undefined,
        };
        // No API call before the trigger id's 3 seconds are up: the first view is in English,
        // and the one that replaces it, with the topic's actions, in the manager's language.
        const opened = await client.views.open({
          trigger_id: body.trigger_id,
          view: buildActionModal({ ...input, voice: voiceFor() }),
        });
        // The workspace's check-back default (its settings) and the topic's actions, after.
        const [delivery, { checkBackDays }] = await Promise.all([
          api.getMyDelivery(call, value.deliveryId),
          api.workspaceDefaults(call),
        ]);
        if (opened.view?.id) {
          await client.views.update({
            view_id: opened.view.id,
            ...(opened.view.hash && { hash: opened.view.hash }),
            view: buildActionModal({
              ...input,
              checkBackDays,
              choices: delivery.topic.actions,
              voice: voiceFor(delivery),
            }),
          });
        }
      },
    ),
  );

  // The note shows "why it matters" in one line; this shows all of it, to the manager alone.
  app.action(
    TOPIC_ACTIONS.whyItMatters,
    onAction<Clicked>(logger, 'showing why a topic matters', async ({ action, respond }, call) => {
      const { deliveryId } = noteOf(action.value);
      const delivery = await api.getMyDelivery(call, deliveryId);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `*Why “${delivery.topic.title}” matters:* ${delivery.topic.whyItMatters}`,
      });
    }),
  );

  // "Useful" / "Not for me": recorded, and shown on the note; pressing the other changes it.
  for (const [actionId, rating] of [
    [TOPIC_ACTIONS.rateUseful, 'useful'],
    [TOPIC_ACTIONS.rateNotForMe, 'not_for_me'],
  ] as const) {
    app.action(
      actionId,
      onAction<Clicked>(logger, 'rating a note', async ({ body, action, client }, call) => {
        const value = noteOf(action.value);
        const saved = await api.rateNote(call, value.deliveryId, rating);
        const channel = body.channel?.id;
        const ts = body.message?.ts;
        const blocks = body.message?.blocks as KnownBlock[] | undefined;
        if (channel && ts && blocks) {
          await client.chat.update({
            channel,
            ts,
            text: body.message?.text ?? 'Thanks for rating this note.',
            blocks: withRating(blocks, String(action.value), saved.rating),
          });
        }
      }),
    );
  }

  app.action(
    SEND_NOW_ACTION,
    onAction<Clicked>(logger, 'sending a note now', async ({ client, respond }, call) => {
      const [result, voice] = await Promise.all([
        api.sendNow(call),
        managerVoice(client, api, call),
      ]);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: sendNowText(result.status, voice),
      });
    }),
  );
}
