/**
 * Whether a manager's Slack status says they are out (issue 18, item 3): on holiday, travelling
 * or ill. Pure: the outbox reads the status just before posting a note (./outbox-away-check.ts)
 * and skips the note when this says so.
 *
 * The rule: a status that has not expired (Slack's `status_expiration` is 0 for "don't clear",
 * otherwise the Unix second it clears) whose emoji is one of OUT_EMOJI, or whose text names an
 * absence in English, German, French or Spanish. A plain "in a meeting" or "focusing" is not
 * out: a note can wait in the DM until then.
 */

/** Emoji Slack's own status presets and people use for "not at work". */
export const OUT_EMOJI: ReadonlySet<string> = new Set([
  'palm_tree',
  'desert_island',
  'beach_with_umbrella',
  'airplane',
  'airplane_departure',
  'airplane_arriving',
  'small_airplane',
  'face_with_thermometer',
  'face_with_head_bandage',
  'thermometer',
  'sick',
  'mask',
  'nauseated_face',
  'sneezing_face',
  'hospital',
  'baby_bottle',
]);

/**
 * Words and phrases of absence. Matched as whole words (no letter or digit on either side), so
 * "sickle" or "Urlaubsantrag eingereicht" does not count, while "OOO until Monday" does.
 */
const OUT_WORDS = [
  // English
  'ooo',
  'out of (?:the )?office',
  'out sick',
  'off sick',
  'on leave',
  'parental leave',
  'pto',
  'vacation',
  'holidays?',
  'sick',
  // German
  'urlaub',
  'im urlaub',
  'abwesend',
  'krank',
  'krankgeschrieben',
  'elternzeit',
  // French
  'vacances',
  'congés?',
  'malade',
  'absent(?:e)?',
  // Spanish
  'vacaciones',
  'enferm[oa]',
  'de baja',
  'fuera de la oficina',
  'ausente',
];

const OUT_TEXT = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${OUT_WORDS.join('|')})(?![\\p{L}\\p{N}])`,
  'iu',
);

/** The part of Slack's users.profile.get answer the rule reads. */
export interface SlackStatus {
  statusText?: string;
  /** With or without the colons, e.g. ':palm_tree:' or 'palm_tree'. */
  statusEmoji?: string;
  /** Unix seconds at which Slack clears the status; 0 or absent: it does not clear by itself. */
  statusExpiration?: number;
}

/** Whether the status names an absence, whatever its expiry. */
export function statusNamesAbsence(status: SlackStatus): boolean {
  const emoji = (status.statusEmoji ?? '').replaceAll(':', '').trim().toLowerCase();
  // A skin-tone variant (':skier::skin-tone-2:') is the same emoji.
  const base = emoji.split('skin-tone')[0]?.trim() ?? '';
  if (OUT_EMOJI.has(emoji) || OUT_EMOJI.has(base)) return true;
  return OUT_TEXT.test((status.statusText ?? '').normalize('NFC'));
}

/** Whether the status says the manager is out at `now`: it names an absence and is not expired. */
export function statusSaysAway(status: SlackStatus, now: Date): boolean {
  const expiration = status.statusExpiration ?? 0;
  if (expiration > 0 && expiration * 1000 <= now.getTime()) return false;
  return statusNamesAbsence(status);
}

/** What the bot keeps of a status (through the API): only whether it says out, and until when. */
export interface AwayState {
  away: boolean;
  /** When the "out" status clears; absent when Slack clears it never (expiration 0). */
  until?: Date;
}

/**
 * The status reduced to what is stored (a users.list sweep or a user_status_changed event, read
 * at `now`): never the text or emoji, which stay in Slack. An expired status is not away, so no
 * `until` in the past is ever stored.
 */
export function awayFromStatus(status: SlackStatus, now: Date): AwayState {
  if (!statusSaysAway(status, now)) return { away: false };
  const expiration = status.statusExpiration ?? 0;
  return expiration > 0 ? { away: true, until: new Date(expiration * 1000) } : { away: true };
}
