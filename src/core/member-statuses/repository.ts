/**
 * Managers' Slack statuses as the bot learned them (migration 0034): managers.away_until and
 * status_read_at, and each workspace's last full sweep (workspaces.statuses_swept_at).
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { awayUntilOf, type MemberStatus } from './rules.ts';

/**
 * Writes the statuses of those members who are managers of the workspace, in one statement
 * (two array parameters, however large the page). A status older than the one kept is not
 * written: an event read after a sweep page wins, whichever reaches the API first. Returns how
 * many managers' statuses were written. Everyone else is dropped: nothing is kept about people
 * who are not managers. updated_at is left alone: it tells when a manager changed their own
 * profile, which a status read is not.
 */
export async function writeMemberStatuses(
  db: Executor,
  workspaceId: string,
  statuses: readonly MemberStatus[],
  readAt: Date,
): Promise<number> {
  if (statuses.length === 0) return 0;
  const { rows } = await sql<{ id: string }>`
    UPDATE managers m
       SET away_until = s.away_until, status_read_at = ${readAt}
      FROM unnest(${statuses.map((s) => s.slackUserId)}::text[],
                  ${statuses.map(awayUntilOf)}::timestamptz[]) AS s(slack_user_id, away_until)
     WHERE m.workspace_id = ${workspaceId} AND m.slack_user_id = s.slack_user_id
       AND (m.status_read_at IS NULL OR m.status_read_at <= ${readAt})
    RETURNING m.id`.execute(db);
  return rows.length;
}

/** Records that the bot finished a full sweep of the workspace's statuses. */
export async function markStatusesSwept(
  db: Executor,
  workspaceId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ statuses_swept_at: now })
    .where('id', '=', workspaceId)
    .execute();
}

/**
 * Hands out up to `limit` active workspaces (the app installed) due a sweep: never swept, or
 * last swept before `staleBefore`, and not handed out since `heldBefore`. Each is marked handed
 * out at `now`, in the same statement, so no other bot replica is given it meanwhile. Never
 * swept first, then the longest ago.
 */
export async function claimDueStatusSweeps(
  db: Executor,
  staleBefore: Date,
  heldBefore: Date,
  now: Date,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql<{ teamId: string }>`
    UPDATE workspaces w
       SET statuses_sweep_claimed_at = ${now}
      FROM (SELECT id FROM workspaces
             WHERE status = 'active'
               AND (statuses_swept_at IS NULL OR statuses_swept_at < ${staleBefore})
               AND (statuses_sweep_claimed_at IS NULL OR statuses_sweep_claimed_at < ${heldBefore})
             ORDER BY statuses_swept_at NULLS FIRST, id
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) due
     WHERE w.id = due.id
    RETURNING w.slack_team_id AS "teamId"`.execute(db);
  return rows.map((row) => row.teamId);
}
