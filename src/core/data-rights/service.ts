/**
 * A person's rights over what Blindspot holds about them (issue 16, item 6): a manager takes it
 * all out (a single-use link, for a day) or has it erased; an admin erases a manager who asked
 * them to, or a whole workspace. Erasure deletes rows. The audit log keeps that an erasure
 * happened, under the manager's internal id, which nothing links to a person once they are gone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { digestSecret, newSecret } from '../admin-accounts/secrets.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { findManager } from '../managers/repository.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import {
  deleteManager,
  deleteWorkspace,
  type ExportOwner,
  insertExportLink,
  type ManagerData,
  selectManagerData,
  spendExportLink,
} from './repository.ts';
import { confirms, exportExpiry, exportUrl, workspaceConfirmation } from './rules.ts';

/** The export file's format; a reader can tell a later layout from this one. */
export const EXPORT_FORMAT = 'blindspot-export/1';

async function ownerOf(db: Kysely<Database>, who: SlackIdentity): Promise<ExportOwner> {
  const manager = await findManager(db, who.slackTeamId, who.slackUserId);
  if (!manager) throw notFound('manager');
  return {
    managerId: manager.id,
    workspaceId: manager.workspaceId,
    slackTeamId: manager.slackTeamId,
    slackUserId: manager.slackUserId,
  };
}

/** A new download link for the manager; only the token's digest is stored. */
export async function createExportLink(
  db: Kysely<Database>,
  who: SlackIdentity,
  publicUrl: string | undefined,
  now: Date,
  context: RequestContext = {},
): Promise<{ url: string; expiresAt: Date }> {
  if (!publicUrl) {
    throw new AppError(
      'export_unavailable',
      'Exports need PUBLIC_URL, the address their links are made from.',
      503,
    );
  }
  const owner = await ownerOf(db, who);
  const token = newSecret();
  const expiresAt = exportExpiry(now);
  await db.transaction().execute(async (trx) => {
    await insertExportLink(trx, { owner, tokenSha256: digestSecret(token), expiresAt, now });
    await recordAuditEvent(trx, {
      workspaceId: owner.workspaceId,
      actor: `slack:${owner.slackUserId}`,
      action: 'manager.export_requested',
      subjectType: 'manager',
      subjectId: owner.managerId,
      requestId: context.requestId,
      details: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { url: exportUrl(publicUrl, token), expiresAt };
}

export type ManagerExport = { format: string; exportedAt: string } & ManagerData;

function refusal(outcome: 'used' | 'expired' | 'unknown'): AppError {
  if (outcome === 'used') {
    return new AppError('export_link_used', 'This link has been used: ask for a new one.', 410);
  }
  if (outcome === 'expired') {
    return new AppError('export_link_expired', 'This link has expired: ask for a new one.', 410);
  }
  return notFound('export');
}

/** Spends a link and answers the file; a used, expired or unknown link is refused. */
export async function downloadExport(
  db: Kysely<Database>,
  token: string,
  now: Date,
  context: RequestContext = {},
): Promise<ManagerExport> {
  return db.transaction().execute(async (trx) => {
    const link = await spendExportLink(trx, digestSecret(token), now);
    if (link.outcome !== 'spent') throw refusal(link.outcome);
    await recordAuditEvent(trx, {
      workspaceId: link.owner.workspaceId,
      actor: `slack:${link.owner.slackUserId}`,
      action: 'manager.exported',
      subjectType: 'manager',
      subjectId: link.owner.managerId,
      requestId: context.requestId,
      address: context.address,
    });
    const data = await selectManagerData(trx, link.owner);
    return { format: EXPORT_FORMAT, exportedAt: now.toISOString(), ...data };
  });
}

/**
 * Erases a manager and everything about them. `by` says who asked: the manager themself, or an
 * admin (context.actor) on their behalf, after typing the manager's Slack user id.
 */
export async function eraseManager(
  db: Kysely<Database>,
  who: SlackIdentity,
  by: 'manager' | { admin: true; confirmation: string },
  context: RequestContext = {},
): Promise<{ rows: Record<string, number> }> {
  if (by !== 'manager' && !confirms(by.confirmation, who.slackUserId)) {
    throw invalid('confirmation_mismatch', "Type the person's Slack user id to confirm.", {
      confirmation: 'does not match',
    });
  }
  const owner = await ownerOf(db, who);
  return db.transaction().execute(async (trx) => {
    const rows = await deleteManager(trx, {
      id: owner.managerId,
      workspaceId: owner.workspaceId,
      slackUserId: owner.slackUserId,
    });
    // No Slack id, no content: the internal id, which nothing resolves once the row is gone.
    await recordAuditEvent(trx, {
      workspaceId: owner.workspaceId,
      actor: by === 'manager' ? `manager:${owner.managerId}` : (context.actor ?? 'admin'),
      action: 'manager.erased',
      subjectType: 'manager',
      subjectId: owner.managerId,
      requestId: context.requestId,
      address: by === 'manager' ? undefined : context.address,
      details: { requestedBy: by === 'manager' ? 'manager' : 'admin', rows },
    });
    return { rows };
  });
}

/** Erases a whole workspace after an admin typed its name (or team id when it has none). */
export async function eraseWorkspace(
  db: Kysely<Database>,
  slackTeamId: string,
  confirmation: string,
  context: RequestContext = {},
): Promise<{ managers: number }> {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  if (!workspace) throw notFound('workspace');
  if (!confirms(confirmation, workspaceConfirmation({ ...workspace, slackTeamId }))) {
    throw invalid('confirmation_mismatch', "Type the workspace's name to confirm.", {
      confirmation: 'does not match',
    });
  }
  return db.transaction().execute(async (trx) => {
    const erased = await deleteWorkspace(trx, workspace.id);
    await recordAuditEvent(trx, {
      workspaceId: workspace.id,
      actor: context.actor ?? 'admin',
      action: 'workspace.erased',
      subjectType: 'workspace',
      subjectId: workspace.id,
      requestId: context.requestId,
      address: context.address,
      details: { managers: erased.managers, auditEvents: erased.auditEvents },
    });
    return { managers: erased.managers };
  });
}
