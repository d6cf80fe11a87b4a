/**
 * What every listener shares: one wrapper per Slack surface, which acks, builds the call
 * context, catches once, logs the failure and tells the manager in that surface's way (the
 * replies are in ./failure-replies.ts); and the sign-up modal and the App Home, which several
 * listeners show.
 */

import type {
  AllMiddlewareArgs,
  BlockAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { Logger } from '../../observability/logger.ts';
import {
  ApiCallError,
  type ApiClient,
  type CallContext,
  isNotFound,
  type Subscription,
} from '../api-client/index.ts';
import { buildHome } from '../blocks/home.ts';
import { buildSignupModal } from '../blocks/signup-modal.ts';
import { languageOfLocale, type Voice, voiceFor } from '../i18n/index.ts';
import type { ViewPublisher } from '../slack-post.ts';
import { ephemeralFailure, failureText, logOnly } from './failure-replies.ts';
import { MalformedInputError } from './malformed-input.ts';
import { slackProfileVoice } from './manager-voice.ts';
import { apiFailed, replyVoice } from './reply-voice.ts';

type WebClient = webApi.WebClient;

/** What every register function is given. */
export interface ListenerDeps {
  api: ApiClient;
  /** Failures are logged here, as JSON with their stack: Bolt's own logger takes only strings. */
  logger: Logger;
  now: () => Date;
  /** Syncs a workspace's user groups (the analytics teams) now: src/bot/user-group-sync.ts. */
  userGroups?: { syncNow(teamId: string): Promise<void> };
  /** How a Home tab reaches Slack: src/bot/slack-post.ts, not WebClient (one a click). */
  publishView: ViewPublisher;
}

export type ActionArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> &
  AllMiddlewareArgs;
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;
export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** How a listener tells the manager that it failed, on its own surface. */
export type FailureReply<Args, Scope = CallContext> = (
  args: Args,
  error: unknown,
  scope: Scope,
) => Promise<unknown>;

/** Whatever a listener acts for, it carries the request id for its log line and API calls. */
interface Traced {
  requestId?: string;
}

/** Bolt puts our receiver's customProperties (the request id) into the listener context. */
function callContext(
  teamId: string | undefined,
  userId: string,
  context: Record<string, unknown>,
): CallContext {
  return { slackTeamId: String(teamId), slackUserId: userId, requestId: requestIdOf(context) };
}

function requestIdOf(context: Record<string, unknown>): string | undefined {
  return typeof context.requestId === 'string' ? context.requestId : undefined;
}

/** The API's code; for other errors (Slack's, Bolt's), their own code when they carry one. */
function codeOf(error: unknown): string | undefined {
  if (error instanceof ApiCallError) return error.code;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * One rule for every listener. An API answer below 500 (not signed up, invalid input, a
 * conflict) is the manager's to fix and is told to them: a line at info with its code, and no
 * stack. A payload that is not ours (./malformed-input.ts) is a line at warn: worth seeing if it
 * keeps coming, not a fault. Anything else is a fault: a line at error with the error, its stack
 * and its code. No line carries what the manager wrote.
 */
/** Whether logFailure counts it a fault of ours (an error line), rather than the input's. */
function isFault(error: unknown): boolean {
  return !(
    error instanceof MalformedInputError ||
    (error instanceof ApiCallError && error.status < 500)
  );
}

function logFailure(logger: Logger, doing: string, error: unknown, requestId?: string): void {
  const code = codeOf(error);
  if (isFault(error)) {
    logger.error({ err: error, code, requestId }, `${doing} failed`);
  } else if (error instanceof MalformedInputError) {
    logger.warn({ code, problem: error.message, requestId }, `${doing} refused: not our input`);
  } else if (error instanceof ApiCallError) {
    logger.info({ code, status: error.status, requestId }, `${doing} rejected`);
  }
}

/** Runs a listener's work; on failure, logs it once and replies as its surface does. */
async function guarded<Args, Scope extends Traced>(
  logger: Logger,
  doing: string | (() => string),
  args: Args,
  scope: Scope,
  run: (args: Args, scope: Scope) => Promise<void>,
  reply: FailureReply<Args, Scope>,
): Promise<void> {
  try {
    await run(args, scope);
  } catch (error) {
    const what = typeof doing === 'string' ? doing : doing();
    logFailure(logger, what, error, scope.requestId);
    apiFailed(scope, error);
    try {
      await reply(args, error, scope);
    } catch (replyError) {
      const telling = `telling the manager that ${what} failed`;
      if (isFault(error)) {
        logFailure(logger, telling, replyError, scope.requestId);
      } else {
        // The first failure was the input's (refused, not ours), so the reply that could not be
        // posted, e.g. to a channel the payload made up, is no fault of ours either.
        logger.warn({ code: codeOf(replyError), requestId: scope.requestId }, `${telling} too`);
      }
    }
  }
}

/**
 * For an action in a view (a modal, the Home tab): Slack sends no response_url, as there is no
 * message to respond to, and Bolt then gives no `respond`. Whatever would have replaced a
 * message or answered under it has no place to go; the view shows the state on its next
 * refresh. https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
 */
function nowhereToRespond(logger: Logger, requestId: string | undefined): RespondFn {
  return async () => {
    logger.info({ requestId }, 'an action in a view: no message to respond to');
    // Nothing was posted: an empty answer, which no caller of ours reads.
    return new Response(null, { status: 204 });
  };
}

/** A block action (a button, a menu, a date picker): ack, then act for the manager who clicked. */
export function onAction<A extends BlockAction = BlockAction>(
  logger: Logger,
  doing: string,
  run: (args: ActionArgs<A>, call: CallContext) => Promise<void>,
  reply: FailureReply<ActionArgs<A>> = ephemeralFailure,
): (args: ActionArgs<A>) => Promise<void> {
  return async (original) => {
    await original.ack();
    const args =
      typeof original.respond === 'function'
        ? original
        : { ...original, respond: nowhereToRespond(logger, requestIdOf(original.context)) };
    const { body } = args;
    const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, args.context);
    await guarded(logger, doing, args, call, run, reply);
  };
}

/** A slash command: ack, act for the caller, and answer failures only to them. */
export function onCommand(
  logger: Logger,
  doing: (args: CommandArgs) => string,
  run: (args: CommandArgs, call: CallContext) => Promise<void>,
): (args: CommandArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const call = callContext(args.command.team_id, args.command.user_id, args.context);
    await guarded(logger, doing(args), args, call, run, async (_args, error) => {
      const voice = await replyVoice(args.context, call);
      await args.respond({ response_type: 'ephemeral', text: failureText(error, voice) });
    });
  };
}

