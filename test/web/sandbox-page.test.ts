/**
 * The sandbox page's own rules, without a browser: what the composer makes of typed text, how
 * the DM is grouped into threads, how times read in the person's zone, and what a modal keeps
 * when the bot updates it. The whole page is exercised against the server in
 * test/sandbox/sandbox-loop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../web/sandbox/src/api/client.ts';
import {
  commandHints,
  parseComposerText,
  SUBCOMMANDS,
} from '../../web/sandbox/src/app-page/composer-text.ts';
import { groupThreads } from '../../web/sandbox/src/app-page/threads.ts';
import { keepEntered } from '../../web/sandbox/src/app-page/view-state.ts';
import { dateOfTs, dayAndTime, messageTime } from '../../web/sandbox/src/time.ts';

describe('the composer', () => {
  it('sends /blindspot and its subcommands as the command, with the text after it', () => {
    expect(parseComposerText('/blindspot')).toEqual({ kind: 'command', text: '' });
    expect(parseComposerText('  /blindspot   pause ')).toEqual({ kind: 'command', text: 'pause' });
    expect(parseComposerText('/Blindspot History')).toEqual({ kind: 'command', text: 'History' });
  });

  it('sends anything else as a DM, and refuses other slash commands rather than post them', () => {
    expect(parseComposerText('hello /blindspot')).toEqual({
      kind: 'message',
      text: 'hello /blindspot',
    });
    expect(parseComposerText('/blindspotx')).toEqual({
      kind: 'unknown-command',
      name: '/blindspotx',
    });
    expect(parseComposerText('/giphy cats')).toEqual({ kind: 'unknown-command', name: '/giphy' });
  });

  it('hints the subcommands that what is typed could become, and nothing for plain text', () => {
    expect(commandHints('/')).toEqual(SUBCOMMANDS);
    expect(commandHints('/blindspot pa').map((hint) => hint.text)).toEqual(['/blindspot pause']);
    expect(commandHints('/blindspot   h').map((hint) => hint.text)).toEqual([
      '/blindspot history',
      '/blindspot help',
    ]);
    expect(commandHints('/giphy')).toEqual([]);
    expect(commandHints('hello')).toEqual([]);
  });
});

const BOT = 'U0SANDBOT1';
const ADA = 'U0SBADA001';
const message = (ts: string, extra: Partial<Message> = {}): Message => ({
  ts,
  channel: 'D0SBADA001',
  user: BOT,
  text: `message ${ts}`,
  ...extra,
});

describe("the DM's threads", () => {
  it('puts replies under their parent, in order, and keeps the top level in order', () => {
    const threads = groupThreads([
      message('100.000001', { threadTs: '100.000001' }),
      message('200.000001'),
      message('300.000001', { user: ADA, threadTs: '100.000001' }),
      message('400.000001', { threadTs: '100.000001' }),
    ]);
    expect(threads.map((thread) => thread.parent.ts)).toEqual(['100.000001', '200.000001']);
    expect(threads[0]?.replies.map((reply) => reply.ts)).toEqual(['300.000001', '400.000001']);
    expect(threads[1]?.replies).toEqual([]);
  });

  it('shows a reply whose parent is not in the DM on its own rather than losing it', () => {
    const threads = groupThreads([message('300.000001', { threadTs: '100.000001' })]);
    expect(threads.map((thread) => thread.parent.ts)).toEqual(['300.000001']);
  });
});

describe("times in the person's zone", () => {
  // Monday 7 December 2026, 08:59 UTC.
  const monday = new Date('2026-12-07T08:59:00Z');

  it('reads the sandbox clock as Slack shows it, in London and in Kolkata', () => {
    expect(dayAndTime(monday, 'Europe/London')).toBe('Mon 7 Dec, 08:59');
    expect(dayAndTime(monday, 'Asia/Kolkata')).toBe('Mon 7 Dec, 14:29');
    expect(dayAndTime(new Date('2026-12-07T23:30:00Z'), 'Asia/Tokyo')).toBe('Tue 8 Dec, 08:30');
  });

  it("shows a message's time alone on the same local day, and with its day otherwise", () => {
    const sent = dateOfTs(String(Date.parse('2026-12-06T21:00:00Z') / 1000));
    expect(messageTime(sent, monday, 'Europe/London')).toBe('Sun 6 Dec, 21:00');
    // 02:30 on Monday in Tokyo: the same local day as Monday 17:59 there.
    expect(messageTime(new Date('2026-12-06T17:30:00Z'), monday, 'Asia/Tokyo')).toBe('02:30');
  });

  it("reads a Slack ts's microseconds without losing the second", () => {
    expect(dateOfTs('1796633940.000100').toISOString()).toBe('2026-12-07T08:59:00.000Z');
  });
});

describe('a modal updated by the bot', () => {
  it('keeps what the person entered in inputs the update kept, and takes new ones fresh', () => {
    const kept = keepEntered(
      {
        when: { day: { type: 'static_select', selected_option: null } },
        note: { text: { type: 'plain_text_input', value: 'from the bot' } },
      },
      {
        when: {
          day: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Monday' }, value: 'mon' },
          },
        },
        gone: { old: { type: 'plain_text_input', value: 'dropped' } },
      },
    );
    expect(kept).toEqual({
      when: {
        day: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Monday' }, value: 'mon' },
        },
      },
      note: { text: { type: 'plain_text_input', value: 'from the bot' } },
    });
  });
});
