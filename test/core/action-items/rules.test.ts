import { describe, expect, it } from 'vitest';
import {
  CHECK_BACK_PRESETS,
  canChangeAnswer,
  canUndoDeletion,
  characterCount,
  checkBackDate,
  MAX_NOTE_LENGTH,
  MAX_TEXT_LENGTH,
  noteProblem,
  textProblem,
  UNDO_WINDOW_MS,
  unescapeSlackText,
} from '../../../src/core/action-items/rules.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/settings/rules.ts';

/** A Wednesday; 2028 is a leap year, so a year from here holds 29 February. */
const TODAY = '2027-03-10';

describe('characterCount', () => {
  it('when the text is plain ASCII, then it counts one per character', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('Ask Priya')).toBe(9);
  });

  it('when the text holds an emoji outside the BMP, then it counts once, not as two UTF-16 units', () => {
    expect('😀'.length).toBe(2);
    expect(characterCount('😀')).toBe(1);
    expect(characterCount('😀'.repeat(500))).toBe(500);
  });

  it('when the emoji is a ZWJ sequence, then each code point counts, as PostgreSQL char_length does', () => {
    // 👩 + 🏽 + zero-width joiner + 💻: four code points that a reader sees as one picture.
    expect(characterCount('👩🏽‍💻')).toBe(4);
  });

  it('when the text is in a right-to-left script, then each letter counts once', () => {
    expect(characterCount('שלום')).toBe(4);
    expect(characterCount('مرحبا')).toBe(5);
  });
});

describe('textProblem', () => {
  it('when the text is empty or only whitespace, then it asks for something to do', () => {
    for (const text of ['', ' ', '   ', '\n', '\t \n', '\u00a0', '\u3000']) {
      expect(textProblem(text)).toBe('Write what you will do: it cannot be empty.');
    }
  });

  it('when the text is exactly the limit, then there is no problem', () => {
    expect(MAX_TEXT_LENGTH).toBe(500);
    expect(textProblem('a'.repeat(500))).toBeUndefined();
    expect(textProblem('😀'.repeat(500))).toBeUndefined();
  });

  it('when the text is one character over, then the problem names its length and the limit', () => {
    expect(textProblem('a'.repeat(501))).toBe(
      'That is 501 characters; an action fits in 500. Try the first step only.',
    );
    expect(textProblem('😀'.repeat(501))).toBe(
      'That is 501 characters; an action fits in 500. Try the first step only.',
    );
  });

  it('when the text has surrounding whitespace, then only the trimmed text is counted', () => {
    expect(textProblem(`  ${'a'.repeat(500)}  `)).toBeUndefined();
    expect(textProblem(`\n${'a'.repeat(500)}\n`)).toBeUndefined();
    expect(textProblem(`  ${'a'.repeat(501)}  `)).toMatch(/^That is 501 characters/);
  });

  it('when the text is ordinary, including quotes, SQL and newlines, then there is no problem', () => {
    expect(textProblem("'); DROP TABLE action_items; --")).toBeUndefined();
    expect(textProblem('line one\nline two')).toBeUndefined();
  });
});

describe('noteProblem', () => {
  it('when the note is empty or up to the limit, then there is no problem', () => {
    expect(MAX_NOTE_LENGTH).toBe(1000);
    expect(noteProblem('')).toBeUndefined();
    expect(noteProblem('n'.repeat(1000))).toBeUndefined();
    expect(noteProblem('😀'.repeat(1000))).toBeUndefined();
  });

  it('when the note is over the limit, then the problem names its length and the limit', () => {
    expect(noteProblem('n'.repeat(1001))).toBe('The note is 1001 characters; keep it under 1000.');
    expect(noteProblem('😀'.repeat(1001))).toBe('The note is 1001 characters; keep it under 1000.');
  });
});

