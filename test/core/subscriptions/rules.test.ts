import { describe, expect, it } from 'vitest';
import {
  normaliseWeekdays,
  type SubscriptionInput,
  subscriptionProblems,
} from '../../../src/core/subscriptions/rules.ts';

const THEMES = ['clarity-and-direction', 'judging-people-fairly', 'recognition-and-feedback'];

function signup(overrides: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return {
    weekdays: [1, 3, 5],
    localTime: '09:00',
    timeZone: 'Europe/Berlin',
    skippedCategories: [],
    ...overrides,
  };
}

describe('subscriptionProblems', () => {
  it('when every field is fine, then there are no problems', () => {
    expect(subscriptionProblems(signup(), THEMES)).toEqual({});
    expect(
      subscriptionProblems(
        signup({
          weekdays: [7, 1, 1],
          localTime: '23:59',
          timeZone: 'Asia/Kolkata',
          skippedCategories: ['judging-people-fairly', 'clarity-and-direction'],
        }),
        THEMES,
      ),
    ).toEqual({});
  });

  it('when no day is picked, then the weekdays field asks for at least one', () => {
    expect(subscriptionProblems(signup({ weekdays: [] }), THEMES)).toEqual({
      weekdays: 'Pick at least one day.',
    });
  });

  it.each([
    { weekdays: [0, 1], what: 'day 0' },
    { weekdays: [1, 8], what: 'day 8' },
    { weekdays: [2.5], what: 'a fraction' },
    { weekdays: [Number.NaN], what: 'NaN' },
  ])(
    'when a day is out of range ($what), then the weekdays field says how days are numbered',
    ({ weekdays }) => {
      expect(subscriptionProblems(signup({ weekdays }), THEMES)).toEqual({
        weekdays: 'Days are numbered 1 (Monday) to 7 (Sunday).',
      });
    },
  );

  it.each(['9:00', '24:00', '09:60', '0900', '09:00:00', ''])(
    'when the time is %j, then the localTime field asks for a time such as 09:00',
    (localTime) => {
      expect(subscriptionProblems(signup({ localTime }), THEMES)).toEqual({
        localTime: 'Pick a time of day, such as 09:00.',
      });
    },
  );

  it('when the time zone is unknown, then the timeZone field names it and points to the list', () => {
    expect(subscriptionProblems(signup({ timeZone: 'Mars/Olympus_Mons' }), THEMES)).toEqual({
      timeZone: '"Mars/Olympus_Mons" is not a time zone we know. Pick one from the list.',
    });
  });

  it('when a skipped theme is unknown, then the skippedCategories field names every unknown one', () => {
    const input = signup({
      skippedCategories: ['judging-people-fairly', 'micromanaging', 'golf'],
    });
    expect(subscriptionProblems(input, THEMES)).toEqual({
      skippedCategories: 'Unknown themes: micromanaging, golf.',
    });
  });

  it('when every theme is skipped, then the skippedCategories field asks to leave at least one', () => {
    expect(subscriptionProblems(signup({ skippedCategories: [...THEMES] }), THEMES)).toEqual({
      skippedCategories: 'Leave at least one theme, or there is nothing to send you.',
    });
  });

  it('when there are no themes at all, then skipping none is fine', () => {
    expect(subscriptionProblems(signup(), [])).toEqual({});
  });

  it('when several fields are wrong, then each gets its own problem', () => {
    const problems = subscriptionProblems(
      { weekdays: [], localTime: 'noon', timeZone: 'Nowhere', skippedCategories: ['golf'] },
      THEMES,
    );
    expect(Object.keys(problems).sort()).toEqual([
      'localTime',
      'skippedCategories',
      'timeZone',
      'weekdays',
    ]);
  });
});

describe('normaliseWeekdays', () => {
  it('when days come unsorted and repeated, then they are stored sorted and once each', () => {
    expect(normaliseWeekdays([5, 1, 3, 1, 5])).toEqual([1, 3, 5]);
  });

  it('sorts numerically, not as text', () => {
    expect(normaliseWeekdays([7, 10, 2])).toEqual([2, 7, 10]);
  });

  it('does not change its input', () => {
    const input = [3, 1, 2];
    normaliseWeekdays(input);
    expect(input).toEqual([3, 1, 2]);
  });
});
