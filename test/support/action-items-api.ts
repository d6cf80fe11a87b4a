/**
 * Action items over real HTTP, as the bot calls the API: the service token plus the Slack team
 * and user it acts for. The all-in-one service runs on the test file's own database with an
 * injected clock, so check-back dates are deterministic. Shared by test/api/action-items/.
 */
import { expect } from 'vitest';
import type { ActionItem } from '../../src/bot/api-client/index.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from './app.ts';
import { serviceFetch } from './service-calls.ts';

/**
 * 23:30 UTC on Tuesday 10 March 2026 is 08:30 on Wednesday 11 March in Tokyo: the UTC and the
 * local date differ, so a check-back date counted from the wrong "today" shows.
 */
export const NOW = new Date('2026-03-10T23:30:00.000Z');
export const TOKYO_TODAY = '2026-03-11';
const HOUR_MS = 3_600_000;
const TEAM = 'T0ACTION';

export interface Who {
  team: string;
  user: string;
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Starts the app on a database of the calling test file's own (in its beforeAll, closed in its
 * afterAll), and hands back the calls its tests make. Call it once, at the top of the file.
 */
export function setUpActionItemsApi() {
  const testApp = setUpTestApp({ clock: () => NOW });

  // As the bot's client does, every call with an Authorization header is signed.
  const fetch = serviceFetch(() => NOW);

  let managersMade = 0;
  /** A Slack user no other test uses, so row counts and lists belong to this test alone. */
  function newManager(team = TEAM): Who {
    managersMade += 1;
    return { team, user: `U0M${managersMade}` };
  }

  function headersOf(who: Who): Record<string, string> {
    return {
      authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
      'x-slack-team-id': who.team,
      'x-slack-user-id': who.user,
    };
  }

  async function call<T>(
    method: string,
    path: string,
    options: { as?: Who; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${testApp.url}/api/v1${path}`, {
      method,
      headers: {
        ...(options.as && headersOf(options.as)),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  /** Registers a manager (and their workspace, on first contact) as the bot does. */
  async function register(who: Who, timeZone = 'Asia/Tokyo'): Promise<Who> {
    const answer = await call('PUT', '/me', { as: who, body: { timeZone, locale: 'en-GB' } });
    expect(answer.status).toBe(200);
    return who;
  }

  /** Signs a manager up; weekdays at 17:00 Tokyo time, hours after NOW, so nothing is planned. */
  async function signUp(who: Who): Promise<Who> {
    const answer = await call('PUT', '/subscriptions/me', {
      as: who,
      body: { weekdays: [1, 2, 3, 4, 5], localTime: '17:00', timeZone: 'Asia/Tokyo' },
    });
    expect(answer.status).toBe(200);
    return who;
  }

  function createItem(who: Who, body: Record<string, unknown>, headers?: Record<string, string>) {
    return call<ActionItem>('POST', '/action-items', {
      as: who,
      body: { source: 'api', ...body },
      headers,
    });
  }

  async function created(who: Who, body: Record<string, unknown>): Promise<ActionItem> {
    const answer = await createItem(who, body);
    expect(answer.status).toBe(201);
    return answer.body;
  }

  function listItems(who: Who, query = '') {
    return call<{ items: ActionItem[] }>('GET', `/action-items${query}`, { as: who });
  }

  async function managerOf(who: Who): Promise<{ id: string; workspaceId: string }> {
    return testApp.database.db
      .selectFrom('managers as m')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .where('w.slack_team_id', '=', who.team)
      .where('m.slack_user_id', '=', who.user)
      .select(['m.id', 'm.workspace_id as workspaceId'])
      .executeTakeFirstOrThrow();
  }

  async function itemCount(who: Who): Promise<number> {
    const { id } = await managerOf(who);
    const row = await testApp.database.db
      .selectFrom('action_items')
      .where('manager_id', '=', id)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  let deliveriesMade = 0;
  /**
   * A delivery the bot has sent to a signed-up manager, written as the confirm step leaves it.
   * Each one gets a different topic of the workspace, so a link to the wrong one shows.
   */
  async function sentDelivery(who: Who, hoursAgo: number) {
    const manager = await managerOf(who);
    const subscription = await testApp.database.db
      .selectFrom('subscriptions')
      .where('manager_id', '=', manager.id)
      .select('id')
      .executeTakeFirstOrThrow();
    const topic = await testApp.database.db
      .selectFrom('topics')
      .where('workspace_id', '=', manager.workspaceId)
      .orderBy('id')
      .offset(deliveriesMade % 10)
      .limit(1)
      .select(['id', 'title'])
      .executeTakeFirstOrThrow();
    deliveriesMade += 1;
    const sentAt = new Date(NOW.getTime() - hoursAgo * HOUR_MS);
    const channelId = `D0${who.user}`;
    const ts = `${Math.floor(sentAt.getTime() / 1000)}.${String(deliveriesMade).padStart(6, '0')}`;
    const row = await testApp.database.db
      .insertInto('deliveries')
      .values({
        workspace_id: manager.workspaceId,
        subscription_id: subscription.id,
        manager_id: manager.id,
        local_date: sentAt.toISOString().slice(0, 10),
        topic_id: topic.id,
        due_at: sentAt,
        status: 'sent',
        lease_expires_at: null,
        slack_channel_id: channelId,
        slack_ts: ts,
        sent_at: sentAt,
        error_code: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, topic, sentAt, channelId, ts };
  }

  return {
    /** The test database's Kysely; set once the file's beforeAll has run. */
    get db() {
      return testApp.database.db;
    },
    /** The app's base URL; set once the file's beforeAll has run. */
    get url() {
      return testApp.url;
    },
    fetch,
    newManager,
    headersOf,
    call,
    register,
    signUp,
    createItem,
    created,
    listItems,
    managerOf,
    itemCount,
    sentDelivery,
  };
}
