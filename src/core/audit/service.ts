/**
 * Reading the audit log: pages, newest first, with a readable label for each actor, and the
 * same as CSV for export.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { accountLabels } from '../admin-accounts/repositories/accounts.ts';
import { apiKeyNames } from '../admin-accounts/repositories/api-keys.ts';
import { type AuditEventRow, type AuditFilter, selectAuditEvents } from './repository.ts';

export type { AuditFilter } from './repository.ts';

export interface LabelledAuditEvent extends AuditEventRow {
  actorLabel: string;
}

export const AUDIT_PAGE_LIMIT = { default: 50, max: 500, csv: 10_000 } as const;

const ID = /^[0-9]{1,18}$/;

/** Ids of the actors of one kind ("admin", "apikey") among `events`. */
function idsOf(events: readonly AuditEventRow[], kind: string): string[] {
  const ids = new Set<string>();
  for (const { actor } of events) {
    const [prefix, id] = actor.split(':', 2);
    if (prefix === kind && id && ID.test(id)) ids.add(id);
  }
  return [...ids];
}

async function label(db: Kysely<Database>, events: AuditEventRow[]): Promise<LabelledAuditEvent[]> {
  const accounts = await accountLabels(db, idsOf(events, 'admin'));
  const keys = await apiKeyNames(db, idsOf(events, 'apikey'));
  return events.map((event) => {
    const [kind, id = ''] = event.actor.split(':', 2);
    let actorLabel = event.actor;
    if (kind === 'admin' && id) {
      const account = accounts.get(id);
      actorLabel = account ? `${account.displayName} <${account.email}>` : `account ${id}`;
    } else if (kind === 'apikey') {
      actorLabel = `API key "${keys.get(id) ?? id}"`;
    } else if (kind === 'slack') {
      actorLabel = `Slack user ${id}`;
    } else if (event.actor === 'admin') {
      actorLabel = 'ADMIN_API_KEY (before accounts)';
    } else if (event.actor === 'anonymous') {
      actorLabel = 'unknown (no such account)';
    }
    return { ...event, actorLabel };
  });
}

/** One page of events; `nextCursor` names the page after it, or is null at the end. */
export async function listAuditEvents(
  db: Kysely<Database>,
  filter: AuditFilter,
  limit: number,
): Promise<{ events: LabelledAuditEvent[]; nextCursor: string | null }> {
  const rows = await selectAuditEvents(db, filter, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: await label(db, page),
    nextCursor: rows.length > limit && last ? last.id : null,
  };
}

const CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'actorLabel',
  'action',
  'subjectType',
  'subjectId',
  'workspaceId',
  'address',
  'requestId',
  'details',
] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * is prefixed with a quote, so opening an export cannot run what someone typed as a name.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsv(events: readonly LabelledAuditEvent[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const event of events) {
    lines.push(CSV_COLUMNS.map((column) => csvCell(event[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
