import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_POLICY,
  isQuietWindowSensible,
  reminderLocalTime,
  reminderSlot,
} from '../../../src/core/reminders/rules.ts';
import {
  DEFAULT_SETTINGS,
  settingsChanges,
  settingsProblems,
  type WorkspaceSettings,
} from '../../../src/core/settings/rules.ts';

const valid = (changes: Partial<WorkspaceSettings> = {}): WorkspaceSettings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...changes,
});

describe('settingsProblems', () => {
  it('when the settings are the shipped defaults, then nothing is wrong', () => {
    expect(settingsProblems(valid())).toEqual({});
  });

  it('when every field is wrong, then each field says why', () => {
    const problems = settingsProblems({
      defaultWeekdays: [],
      defaultLocalTime: '9am',
      quietHours: { start: '25:00', end: '08:00' },
      dailyDmCap: 11,
      checkBackDays: 0,
      weeklyDigest: true,
      defaultLanguage: 'es' as never,
    });
    expect(Object.keys(problems).sort()).toEqual([
      'checkBackDays',
      'dailyDmCap',
      'defaultLanguage',
      'defaultLocalTime',
      'defaultWeekdays',
      'quietHours.start',
    ]);
  });

  it.each([
    [{ start: '08:00', end: '08:00' }, false],
    [{ start: '18:00', end: '10:00' }, true],
    [{ start: '17:00', end: '10:00' }, false],
    [{ start: '00:00', end: '07:00' }, true],
    [{ start: '12:00', end: '13:00' }, true],
  ])('when quiet hours are %o, then sensible is %s', (window, sensible) => {
    expect(isQuietWindowSensible(window)).toBe(sensible);
    expect('quietHours.end' in settingsProblems(valid({ quietHours: window }))).toBe(!sensible);
  });

  it.each([
    [1, false],
    [2, true],
    [10, true],
    [2.5, false],
  ])('when the daily cap is %s, then it is accepted: %s', (cap, ok) => {
    expect('dailyDmCap' in settingsProblems(valid({ dailyDmCap: cap }))).toBe(!ok);
  });

  it.each([
    [1, true],
    [30, true],
    [31, false],
  ])('when check-back days are %s, then accepted: %s', (days, ok) => {
    expect('checkBackDays' in settingsProblems(valid({ checkBackDays: days }))).toBe(!ok);
  });

  it('when a weekday is outside 1..7, then the weekdays are refused', () => {
    expect(settingsProblems(valid({ defaultWeekdays: [1, 8] })).defaultWeekdays).toMatch(/1/);
  });
});

describe('settingsChanges', () => {
  it('lists only the fields that changed, from and to', () => {
    const after = valid({ dailyDmCap: 3, quietHours: { start: '21:00', end: '07:00' } });
    expect(settingsChanges(valid(), after)).toEqual({
      dailyDmCap: { from: 2, to: 3 },
      quietHours: { from: { start: '20:00', end: '08:00' }, to: { start: '21:00', end: '07:00' } },
    });
  });
});

describe('reminders under a workspace policy', () => {
  const policy = { quietStart: '18:00', quietEnd: '10:00', dailyDmCap: 1 };

  it.each([
    ['09:00', '10:00'],
    ['17:59', '17:59'],
    ['18:30', '17:59'],
    ['23:00', '17:59'],
    ['03:00', '10:00'],
  ])('when quiet hours are 18:00 to 10:00, then %s moves to %s', (time, moved) => {
    expect(reminderLocalTime(time, policy)).toBe(moved);
  });

  it('when the window does not cross midnight, then a time inside it moves to its end', () => {
    const lunch = { quietStart: '12:00', quietEnd: '14:00', dailyDmCap: 2 };
    expect(reminderLocalTime('12:30', lunch)).toBe('14:00');
    expect(reminderLocalTime('11:59', lunch)).toBe('11:59');
  });

  it('when the cap is one and a note went out that day, then the reminder waits a day', () => {
    const schedule = { weekdays: [1, 2, 3, 4, 5], localTime: '11:00', timeZone: 'UTC' };
    const oneNote = (date: string) => (date === '2026-01-12' ? 1 : 0);
    expect(reminderSlot(schedule, '2026-01-12', oneNote, undefined, policy)?.localDate).toBe(
      '2026-01-13',
    );
    expect(
      reminderSlot(schedule, '2026-01-12', oneNote, undefined, DEFAULT_REMINDER_POLICY)?.localDate,
    ).toBe('2026-01-12');
  });
});
