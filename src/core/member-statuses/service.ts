/**
 * Managers' Slack statuses, kept rather than read before every note (issue 19, items 1–2). The
 * bot sweeps each workspace's members (users.list) every twelve hours and hears Slack's
 * user_status_changed events in between, and pushes what it derived here: away or not, and
 * until when. Only managers' statuses are kept, and never the status text or emoji. The claim
 * (../deliveries/service.ts) skips the notes of managers known to be out.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import { claimDueStatusSweeps, markStatusesSwept, writeMemberStatuses } from './repository.ts';
import {
  lastStatusPerMember,
  type MemberStatus,
  STATUS_SWEEP_HOLD_MS,
  STATUS_SWEEP_PERIOD_MS,
} from './rules.ts';

export type { MemberStatus } from './rules.ts';

/** Workspaces handed to the bot per poll: the rest wait for the next. */
const DUE_SWEEPS_PER_POLL = 20;

/**
 * The Slack teams whose members' statuses the bot should sweep now, each held from other bot
 * replicas for STATUS_SWEEP_HOLD_MS: one that is not marked swept by then is handed out again.
 */
export function claimStatusSweeps(db: Kysely<Database>, now: Date): Promise<string[]> {
  return claimDueStatusSweeps(
    db,
    new Date(now.getTime() - STATUS_SWEEP_PERIOD_MS),
    new Date(now.getTime() - STATUS_SWEEP_HOLD_MS),
    now,
    DUE_SWEEPS_PER_POLL,
  );
}

export interface MemberStatusBatch {
  /**
   * When the bot read these statuses from Slack: a status read later is never overwritten. A
   * time ahead of the API's clock counts as the API's now.
   */
  readAt: Date;
  statuses: readonly MemberStatus[];
  /** The last page of a full sweep: the workspace is not due again for a while. */
  sweepDone?: boolean;
}

/**
 * Keeps the statuses of the members who are managers of the workspace; answers how many
 * managers' statuses were written (those of non-managers, and those older than the one kept,
 * are not).
 * @throws AppError workspace_not_found (404) for a team Blindspot does not know.
 */
export async function saveMemberStatuses(
  db: Kysely<Database>,
  slackTeamId: string,
  batch: MemberStatusBatch,
  now: Date,
): Promise<{ updated: number }> {
  return db.transaction().execute(async (trx) => {
    const workspace = await findWorkspaceByTeam(trx, slackTeamId);
    if (!workspace) throw notFound('workspace');
    // A bot whose clock runs ahead would otherwise keep a read time no later read could pass.
    const readAt = batch.readAt.getTime() > now.getTime() ? now : batch.readAt;
    const updated = await writeMemberStatuses(
      trx,
      workspace.id,
      lastStatusPerMember(batch.statuses),
      readAt,
    );
    if (batch.sweepDone) await markStatusesSwept(trx, workspace.id, now);
    return { updated };
  });
}
