/**
 * The outbox's calls: claim due deliveries and reminders under a lease, renew the leases it
 * holds, confirm what it sent (in batches) or report why it could not. Service calls, on no
 * Slack user's behalf.
 */
import type { components, paths } from './schema.ts';
import type { Transport } from './transport.ts';

type ClaimedDelivery = components['schemas']['ClaimedDelivery'];
type ClaimedReminder = components['schemas']['ClaimedReminder'];
/** A lease the bot holds: the row, and the attempt it claimed the row under. */
export type HeldLease =
  paths['/api/v1/deliveries/leases']['post']['requestBody']['content']['application/json']['leases'][number];
export type LeaseRenewal =
  paths['/api/v1/deliveries/leases']['post']['responses']['200']['content']['application/json']['leases'][number];
/** One sent message to confirm in a batch, and what the API made of it. */
export type SentConfirmation =
  paths['/api/v1/deliveries/confirmations']['post']['requestBody']['content']['application/json']['confirmations'][number];
export type ConfirmationStatus =
  paths['/api/v1/deliveries/confirmations']['post']['responses']['200']['content']['application/json']['confirmations'][number]['status'];
export type FailureReport =
  paths['/api/v1/deliveries/{id}/failure']['post']['requestBody']['content']['application/json'];

export function ledgerCalls({ api, unwrap, serviceHeaders }: Transport) {
  return {
    async claimReminders(limit: number, leaseSeconds: number): Promise<ClaimedReminder[]> {
      const result = unwrap(
        await api().POST('/api/v1/reminders/claims', {
          headers: serviceHeaders(),
          body: { limit, leaseSeconds },
        }),
      );
      return result.reminders;
    },
    /** Confirms many sent reminders in one call; answers each in the order asked. */
    async confirmReminders(confirmations: SentConfirmation[]) {
      const result = unwrap(
        await api().POST('/api/v1/reminders/confirmations', {
          headers: serviceHeaders(),
          body: { confirmations },
        }),
      );
      return result.confirmations;
    },
    async reportReminderFailure(id: string, report: FailureReport) {
      return unwrap(
        await api().POST('/api/v1/reminders/{id}/failure', {
          params: { path: { id } },
          headers: serviceHeaders(),
          body: report,
        }),
      );
    },
    /** Renews the leases the bot holds on claimed reminders; see renewDeliveryLeases. */
    async renewReminderLeases(leases: HeldLease[], leaseSeconds: number): Promise<LeaseRenewal[]> {
      const result = unwrap(
        await api().POST('/api/v1/reminders/leases', {
          headers: serviceHeaders(),
          body: { leases, leaseSeconds },
        }),
      );
      return result.leases;
    },
    /**
     * Renews, in one call, the leases the bot holds on claimed deliveries (at most 500). A lease
     * answered `renewed: false` is no longer the bot's: another sender may hold the row.
     */
    async renewDeliveryLeases(leases: HeldLease[], leaseSeconds: number): Promise<LeaseRenewal[]> {
      const result = unwrap(
        await api().POST('/api/v1/deliveries/leases', {
          headers: serviceHeaders(),
          body: { leases, leaseSeconds },
        }),
      );
      return result.leases;
    },
    async claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
      const result = unwrap(
        await api().POST('/api/v1/deliveries/claims', {
          headers: serviceHeaders(),
          body: { limit, leaseSeconds },
        }),
      );
      return result.deliveries;
    },
    /** Confirms many sent deliveries in one call; answers each in the order asked. */
    async confirmDeliveries(confirmations: SentConfirmation[]) {
      const result = unwrap(
        await api().POST('/api/v1/deliveries/confirmations', {
          headers: serviceHeaders(),
          body: { confirmations },
        }),
      );
      return result.confirmations;
    },
    async reportDeliveryFailure(id: string, report: FailureReport) {
      return unwrap(
        await api().POST('/api/v1/deliveries/{id}/failure', {
          params: { path: { id } },
          headers: serviceHeaders(),
          body: report,
        }),
      );
    },
    /** The manager's Slack status says they are out: the claimed note is skipped, not sent. */
    async skipDelivery(id: string, attempt: number) {
      return unwrap(
        await api().POST('/api/v1/deliveries/{id}/skip', {
          params: { path: { id } },
          headers: serviceHeaders(),
          body: { attempt, reason: 'away' },
        }),
      );
    },
  };
}
