/**
 * Every message, modal and App Home the bot can build, rendered by the Block Kit renderer the
 * sandbox and the topic preview use (web/src/block-kit). A new block or element in the bot
 * that the renderer doesn't know fails here, instead of showing as a placeholder in the sandbox.
 * The views come from the bot's own builders (src/bot/blocks), with data that takes each branch.
 */
import { MantineProvider } from '@mantine/core';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseActionSubmission } from '../../src/bot/blocks/action-modal.ts';
import { parseSignupSubmission } from '../../src/bot/blocks/signup-modal.ts';
import { LANGUAGES, type Voice, voiceFor } from '../../src/bot/i18n/index.ts';
import {
  BlockKit,
  initialState,
  Mrkdwn,
  plainText,
  unsupportedParts,
} from '../../web/src/block-kit/index.ts';
import { NOW } from './block-kit-samples.ts';
import { messages as coreMessages, textMessages } from './block-kit-samples-messages.ts';
import { undoHomeViews, undoMessages } from './block-kit-samples-undo.ts';
import { homeViews as coreHomeViews, modals } from './block-kit-samples-views.ts';
import { LIMITS, overLimits } from './slack-limits.ts';

const messages = (voice?: Voice) => [...coreMessages(voice), ...undoMessages(voice)];
const homeViews = (voice?: Voice) => [...coreHomeViews(voice), ...undoHomeViews(voice)];

const PLACEHOLDER = "isn't shown in the sandbox";
const USERS = { U0ADA: 'Ada Lovelace' };

function html(element: ReturnType<typeof createElement>): string {
  return renderToString(createElement(MantineProvider, null, element)).replace(
    /<style[^>]*>[\s\S]*?<\/style>/g,
    '',
  );
}

function renderBlocks(blocks: readonly unknown[], errors?: Record<string, string>): string {
  return html(
    createElement(BlockKit, {
      blocks,
      state: initialState(blocks),
      onStateChange: () => {},
      onAction: () => {},
      loadOptions: async () => [],
      users: USERS,
      errors,
    }),
  );
}

