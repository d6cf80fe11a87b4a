/**
 * The bot's views under a workspace's settings (issue 15, item 6), and the App Home's account of
 * what admins can see. Pure builders: the API round trip is in test/api/admin-settings.test.ts.
 */
import type { InputBlock, SectionBlock, StaticSelect } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  ACTION_BLOCKS,
  buildActionModal,
  parseActionSubmission,
} from '../../src/bot/blocks/action-modal.ts';
import { buildHome } from '../../src/bot/blocks/home.ts';
import { buildSignupModal, SIGNUP_BLOCKS } from '../../src/bot/blocks/signup-modal.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { initialState } from '../../web/src/block-kit/index.ts';

const NOW = new Date('2026-01-12T10:00:00.000Z');

function input(blocks: readonly unknown[], blockId: string): InputBlock {
  const block = (blocks as InputBlock[]).find((b) => b.block_id === blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block;
}

describe('the sign-up modal under workspace defaults', () => {
  it('when a manager signs up for the first time, then the workspace’s days and time are offered', () => {
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: [],
      now: NOW,
      defaults: { weekdays: [2, 4], localTime: '10:30' },
      voice: voiceFor(),
    });
    const days = input(view.blocks, SIGNUP_BLOCKS.weekdays).element as {
      initial_options: Array<{ value: string }>;
    };
    expect(days.initial_options.map((o) => o.value)).toEqual(['2', '4']);
    expect(input(view.blocks, SIGNUP_BLOCKS.localTime).element).toMatchObject({
      initial_time: '10:30',
    });
  });
});

describe('the plan-an-action modal under a check-back default', () => {
  const voice = voiceFor({ locale: 'en-US' });
  const preset = (checkBackDays?: number) =>
    input(buildActionModal({ context: {}, checkBackDays, voice }).blocks, ACTION_BLOCKS.checkBack)
      .element as StaticSelect;

  it('when the default matches a preset, then that preset is chosen', () => {
    expect(preset(14).initial_option?.value).toBe('2w');
    expect(preset(3).initial_option?.value).toBe('3d');
    expect(preset().initial_option?.value).toBe('1w');
    // Two days is no longer a preset (issue 17 made it three): an option of its own.
    expect(preset(2).initial_option?.text.text).toBe('In 2 days');
  });

  it('when the default is no preset, then an option of its own is chosen, and submitting it leaves the date to the API', () => {
    const menu = preset(10);
    expect(menu.initial_option?.text.text).toBe('In 10 days');
    const view = buildActionModal({ context: {}, checkBackDays: 10, voice });
    const state = initialState(view.blocks);
    state[ACTION_BLOCKS.text] = { text: { type: 'plain_text_input', value: 'Ask the team' } };
    expect(parseActionSubmission(state, [], voice)).toEqual({ text: 'Ask the team', note: '' });
  });
});

describe('the App Home', () => {
  it('when a manager has never signed up, then it says what admins can and cannot see', () => {
    const texts = buildHome(undefined, voiceFor())
      .blocks.filter((b): b is SectionBlock => b.type === 'section')
      .map((b) => b.text?.text ?? '');
    const said = texts.find((t) => t.startsWith('*What your admins can see*')) ?? '';
    expect(said).toContain('fewer than k');
    expect(said).toContain('never below 3');
    expect(said).toMatch(/Never your action items, your answers to reminders or your reflections/);
  });
});
