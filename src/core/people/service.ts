/**
 * People, as admins see them (issue 15): who is signed up, on which days and at what time, and
 * whether notes reach them; and pausing or unsubscribing someone who asked an admin to. Never a
 * manager's action items, answers or reflections: those are the manager's alone, and nothing
 * here reads them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { pause, unsubscribe } from '../subscriptions/service.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import { findManagerOfWorkspace, type PersonRow, selectPeople } from './repository.ts';

/** The reason an admin's pause records; the manager's Home tab says who paused and why. */
export const ADMIN_PAUSE_REASON = 'admin_request';

export type PersonStatus = 'active' | 'paused' | 'lapsed' | 'unsubscribed' | 'not_subscribed';

export interface Person {
  slackUserId: string;
  timeZone: string;
  status: PersonStatus;
  /** Who or what paused them; never the manager's own words. */
  pausedBy: 'manager' | 'admin' | 'slack' | 'workspace' | null;
  /** For a lapsed subscription, Slack's error code (e.g. user_not_found). */
  slackError: string | null;
  weekdays: number[];
  localTime: string | null;
  lastDeliveredAt: Date | null;
}

function present(row: PersonRow): Person {
  const reason = row.statusReason ?? '';
  const slackError = reason.startsWith('slack:') ? reason.slice('slack:'.length) : null;
  const paused = row.status === 'paused';
  const pausedBy = !paused
    ? null
    : slackError !== null
      ? 'slack'
      : reason === 'workspace_inactive'
        ? 'workspace'
        : reason === ADMIN_PAUSE_REASON
          ? 'admin'
          : 'manager';
  return {
    slackUserId: row.slackUserId,
    timeZone: row.timeZone,
    // Blindspot stopped because Slack could not reach them: they didn't choose to stop.
    status: row.status === null ? 'not_subscribed' : pausedBy === 'slack' ? 'lapsed' : row.status,
    pausedBy,
    slackError,
    weekdays: row.weekdays ?? [],
    localTime: row.localTime,
    lastDeliveredAt: row.lastDeliveredAt,
  };
}

async function workspaceOf(db: Kysely<Database>, slackTeamId: string): Promise<string> {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  if (!workspace) throw notFound('workspace');
  return workspace.id;
}

export async function listPeople(
  db: Kysely<Database>,
  slackTeamId: string,
  options: { status?: 'active' | 'paused' | 'unsubscribed'; limit: number; after?: string },
): Promise<{ people: Person[]; next: string | null }> {
  const workspaceId = await workspaceOf(db, slackTeamId);
  const rows = await selectPeople(db, workspaceId, { ...options, limit: options.limit + 1 });
  const page = rows.slice(0, options.limit).map(present);
  return {
    people: page,
    next: rows.length > options.limit ? (page.at(-1)?.slackUserId ?? null) : null,
  };
}

/** Pauses or unsubscribes a manager who asked an admin to; audited under the admin's name. */
export async function changeOnRequest(
  db: Kysely<Database>,
  who: { slackTeamId: string; slackUserId: string },
  change: 'pause' | 'unsubscribe',
  now: Date,
  context: RequestContext,
): Promise<Person> {
  const workspaceId = await workspaceOf(db, who.slackTeamId);
  if (!(await findManagerOfWorkspace(db, workspaceId, who.slackUserId))) {
    throw notFound('manager');
  }
  if (change === 'pause') await pause(db, who, ADMIN_PAUSE_REASON, now, context);
  else await unsubscribe(db, who, now, context);
  const [row] = await selectPeople(db, workspaceId, { limit: 1, only: who.slackUserId });
  if (!row) throw notFound('manager');
  return present(row);
}
