/**
 * Property-based fuzzing of `/slack/events`: requests signed correctly, as Slack signs them, but
 * malformed: slash commands with odd text, block actions with unknown ids and mangled values,
 * view submissions of stale or unknown views, events missing their fields, and bodies that are
 * not what their content type says. The promise: Slack always gets an answer below 500 (Slack
 * shows its own error, and retries, on a 5xx); where Slack shows the manager something (a slash
 * command's response_url, a modal's field errors) it is a friendly text; no listener leaves a
 * promise rejection unhandled or logs an error for input that is merely not ours (a warning is
 * the most it deserves).
 *
 * `npm test` runs it briefly with a fixed seed; FUZZ_RUNS scales it as in test/api/fuzz.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_ACTIONS } from '../../src/bot/blocks/action-items.ts';
import { HOME_ACTIONS } from '../../src/bot/blocks/home.ts';
import { SEND_NOW_ACTION } from '../../src/bot/blocks/messages.ts';
import { DIGEST_ACTIONS, REMINDER_ACTIONS } from '../../src/bot/blocks/reminders.ts';
import { TIME_ZONE_ACTION } from '../../src/bot/blocks/signup-modal.ts';
import { TOPIC_ACTIONS } from '../../src/bot/blocks/topic-message.ts';
import { nastyString } from '../support/openapi-arbitraries.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import type { ViewStateValues } from '../support/slack-payloads.ts';
import type { SlackAppResponse } from '../support/slack-requests.ts';

const TEAM = 'T0SLACKFUZZ';
const USERS = ['U0FUZZA', 'U0FUZZB'];
/** A quarter of the API fuzz's count: each case here runs Bolt, the API and stand-in calls. */
const RUNS = Math.max(50, Math.round(Number(process.env.FUZZ_RUNS ?? 800) / 4));
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);

let harness: SlackHarness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  harness = await startSlackHarness({ teamId: TEAM, clock: () => new Date() });
  for (const id of USERS) harness.standIn.addUser({ id, teamId: TEAM, tz: 'Europe/Berlin' });
});

afterAll(async () => {
  await harness?.close();
  process.off('unhandledRejection', onUnhandled);
});

const actionIds = [
  ...Object.values(ITEM_ACTIONS),
  ...Object.values(HOME_ACTIONS),
  ...Object.values(REMINDER_ACTIONS),
  `${REMINDER_ACTIONS.snoozeDate}:`,
  `${REMINDER_ACTIONS.snoozeDate}:not-a-date`,
  ...Object.values(DIGEST_ACTIONS),
  ...Object.values(TOPIC_ACTIONS),
  SEND_NOW_ACTION,
  TIME_ZONE_ACTION,
];
const callbackIds = ['signup_modal', 'plan_action_modal', 'edit_action_modal', 'reflection_modal'];

const user = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...USERS) },
  { weight: 1, arbitrary: nastyString(20) },
);
const oddText = fc.oneof(
  nastyString(80),
  fc.constantFrom('x'.repeat(5_000), 'help', 'pause', 'stop', '?'),
);
/** What Slack may put in a button's value, and what it should never contain. */
const value = fc.oneof(
  fc.option(oddText, { nil: undefined }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.record({ reminderId: oddText, itemId: oddText }).map((v) => JSON.stringify(v)),
  fc.constantFrom('1', '0', '-1', '99999999999999999999', '1:2', '2026-02-30'),
);
const stateValues: fc.Arbitrary<ViewStateValues> = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'action_text',
      'check_back',
      'check_back_date',
      'note',
      'weekdays',
      'local_time',
      'time_zone',
      'reflection',
    ),
    nastyString(10),
  ),
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('text', 'preset', 'date', 'note', 'weekdays', 'local_time', TIME_ZONE_ACTION),
      nastyString(10),
    ),
    fc.oneof(
      fc.record({
        type: fc.constant('plain_text_input'),
        value: fc.option(oddText, { nil: null }),
      }),
      fc.record({
        type: fc.constant('datepicker'),
        selected_date: fc.option(oddText, { nil: null }),
      }),
      fc.record({
        type: fc.constant('timepicker'),
        selected_time: fc.option(oddText, { nil: null }),
      }),
      fc.record({
        type: fc.constantFrom('static_select', 'external_select', 'radio_buttons'),
        selected_option: fc.option(
          fc.record({ value: oddText, text: fc.constant({ type: 'plain_text', text: 'x' }) }),
          { nil: null },
        ),
      }),
      fc.record({
        type: fc.constant('checkboxes'),
        selected_options: fc.array(fc.record({ value: oddText }), { maxLength: 9 }),
      }),
    ) as fc.Arbitrary<ViewStateValues[string][string]>,
    { maxKeys: 3 },
  ),
  { maxKeys: 4 },
);

