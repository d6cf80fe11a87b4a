/**
 * The sandbox in a real Chromium, started as `npm start` starts it with nothing configured (no
 * Slack; SANDBOX left at auto): a newcomer's whole loop through the page alone (typing,
 * clicking, choosing in selects), with the text on screen asserted at each step and a
 * screenshot of each; then a second person in Asia/Kolkata sees their own local times.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WEB_DIST } from '../../src/sandbox/web.ts';
import { setUpTestApp } from '../support/app.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { buildWebApp, checkPage } from './admin-app.ts';

let browser: Browser;

beforeAll(async () => {
  await buildWebApp({ config: 'web/vite.sandbox.config.ts', dist: SANDBOX_WEB_DIST });
  browser = await launchBrowser();
}, 120_000);

// Registered after the build, so the app starts with the sandbox's files in place.
const testApp = setUpTestApp({ env: { SANDBOX: 'auto' } });

// After-hooks run last-registered first: the browser closes before the app does.
afterAll(async () => {
  await browser?.close();
});

const SEEN = { timeout: 30_000 };

async function openSandbox(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // The console names only the status; the request says which call it was, and why.
  page.on('response', async (response) => {
    if (response.status() < 400) return;
    const body = await response.text().catch(() => '');
    errors.push(`${response.request().method()} ${new URL(response.url()).pathname}: ${body}`);
  });
  // The console names only the status; the request says which call it was, and why.
  page.on('response', async (response) => {
    if (response.status() < 400) return;
    const body = await response.text().catch(() => '');
    errors.push(
      `${response.request().method()} ${new URL(response.url()).pathname} ${response.request().postData()}: ${body}`,
    );
  });
  await page.goto(`${testApp.url}/`);
  return { page, errors };
}

async function send(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message Blindspot' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

describe('the sandbox, in Chromium', () => {
  it('takes a newcomer from sign-up to a streak on the Home tab', async () => {
    const { page, errors } = await openSandbox();
    await page
      .getByRole('button', { name: /Ada Osei/ })
      .first()
      .click();
    await expect.poll(() => page.getByText('Europe/London').count(), SEEN).toBeGreaterThan(0);
    await checkPage(page, 'sandbox-start');

    await page.getByRole('tab', { name: 'Messages' }).click();
    await send(page, '/blindspot');
    const signup = page.getByRole('dialog', { name: 'Blindspot' });
    await signup.waitFor(SEEN);
    await signup.getByRole('checkbox', { name: 'Tuesday' }).check();
    await signup.getByLabel('At what time?').fill('08:30');
    await screenshot(page, 'sandbox-signup');
    await signup.getByRole('button', { name: 'Sign up' }).click();
    await signup.waitFor({ state: 'hidden', ...SEEN });

    await page.getByRole('button', { name: 'Next delivery' }).click();
    const plan = page.getByRole('button', { name: 'Plan an action' }).last();
    await plan.waitFor(SEEN);
    await expect.poll(() => page.getByText(/08:30/).count(), SEEN).toBeGreaterThan(0);
    await screenshot(page, 'sandbox-note');

    await plan.click();
    const planModal = page.getByRole('dialog');
    // The modal opens at once, then offers the topic's actions; words written replace a choice.
    await planModal.getByLabel('Or in your own words').waitFor(SEEN);
    await planModal.getByLabel('Or in your own words').fill('Ask Sam to run the Friday retro');
    await planModal.getByLabel('When should I check back?').click();
    await page.getByRole('option', { name: 'In 3 days' }).click();
    await screenshot(page, 'sandbox-plan');
    await planModal.getByRole('button', { name: /Save|Plan|Submit/ }).click();
    await planModal.waitFor({ state: 'hidden', ...SEEN });

    await page.getByRole('button', { name: 'Check-back date' }).click();
    await page.getByText('Did you do it?').last().waitFor(SEEN);
    await expect
      .poll(() => page.getByText('Ask Sam to run the Friday retro').count(), SEEN)
      .toBeGreaterThan(0);
    await screenshot(page, 'sandbox-reminder');
    // The button's accessible name is its accessibility_label, which names the item.
    await page
      .getByRole('button', { name: 'Done: “Ask Sam to run the Friday retro”', exact: true })
      .last()
      .click();
    const reflection = page.getByRole('dialog', { name: 'Nicely done' });
    await reflection.waitFor(SEEN);
    await reflection.getByRole('button', { name: 'Skip' }).click();
    await reflection.waitFor({ state: 'hidden', ...SEEN });

    await page.getByRole('tab', { name: 'Home' }).click();
    await page.getByText(/A streak of/).waitFor(SEEN);
    await expect.poll(() => page.getByText(/1 week/).count(), SEEN).toBeGreaterThan(0);
    await checkPage(page, 'sandbox-home');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a person in Asia/Kolkata their own local times', async () => {
    const { page, errors } = await openSandbox();
    const optionQueries: { action_id: string; value: string }[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/options')) optionQueries.push(request.postDataJSON());
    });
    await page
      .getByRole('button', { name: /Ravi Iyer/ })
      .first()
      .click();
    await expect.poll(() => page.getByText('Asia/Kolkata').count(), SEEN).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Messages' }).click();
    await send(page, '/blindspot');
    const signup = page.getByRole('dialog', { name: 'Blindspot' });
    await signup.waitFor(SEEN);
    // The menus ask the app for options only when used: typed into, or (with no minimum) opened.
    await signup.getByLabel('In which time zone?').fill('Kolk');
    // The person's own zone is already offered as the initial option, so wait for the search
    // itself rather than for an option that may be there before it.
    await expect.poll(() => optionQueries.length, SEEN).toBe(1);
    await page.getByRole('option', { name: /Kolkata/ }).click();
    expect(optionQueries.map((query) => query.action_id)).toEqual(['time_zone_select']);
    await signup.getByLabel('Public holidays').click();
    await expect.poll(() => optionQueries.length, SEEN).toBe(2);
    await signup.getByLabel('Public holidays').fill('India');
    await page.getByRole('option', { name: 'India', exact: true }).click();
    expect(optionQueries.map((query) => [query.action_id, query.value])).toEqual([
      ['time_zone_select', 'Kolk'],
      ['signup_holiday_place', ''],
      ['signup_holiday_place', 'India'],
    ]);
    await signup.getByRole('button', { name: 'Sign up' }).click();
    await signup.waitFor({ state: 'hidden', ...SEEN });
    await page.getByRole('button', { name: 'Next delivery' }).click();
    await page
      .getByText(/09:00 in Asia\/Kolkata/)
      .first()
      .waitFor(SEEN);
    await page.getByRole('button', { name: 'Plan an action' }).last().waitFor(SEEN);
    await screenshot(page, 'sandbox-kolkata');
    // Nothing asked again once chosen, even after the modal closed.
    expect(optionQueries).toHaveLength(3);
    expect(errors).toEqual([]);
  }, 120_000);
});
