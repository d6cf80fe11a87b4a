/**
 * The sandbox under the input a hand-edited page, a double click or a second tab sends: the
 * bot handles it as it handles real Slack traffic (signed by the relay, checked by the bot),
 * nothing answers 5xx, and every open tab hears about changes over server-sent events.
 */
import { describe, expect, it } from 'vitest';
import { setUpTestApp } from '../support/app.ts';
import {
  button,
  initialValues,
  personIn,
  sandboxClient,
  sandboxSession,
  topModal,
  waitForState,
} from '../support/sandbox-client.ts';

const testApp = setUpTestApp({ env: { SANDBOX: 'auto' } });

/** Reads a person's event stream until `count` change events arrived; returns their scopes. */
async function changes(userId: string, count: number, during: () => Promise<unknown>) {
  const controller = new AbortController();
  const response = await fetch(`${testApp.url}/sandbox/api/people/${userId}/events`, {
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const scopes: string[] = [];
  let buffer = '';
  await during();
  const deadline = AbortSignal.timeout(15_000);
  while (scopes.length < count && !deadline.aborted) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (const match of buffer.matchAll(/event: change\ndata: (.+)\n\n/g)) {
      scopes.push((JSON.parse(match[1] as string) as { scope: string }).scope);
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
  }
  controller.abort();
  return scopes;
}

describe('the sandbox under bad input', () => {
  it('tells every tab of a person what changed, over server-sent events', async () => {
    const maya = personIn(await sandboxSession(testApp.url), 'America/New_York');
    const sandbox = sandboxClient(testApp.url, maya.userId);
    const [first, second] = await Promise.all([
      changes(maya.userId, 1, async () => {}),
      changes(maya.userId, 1, () => sandbox.command('')),
    ]);
    expect(first).toContain('modals');
    expect(second).toContain('modals');
    const state = await waitForState(sandbox.state, (s) => s.modals.length === 1, 'the modal');
    await sandbox.call('POST', `/people/${maya.userId}/closings`, { viewId: topModal(state).id });
  });

  it('handles a double click and a hand-edited button as Slack traffic: no 5xx, no crash', async () => {
    const kenji = personIn(await sandboxSession(testApp.url), 'Asia/Tokyo');
    const sandbox = sandboxClient(testApp.url, kenji.userId);
    await sandbox.command('');
    let state = await waitForState(sandbox.state, (s) => s.modals.length === 1, 'the modal');
    const signup = topModal(state);
    // Two tabs submit the same window: the first signs up, the second finds it closed.
    const answers = await Promise.all([
      sandbox.submit(signup.id, initialValues(signup.blocks)),
      sandbox.submit(signup.id, initialValues(signup.blocks)),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual(
      answers.some((a) => a.status === 409) ? [200, 409] : [200, 200],
    );
    for (const answer of answers) expect(answer.status).toBeLessThan(500);
    state = await waitForState(
      sandbox.state,
      (s) => s.dm.some((m) => m.text.includes("You're signed up")),
      'the confirmation',
    );
    const confirmation = state.dm.find((m) => m.text.includes("You're signed up"));
    if (!confirmation?.blocks) throw new Error('no sign-up confirmation');
    const sendNow = button(confirmation.blocks, 'Send me one now');
    const container = { type: 'message', messageTs: confirmation.ts };
    const clicks = await Promise.all([
      sandbox.press(container, sendNow),
      sandbox.press(container, sendNow),
    ]);
    for (const click of clicks) expect(click.status).toBe(200);

    // A hand-edited page: a reminder button whose value is not what the bot put there.
    const forged = await sandbox.press(container, {
      type: 'button',
      action_id: 'reminder_done',
      block_id: 'forged',
      value: '{"reminderId": 42, <script>',
    });
    expect(forged.status).toBe(200);
    const nonsense = await sandbox.press(container, {
      type: 'not_a_real_element',
      action_id: '',
      block_id: '',
    });
    expect(nonsense.status).toBeLessThan(500);
    const errors = testApp.logs.lines.filter((line) => (line.level as number) >= 50);
    expect(errors).toEqual([]);
  }, 60_000);
});
