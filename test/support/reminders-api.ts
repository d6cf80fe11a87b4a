/**
 * Reminders over real HTTP, as the bot calls the API: the service token, plus the Slack team and
 * user it acts for on a manager's behalf. The all-in-one service runs on the test file's own
 * database with a clock the test moves. Planning is the worker's job; the test runs the planner
 * itself at the right moment rather than waiting for the worker's minute. Shared by
 * test/api/reminders/.
 */
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import type { ActionItem, ApiError, ClaimedReminder } from '../../src/bot/api-client/index.ts';
import type { components, paths } from '../../src/bot/api-client/schema.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from './app.ts';
import { serviceFetch } from './service-calls.ts';

export const TEAM = 'T0REMIND';
export const BERLIN = 'Europe/Berlin';
/** Monday 5 January 2026, 10:00 in Berlin (CET, UTC+1). */
export const PLANNED_AT = new Date('2026-01-05T09:00:00.000Z');
/** A week later, 09:00 in Berlin: the check-back date at the delivery time. */
export const REMINDER_DUE = new Date('2026-01-12T08:00:00.000Z');
export const MINUTE_MS = 60_000;

export interface Who {
  team: string;
  user: string;
}

export type ResponseBody = components['schemas']['Response'];
type AnswerBody =
  paths['/api/v1/action-items/{id}/responses']['post']['responses']['201']['content']['application/json'];
export type History =
  paths['/api/v1/action-items/{id}/history']['get']['responses']['200']['content']['application/json'];
type Claims =
  paths['/api/v1/reminders/claims']['post']['responses']['200']['content']['application/json'];
type Confirmation =
  paths['/api/v1/reminders/{id}/confirmation']['post']['responses']['200']['content']['application/json'];

export interface Reply<T> {
  status: number;
  body: T;
}

/**
 * Starts the app on a database of the calling test file's own (in its beforeAll, closed in its
 * afterAll), with a clock the tests move (`clock.now`), and hands back the calls its tests make.
 * Call it once, at the top of the file.
 */
export function setUpRemindersApi() {
  /** The app's clock: tests (and remindAt) set `now`. */
  const clock = { now: PLANNED_AT };

  // As the bot's client does, every call with an Authorization header is signed.
  const fetch = serviceFetch(() => clock.now);

  const testApp = setUpTestApp({ clock: () => clock.now });

  let managersMade = 0;
  /** A Slack user no other test uses. */
  function newManager(): Who {
    managersMade += 1;
    return { team: TEAM, user: `U0R${managersMade}` };
  }

  async function call<T>(
    method: string,
    path: string,
    options: { as?: Who; bot?: boolean; body?: unknown } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.as || options.bot) headers.authorization = `Bearer ${TEST_SERVICE_TOKEN}`;
    if (options.as) {
      headers['x-slack-team-id'] = options.as.team;
      headers['x-slack-user-id'] = options.as.user;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${testApp.url}/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  /** Signs a manager up, every day at 09:00 in Berlin, as the bot's sign-up modal does. */
  async function signUp(who: Who): Promise<Who> {
    const reply = await call('PUT', '/subscriptions/me', {
      as: who,
      body: { weekdays: [1, 2, 3, 4, 5, 6, 7], localTime: '09:00', timeZone: BERLIN },
    });
    expect(reply.status).toBe(200);
    return who;
  }

  async function planItem(who: Who, text: string, checkBack: unknown = { in: '1w' }) {
    const reply = await call<ActionItem>('POST', '/action-items', {
      as: who,
      body: { text, source: 'api', checkBack },
    });
    expect(reply.status).toBe(201);
    return reply.body.id;
  }

  function claim(): Promise<Reply<Claims>> {
    return call('POST', '/reminders/claims', { bot: true, body: { limit: 50, leaseSeconds: 60 } });
  }

  let messages = 0;
  function confirm(reminder: ClaimedReminder) {
    messages += 1;
    return call<Confirmation>('POST', `/reminders/${reminder.id}/confirmation`, {
      bot: true,
      body: {
        attempt: reminder.attempt,
        channelId: `D${reminder.slackUserId.slice(1)}`,
        ts: `${Math.floor(clock.now.getTime() / 1000)}.${String(messages).padStart(6, '0')}`,
      },
    });
  }

  /** Whether the ledger holds a reminder (or digest) of this manager for a local date. */
  async function isPlanned(who: Who, localDate: string): Promise<boolean> {
    const row = await testApp.database.db
      .selectFrom('reminders as r')
      .innerJoin('managers as m', 'm.id', 'r.manager_id')
      .where('m.slack_user_id', '=', who.user)
      .where('r.local_date', '=', localDate)
      .select('r.id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Runs the planner at `now` until the manager's reminder for `localDate` is in the ledger. The
   * app's own worker plans every minute with the same clock.now; if its run holds the subscriptions
   * (SKIP LOCKED), ours skips them, so poll until the row is there rather than assume.
   */
  async function planUntilPlanned(who: Who, localDate: string, now: Date): Promise<void> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      await planDueReminders(testApp.database.db, now);
      if (await isPlanned(who, localDate)) return;
      if (Date.now() > deadline)
        throw new Error(`no reminder planned for ${who.user} on ${localDate}`);
    }
  }

  /**
   * The worker plans a minute before the slot; at the slot the bot claims and confirms everything
   * due. Returns what this manager was sent. With `expectNone`, the planner runs once and nothing
   * is waited for.
   */
  async function remindAt(
    who: Who,
    slot: Date,
    options: { expectNone?: boolean } = {},
  ): Promise<ClaimedReminder[]> {
    clock.now = new Date(slot.getTime() - MINUTE_MS);
    const localDate = DateTime.fromJSDate(slot, { zone: BERLIN }).toISODate() ?? '';
    if (options.expectNone) await planDueReminders(testApp.database.db, clock.now);
    else await planUntilPlanned(who, localDate, clock.now);
    clock.now = slot;
    const claimed = await claim();
    expect(claimed.status).toBe(200);
    for (const reminder of claimed.body.reminders)
      expect((await confirm(reminder)).status).toBe(200);
    return claimed.body.reminders.filter((r) => r.slackUserId === who.user);
  }

  /** A manager with one item planned on 5 January and reminded about on 12 January at 09:00. */
  async function remindedManager(text = 'Ask Priya what she needs') {
    clock.now = PLANNED_AT;
    const who = await signUp(newManager());
    const itemId = await planItem(who, text);
    const [reminder] = await remindAt(who, REMINDER_DUE);
    if (!reminder) throw new Error('no reminder was sent');
    return { who, itemId, reminderId: reminder.id };
  }

  function answerItem(who: Who, itemId: string, body: Record<string, unknown>) {
    return call<AnswerBody & ApiError>('POST', `/action-items/${itemId}/responses`, {
      as: who,
      body,
    });
  }

  /** One sample's value from /metrics (0 when the series has not been written yet). */
  async function metric(series: string): Promise<number> {
    const text = await (await fetch(`${testApp.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }

  return {
    clock,
    /** The file's test database; there once its beforeAll has run. */
    get database() {
      return testApp.database;
    },
    newManager,
    call,
    signUp,
    planItem,
    claim,
    confirm,
    planUntilPlanned,
    remindAt,
    remindedManager,
    answerItem,
    metric,
  };
}
