/**
 * What an admin may do to a workspace's topics and weekday themes (seeding from the catalogue
 * file is in ./seeding.ts). Every admin operation is written to the audit log under the
 * caller's name (the context's actor), reads included (the log is the only record of what a key
 * or account was used for), and a call that changes nothing says so (`changed: false`).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import {
  selectWeekdayThemes,
  upsertWeekdayTheme,
  type WeekdayThemeRow,
} from './repositories/weekday-themes.ts';
import {
  findTopic,
  hasActiveTopicInCategory,
  insertTopic,
  insertTopicRevisions,
  selectActiveCategories,
  selectTopicRevisions,
  selectTopics,
  type TopicFilter,
  type TopicRevisionRow,
  type TopicRow,
  updateTopicContent,
} from './repository.ts';
import {
  changedFields,
  type FieldProblems,
  ID_PATTERN,
  isSlug,
  slugify,
  TOPIC_FIELDS,
  type TopicContent,
  topicFieldProblems,
} from './rules.ts';
import { describeProblems } from './validation.ts';

export type { WeekdayThemeRow } from './repositories/weekday-themes.ts';
export type { TopicRevisionRow, TopicRow } from './repository.ts';
export type { TopicContent } from './rules.ts';

/** The audit log's name for a caller the route did not name (scripts calling the service). */
export const ADMIN_ACTOR = 'admin';

/* Admin operations. Each takes the Slack team id the admin named in the URL. */

/** A new topic as an admin submits it. Without a slug, one is made from the title. */
export interface NewTopic extends TopicContent {
  slug?: string;
}

export type TopicChanges = Partial<TopicContent>;

export async function workspaceOf(db: Executor, slackTeamId: string): Promise<string> {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  if (!workspace) throw notFound('workspace');
  return workspace.id;
}

export async function topicOf(
  db: Executor,
  workspaceId: string,
  topicId: string,
  options: { lock?: boolean } = {},
): Promise<TopicRow> {
  const topic = ID_PATTERN.test(topicId)
    ? await findTopic(db, workspaceId, topicId, options)
    : undefined;
  if (!topic) throw notFound('topic');
  return topic;
}

export function contentOf(topic: TopicRow): TopicContent {
  const content = {} as Record<keyof TopicContent, unknown>;
  for (const field of TOPIC_FIELDS) content[field] = topic[field];
  return content as TopicContent;
}

/** @throws AppError invalid_topic (400) naming each field, when there is any problem. */
export function rejectInvalid(problems: FieldProblems): void {
  if (Object.keys(problems).length > 0) {
    throw invalid('invalid_topic', describeProblems(problems), { ...problems });
  }
}

/** The workspace's topics (active only unless the filter says otherwise), by category then slug. */
export async function listTopics(
  db: Kysely<Database>,
  slackTeamId: string,
  filter: TopicFilter = {},
  context: RequestContext = {},
): Promise<TopicRow[]> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topics = await selectTopics(trx, workspaceId, filter);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topics.listed',
      subjectType: 'workspace',
      subjectId: workspaceId,
      requestId: context.requestId,
      details: { ...filter, count: topics.length },
    });
    return topics;
  });
}

export async function getTopic(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  context: RequestContext = {},
): Promise<TopicRow> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic.viewed',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: { slug: topic.slug, revision: topic.revision },
    });
    return topic;
  });
}

/** Every revision of a topic, oldest first. */
export async function listTopicRevisions(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  context: RequestContext = {},
): Promise<TopicRevisionRow[]> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId);
    const revisions = await selectTopicRevisions(trx, workspaceId, topic.id);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic_revisions.listed',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: { slug: topic.slug, count: revisions.length },
    });
    return revisions;
  });
}

/**
 * Creates an admin's topic at revision 1. Re-seeding never touches it, even if the catalogue
 * later gains the same slug.
 * @throws AppError invalid_topic (400), topic_slug_taken (409), workspace_not_found (404).
 */
export async function createTopic(
  db: Kysely<Database>,
  slackTeamId: string,
  input: NewTopic,
  context: RequestContext = {},
): Promise<TopicRow> {
  const slug = input.slug ?? slugify(input.title ?? '');
  const problems: FieldProblems = {};
  if (!isSlug(slug)) {
    problems.slug =
      input.slug === undefined
        ? 'title must contain letters or digits to make a slug from; or give a slug.'
        : `slug "${slug}" must be lower-case words joined by hyphens.`;
  }
  // A topic is sent as soon as it exists (there are no drafts), so it must be whole.
  rejectInvalid({ ...problems, ...topicFieldProblems(input, { required: true }) });
  const content: TopicContent = {
    category: input.category,
    title: input.title,
    summary: input.summary,
    whyItMatters: input.whyItMatters,
    example: input.example,
    reflectionQuestion: input.reflectionQuestion,
    actions: input.actions,
    reference: input.reference,
  };
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topicId = await insertTopic(trx, workspaceId, slug, content);
    if (!topicId) {
      throw new AppError(
        'topic_slug_taken',
        `This workspace already has a topic with slug "${slug}". Give another slug.`,
        409,
      );
    }
    await insertTopicRevisions(trx, [
      { topicId, workspaceId, revision: 1, content, source: 'admin' },
    ]);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic.created',
      subjectType: 'topic',
      subjectId: topicId,
      requestId: context.requestId,
      details: { slug, category: content.category, revision: 1 },
    });
    return topicOf(trx, workspaceId, topicId);
  });
}

