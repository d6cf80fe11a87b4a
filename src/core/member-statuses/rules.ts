/**
 * How long a kept Slack status is trusted, and how often it is swept (issue 19, items 1–2).
 * Pure values: the claim (../deliveries) and the sweep's service read them.
 */

/**
 * A status learned longer ago than this is not trusted: the claim hands the note out with
 * `statusKnown: false`, and the bot reads Slack before posting (the per-note fallback). Three
 * sweep periods, so one or two failed sweeps (Slack's errors, a restart) don't make every note
 * fall back, while a workspace whose sweeps stopped (a missing scope) soon does.
 */
export const STATUS_FRESH_MS = 36 * 3_600_000;

/**
 * How often a workspace's statuses are read again in full (users.list): the
 * user_status_changed events keep them current in between, so this mends missed events and
 * sees managers who signed up since.
 */
export const STATUS_SWEEP_PERIOD_MS = 12 * 3_600_000;

/**
 * How long a workspace handed to a bot for a sweep is held from the others: long enough for
 * 10,000 members' 50 pages at Tier 2, and for a refusal that lasts (missing_scope) to cost a
 * call every quarter of an hour rather than one a minute.
 */
export const STATUS_SWEEP_HOLD_MS = 15 * 60_000;

/** A member's status as the bot derived it from Slack; `until` is absent when it never ends. */
export interface MemberStatus {
  slackUserId: string;
  away: boolean;
  until?: Date;
}

/**
 * The value kept in managers.away_until: null when the status does not say out, else when it
 * clears ('infinity' when Slack gave no expiration). As text, for a timestamptz[] parameter.
 */
export function awayUntilOf(status: MemberStatus): string | null {
  if (!status.away) return null;
  return status.until?.toISOString() ?? 'infinity';
}

/** One status per member: of several in one batch, the last one given wins. */
export function lastStatusPerMember(statuses: readonly MemberStatus[]): MemberStatus[] {
  return [...new Map(statuses.map((status) => [status.slackUserId, status])).values()];
}
