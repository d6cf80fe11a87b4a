/**
 * The outbox's group commit: confirmations that arrive while a call is under way go together in
 * the next call; a lone one goes at once; a failing call is tried again, then its callers are
 * told. The API is replaced by a function here, as only the batching is under test; the HTTP
 * side is test/api/confirmation-batches.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SentConfirmation } from '../../src/bot/api-client/index.ts';
import { batchConfirmations } from '../../src/bot/outbox-confirmations.ts';

const sent = (id: number): SentConfirmation => ({
  id: String(id),
  attempt: 1,
  channelId: 'D0CONFIRM',
  ts: `1765180800.${String(id).padStart(6, '0')}`,
});

/** A stand-in API whose calls finish only when the test says so. */
function controlledApi() {
  const calls: Array<{ ids: string[]; finish: () => void; fail: (e: Error) => void }> = [];
  const call = (confirmations: SentConfirmation[]) =>
    new Promise<Array<{ status: 'sent' | 'not_found' }>>((resolve, reject) => {
      calls.push({
        ids: confirmations.map((c) => c.id),
        finish: () =>
          resolve(confirmations.map((c) => ({ status: c.id === '404' ? 'not_found' : 'sent' }))),
        fail: reject,
      });
    });
  return { calls, call };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('when messages are confirmed while a confirmation call is under way', () => {
  it('then the first goes alone at once and the rest wait and go together in one call', async () => {
    const api = controlledApi();
    const batcher = batchConfirmations(api.call);
    const first = batcher.confirm(sent(1));
    await tick();
    expect(api.calls.map((c) => c.ids)).toEqual([['1']]);
    const rest = [2, 3, 404, 5].map((id) => batcher.confirm(sent(id)));
    await tick();
    // Nothing more is sent until the first call has answered.
    expect(api.calls).toHaveLength(1);
    api.calls[0]?.finish();
    expect(await first).toBe('sent');
    await tick();
    expect(api.calls.map((c) => c.ids)).toEqual([['1'], ['2', '3', '404', '5']]);
    api.calls[1]?.finish();
    expect(await Promise.all(rest)).toEqual(['sent', 'sent', 'not_found', 'sent']);
  });
});

describe('when a confirmation call fails', () => {
  it('then it is tried again, and after the third failure each caller is told', async () => {
    const api = controlledApi();
    const batcher = batchConfirmations(api.call, 1);
    const outcome = batcher.confirm(sent(7)).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await expect.poll(() => api.calls.length).toBe(attempt);
      api.calls[attempt - 1]?.fail(new Error('the API answered 503'));
    }
    expect(await outcome).toBe('the API answered 503');
    // The batcher is not stuck: the next confirmation goes at once.
    const next = batcher.confirm(sent(8));
    await expect.poll(() => api.calls.length).toBe(4);
    api.calls[3]?.finish();
    expect(await next).toBe('sent');
  });
});
