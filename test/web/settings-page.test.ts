/**
 * The Settings page in Chromium against the real server: an owner changes the workspace's
 * defaults and saves them (the API then reads them back); a value out of range is refused with
 * the API's message beside its field, and nothing is saved. Checked with axe and photographed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWorkspaceSettings } from '../../src/core/settings/service.ts';
import { saveUserGroups, userGroupChoices } from '../../src/core/user-groups/service.ts';
import { launchBrowser } from '../support/browser.ts';
import { createWorkspace } from '../support/factories.ts';
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

describe('the Settings page', () => {
  it('saves changed defaults, and shows a bad value beside its field without saving it', async () => {
    const db = server.database.db;
    const workspace = await createWorkspace(db);
    const { page, errors } = await newPage(await newContext(browser));
    await ownerSignedIn(page, server, {
      email: 'owner@example.com',
      name: 'Olu Owner',
      password: 'a long and private passphrase',
    });
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Workspace settings' });
    const cap = form.getByRole('textbox', { name: 'Most Blindspot messages a day' });
    await expect.poll(() => cap.inputValue()).toBe('2');
    await checkPage(page, 'settings');

    await form.getByRole('checkbox', { name: 'Tuesday' }).check();
    await form.getByRole('checkbox', { name: 'Friday' }).uncheck();
    await form.getByLabel('Time offered').fill('10:30');
    await form.getByLabel('Quiet hours start').fill('21:00');
    await form.getByLabel('Quiet hours end').fill('07:30');
    await cap.fill('3');
    await form.getByRole('textbox', { name: 'Check back after (days)' }).fill('10');
    await form.getByRole('switch', { name: 'Weekly digest on for new sign-ups' }).check();
    await form.getByRole('combobox', { name: 'Default language' }).click();
    await page.getByRole('option', { name: 'German (Deutsch)' }).click();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
    expect(await getWorkspaceSettings(db, workspace.slackTeamId)).toEqual({
      defaultWeekdays: [1, 2, 3],
      defaultLocalTime: '10:30',
      quietHours: { start: '21:00', end: '07:30' },
      dailyDmCap: 3,
      checkBackDays: 10,
      weeklyDigest: true,
      defaultLanguage: 'de',
    });

    await cap.fill('11');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => cap.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Pick a whole number from 2 to 10.').count()).toBe(1);
    await checkPage(page, 'settings-error');
    expect((await getWorkspaceSettings(db, workspace.slackTeamId)).dailyDmCap).toBe(3);

    // The bot has read the workspace's user groups from Slack: an admin makes one a team.
    await saveUserGroups(
      db,
      workspace.slackTeamId,
      {
        groups: [
          { slackGroupId: 'S0LEADS', handle: 'leads', name: 'Team leads' },
          { slackGroupId: 'S0SALES', handle: 'sales', name: 'Sales' },
        ],
      },
      new Date(),
    );
    await page.reload();
    const teams = page.getByRole('form', { name: 'Analytics teams' });
    await teams.getByRole('checkbox', { name: 'Team leads (@leads)' }).check();
    await teams.getByRole('button', { name: 'Save teams' }).click();
    await expect.poll(() => teams.getByRole('status').textContent()).toBe('Teams saved.');
    const saved = await userGroupChoices(db, workspace.slackTeamId);
    expect(saved.groups.map((g) => [g.slackGroupId, g.isTeam])).toEqual([
      ['S0SALES', false],
      ['S0LEADS', true],
    ]);
    // Saving asked the bot to read the chosen group's members.
    expect(saved.sync.requested).toBe(true);
    await checkPage(page, 'settings-teams');
    expect(errors).toEqual([]);
  }, 120_000);
});