type Send = (h: SlackHarness) => Promise<SlackAppResponse>;

/** Words that give an internal failure away; a text a manager is shown has none of them. */
const INTERNAL_WORDS =
  /\b(error|exception|undefined|null|NaN|stack|TypeError|SyntaxError|URIError|ByteString|JSON|is not a function)\b|\[object /i;

/** A text for a person: there is one, and apart from what they typed themselves, it is ours. */
function expectFriendly(text: unknown, typed = ''): void {
  expect(typeof text, `not a text: ${JSON.stringify(text)}`).toBe('string');
  const echo = typed.trim();
  const ours = echo ? String(text).split(echo).join('') : String(text);
  expect(ours.trim()).not.toBe('');
  expect(ours).not.toMatch(INTERNAL_WORDS);
}

/**
 * What a slash command shows: a message through its response_url, or the modal it opened with
 * its trigger id. The listener works after the ack, so this waits for one of the two.
 */
async function expectCommandAnswered(
  h: SlackHarness,
  sent: { responseUrl: string; triggerId: string },
  typed: string,
): Promise<void> {
  const shown = await Promise.race([
    h.standIn
      .waitForResponseUrlPost((post) => post.url === sent.responseUrl)
      .then((post) => post.body as { text?: unknown }),
    h.standIn
      .waitForCall('views.open', (call) => call.args.trigger_id === sent.triggerId)
      .then(() => undefined),
  ]);
  if (shown) expectFriendly(shown.text, typed);
}

/** A modal's submission answered with field errors shows each beside its field. */
function expectFriendlyFieldErrors(response: SlackAppResponse): void {
  if (response.status !== 200 || response.body === '') return;
  const answer = response.json() as { response_action?: string; errors?: Record<string, unknown> };
  if (answer.response_action !== 'errors') return;
  expect(Object.keys(answer.errors ?? {})).not.toEqual([]);
  for (const text of Object.values(answer.errors ?? {})) expectFriendly(text);
}

/** A request to send, printed as its input when fast-check reports a counterexample. */
function sending(input: unknown, send: Send): Send {
  return Object.assign(send, { [fc.toStringMethod]: () => fc.stringify(input) });
}

const slashCommand: fc.Arbitrary<Send> = fc
  .record({ command: fc.constantFrom('/blindspot', '/unknown'), text: oddText, userId: user })
  .map((input) =>
    sending(input, async (h) => {
      const response = await h.slack.slashCommand(input);
      // '/unknown' is not ours: Slack would never send it to this app.
      if (input.command === '/blindspot' && response.status === 200) {
        await expectCommandAnswered(h, response, input.text);
      }
      return response;
    }),
  );

const blockActions: fc.Arbitrary<Send> = fc
  .record({
    userId: user,
    actionId: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...actionIds) },
      { weight: 1, arbitrary: nastyString(30) },
    ),
    value,
    actionType: fc.constantFrom('button', 'static_select', 'datepicker', 'overflow'),
    inView: fc.boolean(),
    privateMetadata: fc.oneof(oddText, value.map(String)),
    callbackId: fc.constantFrom(...callbackIds, 'stale_view'),
  })
  .map((input) =>
    sending(input, (h) =>
      h.slack.blockActions({
        userId: input.userId,
        actionId: input.actionId,
        value: input.value,
        actionType: input.actionType,
        ...(input.inView && {
          view: { callbackId: input.callbackId, privateMetadata: input.privateMetadata },
        }),
      }),
    ),
  );

