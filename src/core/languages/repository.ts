/**
 * SQL for what decides a manager's language: their choice and Slack locale (managers) and
 * their workspace's default (workspace_settings, absent until an admin saves the settings).
 */
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Language, LanguageChoices } from './rules.ts';

/** The inputs of effectiveLanguage for each of these managers, by manager id. */
export async function selectLanguageChoices(
  db: Executor,
  managerIds: readonly string[],
): Promise<Map<string, LanguageChoices>> {
  if (managerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('managers as m')
    .leftJoin('workspace_settings as ws', 'ws.workspace_id', 'm.workspace_id')
    .where('m.id', 'in', [...new Set(managerIds)])
    .select([
      'm.id',
      'm.language as chosen',
      'm.locale as slackLocale',
      'ws.default_language as workspaceDefault',
    ])
    .execute();
  return new Map(rows.map(({ id, ...choices }) => [id, choices]));
}

/**
 * The inputs of effectiveLanguage as columns of a query that joins `managers m` (the ledger
 * claims): chosen_language, slack_locale and workspace_language. Read with
 * languageOfClaimRow.
 */
export const LANGUAGE_CHOICE_COLUMNS = sql`m.language AS chosen_language, m.locale AS slack_locale,
  (SELECT ws.default_language FROM workspace_settings ws WHERE ws.workspace_id = m.workspace_id)
    AS workspace_language`;

/** What LANGUAGE_CHOICE_COLUMNS adds to a row. */
export interface LanguageChoiceColumns {
  chosen_language: string | null;
  slack_locale: string;
  workspace_language: string | null;
}

/** The choices in a row read with LANGUAGE_CHOICE_COLUMNS. */
export function languageChoicesOfRow(row: LanguageChoiceColumns): LanguageChoices {
  return {
    chosen: row.chosen_language,
    slackLocale: row.slack_locale,
    workspaceDefault: row.workspace_language,
  };
}

/**
 * The same inputs as subqueries on a manager id column (`managerId`, e.g.
 * sql.ref('subscriptions.manager_id')), for reads that start from another table.
 */
export function languageChoiceSubqueries(managerId: RawBuilder<unknown>) {
  return [
    sql<string | null>`(SELECT lm.language FROM managers lm WHERE lm.id = ${managerId})`.as(
      'chosenLanguage',
    ),
    sql<string | null>`(SELECT ws.default_language FROM managers lm
      JOIN workspace_settings ws ON ws.workspace_id = lm.workspace_id
      WHERE lm.id = ${managerId})`.as('workspaceLanguage'),
  ] as const;
}

/** Sets (or, with null, clears) the manager's own choice of language. */
export async function setManagerLanguage(
  db: Executor,
  managerId: string,
  language: Language | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('managers')
    .set({ language, updated_at: now })
    .where('id', '=', managerId)
    .execute();
}
