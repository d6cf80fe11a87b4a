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
  ViewSubmitAction,
} from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { AnswerRequest, ApiClient, CallContext } from '../../api-client/index.ts';
import {
  buildReflectionModal,
  DIGEST_ACTIONS,
  parseReminderValue,
  REFLECTION_CALLBACK_ID,
  REMINDER_ACTIONS,
  withAnswer,
} from '../../blocks/reminders.ts';
import { apiIdOf, MalformedInputError, parseOurJson } from '../malformed-input.ts';
import {
  type ActionArgs,
  failureText,
  type ListenerDeps,
  logOnly,
  onAction,
  onSubmission,
  publishHome,
} from '../shared.ts';

type Clicked = BlockAction<ButtonAction | StaticSelectAction | DatepickerAction>;
type Target = { reminderId: string; itemId: string } | undefined;

/** Records the answer, shows it in place of the buttons, and for Done and Partly asks how it went. */
async function answer(
  api: ApiClient,
  { body, client, respond }: ActionArgs<Clicked>,
  call: CallContext,
  target: Target,
  request: AnswerRequest,
): Promise<void> {
  if (!target) throw new MalformedInputError('a reminder button without its item');
  const itemId = apiIdOf(target.itemId, "a reminder button's item");
  const result = await api.answer(call, itemId, {
    ...request,
    reminderId: apiIdOf(target.reminderId, "a reminder button's reminder"),
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
      view: buildReflectionModal(target.itemId, result.response.id, request.answer),
    });
  }
}

export function registerReminderActions(app: App, { api, logger }: ListenerDeps): void {
  /** One listener per way of answering: `read` finds the reminder and the answer in the click. */
  const answering = (read: (action: Clicked['actions'][number]) => [Target, AnswerRequest]) =>
    onAction<Clicked>(logger, 'answering a reminder', (args, call) =>
      answer(api, args, call, ...read(args.action)),
    );

  const buttons: Array<[string, AnswerRequest['answer']]> = [
    [REMINDER_ACTIONS.done, 'done'],
    [REMINDER_ACTIONS.partly, 'partly'],
    [REMINDER_ACTIONS.notYet, 'not_yet'],
    [REMINDER_ACTIONS.drop, 'dropped'],
  ];
  for (const [actionId, kind] of buttons) {
    app.action(
      actionId,
      answering((action) => [parseReminderValue((action as ButtonAction).value), { answer: kind }]),
    );
  }

  app.action(
    REMINDER_ACTIONS.snooze,
    answering((action) => {
      const value = parseReminderValue((action as StaticSelectAction).selected_option?.value);
      return [value, { answer: 'snoozed', snoozeFor: value?.for ?? '1d' }];
    }),
  );

  // The date picker's action id carries its reminder and item: a picker has no value of its own.
  app.action(
    new RegExp(`^${REMINDER_ACTIONS.snoozeDate}:`),
    answering((action) => {
      const [, reminderId, itemId] = action.action_id.split(':');
      const until = (action as DatepickerAction).selected_date ?? undefined;
      return [
        reminderId && itemId ? { reminderId, itemId } : undefined,
        { answer: 'snoozed', until },
      ];
    }),
  );

  app.view<ViewSubmitAction>(
    REFLECTION_CALLBACK_ID,
    onSubmission(
      logger,
      'saving a reflection',
      async ({ view }, call) => {
        const { itemId, responseId } = parseOurJson(
          view.private_metadata,
          "the reflection modal's metadata",
        );
        const reflection = view.state.values.reflection?.text?.value ?? null;
        const score = view.state.values.usefulness?.score?.selected_option?.value;
        await api.reflect(
          call,
          apiIdOf(itemId, "the reflection modal's item"),
          apiIdOf(responseId, "the reflection modal's answer"),
          {
            reflection,
            usefulness: score ? Number(score) : null,
          },
        );
      },
      (error) => ({ reflection: failureText(error) }),
    ),
  );

  for (const [actionId, enabled] of [
    [DIGEST_ACTIONS.on, true],
    [DIGEST_ACTIONS.off, false],
  ] as const) {
    app.action(
      actionId,
      onAction(
        logger,
        'changing the weekly digest',
        async ({ client }, call) => {
          await api.setWeeklyDigest(call, enabled);
          await publishHome(client, api, call);
        },
        logOnly,
      ),
    );
  }
}
