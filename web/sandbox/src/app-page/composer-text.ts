/**
 * What the composer makes of typed text, as Slack does: a leading "/" makes it a command. Pure,
 * so the rules are tested without a browser.
 */

/** What `/blindspot` understands (src/bot/listeners/commands/blindspot.ts). */
export const SUBCOMMANDS: { text: string; what: string }[] = [
  { text: '/blindspot', what: 'sign up, or change when your notes come' },
  { text: '/blindspot actions', what: 'your open actions' },
  { text: '/blindspot history', what: 'what you have done, and your streak' },
  { text: '/blindspot pause', what: 'take a break' },
  { text: '/blindspot resume', what: 'come back after a break' },
  { text: '/blindspot help', what: 'what Blindspot can do' },
];

type Parsed =
  | { kind: 'message'; text: string }
  | { kind: 'command'; text: string }
  | { kind: 'unknown-command'; name: string };

/** "/blindspot pause" → the command with "pause"; "/giphy" → a command that does not exist here. */
export function parseComposerText(raw: string): Parsed {
  const text = raw.trim();
  if (!text.startsWith('/')) return { kind: 'message', text };
  const match = /^\/blindspot(?:\s+([\s\S]*))?$/i.exec(text);
  if (match) return { kind: 'command', text: match[1]?.trim() ?? '' };
  return { kind: 'unknown-command', name: text.split(/\s/)[0] ?? text };
}

/** "/blind", "/blindspot pa": the subcommands that what is typed so far could become. */
export function commandHints(raw: string): typeof SUBCOMMANDS {
  const typed = raw.trim().toLowerCase().split(/\s+/).join(' ');
  if (!typed.startsWith('/')) return [];
  return SUBCOMMANDS.filter((candidate) => candidate.text.startsWith(typed));
}