/** The text a reader sees: tags dropped, React's escapes decoded. */
function visible(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

type Json = Record<string, unknown>;
const asJson = (value: unknown): Json => (value ?? {}) as Json;

/**
 * The words each block must show: headers, labels, hints, buttons and the options of radios
 * and checkboxes as written, with their descriptions; mrkdwn as <Mrkdwn> shows it on its own.
 */
function expectedWords(blocks: readonly unknown[]): string[] {
  const words: string[] = [];
  const text = (value: unknown) => {
    const object = asJson(value);
    if (typeof object.text !== 'string') return;
    words.push(
      object.type === 'mrkdwn'
        ? visible(html(createElement(Mrkdwn, { text: object.text, users: USERS })))
        : plainText(object),
    );
  };
  const element = (value: unknown) => {
    const object = asJson(value);
    if (object.type === 'button') text(object.text);
    if (object.type === 'mrkdwn' || object.type === 'plain_text') text(object);
    if (object.type === 'radio_buttons' || object.type === 'checkboxes')
      for (const option of (object.options as unknown[]).map(asJson)) {
        text(option.text);
        if (option.description !== undefined) text(option.description);
      }
  };
  for (const block of blocks.map(asJson)) {
    text(block.text);
    for (const field of (block.fields as unknown[] | undefined) ?? []) text(field);
    if (block.label !== undefined) text(block.label);
    if (block.hint !== undefined) text(block.hint);
    for (const child of (block.elements as unknown[] | undefined) ?? []) element(child);
    if (block.accessory !== undefined) element(block.accessory);
    if (block.element !== undefined) element(block.element);
  }
  return words.map((word) => word.trim()).filter(Boolean);
}

function expectFullyRendered(
  name: string,
  blocks: readonly unknown[],
  errors?: Record<string, string>,
) {
  expect(unsupportedParts(blocks), name).toEqual([]);
  const markup = renderBlocks(blocks, errors);
  expect(markup, name).not.toContain(PLACEHOLDER);
  const shown = visible(markup);
  for (const word of expectedWords(blocks)) expect(shown, `${name}: ${word}`).toContain(word);
  for (const error of Object.values(errors ?? {})) expect(shown, name).toContain(error);
  return markup;
}

describe('every surface the bot builds renders without a placeholder', () => {
  it.each(messages())('message: $name', ({ name, blocks }) => {
    expectFullyRendered(name, blocks);
  });

  it.each(modals())('modal: $name', ({ name, view, errors }) => {
    expectFullyRendered(name, view.blocks, errors);
    expect(plainText(view.title), name).not.toBe('');
    expect(plainText(view.submit), name).not.toBe('');
    expect(plainText(view.close), name).not.toBe('');
  });

  it.each(homeViews())('App Home: $name', ({ name, view }) => {
    expectFullyRendered(name, view.blocks);
  });

  it.each(textMessages())('text-only message: $name', ({ name, text }) => {
    const shown = visible(html(createElement(Mrkdwn, { text, users: USERS })));
    expect(shown, name).not.toBe('');
    // The bot's own texts use * and ` only as markup: none may be left showing.
    expect(shown, name).not.toMatch(/[*`]/);
  });
});

describe("the renderer's state is what the bot's submission parsers read", () => {
  it('when a manager submits the sign-up modal untouched, then the bot reads its initial values', () => {
    const view = modals().find((modal) => modal.name === 'sign-up, changing a schedule')?.view;
    if (!view) throw new Error('no sign-up sample');
    expect(parseSignupSubmission(initialState(view.blocks))).toEqual({
      weekdays: [2, 4],
      localTime: '07:30',
      timeZone: 'America/New_York',
      skippedCategories: ['judging-people-fairly'],
      language: null,
    });
  });

  it('when a manager submits the edit modal untouched, then the bot reads the item back', () => {
    const view = modals().find((modal) => modal.name === 'edit an action, with a note')?.view;
    if (!view) throw new Error('no edit sample');
    expect(parseActionSubmission(initialState(view.blocks), [], voiceFor())).toEqual({
      text: 'Ask Priya what she needs from me this week',
      note: 'She mentioned the roadmap',
      checkBack: { on: '2026-01-19' },
    });
  });

  it('shows the initial choices: ticked days, the chosen time and zone, and a select’s option', () => {
    const view = modals().find((modal) => modal.name === 'sign-up, changing a schedule')?.view;
    const markup = renderBlocks(view?.blocks ?? []);
    expect(markup.match(/<input[^>]*type="checkbox"[^>]*checked=""/g)).toHaveLength(3);
    expect(markup).toMatch(/<input[^>]*type="time"[^>]*value="07:30"/);
    expect(markup).toContain(`value="America/New York (UTC-05:00)"`);
    expect(NOW.toISOString()).toBe('2026-01-12T10:00:00.000Z');
  });
});

describe.each(LANGUAGES)("Slack's limits, in %s", (language) => {
  // German and French run longer than English; a region that writes long dates, too.
  const voice = voiceFor({ language, locale: `${language}-CH` });

  it.each(messages(voice))(
    '$name: at most 50 blocks, and every part within its limit',
    ({ name, blocks }) => {
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
      expect(overLimits(blocks, name)).toEqual([]);
    },
  );

  it.each(modals(voice))(
    '$name: title, buttons, metadata and every part within its limit',
    ({ name, view }) => {
      expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.modalBlocks);
      for (const part of [view.title, view.submit, view.close])
        expect([...(part?.text ?? '')].length).toBeLessThanOrEqual(LIMITS.modalTitle);
      expect([...(view.private_metadata ?? '')].length).toBeLessThanOrEqual(LIMITS.privateMetadata);
      expect(overLimits(view.blocks, name)).toEqual([]);
    },
  );

  it.each(homeViews(voice))(
    '$name: at most 100 blocks, every part within its limit',
    ({ name, view }) => {
      expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.homeBlocks);
      expect(overLimits(view.blocks, name)).toEqual([]);
    },
  );
});

describe("the check of Slack's limits", () => {
  it('the check itself finds each kind of overflow', () => {
    const tooLong = 'x'.repeat(3001);
    expect(
      overLimits(
        [
          { type: 'section', text: { type: 'mrkdwn', text: tooLong } },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: { type: 'plain_text', text: tooLong.slice(0, 76) },
                accessibility_label: tooLong.slice(0, 76),
              },
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Delete' },
                confirm: {
                  title: { type: 'plain_text', text: tooLong.slice(0, 101) },
                  text: { type: 'plain_text', text: tooLong.slice(0, 301) },
                  confirm: { type: 'plain_text', text: tooLong.slice(0, 31) },
                  deny: { type: 'plain_text', text: 'Keep it' },
                },
              },
            ],
          },
          {
            type: 'input',
            element: {
              type: 'radio_buttons',
              options: [{ text: { type: 'plain_text', text: tooLong.slice(0, 76) }, value: 'v' }],
            },
          },
        ],
        'sample',
      ),
    ).toEqual([
      'sample[0].text: 3001 > 3000',
      'sample[1].elements[0].text: 76 > 75',
      'sample[1].elements[0].accessibility_label: 76 > 75',
      'sample[1].elements[1].confirm.title: 101 > 100',
      'sample[1].elements[1].confirm.text: 301 > 300',
      'sample[1].elements[1].confirm.confirm: 31 > 30',
      'sample[2].element.options[0].option: 76 > 75',
    ]);
  });
});

describe('the copy', () => {
  it('counts in the singular when there is one', () => {
    const digest = messages().find((m) => m.name === 'the weekly digest, one of each');
    expect(JSON.stringify(digest?.blocks)).toContain(
      'Your week from Monday, January 5: 1 blind spot received, 1 action planned, 1 done, 1 let go.',
    );
  });

  it('titles the reflection after Partly as a step forward, not "Nicely done"', () => {
    const titles = Object.fromEntries(
      modals()
        .filter((modal) => modal.name.startsWith('the reflection'))
        .map((modal) => [modal.name, modal.view.title.text]),
    );
    expect(titles).toEqual({
      'the reflection': 'Nicely done',
      'the reflection after Partly': 'A step forward',
    });
  });

  it('says "1–20 of 25" over a long list, with a button to the rest, and keeps the count on later pages', () => {
    const first = messages().find((m) => m.name === 'open actions, more than 20')?.blocks ?? [];
    const last = messages().find((m) => m.name === 'open actions, the last page')?.blocks ?? [];
    const middle = messages().find((m) => m.name === 'open actions, a middle page')?.blocks ?? [];
    const buttonsOf = (blocks: readonly unknown[]) =>
      JSON.stringify(blocks)
        .match(/"text":"(Next|Previous) \d+"/g)
        ?.map((match) => match.slice(8, -1));
    expect(JSON.stringify(first)).toContain('*Your open actions* 1–20 of 25');
    expect(buttonsOf(first)).toEqual(['Next 5']);
    expect(JSON.stringify(last)).toContain('*Your open actions* 21–25 of 25');
    // In the list's voice: English in the default region (en-GB) unless told otherwise.
    expect(JSON.stringify(last)).toContain('Check back Monday 19 January');
    expect(buttonsOf(last)).toEqual(['Previous 20']);
    expect(buttonsOf(middle)).toEqual(['Previous 20', 'Next 10']);
  });
});

describe('what the renderer does not know', () => {
  const unknown = [
    { type: 'video', title: { type: 'plain_text', text: 'A talk' } },
    {
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Known' }, action_id: 'a' },
        { type: 'overflow', action_id: 'b', options: [] },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: { type: 'users_select' } },
    { type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'button' } },
    'not a block',
    null,
  ];

  it('lists each unknown block and element', () => {
    expect(unsupportedParts(unknown)).toEqual([
      'block:video',
      'element:overflow',
      'element:users_select',
      'element:button (in input)',
      'block:(none)',
    ]);
  });

  it('shows a visible placeholder for each, and renders the rest', () => {
    const markup = renderBlocks(unknown);
    expect(visible(markup)).toContain("This block (video) isn't shown in the sandbox.");
    expect(visible(markup)).toContain("This element (overflow) isn't shown in the sandbox.");
    expect(visible(markup)).toContain("This element (users_select) isn't shown in the sandbox.");
    expect(visible(markup)).toContain("This block ((none)) isn't shown in the sandbox.");
    expect(markup).toMatch(/<button[^>]*>[\s\S]*?Known[\s\S]*?<\/button>/);
  });

  it('never throws on malformed blocks', () => {
    const malformed = [
      { type: 'section', text: 5, fields: 'x', accessory: null },
      { type: 'actions', elements: { not: 'a list' } },
      { type: 'context' },
      { type: 'header', text: null },
      { type: 'input' },
      {
        type: 'input',
        block_id: 'constructor',
        label: 'x',
        element: {
          type: 'static_select',
          options: [
            { text: { type: 'plain_text', text: 'A' }, value: 'same' },
            { text: { type: 'plain_text', text: 'B' }, value: 'same' },
            { value: 'no text' },
          ],
          option_groups: [{ label: 'G', options: [{ text: 'C', value: 'same' }] }],
        },
      },
      { type: 'input', element: { type: 'checkboxes', options: 'none' } },
    ];
    expect(() => renderBlocks(malformed)).not.toThrow();
    expect(() => initialState(malformed)).not.toThrow();
  });
});
