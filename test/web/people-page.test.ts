/**
 * The People page in Chromium against the real server: an owner sees each manager's status,
 * schedule and who paused them, pauses one who asked to (with a confirmation), and the page
 * says so; nothing a manager wrote is on it. Erases a manager who asked to, and then the whole
 * workspace from the danger zone, each only once the confirmation is typed. Checked with axe and
 * photographed.
 */
import type { Browser, Page } from 'playwright-core';
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
/** The owner's page, signed in by the first test: setup makes one owner per server. */
let ownerPage: { page: Page; errors: string[] } | undefined;

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
    ownerPage = { page, errors };
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

  it('erases a manager, then the workspace, each only once its confirmation is typed', async () => {
    const db = server.database.db;
    const now = server.now();
    const workspace = await createWorkspace(db);
    await db
      .updateTable('workspaces')
      .set({ name: 'Erasable' })
      .where('id', '=', workspace.id)
      .execute();
    const cleo = await createSubscriber(db, workspace, {}, now);
    const dev = await createSubscriber(db, workspace, {}, now);

    if (!ownerPage) throw new Error('the first test signs the owner in');
    const { page, errors } = ownerPage;
    await page.goto(`${server.url}/admin/people?team=${workspace.slackTeamId}`);
    const cleoRow = page.getByRole('row', { name: new RegExp(cleo.who.slackUserId) });
    await cleoRow.getByRole('button', { name: 'Erase their data' }).click();
    const confirm = cleoRow.getByRole('button', { name: 'Erase their data' });
    await cleoRow.getByLabel(/Type .* to confirm/).fill(dev.who.slackUserId);
    expect(await confirm.isDisabled()).toBe(true);
    await cleoRow.getByLabel(/Type .* to confirm/).fill(cleo.who.slackUserId);
    await checkPage(page, 'people-erase');
    await confirm.click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Erased');
    await expect.poll(() => cleoRow.count()).toBe(0);
    const managers = () =>
      db
        .selectFrom('managers')
        .where('workspace_id', '=', workspace.id)
        .select('slack_user_id')
        .execute();
    expect((await managers()).map((m) => m.slack_user_id)).toEqual([dev.who.slackUserId]);

    await page.getByRole('button', { name: 'Erase this workspace' }).click();
    await page.getByLabel(/Type .* to confirm/).fill('Erasable');
    await page.getByRole('button', { name: 'Erase this workspace' }).click();
    await expect
      .poll(
        async () =>
          (await db.selectFrom('workspaces').where('id', '=', workspace.id).select('id').execute())
            .length,
      )
      .toBe(0);
    expect(await managers()).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
