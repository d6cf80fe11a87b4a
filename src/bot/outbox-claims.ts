/**
 * What the outbox sends (./outbox.ts): the messages it claims from the API's two ledgers, each
 * with how to compose it in its reader's language and where to report back.
 */
import type { MessageMetadata } from '@slack/types';
import type { ApiClient, ConfirmationStatus, FailureReport } from './api-client/index.ts';
import { buildWelcomeBackMessage } from './blocks/away.ts';
import { buildDigestMessage, buildReminderMessage } from './blocks/reminders.ts';
import type { TopicNoteBuilder } from './blocks/topic-note-templates.ts';
import { voiceFor } from './i18n/index.ts';
import type { ConfirmationBatcher } from './outbox-confirmations.ts';

/** Something to send: a topic note, a reminder, or a digest, with where to report back. */
export interface OutboxMessage {
  kind: 'delivery' | 'reminder';
  id: string;
  attempt: number;
  /** The Slack workspace: Slack's rate limits are counted per workspace. */
  teamId: string;
  /** When it was due: a message a sender posted for it is no older (bar clock skew). */
  dueAt: string;
  /** The DM channel id, or the user id while the DM is not known yet. */
  channel: string;
  /** A note's manager whose Slack status the API does not know: read before posting. */
  statusOf?: string;
  compose: () => { text: string; blocks: unknown[]; metadata: MessageMetadata };
  confirm: (sent: {
    attempt: number;
    channelId: string;
    ts: string;
  }) => Promise<ConfirmationStatus>;
  report: (failure: FailureReport) => Promise<{ status: string }>;
}

/** Which of the two ledgers a claim asks. */
export interface LedgersToAsk {
  deliveries: boolean;
  reminders: boolean;
}

/**
 * A ledger that had nothing to hand out rests until the sender's next poll. During a fan-out
 * the sender claims several times a second, and asking the empty reminders ledger each time
 * cost a signed request and a transaction for nothing (226 of them for 10,000 notes). When
 * both rest, both are asked: the sender is polling as an idle one does.
 */
export function ledgerRests(now: () => number) {
  const restUntil = { deliveries: 0, reminders: 0 };
  return {
    toAsk(): LedgersToAsk {
      const at = now();
      const ask = { deliveries: restUntil.deliveries <= at, reminders: restUntil.reminders <= at };
      return ask.deliveries || ask.reminders ? ask : { deliveries: true, reminders: true };
    },
    /** Both ledgers are asked at the next claim: something may have fallen due in each. */
    wake(): void {
      restUntil.deliveries = 0;
      restUntil.reminders = 0;
    },
    /** What a claim found, for each ledger it asked; an empty one rests for `restMs`. */
    found(asked: LedgersToAsk, messages: readonly OutboxMessage[], restMs: number): void {
      const until = now() + restMs;
      if (asked.deliveries) {
        restUntil.deliveries = messages.some((m) => m.kind === 'delivery') ? 0 : until;
      }
      if (asked.reminders) {
        restUntil.reminders = messages.some((m) => m.kind === 'reminder') ? 0 : until;
      }
    },
  };
}

/** The two queues the outbox works through, each claimed from the API under a lease. */
export async function claimMessages(
  api: ApiClient,
  confirmations: { deliveries: ConfirmationBatcher; reminders: ConfirmationBatcher },
  limit: number,
  leaseSeconds: number,
  /** Builds each new note: the same for every manager given a topic, bar the delivery's id. */
  noteFor: TopicNoteBuilder,
  ask: LedgersToAsk = { deliveries: true, reminders: true },
): Promise<OutboxMessage[]> {
  const [deliveries, reminders] = await Promise.all([
    ask.deliveries ? api.claimDeliveries(limit, leaseSeconds) : [],
    ask.reminders ? api.claimReminders(limit, leaseSeconds) : [],
  ]);
  return [
    ...deliveries.map(
      (d): OutboxMessage => ({
        kind: 'delivery',
        id: d.id,
        attempt: d.attempt,
        teamId: d.slackTeamId,
        dueAt: d.dueAt,
        channel: d.dmChannelId ?? d.slackUserId,
        // Known to the API (kept, fresh, not out): no Slack read (issue 19, items 1–2).
        statusOf: d.statusKnown ? undefined : d.slackUserId,
        // In the manager's language and locale, which the claimed note carries.
        compose: () => noteFor(d, voiceFor(d)),
        confirm: (sent) => confirmations.deliveries.confirm({ id: d.id, ...sent }),
        report: (failure) => api.reportDeliveryFailure(d.id, failure),
      }),
    ),
    ...reminders.map(
      (r): OutboxMessage => ({
        kind: 'reminder',
        id: r.id,
        attempt: r.attempt,
        teamId: r.slackTeamId,
        dueAt: r.dueAt,
        channel: r.dmChannelId ?? r.slackUserId,
        compose: () =>
          r.kind === 'welcome_back'
            ? buildWelcomeBackMessage(r.id, voiceFor(r))
            : r.digest
              ? buildDigestMessage(r.digest, r.id, r)
              : buildReminderMessage(r),
        confirm: (sent) => confirmations.reminders.confirm({ id: r.id, ...sent }),
        report: (failure) => api.reportReminderFailure(r.id, failure),
      }),
    ),
  ];
}