describe('checkBackDate', () => {
  it('when a preset is chosen, then it counts 3, 7 or 14 days (2 for buttons sent before 3) from the local today', () => {
    expect(CHECK_BACK_PRESETS).toEqual({ '2d': 2, '3d': 3, '1w': 7, '2w': 14 });
    expect(checkBackDate({ in: '2d' }, TODAY)).toEqual({ date: '2027-03-12' });
    expect(checkBackDate({ in: '3d' }, TODAY)).toEqual({ date: '2027-03-13' });
    expect(checkBackDate({ in: '1w' }, TODAY)).toEqual({ date: '2027-03-17' });
    expect(checkBackDate({ in: '2w' }, TODAY)).toEqual({ date: '2027-03-24' });
  });

  it('when a preset crosses a month or year end, then the calendar date is right', () => {
    expect(checkBackDate({ in: '2d' }, '2028-02-28')).toEqual({ date: '2028-03-01' });
    expect(checkBackDate({ in: '1w' }, '2026-12-28')).toEqual({ date: '2027-01-04' });
  });

  it('when nothing is chosen, then a workspace without settings checks back after a week', () => {
    expect(DEFAULT_SETTINGS.checkBackDays).toBe(CHECK_BACK_PRESETS['1w']);
  });

  it('when a date after today is chosen, then that date is kept', () => {
    expect(checkBackDate({ on: '2027-03-11' }, TODAY)).toEqual({ date: '2027-03-11' });
    expect(checkBackDate({ on: '2028-02-29' }, TODAY)).toEqual({ date: '2028-02-29' });
  });

  it('when today or a past date is chosen, then it asks for a date after today', () => {
    expect(checkBackDate({ on: TODAY }, TODAY)).toEqual({ problem: 'Pick a date after today.' });
    expect(checkBackDate({ on: '2027-03-09' }, TODAY)).toEqual({
      problem: 'Pick a date after today.',
    });
    expect(checkBackDate({ on: '1999-12-31' }, TODAY)).toEqual({
      problem: 'Pick a date after today.',
    });
  });

  it('when the date is 366 days ahead, then it is kept; one day more is too far', () => {
    expect(checkBackDate({ on: '2028-03-10' }, TODAY)).toEqual({ date: '2028-03-10' });
    expect(checkBackDate({ on: '2028-03-11' }, TODAY)).toEqual({
      problem: 'Pick a date within a year.',
    });
  });

  it('when the date is not a YYYY-MM-DD date, then it asks for a date from the calendar', () => {
    for (const on of [
      '',
      'tomorrow',
      '2027-3-12',
      '12/03/2027',
      '2027-03-12T00:00',
      '2027-13-01',
    ]) {
      expect(checkBackDate({ on }, TODAY)).toEqual({ problem: 'Pick a date from the calendar.' });
    }
  });

  it('when the date has the right shape but is not on the calendar, then it asks for a date from the calendar', () => {
    // Date.parse rolls these over (30 April to 1 May) instead of refusing them, and PostgreSQL
    // would then reject the date column's value with a 500.
    for (const on of ['2027-04-31', '2027-06-31', '2027-02-29', '2027-04-00']) {
      expect(checkBackDate({ on }, TODAY)).toEqual({ problem: 'Pick a date from the calendar.' });
    }
  });
});

describe('unescapeSlackText', () => {
  it('when Slack escaped <, > and &, then the text is as the manager typed it', () => {
    expect(unescapeSlackText('&lt;b&gt; &amp;amp;')).toBe('<b> &amp;');
  });

  it('when the manager typed an entity themselves, then it comes back literally, not decoded twice', () => {
    // Slack sends a typed "&lt;" as "&amp;lt;".
    expect(unescapeSlackText('&amp;lt;')).toBe('&lt;');
    expect(unescapeSlackText('a &amp;&amp; b')).toBe('a && b');
  });

  it('when nothing is escaped, then the text is unchanged, quotes and emoji included', () => {
    const text = `It's "fine" — 👩🏽‍💻 'quoted' \`code\``;
    expect(unescapeSlackText(text)).toBe(text);
  });
});

describe('canUndoDeletion', () => {
  const deletedAt = new Date('2026-11-23T09:00:00.000Z');
  it('when Undo comes within the minute, to the millisecond, then the item can be put back', () => {
    expect(UNDO_WINDOW_MS).toBe(60_000);
    expect(canUndoDeletion(deletedAt, new Date('2026-11-23T09:00:59.999Z'))).toBe(true);
    expect(canUndoDeletion(deletedAt, new Date('2026-11-23T09:01:00.000Z'))).toBe(true);
  });

  it('when Undo comes a millisecond after the minute, then it is too late', () => {
    expect(canUndoDeletion(deletedAt, new Date('2026-11-23T09:01:00.001Z'))).toBe(false);
  });
});

describe('canChangeAnswer', () => {
  const answeredAt = new Date('2026-11-30T09:00:00.000Z');
  it('when the change comes within a week of the answer, then it may be changed', () => {
    expect(canChangeAnswer(answeredAt, new Date('2026-12-07T09:00:00.000Z'))).toBe(true);
  });

  it('when it comes later, then the answer stays', () => {
    expect(canChangeAnswer(answeredAt, new Date('2026-12-07T09:00:00.001Z'))).toBe(false);
  });
});
