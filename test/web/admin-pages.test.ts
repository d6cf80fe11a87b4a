/**
 * Every page of the admin app beyond the main journey, in a real Chromium: API keys (the secret
 * shown once), the audit log, My security; at 360 px in the dark scheme too; and markup typed
 * into every text field shown as text, never run (the page runs under the production CSP).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import {
  buildWebApp,
  checkPage,
  chooseSecondFactor,
  INJECTED,
  newContext,
  newPage,
  onServer,
  overflowsHorizontally,
  ownerSignedIn,
  type Person,
  type Server,
  signInWithTotp,
  startServer,
  totpCode,
} from './admin-app.ts';

let browser: Browser;
let server: Server;
let secret: string;

const owner: Person = {
  email: 'ada@example.com',
  name: `Ada ${INJECTED}`,
  password: 'correct horse battery staple',
};

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer();
  const context = await newContext(browser);
  const { page } = await newPage(context);
  ({ secret } = await ownerSignedIn(page, server, owner));
  await context.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(page: Page, label: string) {
  const menu = page.getByRole('button', { name: 'Open navigation' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('link', { name: label }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(label);
}

// A real browser on a shared CI machine: each test takes seconds, and more under load.
describe('the admin pages in Chromium', { timeout: 90_000 }, () => {
  it('creates an API key whose secret is shown once, lists it, and revokes it', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await open(page, 'API keys');
    await page.getByLabel(/^Name/).fill(`nightly ${INJECTED}`);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('api-key-secret').getByTestId('copy-field-value');
    await expect.poll(() => shown.textContent()).toMatch(/^bsk_/);
    await expect
      .poll(() => page.getByRole('cell', { name: `nightly ${INJECTED}` }).count())
      .toBe(1);
    await checkPage(page, 'api-keys');

    // The secret is gone once the page is left: the list never shows it.
    await open(page, 'Overview');
    await open(page, 'API keys');
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => page.getByText('No API keys.').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the audit log, filters it, and links its CSV export', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await open(page, 'Audit log');
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(1);
    await checkPage(page, 'audit-log');
    const csv = page.getByRole('link', { name: 'Download CSV' });
    const response = await page.request.get(`${server.url}${await csv.getAttribute('href')}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/text\/csv/);

    await page.getByLabel('Action').fill(INJECTED);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByText('No events match.').count()).toBe(1);
    await checkPage(page, 'audit-log-filtered');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists my sessions and second factors, and signs out everywhere', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await open(page, 'My security');
    await expect.poll(() => page.getByText('This session').count()).toBe(1);
    await checkPage(page, 'my-security');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await page.waitForURL('**/admin/sign-in?reason=signed-out');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows markup typed into any text field as text, and never runs it', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);

    // Sign-in: the email field refuses it beside the field; the password is just wrong.
    await page.goto(`${server.url}/admin/sign-in`);
    await page.getByLabel('Email').fill(INJECTED);
    await page.getByLabel(/^Password/).fill(INJECTED);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByText('Enter an email address like').count()).toBe(1);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await checkPage(page, 'markup-sign-in');

    // The second factor: a recovery code made of markup is refused, and shown nowhere.
    await page.getByLabel(/^Password/).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/admin/sign-in/second-factor');
    await chooseSecondFactor(page, 'Recovery code');
    await page.getByLabel('One of your recovery codes').fill(INJECTED);
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await checkPage(page, 'markup-second-factor');

    // Signed in: the owner's own name (set up with markup) shows literally everywhere.
    await signInWithTotp(page, server, owner, secret);
    await expect.poll(() => page.getByText(`Welcome, ${owner.name}.`).count()).toBe(1);

    // Invite someone whose name is markup; the list shows it as text.
    await open(page, 'Accounts');
    await page.getByLabel('Email').fill('mallory@example.com');
    await page.getByLabel(/^Name/).fill(`Mallory ${INJECTED}`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect
      .poll(() => page.getByRole('link', { name: `Mallory ${INJECTED}` }).count())
      .toBe(1);
    await checkPage(page, 'markup-accounts');
    await page.getByRole('link', { name: `Mallory ${INJECTED}` }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe(`Mallory ${INJECTED}`);
    await checkPage(page, 'markup-account');

    // The audit log's filters.
    await open(page, 'Audit log');
    await page.getByLabel('Actor').fill(INJECTED);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByText('No events match.').count()).toBe(1);
    await checkPage(page, 'markup-audit-log');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px screen in the dark scheme, every page accessible', async () => {
    const context = await newContext(browser, { width: 360, colorScheme: 'dark' });
    const { page, errors } = await newPage(context);
    await page.goto(`${server.url}/admin/sign-in`);
    expect(await overflowsHorizontally(page)).toBe(false);
    await checkPage(page, 'narrow-sign-in');
    await signInWithTotp(page, server, owner, secret);
    for (const [label, name] of [
      ['Overview', 'narrow-overview'],
      ['Accounts', 'narrow-accounts'],
      ['API keys', 'narrow-api-keys'],
      ['Audit log', 'narrow-audit-log'],
      ['My security', 'narrow-my-security'],
    ] as const) {
      await open(page, label);
      await page.waitForLoadState('networkidle');
      expect(await overflowsHorizontally(page), name).toBe(false);
      await checkPage(page, name);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks for the password or a current code before new recovery codes or a new app', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await open(page, 'My security');
    await page.getByRole('button', { name: 'New recovery codes' }).click();
    const proof = page.getByLabel('Your password, or a 6-digit code from your authenticator app');
    await proof.fill('not my password at all');
    await page.getByRole('button', { name: 'Make ten new recovery codes' }).click();
    // Wrong: said beside the field, and the session goes on.
    await expect.poll(() => page.getByText('That password is not right.').count()).toBe(1);
    await checkPage(page, 'reauthentication-wrong');
    await proof.fill(owner.password);
    await page.getByRole('button', { name: 'Make ten new recovery codes' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('code').count()).toBe(10);

    // Replacing the app: a current code from the old one, then the new one's first code.
    await page.getByRole('button', { name: 'Replace the authenticator app' }).click();
    await page.waitForURL('**/admin/enrolment');
    server.advance(30_000);
    await proof.fill(totpCode(secret, server.now()));
    await checkPage(page, 'reauthentication-replace-app');
    await page.getByRole('button', { name: 'Replace the authenticator app' }).click();
    const shown = page.getByTestId('copy-field-value').first();
    await expect.poll(() => shown.textContent()).toMatch(/^[A-Z2-7]{16,}=*$/);
    const replacement = String(await shown.textContent()).trim();
    expect(replacement).not.toBe(secret);
    server.advance(30_000);
    await page
      .getByLabel('Then enter the 6-digit code it shows')
      .fill(totpCode(replacement, server.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('code').count()).toBe(10);
    secret = replacement;
    await page.getByRole('button', { name: 'I have saved my codes: continue' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    expect(errors).toEqual([]);
    await context.close();
  });

  // Last: it changes the owner's password, which the tests above sign in with.
  it('resets a password with a link an owner makes, which signs every session out', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await page.goto(`${server.url}/admin/reset-password`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('reset link');
    await checkPage(page, 'password-reset-request');

    await signInWithTotp(page, server, owner, secret);
    await open(page, 'Accounts');
    await page.getByRole('link', { name: owner.name }).click();
    await page.getByRole('button', { name: 'Make a password reset link' }).click();
    const link = page.getByTestId('copy-field-value');
    await expect.poll(() => link.textContent()).toMatch(/\/admin\/reset-password\?token=/);

    const other = await newContext(browser);
    const { page: resetPage, errors: resetErrors } = await newPage(other);
    await resetPage.goto(onServer(server, String(await link.textContent())));
    await resetPage.getByLabel(/^New password/).fill('short');
    await resetPage.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => resetPage.getByText('Use at least 12 characters').count()).toBe(1);
    owner.password = 'a brand new and longer passphrase';
    await resetPage.getByLabel(/^New password/).fill(owner.password);
    await checkPage(resetPage, 'password-reset');
    await resetPage.getByRole('button', { name: 'Change password' }).click();
    await resetPage.waitForURL('**/admin/sign-in?reason=password-changed');

    // The owner's other session ended with the change: the next click goes to sign-in.
    await page.getByRole('link', { name: 'My security' }).click();
    await page.waitForURL('**/admin/sign-in?reason=expired');
    await signInWithTotp(resetPage, server, owner, secret);
    expect([...errors, ...resetErrors]).toEqual([]);
    await context.close();
    await other.close();
  });
});
