/**
 * The bot's side of a lease ledger (deliveries, reminders): claim due rows under a lease, then
 * renew the leases while it holds them, then confirm each with its Slack message, or report why
 * it failed. Written once, so the two ledgers' URLs, bodies and answers cannot drift apart; each
 * feature names its operations and supplies its service calls, which also count its metrics.
 * Service token only: these calls act for no single manager.
 */
import type { Static, TObject, TProperties } from 'typebox';
import { Type } from 'typebox';
import { POLL, pollFoundWork } from '../../http/request-log.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireService, SERVICE_TOKEN_SECURITY } from '../plugins/authenticate.ts';
import {
  ClaimBody,
  ConfirmationBatch,
  ConfirmationBatchBody,
  ConfirmationBody,
  ErrorRef,
  FailureBody,
  FailureOutcome,
  IdParams,
  LeaseRenewalBody,
  LeaseRenewals,
} from '../schemas.ts';

interface Operation {
  operationId: string;
  summary: string;
}

export interface LeaseRoutes<Claimed extends { dueAt: Date }, Confirmed extends TObject> {
  /** '/deliveries' serves /deliveries/claims, /deliveries/:id/confirmation and …/failure. */
  prefix: string;
  tag: string;
  serviceToken: string;
  now: () => Date;
  /** A claimed row: its schema's name in OpenAPI, its fields, and its key in the claim's answer. */
  claimed: { name: string; properties: TProperties; key: string };
  claim: Operation & {
    run(lease: { limit: number; leaseMs: number }, now: Date): Promise<readonly Claimed[]>;
  };
  renew: Operation & {
    run(
      leases: Static<typeof LeaseRenewalBody>['leases'],
      leaseMs: number,
      now: Date,
    ): Promise<
      ReadonlyArray<{ id: string; attempt: number; renewed: boolean; leaseExpiresAt: Date | null }>
    >;
  };
  confirm: Operation & {
    response: Confirmed;
    /** The ledger refuses a second, different message for one row (409). */
    conflicts?: boolean;
    run(id: string, sent: Static<typeof ConfirmationBody>, now: Date): Promise<Static<Confirmed>>;
  };
  /** Many confirmations in one call: the sender's usual way, one call for many messages. */
  confirmBatch: Operation & {
    run(
      sent: Static<typeof ConfirmationBatchBody>['confirmations'],
      now: Date,
    ): Promise<Static<typeof ConfirmationBatch>['confirmations']>;
  };
  reportFailure: Operation & {
    run(
      id: string,
      report: Static<typeof FailureBody>,
      now: Date,
    ): Promise<Omit<Static<typeof FailureOutcome>, 'retryAt'> & { retryAt?: Date }>;
  };
}

/**
 * Registers `${prefix}/claims`, `${prefix}/leases`, `${prefix}/confirmations`,
 * `${prefix}/:id/confirmation` and `${prefix}/:id/failure`.
 */
export function registerLeaseRoutes<Claimed extends { dueAt: Date }, Confirmed extends TObject>(
  app: HttpServer,
  routes: LeaseRoutes<Claimed, Confirmed>,
): void {
  const { prefix, claimed, claim, renew, confirm, confirmBatch, reportFailure, now } = routes;
  app.addSchema(Type.Object(claimed.properties, { $id: claimed.name, title: claimed.name }));
  const onRequest = requireService(routes.serviceToken);
  const common = { tags: [routes.tag], security: SERVICE_TOKEN_SECURITY };

  app.post(
    `${prefix}/claims`,
    {
      onRequest,
      config: POLL,
      schema: {
        ...common,
        operationId: claim.operationId,
        summary: claim.summary,
        body: ClaimBody,
        response: {
          200: Type.Object({ [claimed.key]: Type.Array(Type.Ref(claimed.name)) }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const rows = await claim.run(
        { limit: request.body.limit, leaseMs: request.body.leaseSeconds * 1000 },
        now(),
      );
      if (rows.length > 0) pollFoundWork(request);
      return { [claimed.key]: rows.map((row) => ({ ...row, dueAt: row.dueAt.toISOString() })) };
    },
  );

  app.post(
    `${prefix}/leases`,
    {
      onRequest,
      schema: {
        ...common,
        operationId: renew.operationId,
        summary: renew.summary,
        description:
          'Renews every listed lease still held under its attempt to `leaseSeconds` from now ' +
          '(never earlier than it was), in one statement. The answer lists the leases in the ' +
          'order asked. A lease that is not renewed (re-claimed by another sender, confirmed, ' +
          'closed, or an id that does not exist) is answered `renewed: false` with ' +
          '`leaseExpiresAt: null`, never 404: either way the sender should drop the row, and ' +
          'one gone row must not fail the renewal of the rest. This is the only way to renew a ' +
          'lease.',
        body: LeaseRenewalBody,
        response: { 200: LeaseRenewals, 400: ErrorRef, 401: ErrorRef },
      },
    },
    async (request) => {
      const renewals = await renew.run(
        request.body.leases,
        request.body.leaseSeconds * 1000,
        now(),
      );
      return {
        leases: renewals.map((lease) => ({
          ...lease,
          leaseExpiresAt: lease.leaseExpiresAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    `${prefix}/confirmations`,
    {
      onRequest,
      schema: {
        ...common,
        operationId: confirmBatch.operationId,
        summary: confirmBatch.summary,
        description:
          'Records up to 500 sent messages in one call and one transaction. Each is answered ' +
          'in the order asked; an unknown id or a row already sent as another message does ' +
          'not fail the others. Repeating a confirmation changes nothing.',
        body: ConfirmationBatchBody,
        response: { 200: ConfirmationBatch, 400: ErrorRef, 401: ErrorRef },
      },
    },
    async (request) => ({
      confirmations: await confirmBatch.run(request.body.confirmations, now()),
    }),
  );

  app.post(
    `${prefix}/:id/confirmation`,
    {
      onRequest,
      schema: {
        ...common,
        operationId: confirm.operationId,
        summary: confirm.summary,
        params: IdParams,
        body: ConfirmationBody,
        response: {
          200: confirm.response,
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
          ...(confirm.conflicts ? { 409: ErrorRef } : {}),
        },
      },
    },
    async (request) => confirm.run(request.params.id, request.body, now()),
  );

  app.post(
    `${prefix}/:id/failure`,
    {
      onRequest,
      schema: {
        ...common,
        operationId: reportFailure.operationId,
        summary: reportFailure.summary,
        params: IdParams,
        body: FailureBody,
        response: { 200: FailureOutcome, 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      const outcome = await reportFailure.run(request.params.id, request.body, now());
      return { ...outcome, retryAt: outcome.retryAt?.toISOString() };
    },
  );
}
