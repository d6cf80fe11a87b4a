/**
 * Passkeys in a real Chromium, with the browser's own WebAuthn virtual authenticator (the
 * DevTools protocol's WebAuthn domain): registered as the first factor at enrolment, then used
 * on their own (passwordless) and as the second factor after a password; another added from
 * My security only with the password.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import {
  buildWebApp,
  checkPage,
  chooseSecondFactor,
  INJECTED,
  newContext,
  newPage,
  type Person,
  type Server,
  setUpOwner,
  setupLink,
  signInWithPassword,
  signOut,
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

/**
 * A platform authenticator that holds discoverable credentials and verifies its user.
 * @returns a way to take it away again (another device, as far as the site can tell).
 */
async function addVirtualAuthenticator(
  context: BrowserContext,
  page: Page,
): Promise<() => Promise<void>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return async () => {
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  };
}

const owner: Person = {
  email: 'lin@example.com',
  name: 'Lin',
  password: 'a long and unusual passphrase',
};

describe('passkeys in Chromium', () => {
  it('registers a passkey at enrolment, then signs in with it alone and as a second factor', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    const removeFirst = await addVirtualAuthenticator(context, page);

    await setUpOwner(page, await setupLink(server), owner);
    const passkeyName = `Laptop ${INJECTED}`;
    await page.getByLabel('Passkey name').fill(passkeyName);
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    // The first factor comes with the ten recovery codes.
    const codes = page.getByTestId('recovery-codes').locator('code');
    await expect.poll(() => codes.count()).toBe(10);
    await checkPage(page, 'passkey-recovery-codes');
    await page.getByRole('button', { name: 'I have saved my codes: continue' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');

    await page.getByRole('link', { name: 'My security' }).click();
    await expect.poll(() => page.getByRole('cell', { name: passkeyName }).count()).toBe(1);
    await checkPage(page, 'my-security-passkey');

    // Passwordless: the passkey alone signs in.
    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');

    // After a password, the passkey is the second factor.
    await signOut(page);
    await signInWithPassword(page, server, owner);
    await chooseSecondFactor(page, 'Passkey');
    await checkPage(page, 'second-factor-passkey');
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');

    // Another passkey, now that the account has one: the session alone is not enough.
    await page.getByRole('link', { name: 'My security' }).click();
    await page.getByLabel('Passkey name').fill('Phone');
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    const proof = page.getByLabel('Your password, or a 6-digit code from your authenticator app');
    await proof.fill('not my password at all');
    await page.getByRole('button', { name: 'Register the passkey' }).click();
    await expect.poll(() => page.getByText('That password is not right.').count()).toBe(1);
    await checkPage(page, 'passkey-reauthentication-wrong');
    // The first authenticator holds this account's passkey already (the site excludes it).
    await removeFirst();
    await addVirtualAuthenticator(context, page);
    await proof.fill(owner.password);
    await page.getByRole('button', { name: 'Register the passkey' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Phone' }).count()).toBe(1);
    await expect.poll(() => page.getByText('Passkey added.').count()).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
