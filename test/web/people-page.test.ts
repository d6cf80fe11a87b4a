/**
 * The People page in Chromium against the real server: an owner sees each manager's status,
 * schedule and who paused them, pauses one who asked to (with a confirmation), and the page
 * says so; nothing a manager wrote is on it. Checked with axe and photographed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause } from '../../src/core/subscriptions/service.ts';
import { launchBrowser } from '../support/browser.ts';
import { createSubscriber, createWorkspace } from '../support/factories.ts';
import {
  buildWebApp,
  checkPage,
  newContext,
  newPage,
  ownerSignedIn,
  type Server,
  startServer,
} from './admin-app.ts';

let browser: Browser;
let server: Server;

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the People page', () => {
  it('lists managers with their status and pauses one on request', async () => {
    const db = server.database.db;
    const workspace = await createWorkspace(db);
    const now = server.now();
    const ada = await createSubscriber(
      db,
      workspace,
      { weekdays: [1, 3], localTime: '08:30' },
      now,
    );
    const lapsed = await createSubscriber(db, workspace, { timeZone: 'Asia/Kolkata' }, now);
    await pause(db, lapsed.who, 'slack:account_inactive', now);

    const { page, errors } = await newPage(await newContext(browser));
    await ownerSignedIn(page, server, {
      email: 'owner@example.com',
      name: 'Olu Owner',
      password: 'a long and private passphrase',
    });
    await page.getByRole('link', { name: 'People' }).click();
    const adaRow = page.getByRole('row', { name: new RegExp(ada.who.slackUserId) });
    await expect.poll(() => adaRow.textContent()).toContain('Mon, Wed at 08:30');
    await expect
      .poll(() => page.getByRole('row', { name: new RegExp(lapsed.who.slackUserId) }).textContent())
      .toContain('Slack could not deliver to them (account_inactive)');
    await checkPage(page, 'people');

    await adaRow.getByRole('button', { name: 'Pause' }).click();
    await adaRow.getByRole('button', { name: 'Yes, pause' }).click();
    await expect.poll(() => adaRow.textContent()).toContain('Paused by an admin, on request');
    expect(errors).toEqual([]);
  }, 120_000);
});
