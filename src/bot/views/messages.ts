/**
 * What the bot says, as pure functions of plain values. No I/O, so every word is testable.
 */
import type { Manager } from '../api-client/index.ts';

export const HELP_TEXT = [
  '*Blindspot* sends you one short note about a management blind spot on the days you choose, with a question to reflect on.',
  '',
  '• `/blindspot`: register, or refresh your time zone from your Slack profile',
  '• `/blindspot help`: this message',
].join('\n');

export function registeredText(manager: Manager, isNew: boolean): string {
  const greeting = isNew
    ? `Welcome to Blindspot, <@${manager.slackUserId}>.`
    : 'You are registered with Blindspot.';
  return `${greeting} Your time zone is *${manager.timeZone}*, taken from your Slack profile. Type \`/blindspot help\` to see what you can do.`;
}

export const TRY_AGAIN_TEXT =
  'Sorry, Blindspot could not do that just now. Nothing was changed; please try again in a minute.';

export const UNKNOWN_COMMAND_TEXT = (text: string) =>
  `I don't know \`/blindspot ${text}\`. ${HELP_TEXT}`;
