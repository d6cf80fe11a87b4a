import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import {
  deleteEnterpriseInstallation,
  deleteTeamInstallations,
} from '../installations/repository.ts';
import { type Catalogue, loadCatalogue } from '../topics/catalogue.ts';
import { seedAllWorkspaces, seedWorkspace } from '../topics/seeding.ts';
import {
  deleteWorkspacePendingDeliveries,
  findWorkspaceByTeam,
  listWorkspaceSlackHolds,
  markEnterpriseWorkspacesInactive,
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
 * same transaction, so no workspace ever exists without something to send. `enterpriseId`
 * records the Grid org Slack said the workspace is part of.
 */
export async function ensureWorkspace(
  db: Executor,
  slackTeamId: string,
  now: Date,
  enterpriseId?: string,
): Promise<string> {
  const { id, created } = await upsertWorkspace(db, slackTeamId, now, enterpriseId);
  if (created) await seedWorkspace(db, id, await shippedCatalogue(), now);
  return id;
}

/**
 * An org-wide install answered for a workspace of its enterprise: the workspace is recorded as
 * the org's (created, with its topics, when first seen), so that the outbox, which knows only
 * the team, finds the org's token for it, and an uninstall of the org finds it. Called on every
 * such lookup: it writes only when the workspace or its enterprise is new.
 */
export async function recordEnterpriseWorkspace(
  db: Kysely<Database>,
  slackTeamId: string,
  enterpriseId: string,
  now: Date,
): Promise<void> {
  const known = await findWorkspaceByTeam(db, slackTeamId);
  if (known?.enterpriseId === enterpriseId) return;
  await db.transaction().execute(async (trx) => {
    await ensureWorkspace(trx, slackTeamId, now, enterpriseId);
  });
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
    await stopWorkspace(trx, workspace.id, reason, now, requestId, {
      installationsErased: tokensErased,
    });
    return { deactivated: true };
  });
}

/**
 * An org-wide install was uninstalled or its tokens revoked: its token is erased and every
 * workspace of the enterprise that it served stops at once, as one workspace does. A workspace
 * of the enterprise with an installation of its own keeps it. Repeating it changes nothing.
 */
export async function deactivateEnterprise(
  db: Kysely<Database>,
  enterpriseId: string,
  reason: string,
  now: Date,
  requestId?: string,
): Promise<{ installationsErased: number; workspacesDeactivated: number }> {
  return db.transaction().execute(async (trx) => {
    const erased = await deleteEnterpriseInstallation(trx, enterpriseId);
    const workspaces = await markEnterpriseWorkspacesInactive(trx, enterpriseId, reason, now);
    for (const workspace of workspaces) {
      await stopWorkspace(trx, workspace.id, reason, now, requestId, {
        slackEnterpriseId: enterpriseId,
        installationsErased: erased,
      });
    }
    if (erased > 0) {
      // The org's own trace: it may have served no workspace Blindspot had seen yet.
      await recordAuditEvent(trx, {
        workspaceId: null,
        actor: 'system',
        action: 'slack.enterprise_uninstalled',
        subjectType: 'slack_enterprise',
        subjectId: enterpriseId,
        requestId,
        details: { reason, workspacesDeactivated: workspaces.length },
      });
    }
    return { installationsErased: erased, workspacesDeactivated: workspaces.length };
  });
}

/** Pauses a workspace just marked inactive, forgets what it had planned, and audits it. */
async function stopWorkspace(
  trx: Executor,
  workspaceId: string,
  reason: string,
  now: Date,
  requestId: string | undefined,
  details: Record<string, unknown>,
): Promise<void> {
  const paused = await pauseWorkspaceSubscriptions(trx, workspaceId, 'workspace_inactive', now);
  await deleteWorkspacePendingDeliveries(trx, workspaceId);
  await recordAuditEvent(trx, {
    workspaceId,
    actor: 'system',
    action: 'workspace.deactivated',
    subjectType: 'workspace',
    subjectId: workspaceId,
    requestId,
    details: { reason, subscriptionsPaused: paused, ...details },
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
