/**
 * Pause, resume and unsubscribe over real HTTP, as the Home tab's buttons call them: the
 * subscription is found and locked by the caller's Slack ids in one statement, so an unknown
 * caller and a caller with no subscription still get their own 404s, and a click that changes
 * nothing (a second Resume) answers the subscription as it is and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { botCaller } from '../support/service-calls.ts';

const TEAM = 'T0STATUSES';
const NOW = new Date('2026-03-10T09:00:00.000Z');

let database: TestDatabase;
let app: TestApp;
const callAs = botCaller(
  () => app.url,
  () => NOW,
);
const call = (method: string, path: string, user: string, body?: unknown) =>
  callAs(method, path, { team: TEAM, user }, body);

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ databaseUrl: database.url, clock: () => NOW });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function auditActions(user: string) {
  const rows = await database.db
    .selectFrom('audit_events')
    .where('actor', '=', `slack:${user}`)
    .where('action', 'like', 'subscription.%')
    .select('action')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

describe('changing a subscription from the Home tab', () => {
  it('answers 404 manager_not_found to someone Blindspot has not met', async () => {
    const answer = await call('POST', '/subscriptions/me/resume', 'U0STRANGER');
    expect(answer).toMatchObject({ status: 404, body: { code: 'manager_not_found' } });
  });

  it('answers 404 subscription_not_found to a manager who never signed up', async () => {
    expect((await call('PUT', '/me', 'U0NOSUB', { timeZone: 'UTC', locale: 'en-US' })).status).toBe(
      200,
    );
    const answer = await call('POST', '/subscriptions/me/pause', 'U0NOSUB', {});
    expect(answer).toMatchObject({ status: 404, body: { code: 'subscription_not_found' } });
    expect(await auditActions('U0NOSUB')).toEqual([]);
  });

  it('pauses and resumes, and a second Resume changes and records nothing', async () => {
    const user = 'U0TWICE';
    await call('PUT', '/me', user, { timeZone: 'Europe/Berlin', locale: 'de-DE' });
    const signedUp = await call('PUT', '/subscriptions/me', user, {
      weekdays: [1, 3],
      localTime: '08:30',
      timeZone: 'Europe/Berlin',
    });
    expect(signedUp.status).toBe(200);
    const paused = await call('POST', '/subscriptions/me/pause', user, { reason: 'holiday' });
    expect(paused.body).toMatchObject({ status: 'paused', statusReason: 'holiday' });
    const resumed = await call('POST', '/subscriptions/me/resume', user);
    expect(resumed.body).toMatchObject({
      status: 'active',
      statusReason: null,
      localTime: '08:30',
    });
    expect(resumed.body.nextDeliveryAt).not.toBeNull();
    const again = await call('POST', '/subscriptions/me/resume', user);
    expect(again).toEqual({ status: 200, body: resumed.body });
    expect(await auditActions(user)).toEqual([
      'subscription.created',
      'subscription.paused',
      'subscription.resumed',
    ]);
  });
});
