import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { deleteTeamInstallations } from '../installations/repository.ts';
import { type Catalogue, loadCatalogue } from '../topics/catalogue.ts';
import { seedAllWorkspaces, seedWorkspace } from '../topics/seeding.ts';
import {
  deleteWorkspacePendingDeliveries,
  listWorkspaceSlackHolds,
  markWorkspaceInactive,
  pauseWorkspaceSubscriptions,
  selectWorkspaces,
  upsertWorkspace,
} from './repository.ts';

let catalogue: Promise<Catalogue> | undefined;

/** The topic catalogue shipped with this build, read once per process. */
export function shippedCatalogue(): Promise<Catalogue> {
  catalogue ??= loadCatalogue();
  return catalogue;
}

/**
 * The workspace's id, creating it on first contact with its topics and weekday themes in the
 * same transaction, so no workspace ever exists without something to send.
 */
export async function ensureWorkspace(
  db: Executor,
  slackTeamId: string,
  now: Date,
): Promise<string> {
  const { id, created } = await upsertWorkspace(db, slackTeamId, now);
  if (created) await seedWorkspace(db, id, await shippedCatalogue(), now);
  return id;
}

/** Brings every workspace's topics up to this build's catalogue; run at start-up and migration. */
export async function seedShippedCatalogue(db: Kysely<Database>, now: Date): Promise<void> {
  await seedAllWorkspaces(db, await shippedCatalogue(), now);
}

/**
 * The app was uninstalled or its tokens revoked: stop everything for the workspace. Its
 * subscriptions are paused with the reason, so a manager sees why if the app comes back, and
 * its installed tokens (Add to Slack) are erased, which a reinstall replaces. Repeating it
 * changes nothing.
 */
export async function deactivateWorkspace(
  db: Kysely<Database>,
  slackTeamId: string,
  reason: string,
  now: Date,
  requestId?: string,
): Promise<{ deactivated: boolean }> {
  return db.transaction().execute(async (trx) => {
    // Even when the workspace was inactive already: a revoked token is of no use to anyone.
    const tokensErased = await deleteTeamInstallations(trx, slackTeamId);
    const workspace = await markWorkspaceInactive(trx, slackTeamId, reason, now);
    if (!workspace) return { deactivated: false };
    const paused = await pauseWorkspaceSubscriptions(trx, workspace.id, 'workspace_inactive', now);
    await deleteWorkspacePendingDeliveries(trx, workspace.id);
    await recordAuditEvent(trx, {
      workspaceId: workspace.id,
      actor: 'system',
      action: 'workspace.deactivated',
      subjectType: 'workspace',
      subjectId: workspace.id,
      requestId,
      details: { reason, subscriptionsPaused: paused, installationsErased: tokensErased },
    });
    return { deactivated: true };
  });
}

/**
 * The Slack rate-limit holds in force at `now`, one per held workspace: each bot replica reads
 * them while it sends, so what it claimed before another replica's 429 waits too (decision 0013).
 */
export async function currentSlackHolds(
  db: Executor,
  now: Date,
): Promise<Array<{ teamId: string; until: Date }>> {
  const holds = await listWorkspaceSlackHolds(db, now);
  return holds.map((hold) => ({ teamId: hold.slackTeamId, until: hold.until }));
}

/** The workspaces the admin app can manage topics in (each Slack team that installed the app). */
export function listWorkspaces(db: Executor) {
  return selectWorkspaces(db);
}
