import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { upsertWorkspace } from '../managers/repository.ts';
import { type Catalogue, loadCatalogue } from '../topics/catalogue.ts';
import { seedAllWorkspaces, seedWorkspace } from '../topics/service.ts';

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
export async function ensureWorkspace(db: Executor, slackTeamId: string): Promise<string> {
  const { id, created } = await upsertWorkspace(db, slackTeamId);
  if (created) await seedWorkspace(db, id, await shippedCatalogue());
  return id;
}

/** Brings every workspace's topics up to this build's catalogue; run at start-up and migration. */
export async function seedShippedCatalogue(db: Kysely<Database>): Promise<void> {
  await seedAllWorkspaces(db, await shippedCatalogue());
}

/**
 * The app was uninstalled or its tokens revoked: stop everything for the workspace. Its
 * subscriptions are paused with the reason, so a manager sees why if the app comes back.
 * Repeating it changes nothing.
 */
export async function deactivateWorkspace(
  db: Kysely<Database>,
  slackTeamId: string,
  reason: string,
  requestId?: string,
): Promise<{ deactivated: boolean }> {
  return db.transaction().execute(async (trx) => {
    const workspace = await trx
      .updateTable('workspaces')
      .set({ status: 'inactive', status_reason: reason, updated_at: new Date() })
      .where('slack_team_id', '=', slackTeamId)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    if (!workspace) return { deactivated: false };
    const paused = await trx
      .updateTable('subscriptions')
      .set({
        status: 'paused',
        status_reason: 'workspace_inactive',
        next_due_at: null,
        updated_at: new Date(),
      })
      .where('workspace_id', '=', workspace.id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    await trx
      .deleteFrom('deliveries')
      .where('workspace_id', '=', workspace.id)
      .where('status', '=', 'pending')
      .execute();
    await recordAuditEvent(trx, {
      workspaceId: workspace.id,
      actor: 'system',
      action: 'workspace.deactivated',
      subjectType: 'workspace',
      subjectId: workspace.id,
      requestId,
      details: { reason, subscriptionsPaused: Number(paused.numUpdatedRows) },
    });
    return { deactivated: true };
  });
}
