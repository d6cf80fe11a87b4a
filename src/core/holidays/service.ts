/**
 * A manager's public holidays (issue 18, item 3): the place they keep the holidays of, chosen
 * on the App Home. The delivery planner reads it (../deliveries/planner.ts) and records a note
 * due on one of its public holidays as skipped_holiday instead of sending it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid } from '../errors.ts';
import { setManagerHolidayPlace } from '../managers/repository.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import {
  type HolidayPlace,
  holidayCountries,
  holidayPlaceProblem,
  holidayRegions,
} from './rules.ts';

export type { HolidayPlace } from './rules.ts';

/** One place a manager can pick: a country, or a region of it, with its English name. */
export interface PlaceChoice extends HolidayPlace {
  name: string;
}

let places: PlaceChoice[] | undefined;

/** Every country, and every region of each, in the order a list shows them. Computed once. */
export function holidayPlaces(): PlaceChoice[] {
  places ??= holidayCountries().flatMap((country) => [
    { country: country.code, region: null, name: country.name },
    ...holidayRegions(country.code).map((region) => ({
      country: country.code,
      region: region.code,
      name: `${country.name}: ${region.name}`,
    })),
  ]);
  return places;
}

/**
 * Sets the place whose public holidays the manager keeps, or none (null). An unknown country or
 * region is refused (`unknown_holiday_country`) and nothing changes.
 */
export async function setHolidayPlace(
  db: Kysely<Database>,
  who: SlackIdentity,
  place: HolidayPlace | null,
  now: Date,
  context: RequestContext = {},
): Promise<HolidayPlace | null> {
  const problem = place ? holidayPlaceProblem(place) : undefined;
  if (problem) throw invalid('unknown_holiday_country', problem, { country: problem });
  const stored = place
    ? { country: place.country.toUpperCase(), region: place.region?.toUpperCase() ?? null }
    : null;
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    await setManagerHolidayPlace(trx, manager.id, stored, now);
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'manager.holidays_changed',
      subjectType: 'manager',
      subjectId: manager.id,
      requestId: context.requestId,
      details: { country: stored?.country ?? null, region: stored?.region ?? null },
    });
    return stored;
  });
}
