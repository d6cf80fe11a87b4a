/**
 * A manager's language (issue 18, item 2): what they read, and their own choice of it. The
 * rule itself is pure (./rules.ts effectiveLanguage); this reads its inputs.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { selectLanguageChoices, setManagerLanguage } from './repository.ts';
import {
  effectiveLanguage,
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  type LanguageChoices,
} from './rules.ts';

/** What a manager reads, and why: their choice (null when they follow Slack and workspace). */
export interface ManagerLanguage {
  language: Language;
  chosen: Language | null;
}

/** The language each of these managers reads, by manager id; English for one not found. */
export async function languagesOfManagers(
  db: Executor,
  managerIds: readonly string[],
): Promise<Map<string, Language>> {
  const choices = await selectLanguageChoices(db, managerIds);
  return new Map(
    managerIds.map((id) => [id, effectiveLanguage(choices.get(id) ?? NO_CHOICES)] as const),
  );
}

const NO_CHOICES: LanguageChoices = { chosen: null, slackLocale: null, workspaceDefault: null };

/** The language one manager reads. */
export async function languageOfManager(db: Executor, managerId: string): Promise<Language> {
  return (await managerLanguage(db, managerId)).language;
}

/** The language one manager reads, and their own choice (null when they made none). */
export async function managerLanguage(db: Executor, managerId: string): Promise<ManagerLanguage> {
  return languageOfChoices(
    (await selectLanguageChoices(db, [managerId])).get(managerId) ?? NO_CHOICES,
  );
}

/** What a manager reads, from choices already read (a subscription row carries them). */
export function languageOfChoices(choices: LanguageChoices): ManagerLanguage {
  return {
    language: effectiveLanguage(choices),
    chosen: isLanguage(choices.chosen) ? choices.chosen : null,
  };
}

/**
 * A chosen language as the API receives it: one Blindspot speaks, or null to follow Slack and
 * the workspace. Anything else is refused, naming the languages there are.
 * @throws AppError invalid_language (400).
 */
export function readLanguageChoice(value: unknown): Language | null {
  if (value === null) return null;
  if (isLanguage(value)) return value;
  throw invalid('invalid_language', languageProblem(value), { language: languageProblem(value) });
}

/** The sentence for a language Blindspot does not speak. */
export function languageProblem(value: unknown): string {
  const known = LANGUAGES.map((code) => `${code} (${LANGUAGE_NAMES[code]})`).join(', ');
  return `"${String(value)}" is not a language Blindspot speaks; choose ${known}, or null to follow Slack.`;
}

/**
 * Sets the calling manager's language, or with null lets Slack and the workspace decide again.
 * Audited when it changes. Returns what they read now.
 * @throws AppError invalid_language (400) before anything is saved; manager_not_found (404).
 */
export async function chooseLanguage(
  db: Kysely<Database>,
  who: SlackIdentity,
  value: unknown,
  now: Date,
  context: RequestContext = {},
): Promise<ManagerLanguage> {
  const chosen = readLanguageChoice(value);
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const before = (await selectLanguageChoices(trx, [manager.id])).get(manager.id);
    if ((before?.chosen ?? null) !== chosen) {
      await setManagerLanguage(trx, manager.id, chosen, now);
      await recordAuditEvent(trx, {
        workspaceId: manager.workspaceId,
        actor: `slack:${who.slackUserId}`,
        action: 'manager.language_changed',
        subjectType: 'manager',
        subjectId: manager.id,
        requestId: context.requestId,
        details: { from: before?.chosen ?? null, to: chosen },
      });
    }
    return managerLanguage(trx, manager.id);
  });
}
