/**
 * Public holidays (issue 18, item 3): the countries and regions a manager may pick, and whether
 * a local date is a public holiday there. Pure, over the date-holidays package's data; no I/O.
 * Only days of type "public" count: bank, school and optional days are ordinary working days
 * for most managers.
 */
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';

export interface HolidayPlace {
  /** ISO 3166-1 alpha-2, e.g. 'DE'. */
  country: string;
  /** A region of it as date-holidays names it, e.g. 'BY'; null for the whole country. */
  region: string | null;
}

export interface NamedPlace {
  code: string;
  name: string;
}

/**
 * date-holidays, loaded on first use rather than at start: its data and calendars cost a process
 * about 30 MB of resident memory (issue 19, item 6), and most processes never need them. The bot
 * never asks; the planner asks only for workspaces that keep holidays; the api, when an admin
 * opens the holiday settings. `require` keeps these functions synchronous for the planner.
 */
let holidaysClass: typeof Holidays | undefined;
function holidaysModule(): typeof Holidays {
  holidaysClass ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays;
  return holidaysClass;
}

let catalogue: Holidays | undefined;
const catalogueOf = (): Holidays => {
  catalogue ??= new (holidaysModule())();
  return catalogue;
};

/** Every country date-holidays knows, by English name. */
export function holidayCountries(): NamedPlace[] {
  return Object.entries(catalogueOf().getCountries('en'))
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** The regions of a country (states, provinces, Länder), by English name; none for most. */
export function holidayRegions(country: string): NamedPlace[] {
  return Object.entries(catalogueOf().getStates(country.toUpperCase(), 'en') ?? {})
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** What is wrong with a place, in words a manager reads; undefined when it is fine. */
export function holidayPlaceProblem(place: HolidayPlace): string | undefined {
  const country = place.country.toUpperCase();
  if (!holidayCountries().some((known) => known.code === country)) {
    return `"${place.country.slice(0, 40)}" is not a country we know the holidays of. Pick one from the list.`;
  }
  if (place.region !== null) {
    const regions = holidayRegions(country);
    if (!regions.some((known) => known.code === place.region?.toUpperCase())) {
      return `"${place.region.slice(0, 40)}" is not a region of ${country} we know. Pick one from the list, or the whole country.`;
    }
  }
  return undefined;
}

/** The calendar of one place and year, computed once: the planner asks about many days. */
const calendars = new Map<string, Map<string, string>>();

function publicHolidaysOf(place: HolidayPlace, year: number): Map<string, string> {
  const key = `${place.country}/${place.region ?? ''}/${year}`;
  let days = calendars.get(key);
  if (!days) {
    days = new Map();
    const Calendar = holidaysModule();
    const calendar = place.region
      ? new Calendar(place.country, place.region)
      : new Calendar(place.country);
    for (const holiday of calendar.getHolidays(year, 'en')) {
      if (holiday.type !== 'public') continue;
      // 'YYYY-MM-DD hh:mm:ss' in the place's own calendar: the local date is its first ten.
      const date = holiday.date.slice(0, 10);
      if (!days.has(date)) days.set(date, holiday.name);
    }
    calendars.set(key, days);
  }
  return days;
}

/** The public holiday on a local date ('YYYY-MM-DD') at a place, by name; undefined if none. */
export function publicHolidayOn(place: HolidayPlace, localDate: string): string | undefined {
  return publicHolidaysOf(place, Number(localDate.slice(0, 4))).get(localDate);
}
