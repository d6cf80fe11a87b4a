import type { App, ViewSubmitAction, webApi } from '@slack/bolt';
import type { ApiClient, CallContext } from '../../api-client/index.ts';
import { itemReply } from '../../blocks/action-items.ts';
import {
  ACTION_BLOCKS,
  actionErrors,
  EDIT_ACTION_CALLBACK_ID,
  PICK_A_DATE,
  PLAN_ACTION_CALLBACK_ID,
  parseActionSubmission,
  parseContext,
} from '../../blocks/action-modal.ts';
import { buildTopicMessage } from '../../blocks/topic-message.ts';
import { voiceFor } from '../../i18n/index.ts';
import { modalErrors } from '../failure-replies.ts';
import { MalformedInputError, optionalApiIdOf } from '../malformed-input.ts';
import { replyVoice } from '../reply-voice.ts';
import { type ListenerDeps, onSubmission, publishHome } from '../shared.ts';

/** Slack's channel ids and message timestamps, as the modal was opened with them. */
const SLACK_CHANNEL_ID = /^[A-Z0-9]{1,40}$/;
const SLACK_TS = /^[0-9]{1,12}\.[0-9]{1,8}$/;

/** The modal's private_metadata, checked: its ids go into API paths and Slack calls. */
function targetOf(metadata: string | undefined) {
  const target = parseContext(metadata);
  const slackValue = (value: string | undefined, pattern: RegExp) => {
    if (value === undefined || pattern.test(value)) return value;
    throw new MalformedInputError("the action modal's message");
  };
  return {
    itemId: optionalApiIdOf(target.itemId, "the action modal's item"),
    deliveryId: optionalApiIdOf(target.deliveryId, "the action modal's delivery"),
    channelId: slackValue(target.channelId, SLACK_CHANNEL_ID),
    messageTs: slackValue(target.messageTs, SLACK_TS),
  };
}

type WebClient = webApi.WebClient;

/**
 * The topic's suggested actions, when the manager picked one and wrote nothing: the radio
 * button carries only its place in the list, as Slack caps an option's text at 75 characters.
 */
async function choicesOf(
  api: ApiClient,
  call: CallContext,
  deliveryId: string | undefined,
  values: ViewSubmitAction['view']['state']['values'],
): Promise<readonly string[]> {
  const picked = values[ACTION_BLOCKS.choice]?.choice?.selected_option?.value;
  const written = values[ACTION_BLOCKS.text]?.text?.value?.trim();
  if (!deliveryId || !picked || written) return [];
  return (await api.getMyDelivery(call, deliveryId)).topic.actions;
}

/** The note as it stands: its topic, its rating and every action planned on it. */
export async function noteAsItStands(api: ApiClient, call: CallContext, deliveryId: string) {
  const [delivery, items] = await Promise.all([
    api.getMyDelivery(call, deliveryId),
    api.listActionItems(call, { deliveryId }),
  ]);
  const planned = items
    .filter((item) => item.status === 'open' || item.status === 'done')
    .reverse();
  return { delivery, message: buildTopicMessage(delivery, planned, voiceFor(delivery)) };
}

/** The refresh of each note under way in this process, by delivery id. */
const refreshing = new Map<string, Promise<void>>();

/**
 * Shows the note again with every action planned on it, and an "Add another" button. Refreshes
 * of one note run one after another: two at once (a delete and its Undo clicked in quick
 * succession) could read in one order and reach Slack in the other, leaving the note showing the
 * older state. One after another, the last to finish read last.
 */
export function refreshNote(
  client: WebClient,
  api: ApiClient,
  call: CallContext,
  deliveryId: string,
): Promise<void> {
  const before = refreshing.get(deliveryId) ?? Promise.resolve();
  const refresh = before
    .catch(() => undefined)
    .then(async () => {
      const { delivery, message } = await noteAsItStands(api, call, deliveryId);
      if (!delivery.channelId || !delivery.ts) return;
      const { text, blocks } = message;
      await client.chat.update({ channel: delivery.channelId, ts: delivery.ts, text, blocks });
    });
  refreshing.set(deliveryId, refresh);
  const forget = () => {
    if (refreshing.get(deliveryId) === refresh) refreshing.delete(deliveryId);
  };
  refresh.then(forget, forget);
  return refresh;
}

/**
 * Submitting "Plan an action" or "Edit your action". Problems go back to the modal's fields
 * with `response_action: errors`, and nothing is saved; on success the modal closes and the
 * note (or the item's thread reply) shows the change.
 */
export function registerPlanActionModal(app: App, deps: ListenerDeps): void {
  const { api, logger } = deps;
  for (const callbackId of [PLAN_ACTION_CALLBACK_ID, EDIT_ACTION_CALLBACK_ID]) {
    app.view<ViewSubmitAction>(
      callbackId,
      onSubmission(
        logger,
        'saving an action',
        async ({ ack, view, client, context }, call) => {
          const target = targetOf(view.private_metadata);
          const [choices, voice] = await Promise.all([
            choicesOf(api, call, target.deliveryId, view.state.values),
            replyVoice(context, call),
          ]);
          const parsed = parseActionSubmission(view.state.values, choices, voice);
          if ('errors' in parsed) {
            await ack({ response_action: 'errors', errors: parsed.errors });
            return;
          }
          const saved = target.itemId
            ? await api.updateActionItem(call, target.itemId, parsed)
            : (
                await api.createActionItem(call, {
                  ...parsed,
                  source: 'modal',
                  ...(target.deliveryId && { deliveryId: target.deliveryId }),
                })
              ).item;
          // Saved: the modal closes now, and the note and the Home tab catch up after.
          await ack();
          if (saved.deliveryId) await refreshNote(client, api, call, saved.deliveryId);
          if (target.itemId && target.channelId && target.messageTs) {
            await client.chat.update({
              channel: target.channelId,
              ts: target.messageTs,
              ...itemReply(saved, voiceFor(saved), 'updated'),
            });
          }
          await publishHome(client, deps, call);
        },
        (error, { view }, voice) => {
          const datePicked =
            view.state.values[ACTION_BLOCKS.checkBack]?.preset?.selected_option?.value ===
            PICK_A_DATE;
          return modalErrors(
            error,
            (fields) => actionErrors(fields, datePicked),
            ACTION_BLOCKS.text,
            voice,
          );
        },
      ),
    );
  }
}