/**
 * An Events API event, which Bolt acknowledges itself before any listener runs. `author` names
 * the manager it comes from, or undefined when it is not ours to handle (a bot's message).
 */
export function onEvent<E extends string>(
  logger: Logger,
  doing: string,
  author: (args: EventArgs<E>) => string | undefined,
  run: (args: EventArgs<E>, call: CallContext) => Promise<void>,
  reply: FailureReply<EventArgs<E>> = logOnly,
): (args: EventArgs<E>) => Promise<void> {
  return async (args) => {
    const user = author(args);
    if (!user) return;
    const call = callContext(args.body.team_id, user, args.context);
    await guarded(logger, doing, args, call, run, reply);
  };
}

/** An event about the whole workspace (the app uninstalled), acting for no one manager. */
export function onWorkspaceEvent<E extends string>(
  logger: Logger,
  doing: string,
  run: (
    args: EventArgs<E>,
    workspace: { slackTeamId: string; requestId?: string },
  ) => Promise<void>,
): (args: EventArgs<E>) => Promise<void> {
  return async (args) => {
    const workspace = { slackTeamId: args.body.team_id, requestId: requestIdOf(args.context) };
    await guarded(logger, doing, args, workspace, run, logOnly);
  };
}

/**
 * A modal's submission refused with a problem that belongs to no one field: the modal is shown
 * again with the problem on top. Slack keeps what was typed in inputs whose block and action
 * ids stay the same (https://docs.slack.dev/surfaces/modals#preserving_input_state).
 */
export class ModalShownAgain {
  readonly view: ModalView;
  constructor(view: ModalView) {
    this.view = view;
  }
}

/** How long a refused modal waits for the manager's language: Slack allows 3 s for the answer. */
const MODAL_VOICE_WAIT_MS = 1_000;

/**
 * A modal's submission. Slack keeps the modal open until the ack and shows the errors it carries
 * beside their fields, so this acks last: `run` may ack itself (with field errors, or early,
 * before work the manager need not wait for), or the wrapper acks once `run` is done. A failure
 * before the ack shows `errorsFor(error)` in the modal; one after it is only logged.
 */
