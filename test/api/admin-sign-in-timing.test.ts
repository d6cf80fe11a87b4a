/**
 * An unknown email and a wrong password take the same time to refuse (within 10%, comparing
 * medians of interleaved runs), so timing does not tell who has an account.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  startAdminApi,
  TestClock,
} from '../support/admin-harness.ts';

const RUNS = 41;
const HOUR = 3_600_000;

let api: AdminApi;

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(new Date('2026-12-07T09:00:00Z')) });
});

afterAll(async () => {
  await api?.close();
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return ((sorted[(sorted.length - 1) >> 1] ?? 0) + (sorted[sorted.length >> 1] ?? 0)) / 2;
};

it('refuses an unknown email as slowly as a wrong password', async () => {
  const account = await createAccount(api.db);
  let address = 0;
  /** One refused sign-in, timed; every attempt from a new address, an hour after the last. */
  const timed = async (email: string): Promise<number> => {
    address += 1;
    api.clock.advance(2 * HOUR);
    const person = new AdminBrowser(api.url, {
      'x-forwarded-for': `100.64.${address >> 8}.${address & 255}`,
    });
    const started = performance.now();
    const answer = await person.signIn({ email, password: 'not the right password' });
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(401);
    return elapsed;
  };
  // Warm up both paths (the dummy hash is made on first use; JIT, connections).
  for (let i = 0; i < 3; i += 1) {
    await timed('nobody@example.com');
    await timed(account.email);
  }
  /** Median times of RUNS interleaved attempts each, alternating which goes first. */
  const round = async (r: number) => {
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      if (i % 2 === 0) {
        unknown.push(await timed(`nobody-${r}-${i}@example.com`));
        wrong.push(await timed(account.email));
      } else {
        wrong.push(await timed(account.email));
        unknown.push(await timed(`nobody-${r}-${i}@example.com`));
      }
    }
    const [a, b] = [median(unknown), median(wrong)];
    return { a, b, gap: Math.abs(a - b) / Math.max(a, b) };
  };
  // The machine running the tests is shared; one busy moment can skew a round. A real
  // difference shows in every round, so the best of five must be within 10%.
  const rounds = [];
  for (let r = 0; r < 5; r += 1) {
    const result = await round(r);
    rounds.push(result);
    if (result.gap < 0.1) break;
  }
  const best = rounds.reduce((x, y) => (y.gap < x.gap ? y : x));
  const shown = rounds
    .map((x) => `unknown ${x.a.toFixed(1)} ms, wrong ${x.b.toFixed(1)} ms`)
    .join('; ');
  expect(best.gap, shown).toBeLessThan(0.1);
});
