/**
 * /api/v1/subscriptions/me: the calling manager's schedule, as the bot's modal and App Home use
 * it, and whether they get the Monday digest.
 */
import { Type } from 'typebox';
import { sendNow } from '../../core/deliveries/service.ts';
import { effectiveLanguage } from '../../core/languages/rules.ts';
import {
  getSubscription,
  pause,
  resume,
  type SubscriptionRow,
  setWeeklyDigest,
  subscribe,
  unsubscribe,
} from '../../core/subscriptions/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import {
  DateTime,
  EffectiveLanguage,
  ErrorRef,
  LanguageChoice,
  LocalDate,
  Nullable,
} from '../schemas.ts';
import { namedPlace } from './holidays.ts';

const IsoWeekday = Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' });

const Subscription = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([
      Type.Literal('active'),
      Type.Literal('paused'),
      Type.Literal('unsubscribed'),
    ]),
    statusReason: Nullable(Type.String(), {
      description:
        "Why it is paused: the manager's words, or 'slack:<error>' when Slack could not reach them",
    }),
    weekdays: Type.Array(IsoWeekday),
    localTime: Type.String({ description: "'HH:MM', in timeZone" }),
    timeZone: Type.String(),
    skippedCategories: Type.Array(Type.String()),
    nextDeliveryAt: Nullable(DateTime),
    pausedUntil: Nullable(LocalDate, {
      description: 'Away: the first day the manager is back, when they paused with an end date',
    }),
    weeklyDigest: Type.Boolean({ description: 'A Monday summary of last week' }),
    holidays: Nullable(Type.Ref('HolidayPlace'), {
      description: 'The place whose public holidays the manager keeps: no notes on them',
    }),
    locale: Type.String({
      description: "The manager's Slack locale, e.g. en-US: times and dates follow it",
    }),
    language: EffectiveLanguage,
    chosenLanguage: Nullable(EffectiveLanguage, {
      description: 'The language the manager chose; null when Slack and the workspace decide',
    }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Subscription', title: 'Subscription' },
);

const SubscriptionRequest = Type.Object(
  {
    weekdays: Type.Array(IsoWeekday, { maxItems: 7 }),
    localTime: Type.String({ maxLength: 5 }),
    timeZone: Type.String({ maxLength: 64 }),
    skippedCategories: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 })),
    // The sign-up modal's choice; left out keeps the current one.
    language: Type.Optional(LanguageChoice),
  },
  { additionalProperties: false },
);

/** A subscription as the API shows it (`Subscription`). */
export function presentSubscription(subscription: SubscriptionRow) {
  return {
    id: subscription.id,
    status: subscription.status,
    statusReason: subscription.statusReason,
    weekdays: subscription.weekdays,
    localTime: subscription.localTime,
    timeZone: subscription.timeZone,
    skippedCategories: subscription.skippedCategories,
    nextDeliveryAt: subscription.nextDueAt?.toISOString() ?? null,
    pausedUntil: subscription.pausedUntil,
    weeklyDigest: subscription.weeklyDigest,
    holidays: namedPlace(subscription.holidayCountry, subscription.holidayRegion),
    locale: subscription.locale,
    language: effectiveLanguage({
      chosen: subscription.chosenLanguage,
      slackLocale: subscription.locale,
      workspaceDefault: subscription.workspaceLanguage,
    }),
    chosenLanguage: subscription.chosenLanguage,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

export function registerSubscriptionRoutes(app: HttpServer, deps: RouteDependencies) {
  app.addSchema(Subscription);
  const { db, now } = deps;
  const onRequest = requireSlackUser(deps.serviceToken);
  const common = slackUserRouteSchema('subscriptions');
  const answers = { 200: Type.Ref('Subscription'), 401: ErrorRef, 404: ErrorRef, 409: ErrorRef };

  app.get(
    '/subscriptions/me',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'getMySubscription',
        summary: "The calling manager's subscription",
        response: answers,
      },
    },
    async (request) => presentSubscription(await getSubscription(db, slackUserOf(request))),
  );

  app.put(
    '/subscriptions/me',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'putMySubscription',
        summary: 'Sign up, or change the schedule; the subscription is active afterwards',
        body: SubscriptionRequest,
        response: { ...answers, 400: ErrorRef },
      },
    },
    async (request) =>
      presentSubscription(
        await subscribe(
          db,
          slackUserOf(request),
          { ...request.body, skippedCategories: request.body.skippedCategories ?? [] },
          now(),
          { requestId: request.id },
        ),
      ),
  );

  app.post(
    '/subscriptions/me/pause',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'pauseMySubscription',
        summary: 'Pause deliveries until resumed, or until a return date (away)',
        description:
          'With `until`, the manager is away: no notes and no reminders until that day starts in ' +
          'their zone, when the subscription resumes by itself and one "welcome back" DM is ' +
          'sent. `until` must be after today and at most a year ahead (`invalid_return_date`).',
        body: Type.Optional(
          Type.Object(
            {
              reason: Type.Optional(Type.String({ maxLength: 200 })),
              until: Type.Optional(
                Type.String({
                  maxLength: 40,
                  description: "The first day back, 'YYYY-MM-DD' in the manager's zone",
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: { ...answers, 400: ErrorRef },
      },
    },
    async (request) =>
      presentSubscription(
        await pause(
          db,
          slackUserOf(request),
          request.body?.reason ?? 'paused by you',
          now(),
          { requestId: request.id },
          request.body?.until,
        ),
      ),
  );

  app.post(
    '/subscriptions/me/resume',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'resumeMySubscription',
        summary: 'Resume deliveries',
        response: answers,
      },
    },
    async (request) =>
      presentSubscription(await resume(db, slackUserOf(request), now(), { requestId: request.id })),
  );

  app.delete(
    '/subscriptions/me',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'deleteMySubscription',
        summary: 'Unsubscribe: no more deliveries',
        response: answers,
      },
    },
    async (request) =>
      presentSubscription(
        await unsubscribe(db, slackUserOf(request), now(), { requestId: request.id }),
      ),
  );

  app.post(
    '/subscriptions/me/send-now',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'sendMeOneNow',
        summary: "Send today's blind spot now (at most one a day)",
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('queued'), Type.Literal('already_sent')]),
            deliveryId: Type.String(),
          }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request) => sendNow(db, slackUserOf(request), now(), { requestId: request.id }),
  );

  app.put(
    '/subscriptions/me/weekly-digest',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'setWeeklyDigest',
        summary: 'Turn the Monday digest of last week on or off',
        body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Type.Object({ enabled: Type.Boolean() }), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      await setWeeklyDigest(db, slackUserOf(request), request.body.enabled, now(), {
        requestId: request.id,
      });
      return { enabled: request.body.enabled };
    },
  );
}
