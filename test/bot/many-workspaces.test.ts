/**
 * Workspace isolation with Add to Slack (issue 16, item 5): three installed workspaces go through
 * the whole loop at the same time (sign-up, the first note, an action planned in the note's
 * thread, the reminder a week later answered with Done and a reflection, the App Home's history)
 * through the stand-in, on an injected clock. Every Slack call the bot makes must carry the token
 * of the team it acts in, and no API answer the bot gets for one team, nor anything it sends to
 * Slack for that team, may hold another team's people, words or deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_LOOKAHEAD_MS, planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import { generateKeyEntry } from '../../src/core/secrets/keyring.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { addToSlack, addToSlackEnv } from '../support/add-to-slack.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { answerOf, type RecordedCall, signupModalValues } from '../support/slack-harness.ts';
import { createSlackRequester, type SlackRequester } from '../support/slack-requests.ts';

const TEAMS = ['T0ALPHA', 'T0BRAVO', 'T0CHARLIE'] as const;
type Team = (typeof TEAMS)[number];
const userOf = (team: string) => `U0${team.slice(2)}`;
// Reads as a plan ("I will…"), so the reply is saved as an action at once, not asked about.
const actionOf = (team: string) => `I will ask each report of ${team} what slows them down`;
const reflectionOf = (team: string) => `Reflection of ${team}: two of them named the same meeting`;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the bot's API client got back for a team: every call it makes for a Slack request. */
interface SeenAnswer {
  team: string;
  path: string;
  body: string;
}

let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let clock = new Date();
const seen: SeenAnswer[] = [];

/** Every API answer the bot reads on a team's behalf passes through here. */
function watching(apiFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const team = request.headers.get('x-slack-team-id');
    const response = await apiFetch(input, init);
    if (team) {
      const path = new URL(request.url).pathname;
      seen.push({ team, path, body: await response.clone().text() });
    }
    return response;
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  standIn = await startSlackStandIn();
  app = await startTestApp({
    databaseUrl: database.url,
    clock: () => clock,
    env: addToSlackEnv(standIn, TEST_SIGNING_SECRET, generateKeyEntry('k1')),
    wrapApiFetch: watching,
  });
});

afterAll(async () => {
  await app?.close();
  await standIn?.close();
  await database?.drop();
});

const requesters = new Map<string, SlackRequester>();
const slackOf = (team: string): SlackRequester => {
  let slack = requesters.get(team);
  if (!slack) {
    slack = createSlackRequester({
      baseUrl: app.url,
      signingSecret: TEST_SIGNING_SECRET,
      teamId: team,
      standIn,
      now: () => clock,
    });
    requesters.set(team, slack);
  }
  return slack;
};

/** The team a recorded call acted in: the team it names, or that of its user or DM channel. */
function teamOfCall(call: RecordedCall, triggers: Map<string, string>): string | undefined {
  const { args } = call;
  if (typeof args.team_id === 'string') return args.team_id;
  const trigger = triggers.get(String(args.trigger_id ?? ''));
  if (trigger) return trigger;
  const named = [args.user_id, args.user, args.users, args.channel].map((v) => String(v ?? ''));
  for (const team of TEAMS) {
    const user = userOf(team);
    if (named.includes(user) || named.includes(standIn.dmChannelIdFor(user))) return team;
  }
  return undefined;
}

const deliveryIdOf = (call: RecordedCall) =>
  (call.args.metadata as { event_payload?: { delivery_id?: string } } | undefined)?.event_payload
    ?.delivery_id;

/** The value of a message button, which carries what it acts on. */
function buttonValue(call: RecordedCall, actionId: string): string {
  const actions = (
    call.args.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string; value?: string }>;
    }>
  ).find((b) => b.type === 'actions');
  return String(actions?.elements?.find((e) => e.action_id === actionId)?.value);
}

async function waitForSql(sql: string, expected: number) {
  await expect
    .poll(async () => (await database.pool.query(sql)).rows[0].n, { timeout: 15_000 })
    .toBe(expected);
}

