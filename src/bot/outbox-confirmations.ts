/**
 * Confirms sent messages in batches, by group commit: while one confirmation call per ledger is
 * under way, the messages posted meanwhile wait and then go together in the next call. A quiet
 * sender confirms each message at once, as before; a busy one makes one API call (and three
 * statements) for many messages instead of one call and three statements each (issue 19: CPU
 * per delivery). Each caller still waits for its own answer, so a lease is released only once
 * its row is recorded as sent.
 */
import type { ConfirmationStatus, SentConfirmation } from './api-client/index.ts';

/** As many as the API takes in one call. */
const MAX_BATCH = 500;
/** Tries per batch before its messages are given up as "sent, but could not confirm". */
const TRIES = 3;

interface Waiting {
  confirmation: SentConfirmation;
  resolve: (status: ConfirmationStatus) => void;
  reject: (error: unknown) => void;
}

export interface ConfirmationBatcher {
  /** Resolves with the API's answer for this message; rejects after the batch's last try. */
  confirm(confirmation: SentConfirmation): Promise<ConfirmationStatus>;
}

export function batchConfirmations(
  call: (confirmations: SentConfirmation[]) => Promise<Array<{ status: ConfirmationStatus }>>,
  retryDelayMs = 250,
): ConfirmationBatcher {
  let waiting: Waiting[] = [];
  let busy = false;

  async function send(batch: Waiting[]) {
    const confirmations = batch.map((entry) => entry.confirmation);
    for (let attempt = 1; ; attempt++) {
      try {
        const answers = await call(confirmations);
        batch.forEach((entry, index) => {
          entry.resolve(answers[index]?.status ?? 'not_found');
        });
        return;
      } catch (error) {
        if (attempt >= TRIES) {
          for (const entry of batch) entry.reject(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
      }
    }
  }

  async function drain() {
    busy = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, MAX_BATCH);
        waiting = waiting.slice(batch.length);
        await send(batch);
      }
    } finally {
      busy = false;
    }
  }

  return {
    confirm(confirmation) {
      return new Promise((resolve, reject) => {
        waiting.push({ confirmation, resolve, reject });
        if (!busy) void drain();
      });
    },
  };
}
