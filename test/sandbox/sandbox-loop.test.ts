/**
 * The sandbox's server side, end to end over real HTTP: the page API relays signed Slack
 * payloads to the sandbox's own bot, the emulator stores what the bot sends, and the time
 * machine moves the sandbox clock. The whole manager loop, as the page drives it, for two people
 * in different time zones; the browser test (test/web/sandbox.test.ts) repeats it through the page.
 */
import { describe, expect, it } from 'vitest';
import { setUpTestApp } from '../support/app.ts';
import {
  button,
  initialValues,
  personIn,
  sandboxClient,
  sandboxSession,
  textOf,
  topModal,
  waitForState,
} from '../support/sandbox-client.ts';

const testApp = setUpTestApp({ env: { SANDBOX: 'auto' } });

const until = waitForState;

describe('the sandbox loop, through /sandbox/api', () => {
  it('signs up, delivers a note, plans an action, reminds, takes Done, and shows the streak', async () => {
    const ada = personIn(await sandboxSession(testApp.url), 'Europe/London');
    const sandbox = sandboxClient(testApp.url, ada.userId);

    expect((await sandbox.command('')).status).toBe(200);
    let state = await until(sandbox.state, (s) => s.modals.length === 1, 'the sign-up modal');
    const signup = topModal(state);
    const signed = await sandbox.submit(signup.id, initialValues(signup.blocks));
    expect(signed.status).toBe(200);
    expect(signed.body.errors).toBeUndefined();
    state = await until(sandbox.state, (s) => s.modals.length === 0, 'the modal to close');

    const before = Date.parse(state.clock.now);
    const jumped = await sandbox.jump('next-delivery');
    expect(jumped.status).toBe(200);
    expect(String(jumped.body.what)).toContain('Europe/London');
    expect(Date.parse(String(jumped.body.to))).toBeGreaterThan(before);
    state = await until(
      sandbox.state,
      (s) => s.dm.some((m) => textOf(m.blocks).includes('Plan an action')),
      'the note',
    );
    const note = state.dm.find((m) => textOf(m.blocks).includes('Plan an action'));
    if (!note?.blocks) throw new Error('no note');

    await sandbox.press(
      { type: 'message', messageTs: note.ts },
      button(note.blocks, 'Plan an action'),
    );
    state = await until(sandbox.state, (s) => s.modals.length === 1, 'the plan modal');
    const plan = topModal(state);
    const values = initialValues(plan.blocks);
    const textBlock = Object.keys(values).find((id) => values[id]?.text);
    if (!textBlock) throw new Error('no text input in the plan modal');
    values[textBlock] = {
      text: { type: 'plain_text_input', value: 'Ask Sam to run Friday’s retro' },
    };
    const planned = await sandbox.submit(plan.id, values);
    expect(planned.body.errors).toBeUndefined();
    await until(sandbox.state, (s) => s.modals.length === 0, 'the plan modal to close');

    expect((await sandbox.jump('check-back')).status).toBe(200);
    state = await until(
      sandbox.state,
      (s) => s.dm.some((m) => textOf(m.blocks).includes('Did you do it?')),
      'the reminder',
    );
    const reminder = state.dm.find((m) => textOf(m.blocks).includes('Did you do it?'));
    if (!reminder?.blocks) throw new Error('no reminder');
    expect(textOf(reminder.blocks)).toContain('Ask Sam to run Friday’s retro');
    await sandbox.press(
      { type: 'message', messageTs: reminder.ts },
      button(reminder.blocks, 'Done'),
    );
    // The modal opens at once with a notice and gets its form once the answer is recorded; the
    // Home tab is read after that, or it could be drawn before the Done it should count.
    state = await until(
      sandbox.state,
      (s) => s.modals.length === 1 && textOf(topModal(s).blocks).includes('"type":"input"'),
      'the reflection form',
    );
    await sandbox.call('POST', `/people/${ada.userId}/closings`, { viewId: topModal(state).id });

    await sandbox.homeOpened();
    state = await until(
      sandbox.state,
      (s) => textOf(s.home?.blocks).includes('A streak of'),
      'the streak on the Home tab',
    );
    expect(textOf(state.home?.blocks)).toContain('1 week');
  }, 60_000);

  it("shows a second person's times in their own zone", async () => {
    const ravi = personIn(await sandboxSession(testApp.url), 'Asia/Kolkata');
    const sandbox = sandboxClient(testApp.url, ravi.userId);
    await sandbox.command('');
    const state = await until(sandbox.state, (s) => s.modals.length === 1, 'the sign-up modal');
    const signup = topModal(state);
    expect(textOf(signup.blocks)).toContain('Kolkata');
    await sandbox.submit(signup.id, initialValues(signup.blocks));
    const jumped = await sandbox.jump('next-delivery');
    expect(jumped.status).toBe(200);
    expect(String(jumped.body.what)).toMatch(/09:00 in Asia\/Kolkata/);
  }, 60_000);

  it('answers a jump with nothing scheduled, an unknown person and a bad body with clear 4xx', async () => {
    const tokyo = personIn(await sandboxSession(testApp.url), 'Asia/Tokyo');
    const kenji = sandboxClient(testApp.url, tokyo.userId);
    const nothing = await kenji.jump('next-delivery');
    expect(nothing.status).toBe(409);
    expect(nothing.body).toMatchObject({ code: 'nothing_scheduled' });
    expect(String(nothing.body.message)).toContain("hasn't signed up");
    const stranger = sandboxClient(testApp.url, 'U0NOBODY01');
    expect((await stranger.command('')).body).toMatchObject({ code: 'sandbox_person_not_found' });
    const bad = await kenji.call('POST', `/people/${tokyo.userId}/actions`, {
      container: { type: 'message' },
      action: 'click',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
    const gone = await kenji.press(
      { type: 'message', messageTs: '1.000001' },
      {
        type: 'button',
        action_id: 'x',
        block_id: 'y',
      },
    );
    expect(gone.status).toBe(409);
    expect(gone.body).toMatchObject({ code: 'sandbox_item_gone' });
  });

  it('Reset sandbox forgets everyone and goes back to real time', async () => {
    const london = personIn(await sandboxSession(testApp.url), 'Europe/London');
    const ada = sandboxClient(testApp.url, london.userId);
    const reset = await ada.reset();
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ clock: { offsetMs: 0 } });
    const state = await ada.state();
    expect(state.dm).toEqual([]);
    expect(state.home).toBeNull();
    expect((await ada.jump('next-delivery')).status).toBe(409);
  }, 60_000);
});