/** Whoever opens the App Home, signs up, and gets the welcome DM; returns the triggers used. */
async function signUp(team: Team, triggers: Map<string, string>) {
  const userId = userOf(team);
  standIn.addUser({ id: userId, teamId: team, tz: 'Europe/Berlin' });
  const slack = slackOf(team);
  const command = await slack.slashCommand({ command: '/blindspot', userId });
  expect(command.status).toBe(200);
  triggers.set(command.triggerId, team);
  await standIn.waitForCall('views.open', (c) => c.args.trigger_id === command.triggerId);
  await slack.event({ type: 'app_home_opened', user: userId, tab: 'home' });
  const submitted = await slack.viewSubmission({
    userId,
    callbackId: 'signup_modal',
    values: signupModalValues({
      weekdays: [1, 2, 3, 4, 5],
      localTime: '09:00',
      timeZone: 'Europe/Berlin',
    }),
  });
  triggers.set(submitted.triggerId, team);
  expect(submitted.body).toBe('');
  await standIn.waitForCall('chat.postMessage', (c) => c.args.channel === userId);
}

/** Replies in the note's thread with the action planned; resolves with the bot's confirmation. */
async function planAction(team: Team, note: RecordedCall) {
  const userId = userOf(team);
  const answer = answerOf(note) as { channel: string; ts: string };
  const confirmed = standIn.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === answer.channel && c.args.thread_ts === answer.ts,
  );
  const replied = await slackOf(team).event({
    type: 'message',
    channel_type: 'im',
    channel: answer.channel,
    user: userId,
    text: actionOf(team),
    ts: `${Math.floor(clock.getTime() / 1000)}.000101`,
    thread_ts: answer.ts,
  });
  // The listener's last step is marking the note; the clock may move on only after it, since
  // the bot's API calls are signed with the clock and one signed a week earlier is refused.
  const noteMarked = standIn.waitForCall(
    'chat.update',
    (c) => c.args.channel === answer.channel && c.args.ts === answer.ts,
  );
  expect(replied.status).toBe(200);
  await noteMarked;
  return confirmed;
}

/** Done on the reminder, then the reflection in the modal it opens. */
async function answerReminder(team: Team, reminder: RecordedCall, triggers: Map<string, string>) {
  const userId = userOf(team);
  const slack = slackOf(team);
  const clicked = await slack.blockActions({
    userId,
    actionId: 'reminder_done',
    value: buttonValue(reminder, 'reminder_done'),
    messageTs: (answerOf(reminder) as { ts: string }).ts,
    message: { blocks: reminder.args.blocks, text: reminder.args.text },
  });
  expect(clicked.status).toBe(200);
  triggers.set(clicked.triggerId, team);
  const opened = await standIn.waitForCall(
    'views.open',
    (c) => c.args.trigger_id === clicked.triggerId,
  );
  // The modal opens at once with a notice, then gets its form by views.update on the same view.
  const openedId = (opened.response.body as { view?: { id?: string } }).view?.id;
  const filled = await standIn.waitForCall('views.update', (c) => c.args.view_id === openedId);
  const view = filled.args.view as { callback_id: string; private_metadata: string };
  expect(view.callback_id).toBe('reflection_modal');
  expect(view.private_metadata).not.toBe('');
  const submitted = await slack.viewSubmission({
    userId,
    callbackId: 'reflection_modal',
    privateMetadata: view.private_metadata,
    values: {
      reflection: { text: { type: 'plain_text_input', value: reflectionOf(team) } },
      usefulness: { score: { type: 'radio_buttons', selected_option: { value: '4' } } },
    } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'],
  });
  triggers.set(submitted.triggerId, team);
  expect(submitted.body).toBe('');
  const home = standIn.waitForCall(
    'views.publish',
    (c) => c.args.user_id === userId && JSON.stringify(c.args.view).includes(reflectionOf(team)),
  );
  await slack.event({ type: 'app_home_opened', user: userId, tab: 'home' });
  return home;
}

