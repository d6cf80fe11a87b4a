/**
 * Answers to a reminder: Done, Partly, Not yet, Snooze, Drop it. The answer is recorded by the
 * API (once, however often the same click arrives), then the message shows it in place of the
 * buttons, with "Change answer", which brings the buttons back to replace it. Done and Partly
 * then ask what happened, in a form the manager may skip.
 */
import type {
  App,
  BlockAction,
  ButtonAction,
  DatepickerAction,
  StaticSelectAction,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { Logger } from '../../../observability/logger.ts';
import type { AnswerRequest, ApiClient, CallContext } from '../../api-client/index.ts';
import {
  buildReflectionModal,
  REFLECTION_CALLBACK_ID,
  reflectionAlreadyText,
  reflectionNoticeModal,
} from '../../blocks/reflection.ts';
import {
  DIGEST_ACTIONS,
  parseReminderValue,
  REMINDER_ACTIONS,
  reminderAsItStands,
  withAnswer,
  withAnswerButtons,
} from '../../blocks/reminders.ts';
import { replyRecorded } from '../../blocks/replies.ts';
import { voiceFor } from '../../i18n/index.ts';
import { dmFailure, failureText } from '../failure-replies.ts';
import { apiIdOf, MalformedInputError, parseOurJson } from '../malformed-input.ts';
import { replyVoice } from '../reply-voice.ts';
import {
  type ActionArgs,
  type ListenerDeps,
  onAction,
  onSubmission,
  publishHome,
  unlessNotFound,
} from '../shared.ts';

type Clicked = BlockAction<ButtonAction | StaticSelectAction | DatepickerAction>;
type Target = { reminderId: string; itemId: string; responseId?: string } | undefined;

/** Which reminder to show again: by its id, or the latest that asked about an item. */
export type ReminderRef = { reminderId: string } | { itemId: string };

/**
 * Makes a reminder's own message show its answers as they stand, after one was given or changed
 * somewhere else (a thread reply, "Change answer" in the thread, Mark done on the Home tab), so
 * it no longer offers buttons for an answered item. The answer is recorded and the manager has
 * seen it where they gave it: a message that cannot be updated is logged, not told to them.
 */
export async function refreshReminder(
  client: webApi.WebClient,
  { api, logger }: Pick<ListenerDeps, 'api' | 'logger'>,
  call: CallContext,
  ref: ReminderRef,
): Promise<void> {
  try {
    const reminder =
      'reminderId' in ref
        ? await api.reminderMessage(call, ref.reminderId)
        : await unlessNotFound(api.latestReminderAbout(call, ref.itemId));
    if (!reminder) return;
    await client.chat.update({
      channel: reminder.channelId,
      ts: reminder.ts,
      ...reminderAsItStands(reminder),
    });
  } catch (error) {
    logger.warn(
      { err: error, requestId: call.requestId },
      "updating a reminder's message to its answers failed",
    );
  }
}

/** Records the answer, shows it in place of the buttons, and for Done and Partly asks how it went. */
async function answer(
  api: ApiClient,
  logger: Logger,
  { body, client, context, respond }: ActionArgs<Clicked>,
  call: CallContext,
  target: Target,
  request: AnswerRequest,
): Promise<void> {
  if (!target) throw new MalformedInputError('a reminder button without its item');
  const itemId = apiIdOf(target.itemId, "a reminder button's item");
  const reminderId = apiIdOf(target.reminderId, "a reminder button's reminder");
  // The trigger id lasts 3 seconds, and the API call may take some of them: the modal opens
  // first, with a notice (in English: no API answer has said the manager's language yet), and
  // gets its form, in their language, once the answer is recorded.
  const asking = request.answer === 'done' || request.answer === 'partly';
  // The modal speaks the manager's language: the look-up may take a second of the three, after
  // which the modal opens in English rather than not at all.
  let voice = asking ? await replyVoice(context, call, 1_000) : undefined;
  const speak = async () => {
    voice ??= await replyVoice(context, call);
    return voice;
  };
  // The reflection is optional: a modal that could not open costs the manager only the form.
  const opened = asking
    ? client.views
        .open({ trigger_id: body.trigger_id, view: reflectionNoticeModal(await speak()) })
        .catch((error: unknown) => {
          logger.warn({ err: error, requestId: call.requestId }, 'opening the reflection failed');
          return undefined;
        })
    : undefined;
  const show = async (view: ModalView) => {
    const id = (await opened)?.view?.id;
    if (id) await client.views.update({ view_id: id, view });
  };
  // The item's words, for the "Change answer" button's label, and its manager's locale; not
  // needed to record the answer.
  const item = api.getActionItem(call, itemId).catch(() => undefined);
  let result: Awaited<ReturnType<ApiClient['answer']>>;
  try {
    // With an answer to change ("Change answer"), that answer is replaced; else one is recorded.
    result = target.responseId
      ? {
          response: await api.changeAnswer(
            call,
            itemId,
            apiIdOf(target.responseId, "a reminder button's answer"),
            request,
          ),
          recorded: true,
        }
      : await api.answer(call, itemId, { ...request, reminderId });
  } catch (error) {
    if (asking) {
      const said = await speak();
      await show(reflectionNoticeModal(said, failureText(error, said))).catch(() => undefined);
    }
    throw error;
  }
  if (asking) {
    const said = await speak();
    await show(
      result.recorded
        ? buildReflectionModal(
            target.itemId,
            result.response.id,
            request.answer === 'partly' ? 'partly' : 'done',
            said,
          )
        : reflectionNoticeModal(said, reflectionAlreadyText(said)),
    );
  }
  const blocks = body.message?.blocks as KnownBlock[] | undefined;
  // A reminder keeps its question as its text; an answer in its thread says the new answer.
  const inThread = Boolean(body.message?.thread_ts && body.message.thread_ts !== body.message.ts);
  if (blocks) {
    const { text: itemText, locale, language } = (await item) ?? {};
    await respond({
      replace_original: true,
      text:
        inThread && itemText
          ? replyRecorded(itemText, result.response.answer, await speak()).text
          : (body.message?.text ?? (await speak()).t('items.reminder.answered.other')),
      blocks: withAnswer(
        blocks,
        target.itemId,
        result.response.answer,
        request.until,
        { reminderId: target.reminderId, responseId: result.response.id },
        itemText,
        { locale, language },
      ),
    });
  }
  // Answered in the reminder's thread (its buttons again, or "Change answer" there): the
  // reminder itself shows the answer too.
  if (inThread) await refreshReminder(client, { api, logger }, call, { reminderId });
}

export function registerReminderActions(app: App, deps: ListenerDeps): void {
  const { api, logger } = deps;
  /** One listener per way of answering: `read` finds the reminder and the answer in the click. */
  const answering = (read: (action: Clicked['actions'][number]) => [Target, AnswerRequest]) =>
    onAction<Clicked>(logger, 'answering a reminder', (args, call) =>
      answer(api, logger, args, call, ...read(args.action)),
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
      const [, reminderId, itemId, responseId] = action.action_id.split(':');
      const until = (action as DatepickerAction).selected_date ?? undefined;
      return [
        reminderId && itemId
          ? { reminderId, itemId, ...(responseId && { responseId }) }
          : undefined,
        { answer: 'snoozed', until },
      ];
    }),
  );

  // "Change answer": the item's buttons again, in place of the answer; pressing one changes it.
  app.action(
    REMINDER_ACTIONS.change,
    onAction<Clicked>(
      logger,
      'offering to change an answer',
      async ({ action, body, respond }, call) => {
        const value = parseReminderValue((action as ButtonAction).value);
        if (!value?.responseId) throw new MalformedInputError('a change button without its answer');
        const item = await api.getActionItem(call, apiIdOf(value.itemId, "a change button's item"));
        const blocks = body.message?.blocks as KnownBlock[] | undefined;
        if (!blocks) return;
        await respond({
          replace_original: true,
          text: body.message?.text ?? voiceFor(item).t('items.reminder.changeAnswer'),
          blocks: withAnswerButtons(
            blocks,
            { ...value, responseId: apiIdOf(value.responseId, "a change button's answer") },
            item.text,
            voiceFor(item),
          ),
        });
      },
    ),
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
      (error, _args, voice) => ({ reflection: failureText(error, voice) }),
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
          await publishHome(client, deps, call);
        },
        dmFailure,
      ),
    );
  }
}
