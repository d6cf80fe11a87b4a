import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid, notFound } from '../errors.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { ensureWorkspace } from '../workspaces/service.ts';
import { findManager, type ManagerRow, upsertManager } from './repository.ts';
import { isValidLocale, isValidTimeZone } from './rules.ts';

/**
 * Records a Slack user as a manager (and their workspace, on first contact), or refreshes the
 * time zone and locale of one we know. One transaction: no workspace without its manager.
 */
export async function registerManager(
  db: Kysely<Database>,
  who: SlackIdentity,
  profile: { timeZone: string; locale: string },
  now: Date,
  context: RequestContext = {},
): Promise<ManagerRow> {
  if (!isValidTimeZone(profile.timeZone)) {
    throw invalid('invalid_time_zone', `"${profile.timeZone}" is not an IANA time zone.`);
  }
  if (!isValidLocale(profile.locale)) {
    throw invalid('invalid_locale', `"${profile.locale}" is not a locale such as "en-US".`);
  }
  return db.transaction().execute(async (trx) => {
    const workspaceId = await ensureWorkspace(trx, who.slackTeamId, now);
    const { id, created } = await upsertManager(
      trx,
      { workspaceId, slackUserId: who.slackUserId, ...profile },
      now,
    );
    if (created) {
      await recordAuditEvent(trx, {
        workspaceId,
        actor: `slack:${who.slackUserId}`,
        action: 'manager.registered',
        subjectType: 'manager',
        subjectId: id,
        requestId: context.requestId,
        details: { timeZone: profile.timeZone },
      });
    }
    const manager = await findManager(trx, who.slackTeamId, who.slackUserId);
    if (!manager) throw new Error('manager vanished inside its own transaction');
    return manager;
  });
}

/** The calling manager, found by their Slack ids; a 404 (manager_not_found) when unknown. */
export async function getManager(db: Executor, who: SlackIdentity): Promise<ManagerRow> {
  const manager = await findManager(db, who.slackTeamId, who.slackUserId);
  if (!manager) throw notFound('manager');
  return manager;
}