const viewSubmission: fc.Arbitrary<Send> = fc
  .record({
    userId: user,
    callbackId: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...callbackIds) },
      { weight: 1, arbitrary: nastyString(30) },
    ),
    values: stateValues,
    privateMetadata: fc.oneof(oddText, value.map(String)),
  })
  .map((input) =>
    sending(input, async (h) => {
      const response = await h.slack.viewSubmission(input);
      expectFriendlyFieldErrors(response);
      return response;
    }),
  );

const event: fc.Arbitrary<Send> = fc
  .record({
    type: fc.constantFrom(
      'message',
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
      'reaction_added',
      'nope',
    ),
    fields: fc.record(
      {
        user,
        text: oddText,
        channel: fc.oneof(fc.constantFrom('D0FUZZ', 'C0GENERAL01'), nastyString(12)),
        channel_type: fc.constantFrom('im', 'channel', 'mpim'),
        subtype: fc.constantFrom(
          'message_changed',
          'message_deleted',
          'bot_message',
          'file_share',
          'weird',
        ),
        ts: fc.oneof(fc.constant('1733400000.000100'), oddText),
        thread_ts: fc.oneof(fc.constant('1733400000.000100'), oddText),
        tab: fc.constantFrom('home', 'messages', 'about'),
        message: fc.jsonValue({ maxDepth: 2 }),
        tokens: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ type, fields }) =>
    sending({ ...fields, type }, (h) => h.slack.event({ ...fields, type })),
  );

/** Signed bodies that are not what a Slack request should be. */
const malformed: fc.Arbitrary<Send> = fc
  .oneof(
    fc
      .constantFrom(
        'payload=',
        'payload=%7B',
        'payload=null',
        'payload=%5B%5D',
        'payload=1',
        'a=1',
        '',
      )
      .map((body) => ({
        body,
        contentType: 'application/x-www-form-urlencoded',
      })),
    fc
      .constantFrom(
        '',
        '{',
        'null',
        '[]',
        '"x"',
        '{"type":"event_callback"}',
        '{"type":"event_callback","event":null}',
        '{"type":"url_verification"}',
        '{"type":"block_actions"}',
      )
      .map((body) => ({ body, contentType: 'application/json' })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({
      body: `payload=${encodeURIComponent(JSON.stringify(v))}`,
      contentType: 'application/x-www-form-urlencoded',
    })),
    fc
      .record(
        {
          type: fc.constantFrom(
            'block_actions',
            'view_submission',
            'view_closed',
            'shortcut',
            'message_action',
            'block_suggestion',
          ),
          team: fc.jsonValue({ maxDepth: 1 }),
          user: fc.jsonValue({ maxDepth: 1 }),
          actions: fc.jsonValue({ maxDepth: 2 }),
          view: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: ['type'] },
      )
      .map((v) => ({
        body: `payload=${encodeURIComponent(JSON.stringify(v))}`,
        contentType: 'application/x-www-form-urlencoded',
      })),
    fc
      .constantFrom('text/plain', 'application/xml', 'multipart/form-data')
      .map((contentType) => ({ body: 'payload=%7B%7D', contentType })),
  )
  .map((input) => sending(input, (h) => h.slack.raw(input)));

describe('the Slack endpoint under fuzzed, correctly signed requests', () => {
  it('answers every one below 500, shows managers only friendly texts, and logs no error and no unhandled rejection', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(slashCommand, blockActions, viewSubmission, event, malformed),
        async (send) => {
          const response = await send(harness);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) {
            throw new Error(
              `${response.status} for ${response.sent.body.slice(0, 500)}: ${response.body.slice(0, 200)}`,
            );
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    // Most were acknowledged: the fuzz reached the listeners, not only the request checks.
    const acknowledged = statuses.get(200) ?? 0;
    expect(acknowledged, JSON.stringify(Object.fromEntries(statuses))).toBeGreaterThan(RUNS / 2);
    // Work started after the ack has finished once the process has nothing in flight.
    await expect
      .poll(() => harness.app.logs.lines.filter((l) => /unhandled/i.test(String(l.msg))).length)
      .toBe(0);
    expect(unhandled).toEqual([]);
    // Malformed input is not a fault: nothing at error level, from the listeners or anywhere.
    const errors = harness.app.logs.lines
      .filter((line) => line.level === 'error' || line.level === 'fatal')
      .map((line) => `${String(line.component)}: ${String(line.msg)}`);
    expect(errors).toEqual([]);
  }, 600_000);
});
