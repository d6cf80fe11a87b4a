/**
 * Ledger rows for the analytics tests, written directly so each test states exactly what
 * happened and can assert the numbers that must come out: notes with their timing, action
 * items with their outcome, reminders and their answers, "not relevant" marks. Managers live in
 * UTC, so local dates and hours are the UTC ones.
 */
import type { Kysely } from 'kysely';
import {
  chooseTeams,
  saveUserGroupMembers,
  saveUserGroups,
} from '../../src/core/user-groups/service.ts';
import type { Database } from '../../src/db/schema.ts';
import type { TestWorkspace } from './factories.ts';

export interface AnalyticsWorld {
  db: Kysely<Database>;
  workspace: TestWorkspace;
  /** Two families (categories), and topics of each. */
  familyA: string;
  familyB: string;
  a1: string;
  a2: string;
  b1: string;
}

export interface WorldManager {
  id: string;
  subscriptionId: string;
  slackUserId: string;
}

let users = 0;
/** When every manager signed up: before anything the tests count. */
const SIGNED_UP = new Date('2026-01-01T00:00:00Z');

export async function createWorld(db: Kysely<Database>): Promise<AnalyticsWorld> {
  users += 1;
  const slackTeamId = `TAN${process.pid}X${users}`;
  const row = await db
    .insertInto('workspaces')
    .values({ slack_team_id: slackTeamId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const workspace = { id: row.id, slackTeamId };
  const topic = async (slug: string, category: string) => {
    const inserted = await db
      .insertInto('topics')
      .values({
        workspace_id: workspace.id,
        slug,
        category,
        title: `Title of ${slug}`,
        summary: 'Summary',
        why_it_matters: 'Why',
        example: 'Example',
        reflection_question: 'Question?',
        actions: ['One', 'Two', 'Three'],
        reference: 'Reference',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  };
  const familyA = 'family-a';
  const familyB = 'family-b';
  return {
    db,
    workspace,
    familyA,
    familyB,
    a1: await topic('topic-a1', familyA),
    a2: await topic('topic-a2', familyA),
    b1: await topic('topic-b1', familyB),
  };
}

/** A manager in UTC with an active subscription. */
export async function addManager(world: AnalyticsWorld): Promise<WorldManager> {
  users += 1;
  const slackUserId = `UAN${process.pid}X${users}`;
  const manager = await world.db
    .insertInto('managers')
    .values({
      workspace_id: world.workspace.id,
      slack_user_id: slackUserId,
      time_zone: 'UTC',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const subscription = await world.db
    .insertInto('subscriptions')
    .values({
      workspace_id: world.workspace.id,
      manager_id: manager.id,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      local_time: '09:00',
      time_zone: 'UTC',
      next_due_at: new Date('2030-01-01T09:00:00Z'),
      created_at: SIGNED_UP,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await stamp(world, 'subscriptions', subscription.id, SIGNED_UP);
  return { id: manager.id, subscriptionId: subscription.id, slackUserId };
}

export async function addManagers(world: AnalyticsWorld, count: number): Promise<WorldManager[]> {
  const managers: WorldManager[] = [];
  for (let i = 0; i < count; i++) managers.push(await addManager(world));
  return managers;
}

/**
 * Sets when a row was last written, as the business layer's clock would have: the refresh finds
 * what changed by it (updated_at is not settable on insert in src/db/schema.ts).
 */
async function stamp(
  world: AnalyticsWorld,
  table: 'subscriptions' | 'deliveries' | 'action_items' | 'reminders',
  id: string,
  when: Date,
): Promise<void> {
  await world.db.updateTable(table).set({ updated_at: when }).where('id', '=', id).execute();
}

const at = (day: string, time: string) => new Date(`${day}T${time}Z`);

/**
 * A note due at 09:00 on `day`: sent `lateSeconds` after, or missed, or failed with a Slack
 * error code. Its row is stamped as written at `writtenAt` (default: the due time).
 */
export async function addNote(
  world: AnalyticsWorld,
  manager: WorldManager,
  day: string,
  topicId: string,
  outcome: { lateSeconds?: number; status?: 'missed' | 'failed'; errorCode?: string } = {},
  writtenAt?: Date,
): Promise<string> {
  const due = at(day, '09:00:00');
  const status = outcome.status ?? 'sent';
  const sentAt =
    status === 'sent' ? new Date(due.getTime() + (outcome.lateSeconds ?? 0) * 1000) : null;
  const row = await world.db
    .insertInto('deliveries')
    .values({
      workspace_id: world.workspace.id,
      subscription_id: manager.subscriptionId,
      manager_id: manager.id,
      local_date: day,
      topic_id: topicId,
      due_at: due,
      status,
      sent_at: sentAt,
      late: (outcome.lateSeconds ?? 0) >= 60,
      error_code: outcome.errorCode ?? null,
      attempts: 1,
      created_at: due,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await stamp(world, 'deliveries', row.id, writtenAt ?? sentAt ?? due);
  return row.id;
}

/** An action item written from a note at 09:30 on `day`, with its outcome now. */
export async function addItem(
  world: AnalyticsWorld,
  manager: WorldManager,
  day: string,
  note: { id: string; topicId: string },
  status: 'open' | 'done' | 'partly' | 'dropped' | 'lapsed' = 'open',
  writtenAt?: Date,
): Promise<string> {
  const created = at(day, '09:30:00');
  const row = await world.db
    .insertInto('action_items')
    .values({
      workspace_id: world.workspace.id,
      manager_id: manager.id,
      topic_id: note.topicId,
      delivery_id: note.id,
      text: 'Private words the analytics must never read',
      source: 'api',
      status,
      check_back_on: day,
      created_at: created,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await stamp(world, 'action_items', row.id, writtenAt ?? created);
  return row.id;
}

/**
 * A reminder sent at 10:00 on `day` asking about `itemId`, answered at `answeredAt` (with a
 * usefulness rating) or not at all.
 */
export async function addReminder(
  world: AnalyticsWorld,
  manager: WorldManager,
  day: string,
  itemId: string,
  answer?: { at: Date; usefulness?: number },
): Promise<void> {
  const sent = at(day, '10:00:00');
  const reminder = await world.db
    .insertInto('reminders')
    .values({
      workspace_id: world.workspace.id,
      manager_id: manager.id,
      local_date: day,
      due_at: sent,
      status: 'sent',
      sent_at: sent,
      attempts: 1,
      created_at: sent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await stamp(world, 'reminders', reminder.id, sent);
  await world.db
    .insertInto('reminder_items')
    .values({ reminder_id: reminder.id, action_item_id: itemId, workspace_id: world.workspace.id })
    .execute();
  if (!answer) return;
  await world.db
    .insertInto('responses')
    .values({
      workspace_id: world.workspace.id,
      action_item_id: itemId,
      reminder_id: reminder.id,
      answer: 'done',
      reflection: 'A reflection the analytics must never return',
      usefulness: answer.usefulness ?? null,
      answered_at: answer.at,
    })
    .execute();
}

/** "Not relevant" on the topic of a note. */
export async function markNotRelevant(
  world: AnalyticsWorld,
  manager: WorldManager,
  note: { id: string; topicId: string },
  when: Date,
): Promise<void> {
  await world.db
    .insertInto('topic_feedback')
    .values({
      workspace_id: world.workspace.id,
      manager_id: manager.id,
      topic_id: note.topicId,
      kind: 'not_relevant',
      delivery_id: note.id,
      created_at: when,
    })
    .execute();
}

export async function unsubscribeAt(
  world: AnalyticsWorld,
  manager: WorldManager,
  when: Date,
): Promise<void> {
  await world.db
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', next_due_at: null, updated_at: when })
    .where('id', '=', manager.subscriptionId)
    .execute();
}

/**
 * Makes these Slack user groups the workspace's only analytics teams, as the bot and an admin
 * would: the bot pushes the groups, the admin chooses them, the bot pushes their members.
 * Returns each group's team id (what the analytics filter takes), by Slack group id.
 */
export async function setTeams(
  world: AnalyticsWorld,
  teams: Record<string, readonly WorldManager[]>,
  now: Date,
): Promise<Record<string, string>> {
  const teamId = world.workspace.slackTeamId;
  const ids = Object.keys(teams);
  await saveUserGroups(
    world.db,
    teamId,
    {
      groups: ids.map((id) => ({ slackGroupId: id, handle: id.toLowerCase(), name: `Team ${id}` })),
    },
    now,
  );
  const chosen = await chooseTeams(world.db, teamId, ids, now);
  for (const [id, members] of Object.entries(teams)) {
    await saveUserGroupMembers(
      world.db,
      teamId,
      id,
      members.map((m) => m.slackUserId),
      now,
    );
  }
  return Object.fromEntries(chosen.groups.map((group) => [group.slackGroupId, group.id]));
}