describe('three workspaces at once', () => {
  it('run the whole loop concurrently, each with its own token and only its own data', async () => {
    await Promise.all(
      TEAMS.map(async (team) => {
        const installed = await addToSlack(app.url, standIn, team);
        expect(installed.status).toBe(200);
      }),
    );
    const tokenOf = new Map(standIn.installs.tokens.map((t) => [t.teamId, t.token]));
    expect(new Set(tokenOf.values()).size).toBe(3);
    const before = standIn.calls.length;
    const triggers = new Map<string, string>();

    await Promise.all(TEAMS.map((team) => signUp(team, triggers)));

    // One planner run plans the three notes, due the same minute; the bot sends them together.
    const due = await database.pool.query(
      "SELECT min(next_due_at) AS due FROM subscriptions WHERE status = 'active'",
    );
    const dueAt = due.rows[0].due as Date;
    await planDueDeliveries(database.db, new Date(dueAt.getTime() - PLAN_LOOKAHEAD_MS + 60_000));
    clock = dueAt;
    await waitForSql("SELECT count(*)::int AS n FROM deliveries WHERE status = 'sent'", 3);
    const notes = new Map(
      TEAMS.map((team) => {
        const note = standIn
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === userOf(team) && deliveryIdOf(c));
        if (!note) throw new Error(`no note for ${team}`);
        return [team, note];
      }),
    );

    await Promise.all(TEAMS.map((team) => planAction(team, notes.get(team) as RecordedCall)));
    await waitForSql('SELECT count(*)::int AS n FROM action_items', 3);

    // A week on, four minutes before the usual time, the planners run; the reminders go at it.
    clock = new Date(dueAt.getTime() + 7 * DAY_MS - 4 * 60_000);
    expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 3 });
    await planDueDeliveries(database.db, clock);
    clock = new Date(dueAt.getTime() + 7 * DAY_MS);
    const reminders = await Promise.all(
      TEAMS.map((team) =>
        standIn.waitForCall(
          'chat.postMessage',
          (c) =>
            [userOf(team), standIn.dmChannelIdFor(userOf(team))].includes(String(c.args.channel)) &&
            String(c.args.text).includes('Did you do it?'),
          { timeoutMs: 15_000 },
        ),
      ),
    );
    // Confirmed first: a clock moved on before would let the outbox's leases lapse.
    await waitForSql("SELECT count(*)::int AS n FROM reminders WHERE status = 'sent'", 3);
    await waitForSql("SELECT count(*)::int AS n FROM deliveries WHERE status = 'sent'", 6);
    clock = new Date(clock.getTime() + 2 * 60 * 60_000);
    await Promise.all(
      TEAMS.map((team, i) => answerReminder(team, reminders[i] as RecordedCall, triggers)),
    );
    await waitForSql("SELECT count(*)::int AS n FROM responses WHERE answer = 'done'", 3);

    // (a) Every Slack call used the token of the team it acted in.
    const calls = standIn.calls.slice(before);
    // Concurrency made nobody's request fail: no apology was sent.
    expect(calls.filter((c) => String(c.args.text).includes('could not do that'))).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(3 * 10);
    for (const call of calls) {
      const team = teamOfCall(call, triggers);
      expect(team, `${call.method} ${JSON.stringify(call.args).slice(0, 120)}`).toBeDefined();
      expect(call.token, `${call.method} for ${team}`).toBe(tokenOf.get(team ?? ''));
    }
    for (const method of ['chat.postMessage', 'views.open', 'views.publish']) {
      for (const team of TEAMS) {
        expect(calls.some((c) => c.method === method && teamOfCall(c, triggers) === team)).toBe(
          true,
        );
      }
    }

    // (b) Nothing a team's bot read from the API or sent to Slack holds another team's data.
    const deliveryIds = new Map(
      TEAMS.map((team) => [
        team,
        calls
          .filter((c) => teamOfCall(c, triggers) === team)
          .map(deliveryIdOf)
          .filter(Boolean),
      ]),
    );
    const marksOf = (team: Team) => [
      team,
      userOf(team),
      actionOf(team),
      reflectionOf(team),
      // Delivery ids are short numbers: looked for as the fields that carry them.
      ...(deliveryIds.get(team) as string[]).flatMap((id) => [
        `"delivery_id":"${id}"`,
        `"deliveryId":"${id}"`,
      ]),
    ];
    for (const team of TEAMS) expect((deliveryIds.get(team) as string[]).length).toBeGreaterThan(0);
    const byTeam = [
      ...seen.map((answer) => ({
        team: answer.team,
        what: `API ${answer.path}`,
        text: answer.body.replaceAll('\\', ''),
      })),
      ...calls.map((call) => ({
        team: teamOfCall(call, triggers) ?? '',
        what: `Slack ${call.method}`,
        // Unescaped, so ids inside JSON-encoded button values and metadata are found too.
        text: JSON.stringify({ args: call.args, body: call.response.body }).replaceAll('\\', ''),
      })),
    ];
    // The API answers the bot read include each team's own action and reflection.
    for (const team of TEAMS) {
      expect(seen.some((a) => a.team === team && a.body.includes(actionOf(team)))).toBe(true);
    }
    for (const { team, what, text } of byTeam) {
      for (const other of TEAMS.filter((t) => t !== team)) {
        for (const mark of marksOf(other)) {
          expect(text.includes(mark), `${what} for ${team} holds ${mark}`).toBe(false);
        }
      }
    }
  });
});
