import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { buildActionModal } from '../../blocks/action-modal.ts';
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
  whyItMattersInFull,
  withButtonsReplaced,
  withRating,
} from '../../blocks/topic-message.ts';
import { voiceFor } from '../../i18n/index.ts';
import { dmFailure } from '../failure-replies.ts';
import { apiIdOf, MalformedInputError } from '../malformed-input.ts';
import { speakAs } from '../reply-voice.ts';
import { findSubscription, type ListenerDeps, onAction, publishHome } from '../shared.ts';

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
export function registerTopicActions(app: App, deps: ListenerDeps): void {
  const { api, logger } = deps;
  app.action(
    TOPIC_ACTIONS.notRelevant,
    onAction<Clicked>(
      logger,
      'marking a topic not relevant',
      async ({ body, action, client }, call) => {
        const value = noteOf(action.value);
        await api.markNotRelevant(call, value.topicId, value.deliveryId);
        // The Home tab needs the subscription anyway: read once, it gives the voice too.
        const subscription = await findSubscription(api, call);
        const voice = speakAs(call, voiceFor(subscription));
        const channel = body.channel?.id;
        const ts = body.message?.ts;
        const blocks = body.message?.blocks as KnownBlock[] | undefined;
        if (channel && ts && blocks) {
          const note = notRelevantNote(voice);
          await client.chat.update({
            channel,
            ts,
            text: body.message?.text ?? note,
            blocks: withButtonsReplaced(blocks, note),
          });
        }
        // "Topics you hid" on the Home tab lists it now, with Restore.
        await publishHome(client, deps, call);
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
        await publishHome(client, deps, call);
      },
      dmFailure,
    ),
  );

  app.action(
    TOPIC_ACTIONS.pause,
    onAction<Clicked>(logger, 'pausing from a note', async ({ client, respond }, call) => {
      const subscription = await api.pause(call, 'paused from a note');
      const voice = speakAs(call, voiceFor(subscription));
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: pausedText(voice),
      });
      await publishHome(client, deps, call);
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
        text: whyItMattersInFull(delivery.topic, speakAs(call, voiceFor(delivery))),
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
        // The rating's answer carries no language: the subscription, read alongside, does.
        const [saved, subscription] = await Promise.all([
          api.rateNote(call, value.deliveryId, rating),
          findSubscription(api, call),
        ]);
        const voice = speakAs(call, voiceFor(subscription));
        const channel = body.channel?.id;
        const ts = body.message?.ts;
        const blocks = body.message?.blocks as KnownBlock[] | undefined;
        if (channel && ts && blocks) {
          await client.chat.update({
            channel,
            ts,
            text: body.message?.text ?? voice.t('note.rating.thanks'),
            blocks: withRating(blocks, String(action.value), saved.rating, voice),
          });
        }
      }),
    );
  }

  app.action(
    SEND_NOW_ACTION,
    onAction<Clicked>(logger, 'sending a note now', async ({ respond }, call) => {
      const [result, subscription] = await Promise.all([
        api.sendNow(call),
        findSubscription(api, call),
      ]);
      const voice = speakAs(call, voiceFor(subscription));
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: sendNowText(result.status, voice),
      });
    }),
  );
}
