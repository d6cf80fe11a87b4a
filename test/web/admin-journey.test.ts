/**
 * The admin app in a real Chromium against the real server and PostgreSQL (issue 13's journey):
 * first-run setup → TOTP enrolment (codes computed from the secret the page shows) → sign out →
 * sign in with password + TOTP → a recovery code works once → invite a viewer → the viewer
 * cannot edit → the owner revokes the viewer's session → the viewer's next click lands on
 * sign-in. Every page is checked with axe-core and photographed; markup in text fields is
 * test/web/admin-pages.test.ts's subject.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import {
  buildWebApp,
  checkPage,
  chooseSecondFactor,
  enrolTotp,
  newContext,
  newPage,
  onServer,
  type Person,
  type Server,
  setUpOwner,
  setupLink,
  signInWithPassword,
  signOut,
  startServer,
  totpCode,
} from './admin-app.ts';

const TOTP_STEP_MS = 30_000;

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

const owner: Person = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  password: 'correct horse battery staple',
};
const viewer: Person = {
  email: 'grace@example.com',
  name: 'Grace Hopper',
  password: 'another long passphrase here',
};

async function useRecoveryCode(page: Page, code: string) {
  await chooseSecondFactor(page, 'Recovery code');
  await page.getByLabel('One of your recovery codes').fill(code);
  await page.getByRole('button', { name: 'Use recovery code' }).click();
}

describe('the admin app, end to end in Chromium', () => {
  it('takes an owner from first-run setup to inviting a viewer, whose revoked session ends', async () => {
    const ownerContext = await newContext(browser);
    const { page, errors } = await newPage(ownerContext);

    // First run: the setup link from the log creates the owner, who must enrol a second factor.
    await setUpOwner(page, await setupLink(server), owner);
    const { secret, recoveryCodes } = await enrolTotp(page, server, 'owner');
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('owner');
    await expect.poll(() => page.getByText(`Welcome, ${owner.name}.`).count()).toBe(1);
    await checkPage(page, 'overview');

    // Sign out, then in again with the password and a fresh TOTP code.
    await signOut(page);
    await checkPage(page, 'sign-in');
    await signInWithPassword(page, server, owner);
    await checkPage(page, 'second-factor');
    server.advance(TOTP_STEP_MS);
    await page
      .getByLabel('6-digit code from your authenticator app')
      .fill(totpCode(secret, server.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');

    // A recovery code works once: the second time it is refused, and another one works.
    const [firstCode = '', secondCode = ''] = recoveryCodes;
    await signOut(page);
    await signInWithPassword(page, server, owner);
    await useRecoveryCode(page, firstCode);
    await page.waitForURL((url) => url.pathname === '/admin');
    await signOut(page);
    await signInWithPassword(page, server, owner);
    await useRecoveryCode(page, firstCode);
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in/second-factor');
    await useRecoveryCode(page, secondCode);
    await page.waitForURL((url) => url.pathname === '/admin');

    // Invite a viewer; the page shows the one-time link to copy.
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel(/^Name/).fill(viewer.name);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Invite' }).click();
    const invitation = page.getByTestId('invitation').getByTestId('copy-field-value');
    await expect.poll(() => invitation.textContent()).toMatch(/\/admin\/invite\?token=/);
    await expect.poll(() => page.getByText(viewer.name).count()).toBeGreaterThan(0);
    await checkPage(page, 'accounts');

    // The viewer accepts in a browser of their own and enrols.
    const viewerContext = await newContext(browser);
    const { page: viewerPage, errors: viewerErrors } = await newPage(viewerContext);
    await viewerPage.goto(onServer(server, String(await invitation.textContent())));
    await viewerPage.getByLabel('Your name').fill(viewer.name);
    await viewerPage.getByLabel(/^Password/).fill(viewer.password);
    await checkPage(viewerPage, 'invitation');
    await viewerPage.getByRole('button', { name: 'Accept invitation' }).click();
    await viewerPage.waitForURL('**/admin/enrolment');
    server.advance(TOTP_STEP_MS);
    await enrolTotp(viewerPage, server, 'viewer');
    await expect.poll(() => viewerPage.getByTestId('role').textContent()).toBe('viewer');

    // A viewer sees no Accounts menu item, and the API refuses their edits whatever the UI.
    expect(await viewerPage.getByRole('link', { name: 'Accounts' }).count()).toBe(0);
    await viewerPage.goto(`${server.url}/admin/accounts`);
    await expect.poll(() => viewerPage.getByRole('alert').textContent()).toBeTruthy();
    expect(await viewerPage.getByRole('button', { name: 'Invite' }).count()).toBe(0);
    const refused = await viewerPage.evaluate(async () => {
      const session = (await (await fetch('/api/v1/admin/auth/session')).json()) as {
        csrfToken: string;
      };
      const response = await fetch('/api/v1/admin/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ email: 'eve@example.com', displayName: 'Eve', role: 'owner' }),
      });
      return { status: response.status, body: await response.json() };
    });
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    await viewerPage.getByRole('link', { name: 'Overview' }).click();

    // The owner opens the viewer's account and revokes their session.
    await page.getByRole('link', { name: viewer.name }).click();
    await page.waitForURL('**/admin/accounts/*');
    const revoke = page.getByRole('button', { name: 'Revoke' });
    await expect.poll(() => revoke.count()).toBe(1);
    await checkPage(page, 'account');
    await revoke.click();
    await expect.poll(() => revoke.count()).toBe(0);

    // The viewer's next click lands on sign-in, saying why.
    await viewerPage.getByRole('link', { name: 'My security' }).click();
    await viewerPage.waitForURL('**/admin/sign-in?reason=expired');
    await expect
      .poll(() => viewerPage.getByRole('status').textContent())
      .toContain('Your session has ended');

    expect([...errors, ...viewerErrors]).toEqual([]);
    await ownerContext.close();
    await viewerContext.close();
  }, 180_000);
});