/**
 * Applies an admin's changes to a topic at the next revision. From then on re-seeding leaves
 * the topic alone. Changes that change nothing leave the topic at its revision.
 * @throws AppError invalid_topic (400), topic_not_found (404), workspace_not_found (404).
 */
export async function updateTopic(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  changes: TopicChanges,
  now: Date,
  context: RequestContext = {},
): Promise<TopicRow> {
  const given = Object.fromEntries(
    TOPIC_FIELDS.filter((field) => changes[field] !== undefined).map((f) => [f, changes[f]]),
  ) as TopicChanges;
  if (Object.keys(given).length === 0) {
    throw invalid(
      'invalid_topic',
      `Give at least one field to change: ${TOPIC_FIELDS.join(', ')}.`,
    );
  }
  rejectInvalid(topicFieldProblems(given));
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId, { lock: true });
    const before = contentOf(topic);
    const after: TopicContent = { ...before, ...given };
    // Each field may be fine while the whole note is now too long to read in a minute.
    const whole = topicFieldProblems(after);
    if (whole.note) rejectInvalid({ note: whole.note });
    return writeTopicContent(trx, workspaceId, topic, after, now, context, 'topic.updated');
  });
}

/**
 * Makes `after` a topic's content: a new revision when anything changed, none otherwise, and
 * an audit event either way. Topics are admins' text, not managers' words: the event keeps
 * what changed, both ways. Shared by editing and by restoring a revision (./history.ts).
 */
export async function writeTopicContent(
  trx: Transaction<Database>,
  workspaceId: string,
  topic: TopicRow,
  after: TopicContent,
  now: Date,
  context: RequestContext,
  action: 'topic.updated' | 'topic.revision_restored',
  details: Record<string, unknown> = {},
): Promise<TopicRow> {
  const before = contentOf(topic);
  const fields = changedFields(before, after);
  const changed = fields.length > 0;
  const revision = changed
    ? await updateTopicContent(trx, workspaceId, topic.id, after, now)
    : topic.revision;
  if (changed) {
    await insertTopicRevisions(trx, [
      { topicId: topic.id, workspaceId, revision, content: after, source: 'admin' },
    ]);
  }
  await recordAuditEvent(trx, {
    workspaceId,
    actor: context.actor ?? ADMIN_ACTOR,
    address: context.address,
    action,
    subjectType: 'topic',
    subjectId: topic.id,
    requestId: context.requestId,
    details: {
      slug: topic.slug,
      ...details,
      revision,
      fields,
      changed,
      before: Object.fromEntries(fields.map((field) => [field, before[field]])),
      after: Object.fromEntries(fields.map((field) => [field, after[field]])),
    },
  });
  return changed ? topicOf(trx, workspaceId, topic.id) : topic;
}

/** The workspace's weekday themes, Monday first. Seeding fills in the defaults. */
export async function listWeekdayThemes(
  db: Kysely<Database>,
  slackTeamId: string,
  context: RequestContext = {},
): Promise<WeekdayThemeRow[]> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const themes = await selectWeekdayThemes(trx, workspaceId);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'weekday_themes.listed',
      subjectType: 'workspace',
      subjectId: workspaceId,
      requestId: context.requestId,
    });
    return themes;
  });
}

/**
 * Sets the category sent on one ISO weekday (1 = Monday). The category needs at least one
 * active topic in the workspace, or that day would have nothing to send.
 * @throws AppError invalid_weekday (400), unknown_category (400), workspace_not_found (404).
 */
export async function setWeekdayTheme(
  db: Kysely<Database>,
  slackTeamId: string,
  isoWeekday: number,
  category: string,
  now: Date,
  context: RequestContext = {},
): Promise<WeekdayThemeRow> {
  if (!Number.isInteger(isoWeekday) || isoWeekday < 1 || isoWeekday > 7) {
    throw invalid('invalid_weekday', `isoWeekday must be 1 (Monday) to 7 (Sunday).`);
  }
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    // The share lock keeps that topic from being retired until this change commits.
    const known =
      isSlug(category) &&
      (await hasActiveTopicInCategory(trx, workspaceId, category, { lock: true }));
    if (!known) {
      const categories = await selectActiveCategories(trx, workspaceId);
      throw invalid(
        'unknown_category',
        `No active topic in this workspace has category "${category}", so that day would have ` +
          `nothing to send. ${
            categories.length > 0
              ? `Choose one of: ${categories.join(', ')}.`
              : 'Create a topic in that category first.'
          }`,
      );
    }
    const theme = await upsertWeekdayTheme(trx, workspaceId, isoWeekday, category, now);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'weekday_theme.updated',
      subjectType: 'weekday_theme',
      subjectId: String(isoWeekday),
      requestId: context.requestId,
      details: {
        isoWeekday,
        category,
        previousCategory: theme.previousCategory,
        changed: theme.previousCategory !== category,
      },
    });
    return { isoWeekday: theme.isoWeekday, category: theme.category, updatedAt: theme.updatedAt };
  });
}
