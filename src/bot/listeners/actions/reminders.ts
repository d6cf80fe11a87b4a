/**
 * Answers to a reminder: Done, Partly, Not yet, Snooze, Drop it. The answer is recorded by the
 * API (once, however often the same click arrives), then the message shows it in place of the
 * buttons. Done and Partly then ask what happened, in a form the manager may skip.
 */
import type {
  App,
  BlockAction,
  ButtonAction,
  DatepickerAction,
  StaticSelectAction,
} from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type AnswerRequest, ApiCallError, type ApiClient } from '../../api-client/index.ts';
import {
  buildReflectionModal,
  DIGEST_ACTIONS,
  parseReminderValue,
  REFLECTION_CALLBACK_ID,
  REMINDER_ACTIONS,
  withAnswer,
} from '../../blocks/reminders.ts';
import { callContext, failureText, publishHome } from '../shared.ts';

type Clicked = BlockAction<ButtonAction | StaticSelectAction | DatepickerAction>;

export function registerReminderActions(app: App, api: ApiClient): void {
  async function answer(
    args: Parameters<Parameters<typeof app.action<Clicked>>[1]>[0],
    target: { reminderId: string; itemId: string } | undefined,
    request: AnswerRequest,
  ) {
    const { body, client, respond, context, logger } = args;
    const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
    try {
      if (!target) throw new Error('reminder button without its item');
      const result = await api.answer(call, target.itemId, {
        ...request,
        reminderId: target.reminderId,
      });
      const blocks = body.message?.blocks as KnownBlock[] | undefined;
      if (blocks) {
        await respond({
          replace_original: true,
          text: body.message?.text ?? 'Recorded.',
          blocks: withAnswer(blocks, target.itemId, result.response.answer, request.until),
        });
      }
      if (result.recorded && (request.answer === 'done' || request.answer === 'partly')) {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildReflectionModal(target.itemId, result.response.id),
        });
      }
    } catch (error) {
      const text =
        error instanceof ApiCallError && error.status === 400 ? error.message : failureText(error);
      if (!(error instanceof ApiCallError && error.status < 500))
        logger.error(`answering a reminder failed: ${(error as Error).message}`);
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    }
  }

  const buttons: Array<[string, AnswerRequest['answer']]> = [
    [REMINDER_ACTIONS.done, 'done'],
    [REMINDER_ACTIONS.partly, 'partly'],
    [REMINDER_ACTIONS.notYet, 'not_yet'],
    [REMINDER_ACTIONS.drop, 'dropped'],
  ];
  for (const [actionId, kind] of buttons) {
    app.action<Clicked>(actionId, async (args) => {
      await args.ack();
      await answer(args, parseReminderValue((args.action as ButtonAction).value), { answer: kind });
    });
  }

  app.action<Clicked>(REMINDER_ACTIONS.snooze, async (args) => {
    await args.ack();
    const value = parseReminderValue((args.action as StaticSelectAction).selected_option?.value);
    await answer(args, value, { answer: 'snoozed', snoozeFor: value?.for ?? '1d' });
  });

  // The date picker's action id carries its reminder and item: a picker has no value of its own.
  app.action<Clicked>(new RegExp(`^${REMINDER_ACTIONS.snoozeDate}:`), async (args) => {
    await args.ack();
    const [, reminderId, itemId] = args.action.action_id.split(':');
    const until = (args.action as DatepickerAction).selected_date ?? undefined;
    await answer(args, reminderId && itemId ? { reminderId, itemId } : undefined, {
      answer: 'snoozed',
      until,
    });
  });

  app.view(REFLECTION_CALLBACK_ID, async ({ ack, body, view, context, logger }) => {
    const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
    const { itemId, responseId } = JSON.parse(view.private_metadata || '{}') as Record<
      string,
      string
    >;
    const reflection = view.state.values.reflection?.text?.value ?? null;
    const score = view.state.values.usefulness?.score?.selected_option?.value;
    try {
      await api.reflect(call, String(itemId), String(responseId), {
        reflection,
        usefulness: score ? Number(score) : null,
      });
      await ack();
    } catch (error) {
      const message =
        error instanceof ApiCallError && error.status === 400 ? error.message : failureText(error);
      if (!(error instanceof ApiCallError))
        logger.error(`saving a reflection failed: ${(error as Error).message}`);
      await ack({ response_action: 'errors', errors: { reflection: message } });
    }
  });

  for (const [actionId, enabled] of [
    [DIGEST_ACTIONS.on, true],
    [DIGEST_ACTIONS.off, false],
  ] as const) {
    app.action<Clicked>(actionId, async ({ ack, body, client, context, logger }) => {
      await ack();
      const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, context);
      try {
        await api.setWeeklyDigest(call, enabled);
        await publishHome(client, api, call);
      } catch (error) {
        logger.error(`changing the weekly digest failed: ${(error as Error).message}`);
      }
    });
  }
}
