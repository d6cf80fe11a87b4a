/**
 * The sign-in throttle over a real database: guesses checked at the same time are counted one
 * after another (the check reserves the attempt), reservations are settled by the outcome, and
 * one never settled stops counting on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAttemptsOf } from '../../../src/core/admin-sessions/repository.ts';
import {
  type AttemptSubject,
  assertNotThrottled,
  PENDING_ATTEMPT_MS,
  recordAttempt,
} from '../../../src/core/admin-sessions/throttle.ts';
import { AppError } from '../../../src/core/errors.ts';
import { createAccount } from '../../support/admin-harness.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let addresses = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const now = new Date('2026-12-07T09:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const newAddress = () => {
  addresses += 1;
  return `198.51.100.${addresses}`;
};

/** One guess as the second-factor routes make it: checked, then its outcome recorded. */
async function guess(attempt: AttemptSubject, at: Date, success = false): Promise<number> {
  try {
    await assertNotThrottled(database.db, attempt, at);
  } catch (error) {
    if (error instanceof AppError && error.code === 'too_many_attempts') return 429;
    throw error;
  }
  await recordAttempt(database.db, { ...attempt, success, method: 'totp' }, at);
  return success ? 200 : 401;
}

describe('the sign-in throttle', () => {
  it('counts second-factor guesses sent at the same moment one after another', async () => {
    const { id } = await createAccount(database.db);
    const attempt = { accountId: id, address: newAddress(), kind: 'second_factor' as const };
    const answers = await Promise.all(Array.from({ length: 12 }, () => guess(attempt, now)));
    expect(answers.filter((status) => status === 401)).toHaveLength(5);
    expect(answers.filter((status) => status === 429)).toHaveLength(7);
    // The history shows the five guesses, settled; nothing is left pending.
    const history = await listAttemptsOf(database.db, id, 100);
    expect(history.map((row) => [row.success, row.method])).toEqual(
      Array.from({ length: 5 }, () => [false, 'totp']),
    );
  });

  it('counts an attempt being checked as a failure until it is settled', async () => {
    const { id } = await createAccount(database.db);
    const attempt = { accountId: id, address: newAddress(), kind: 'second_factor' as const };
    // Five reserved and never settled (as if each were still being verified).
    for (let i = 0; i < 5; i += 1) await assertNotThrottled(database.db, attempt, now);
    await expect(assertNotThrottled(database.db, attempt, now)).rejects.toMatchObject({
      code: 'too_many_attempts',
    });
    // One a crash left unsettled stops counting once no check could still be under way.
    const pastPending = later(PENDING_ATTEMPT_MS + 1);
    expect(await guess(attempt, pastPending, true)).toBe(200);
    expect(await listAttemptsOf(database.db, id, 100)).toEqual([
      expect.objectContaining({ success: true, method: 'totp' }),
    ]);
  });

  it('settles a passkey sign-in reserved before its account was known under that account', async () => {
    const { id } = await createAccount(database.db);
    const address = newAddress();
    await assertNotThrottled(database.db, { address, kind: 'second_factor' }, now);
    await recordAttempt(
      database.db,
      { accountId: id, address, kind: 'second_factor', success: true, method: 'passkey' },
      now,
    );
    const rows = await database.db
      .selectFrom('admin_sign_in_attempts')
      .select(['subject', 'account_id', 'success', 'method'])
      .where('address', '=', address)
      .execute();
    expect(rows).toEqual([
      { subject: `account:${id}`, account_id: id, success: true, method: 'passkey' },
    ]);
  });
});
