/** Public holidays (issue 18, item 3): the places a manager may pick, and which days are off. */
import { describe, expect, it } from 'vitest';
import {
  holidayCountries,
  holidayPlaceProblem,
  holidayRegions,
  publicHolidayOn,
} from '../../../src/core/holidays/rules.ts';

describe('when a manager keeps the public holidays of a place', () => {
  it('then a national public holiday is one, by name, and an ordinary day is not', () => {
    expect(publicHolidayOn({ country: 'DE', region: null }, '2026-12-25')).toBeTruthy();
    expect(publicHolidayOn({ country: 'FR', region: null }, '2027-07-14')).toBeTruthy();
    expect(publicHolidayOn({ country: 'DE', region: null }, '2026-12-08')).toBeUndefined();
  });

  it('then a regional holiday counts only in its region', () => {
    // Epiphany is a public holiday in Bavaria, not in Berlin.
    expect(publicHolidayOn({ country: 'DE', region: 'BY' }, '2027-01-06')).toBeTruthy();
    expect(publicHolidayOn({ country: 'DE', region: 'BE' }, '2027-01-06')).toBeUndefined();
  });

  it('then observances and bank holidays are working days', () => {
    // Christmas Eve is an observance in Germany, not a public holiday.
    expect(publicHolidayOn({ country: 'DE', region: null }, '2026-12-24')).toBeUndefined();
  });
});

describe('when a manager picks a place', () => {
  it('then the lists name countries and their regions in English', () => {
    expect(holidayCountries()).toContainEqual({ code: 'DE', name: 'Germany' });
    expect(holidayRegions('DE').map((region) => region.code)).toContain('BY');
  });

  it('then an unknown country or region is refused, saying so', () => {
    expect(holidayPlaceProblem({ country: 'DE', region: 'BY' })).toBeUndefined();
    expect(holidayPlaceProblem({ country: 'de', region: null })).toBeUndefined();
    expect(holidayPlaceProblem({ country: 'XX', region: null })).toBe(
      '"XX" is not a country we know the holidays of. Pick one from the list.',
    );
    expect(holidayPlaceProblem({ country: 'DE', region: 'ZZ' })).toContain(
      '"ZZ" is not a region of DE we know',
    );
  });
});
