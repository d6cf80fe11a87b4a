/**
 * The bot's calls for away and holidays (issue 18, item 3): the places whose public holidays
 * Blindspot knows and the manager's choice of one. The notes skipped while they were out or on
 * a holiday come with the Home tab's one read (GET /me/home).
 */
import type { components, paths } from './schema.ts';
import type { CallContext, Transport } from './transport.ts';

export type HolidayPlace = components['schemas']['HolidayPlace'];
export type SkippedNote =
  paths['/api/v1/me/skipped-notes']['get']['responses']['200']['content']['application/json']['notes'][number];

/** The list of places changes only with a release of date-holidays: read it once an hour. */
const PLACES_TTL_MS = 60 * 60_000;

export function holidayCalls({ api, unwrap, headers }: Transport) {
  let places: { list: HolidayPlace[]; readAt: number } | undefined;
  return {
    async holidayPlaces(context: CallContext): Promise<HolidayPlace[]> {
      if (places && Date.now() - places.readAt < PLACES_TTL_MS) return places.list;
      const result = unwrap(
        await api().GET('/api/v1/holiday-places', { params: { header: headers(context) } }),
      );
      places = { list: result.places, readAt: Date.now() };
      return result.places;
    },
    /** Keeps the public holidays of a country (and region of it), or of none. */
    async setHolidays(
      context: CallContext,
      place: { country: string; region: string | null } | null,
    ): Promise<HolidayPlace | null> {
      const result = unwrap(
        await api().PUT('/api/v1/me/holidays', {
          params: { header: headers(context) },
          body: place ?? { country: null },
        }),
      );
      return result.holidays;
    },
  };
}