export function onSubmission(
  logger: Logger,
  doing: string,
  run: (args: SubmissionArgs, call: CallContext) => Promise<void>,
  errorsFor: (
    error: unknown,
    args: SubmissionArgs,
    voice: Voice,
  ) => Record<string, string> | ModalShownAgain,
): (args: SubmissionArgs) => Promise<void> {
  return async (original) => {
    let acknowledged = false;
    const ack: SubmissionArgs['ack'] = (response) => {
      acknowledged = true;
      return original.ack(response);
    };
    const args = { ...original, ack };
    const { body } = args;
    const call = callContext(body.team?.id ?? body.user.team_id, body.user.id, args.context);
    const work = async () => {
      await run(args, call);
      if (!acknowledged) await ack();
    };
    // Work after the ack (a refreshed note) failed where the manager no longer looks.
    const what = () => (acknowledged ? `${doing} (after its modal closed)` : doing);
    await guarded(logger, what, args, call, work, async (_args, error) => {
      if (acknowledged) return;
      const voice = await replyVoice(args.context, call, MODAL_VOICE_WAIT_MS);
      const problem = errorsFor(error, args, voice);
      await ack(
        problem instanceof ModalShownAgain
          ? { response_action: 'update', view: problem.view }
          : { response_action: 'errors', errors: problem },
      );
    });
  };
}

/** What the call resolves to, or undefined when the API answered 404. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The manager's subscription, or undefined when they have not signed up. */
export function findSubscription(
  api: ApiClient,
  call: CallContext,
): Promise<Subscription | undefined> {
  return unlessNotFound(api.getSubscription(call));
}

/**
 * Opens the sign-up modal, filled in with the current schedule, or with the time zone of the
 * manager's Slack profile for a first sign-up. Slack's trigger id lasts 3 seconds, so the
 * look-ups run side by side.
 */
export async function openSignupModal(
  client: WebClient,
  api: ApiClient,
  call: CallContext,
  triggerId: string,
  now: Date,
): Promise<void> {
  const [profile, subscription, categories, leanings, defaults] = await Promise.all([
    client.users.info({ user: call.slackUserId, include_locale: true }).catch(() => undefined),
    findSubscription(api, call),
    api.topicCategories(call),
    api.weekdayLeanings(call),
    api.workspaceDefaults(call),
  ]);
  const profileTimeZone = profile?.user?.tz ?? subscription?.timeZone ?? 'UTC';
  const locale = profile?.user?.locale ?? subscription?.locale;
  // Their choice; else their Slack locale now (the API learns it only below); else the API's
  // language for them, the workspace's default.
  const language =
    subscription?.chosenLanguage ?? languageOfLocale(locale) ?? subscription?.language;
  const voice = voiceFor({ language, locale });
  // The profile is kept current beside the opening, not after it: the submission reads the
  // manager's language from it, and a fast hand (or a test) can submit as soon as it shows.
  await Promise.all([
    client.views.open({
      trigger_id: triggerId,
      view: buildSignupModal({
        subscription,
        profileTimeZone,
        categories,
        leanings,
        now,
        defaults,
        voice,
      }),
    }),
    api.putMe(call, { timeZone: profileTimeZone, locale: locale ?? 'en-US' }),
  ]);
}

/**
 * Shows the manager's Home tab, read in one API call (GET /me/home). `itemsPage`: the page of
 * open actions to show. `deleted`: an item just deleted from the Home tab, offered back with
 * "Undo".
 */
export async function publishHome(
  client: WebClient,
  { api, publishView }: Pick<ListenerDeps, 'api' | 'publishView'>,
  call: CallContext,
  shown: { itemsPage?: number; deleted?: { id: string; text: string } } = {},
): Promise<void> {
  const home = await api.home(call);
  const subscription = home.subscription ?? undefined;
  // Someone who never signed up has no subscription to speak from: their record, or for someone
  // the API has not met, their Slack profile does.
  const voice = subscription
    ? voiceFor(subscription)
    : home.manager
      ? voiceFor(home.manager)
      : await slackProfileVoice(client, call);
  await publishView(client, {
    user_id: call.slackUserId,
    view: buildHome(subscription, voice, {
      openItems: home.openItems,
      progress: home.progress ?? undefined,
      itemsPage: shown.itemsPage ?? 0,
      hiddenTopics: home.hiddenTopics,
      skippedNotes: home.skippedNotes,
      deleted: shown.deleted,
    }),
  });
}
