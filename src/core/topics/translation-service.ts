/**
 * What an admin may do to a topic's translations (issue 18, item 2): read them, write one
 * (created or replaced) and delete one, per language. The same guard rails as English (every
 * limit, the note's minute of reading) and the same audit: reads included, and every change
 * with its fields before and after. A translation an admin wrote is never overwritten by
 * re-seeding (./seeding.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid, notFound } from '../errors.ts';
import {
  isTranslationLanguage,
  TRANSLATION_LANGUAGES,
  type TranslationLanguage,
} from '../languages/rules.ts';
import type { RequestContext } from '../request-context.ts';
import {
  deleteTranslation,
  selectTranslationsOfTopic,
  type TranslationRow,
  upsertTranslation,
} from './repositories/translations.ts';
import type { FieldProblems } from './rules.ts';
import { ADMIN_ACTOR, contentOf, rejectInvalid, topicOf, workspaceOf } from './service.ts';
import {
  changedTranslationFields,
  normalizeTranslation,
  TRANSLATION_FIELDS,
  type TranslationContent,
  translationFieldProblems,
} from './translation-rules.ts';

export type { TranslationRow } from './repositories/translations.ts';

/** A topic's translations, and the languages it still lacks. */
export interface TopicTranslations {
  translations: TranslationRow[];
  missing: TranslationLanguage[];
}

/** @throws AppError invalid_language (400) for a language topics are not translated into. */
export function translationLanguageOf(value: string): TranslationLanguage {
  if (isTranslationLanguage(value)) return value;
  throw invalid(
    'invalid_language',
    `"${value}" is not a language topics are translated into; use ${TRANSLATION_LANGUAGES.join(' or ')} (English is the topic itself).`,
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a translation from a request body, every problem by field: the six text fields, no
 * other key, and the English topic's limits (checked later, with the topic).
 */
export function readTranslation(value: unknown): {
  content: Partial<TranslationContent>;
  problems: FieldProblems;
} {
  const problems: FieldProblems = Object.create(null);
  const content: Partial<TranslationContent> = {};
  if (!isRecord(value)) {
    return { content, problems: { body: 'Send the translation as a JSON object of its fields.' } };
  }
  for (const key of Object.keys(value)) {
    if (!(TRANSLATION_FIELDS as readonly string[]).includes(key)) {
      problems[key] =
        `${key} is not a translated field; the fields are ${TRANSLATION_FIELDS.join(', ')}.`;
    }
  }
  for (const field of TRANSLATION_FIELDS) {
    const given = value[field];
    if (given === undefined) continue;
    if (field === 'actions') {
      if (Array.isArray(given) && given.every((item) => typeof item === 'string')) {
        content.actions = given;
      } else problems.actions = 'actions must be a list of texts.';
    } else if (typeof given === 'string') content[field] = given;
    else problems[field] = `${field} must be text.`;
  }
  return { content, problems };
}

/** Every translation of a topic, with the languages it lacks; audited as a read. */
export async function listTopicTranslations(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  context: RequestContext = {},
): Promise<TopicTranslations> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId);
    const translations = await selectTranslationsOfTopic(trx, workspaceId, topic.id);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic_translations.viewed',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: { slug: topic.slug },
    });
    const present = new Set(translations.map((row) => row.language));
    return {
      translations,
      missing: TRANSLATION_LANGUAGES.filter((language) => !present.has(language)),
    };
  });
}

/**
 * Creates or replaces a topic's translation into `language`, whole (every field, as a new
 * topic). Audited with the fields that changed, before and after; a save that changes nothing
 * is audited as such and writes nothing.
 * @throws AppError invalid_language, invalid_topic (400, by field), topic_not_found (404).
 */
export async function putTopicTranslation(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  languageValue: string,
  body: unknown,
  now: Date,
  context: RequestContext = {},
): Promise<{ translation: TranslationRow; created: boolean }> {
  const language = translationLanguageOf(languageValue);
  const read = readTranslation(body);
  rejectInvalid(read.problems);
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId, { lock: true });
    rejectInvalid(translationFieldProblems(read.content, contentOf(topic)));
    const after = normalizeTranslation(read.content as TranslationContent);
    const rows = await selectTranslationsOfTopic(trx, workspaceId, topic.id);
    const before = rows.find((row) => row.language === language);
    const fields = before ? changedTranslationFields(before, after) : [...TRANSLATION_FIELDS];
    const changed = fields.length > 0 || before?.source !== 'admin';
    if (changed) {
      await upsertTranslation(trx, {
        workspaceId,
        topicId: topic.id,
        language,
        content: after,
        now,
      });
    }
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: before ? 'topic_translation.updated' : 'topic_translation.created',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: {
        slug: topic.slug,
        language,
        fields,
        changed,
        before: before ? Object.fromEntries(fields.map((field) => [field, before[field]])) : null,
        after: Object.fromEntries(fields.map((field) => [field, after[field]])),
      },
    });
    const translation = (await selectTranslationsOfTopic(trx, workspaceId, topic.id)).find(
      (row) => row.language === language,
    );
    if (!translation) throw new Error('translation vanished inside its own transaction');
    return { translation, created: before === undefined };
  });
}

/**
 * Deletes a topic's translation into `language`: managers reading it get the English text of
 * this topic from then on. Audited with the text deleted.
 * @throws AppError invalid_language (400), topic_not_found, topic_translation_not_found (404).
 */
export async function deleteTopicTranslation(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  languageValue: string,
  context: RequestContext = {},
): Promise<void> {
  const language = translationLanguageOf(languageValue);
  await db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId, { lock: true });
    const deleted = await deleteTranslation(trx, workspaceId, topic.id, language);
    if (!deleted) throw notFound('topic_translation');
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic_translation.deleted',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: { slug: topic.slug, language, before: normalizeTranslation(deleted) },
    });
  });
}
