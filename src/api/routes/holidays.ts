/**
 * Public holidays (issue 18, item 3): the places whose holidays Blindspot knows, the calling
 * manager's choice of one, and the notes skipped for them or while they were out.
 */
import { Type } from 'typebox';
import { listMySkippedNotes } from '../../core/deliveries/skips.ts';
import { holidayPlaces, setHolidayPlace } from '../../core/holidays/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef, LocalDate, Nullable } from '../schemas.ts';

const HolidayPlace = Type.Object(
  {
    country: Type.String({ description: 'ISO 3166-1 alpha-2, e.g. DE' }),
    region: Nullable(Type.String(), { description: 'A region of it, e.g. BY; null: all of it' }),
    name: Type.String({ description: 'In English, e.g. "Germany: Bayern"' }),
  },
  { $id: 'HolidayPlace', title: 'HolidayPlace' },
);

/** A place by its codes, with its name; null for none. */
/** A note not sent on purpose, and why. */
export const SkippedNote = Type.Object({
  localDate: LocalDate,
  reason: Type.Union([Type.Literal('away'), Type.Literal('holiday')], {
    description: "away: the manager's Slack status said out; holiday: a public one",
  }),
  holiday: Nullable(Type.String()),
});

export function namedPlace(country: string | null, region: string | null) {
  if (!country) return null;
  const name =
    holidayPlaces().find((place) => place.country === country && place.region === region)?.name ??
    country;
  return { country, region, name };
}

export function registerHolidayRoutes(app: HttpServer, deps: RouteDependencies) {
  app.addSchema(HolidayPlace);
  const { db, now } = deps;
  const onRequest = requireSlackUser(deps.serviceToken);
  const common = slackUserRouteSchema('holidays');

  app.get(
    '/holiday-places',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'listHolidayPlaces',
        summary: 'Every country, and region of one, whose public holidays Blindspot knows',
        response: {
          200: Type.Object({ places: Type.Array(Type.Ref('HolidayPlace')) }),
          401: ErrorRef,
        },
      },
    },
    async () => ({ places: holidayPlaces() }),
  );

  app.put(
    '/me/holidays',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'setMyHolidays',
        summary: 'Keep the public holidays of a country (and region), or of none (null)',
        description:
          "On the place's public holidays the calling manager gets no note; the day is recorded " +
          'as skipped_holiday. An unknown country or region is `unknown_holiday_country` (400).',
        body: Type.Object(
          {
            // Null first: the validator coerces types, and would read null as "" for a string.
            country: Type.Union([Type.Null(), Type.String({ maxLength: 8 })]),
            region: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 16 })])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ holidays: Nullable(Type.Ref('HolidayPlace')) }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const { country, region } = request.body;
      const place = await setHolidayPlace(
        db,
        slackUserOf(request),
        country === null ? null : { country, region: region ?? null },
        now(),
        { requestId: request.id },
      );
      return { holidays: place && namedPlace(place.country, place.region) };
    },
  );

  app.get(
    '/me/skipped-notes',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'listMySkippedNotes',
        summary: 'The notes not sent to the calling manager on purpose, newest first, and why',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 20, default: 5 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            notes: Type.Array(SkippedNote),
          }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => ({
      notes: await listMySkippedNotes(db, slackUserOf(request), request.query.limit),
    }),
  );
}
