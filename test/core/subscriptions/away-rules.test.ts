/** Away until a date (issue 18, item 3): which return dates are refused, and when one begins. */
import { describe, expect, it } from 'vitest';
import {
  parseReturnDate,
  returnDateProblem,
  returnInstant,
} from '../../../src/core/subscriptions/away-rules.ts';

const TODAY = '2026-12-07';

describe('when a manager gives the day they are back', () => {
  it('then a day after today and within a year is fine', () => {
    expect(returnDateProblem('2026-12-08', TODAY)).toBeUndefined();
    expect(returnDateProblem(' 2027-01-04 ', TODAY)).toBeUndefined();
    expect(returnDateProblem('2027-12-07', TODAY)).toBeUndefined();
  });

  it('then today or a day before is refused, saying so', () => {
    expect(returnDateProblem(TODAY, TODAY)).toBe(
      '2026-12-07 is not after today (2026-12-07). Give the first day you are back.',
    );
    expect(returnDateProblem('2026-01-04', TODAY)).toContain('is not after today');
  });

  it('then a day more than a year ahead is refused', () => {
    expect(returnDateProblem('2027-12-08', TODAY)).toBe(
      '2027-12-08 is more than a year away. Pick a day within a year, or unsubscribe instead.',
    );
  });

  it('then what is not a real date is refused, with an example', () => {
    for (const text of ['next monday', '04.01.2027', '2027-02-30', '2027-13-01', '', '2027-1-4']) {
      expect(parseReturnDate(text)).toBeUndefined();
      expect(returnDateProblem(text, TODAY)).toMatch(
        /^I couldn't read ".*" as a date\. .*2026-12-21/,
      );
    }
  });
});

describe('when the away ends', () => {
  it('then it ends at the start of the return day in the manager’s zone', () => {
    expect(returnInstant('2027-01-04', 'Europe/Berlin').toISOString()).toBe(
      '2027-01-03T23:00:00.000Z',
    );
    expect(returnInstant('2027-07-05', 'America/New_York').toISOString()).toBe(
      '2027-07-05T04:00:00.000Z',
    );
  });
});
