import type { App } from '@slack/bolt';
import type { CallContext } from '../../api-client/index.ts';
import { awaySavedText, awayUsageText } from '../../blocks/away.ts';
import { recentNotesBlocks } from '../../blocks/history.ts';
import {
  exportSentText,
  helpText,
  historyText,
  openActionsText,
  pausedText,
  resumedText,
  sendNowText,
  unknownCommandText,
} from '../../blocks/messages.ts';
import { openItemBlocks } from '../../blocks/open-items.ts';
import { progressBlocks } from '../../blocks/reminders.ts';
import { unsubscribeQuestion } from '../../blocks/replies.ts';
import { voiceFor } from '../../i18n/index.ts';
import { openEraseModal, sendExportLink } from '../actions/data-rights.ts';
import { pastNotesPage } from '../actions/past-notes.ts';
import { managerVoice } from '../manager-voice.ts';
import {
  type CommandArgs,
  findSubscription,
  type ListenerDeps,
  onCommand,
  openSignupModal,
} from '../shared.ts';

type Subcommand = (args: CommandArgs, call: CallContext) => Promise<unknown>;

/** How many past notes `/blindspot history` lists. */
const RECENT_NOTES = 10;

const say = ({ respond }: CommandArgs, text: string) =>
  respond({ response_type: 'ephemeral', text });

/**
 * `away until 2027-01-04`, `away 2027-01-04` or `pause until 2027-01-04`: the date as typed, or
 * '' when `away` came without one; undefined for anything else, a plain `pause` included.
 */
export function awayDateOf(text: string): string | undefined {
  const match = /^(away|pause)(?:\s+until)?(?:\s+(.*))?$/i.exec(text.trim());
  if (!match) return undefined;
  const date = (match[2] ?? '').trim();
  // A pause without an end is the plain pause, its own subcommand.
  if (match[1]?.toLowerCase() === 'pause' && date === '') return undefined;
  return date;
}

/**
 * `/blindspot [help|now|actions|history|topics|pause|away until DATE|resume|unsubscribe|export|
 * delete my data]`: ack first, then talk to the API, and answer only the caller.
 */
export function registerBlindspotCommand(app: App, { api, logger, now }: ListenerDeps): void {
  // A slash command carries no locale: the API's record of the manager gives their language.
  const voiceOf = ({ client }: CommandArgs, call: CallContext) => managerVoice(client, api, call);
  const subcommands: Record<string, Subcommand> = {
    '': ({ command, client }, call) =>
      openSignupModal(client, api, call, command.trigger_id, now()),
    help: async (args, call) => say(args, helpText(await voiceOf(args, call))),
    // The Home tab's "Send me one now", typed.
    now: async (args, call) => {
      const [result, voice] = await Promise.all([api.sendNow(call), voiceOf(args, call)]);
      await say(args, sendNowText(result.status, voice));
    },
    history: async ({ client }, call) => {
      // What the Home tab shows, and the notes themselves, as a DM to keep.
      const [progress, items, subscription, notes] = await Promise.all([
        api.progress(call),
        api.listActionItems(call, { status: 'open' }),
        findSubscription(api, call),
        api.recentDeliveries(call, RECENT_NOTES),
      ]);
      const voice = voiceFor(subscription);
      const timeZone = subscription?.timeZone ?? 'UTC';
      await client.chat.postMessage({
        channel: call.slackUserId,
        text: historyText(voice),
        blocks: [
          ...progressBlocks(progress, voice),
          ...recentNotesBlocks(notes, { timeZone, voice }),
          ...openItemBlocks(items, { voice }),
        ],
      });
    },
    // The notes themselves, a page at a time, each to read again.
    topics: async ({ respond }, call) =>
      respond({ response_type: 'ephemeral', ...(await pastNotesPage(api, call, 0)) }),
    actions: async ({ respond }, call) => {
      const [items, me] = await Promise.all([
        api.listActionItems(call, { status: 'open' }),
        api.getMe(call),
      ]);
      const voice = voiceFor(me);
      await respond({
        response_type: 'ephemeral',
        text: openActionsText(voice),
        blocks: openItemBlocks(items, { voice }),
      });
    },
    pause: async (args, call) => {
      const paused = await api.pause(call, 'paused with /blindspot pause');
      await say(args, pausedText(voiceFor(paused)));
    },
    // The API judges the date (a real day, after today, within a year) and says what is wrong.
    away: async (args, call) => {
      const until = awayDateOf(args.command.text) ?? '';
      if (until === '') return say(args, awayUsageText(await voiceOf(args, call)));
      const away = await api.pause(call, 'away with /blindspot away', until);
      await say(args, awaySavedText(away, voiceFor(away)));
    },
    resume: async (args, call) => {
      const resumed = await api.resume(call);
      await say(args, resumedText(voiceFor(resumed)));
    },
    // Final, so asked first, with the same buttons as a DM of "unsubscribe".
    unsubscribe: async ({ respond }, call) =>
      respond({
        response_type: 'ephemeral',
        ...unsubscribeQuestion(voiceFor(await findSubscription(api, call))),
      }),
    export: async (args, call) => {
      const [voice] = await Promise.all([
        voiceOf(args, call),
        sendExportLink(args.client, api, call),
      ]);
      await say(args, exportSentText(voice));
    },
    // Three words, so no one erases everything by a slip of `/blindspot delete`.
    'delete my data': async (args, call) =>
      openEraseModal(args.client, args.command.trigger_id, await voiceOf(args, call)),
  };
  const subcommandOf = ({ command }: CommandArgs) => {
    const name = command.text.trim().toLowerCase().replace(/\s+/g, ' ');
    // The one subcommand with an argument: its date is not part of its name (nor of the log).
    if (awayDateOf(name) !== undefined) return 'away';
    return Object.hasOwn(subcommands, name) ? name : undefined;
  };

  app.command(
    '/blindspot',
    onCommand(
      logger,
      // What the manager typed is logged only when it is one of ours.
      (args) => `/blindspot ${subcommandOf(args) ?? '(unknown subcommand)'}`.trimEnd(),
      async (args, call) => {
        const name = subcommandOf(args);
        if (name === undefined) {
          const voice = await voiceOf(args, call);
          await say(args, unknownCommandText(args.command.text.trim(), voice));
        } else await subcommands[name]?.(args, call);
      },
    ),
  );
}
