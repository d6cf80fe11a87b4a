/**
 * Slack's :shortcodes: for the emoji people use most. The bot's own texts use Unicode
 * characters (✓, •), not shortcodes, so this map only needs to cover what a person or a topic
 * author is likely to type. An unknown shortcode stays as typed, as Slack shows a missing
 * custom emoji.
 */
const EMOJI: Readonly<Record<string, string>> = {
  '+1': '👍',
  '-1': '👎',
  '100': '💯',
  alarm_clock: '⏰',
  bell: '🔔',
  blush: '😊',
  bulb: '💡',
  calendar: '📆',
  clap: '👏',
  clipboard: '📋',
  clock9: '🕘',
  coffee: '☕',
  confused: '😕',
  cry: '😢',
  date: '📅',
  eyes: '👀',
  fire: '🔥',
  grinning: '😀',
  heart: '❤️',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  hugging_face: '🤗',
  information_source: 'ℹ️',
  joy: '😂',
  laughing: '😆',
  link: '🔗',
  memo: '📝',
  muscle: '💪',
  ok_hand: '👌',
  pencil: '📝',
  pencil2: '✏️',
  point_right: '👉',
  pray: '🙏',
  question: '❓',
  raised_hands: '🙌',
  rocket: '🚀',
  seedling: '🌱',
  slightly_smiling_face: '🙂',
  smile: '😄',
  smiley: '😃',
  sparkles: '✨',
  speech_balloon: '💬',
  star: '⭐',
  sunny: '☀️',
  tada: '🎉',
  thinking_face: '🤔',
  thumbsdown: '👎',
  thumbsup: '👍',
  warning: '⚠️',
  wave: '👋',
  white_check_mark: '✅',
  wink: '😉',
  x: '❌',
  zap: '⚡',
};

/** The emoji for a shortcode's name (without colons), or undefined when we don't know it. */
export function emojiFor(name: string): string | undefined {
  return Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
}

/** `:name:`, where a name is what Slack allows: lower-case letters, digits, `_`, `+`, `-`. */
export const SHORTCODE = /:([a-z0-9_+-]+):/g;

/** Text with every known :shortcode: replaced by its emoji, for plain_text with `emoji: true`. */
export function withEmoji(text: string): string {
  return text.replace(SHORTCODE, (whole, name: string) => emojiFor(name) ?? whole);
}
