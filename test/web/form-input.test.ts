/**
 * The admin forms with input at and past the API's limits, in a real Chromium: one character
 * too many is refused beside its field (before any request), and text in any script, with
 * accents, emoji and right-to-left words, is taken up to the limit (counted in characters as
 * the API counts them, not in UTF-16 units), stored and shown exactly as typed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LIMITS } from '../../web/src/api/limits.ts';
import { LIMITS } from '../../web/src/validation.ts';
import { launchBrowser } from '../support/browser.ts';
import {
  buildWebApp,
  checkPage,
  enrolTotp,
  newContext,
  newPage,
  type Person,
  type Server,
  setupLink,
  signInWithTotp,
  signOut,
  startServer,
} from './admin-app.ts';

let browser: Browser;
let server: Server;

const NAME_MAX = REQUEST_LIMITS.inviteAccount.displayName.maxLength;
/** Accents (one precomposed, one combining), an emoji with a skin tone, Arabic and Hebrew. */
const WORLDLY = 'Zoë Ñandú-O’Brien e\u0301 👩🏽‍💻 ناصر שלום';
/** Exactly as many characters as the API takes, and twice as many UTF-16 units. */
const EMOJI_AT_LIMIT = '🙂'.repeat(NAME_MAX);

const owner: Person = {
  email: 'zoe@example.com',
  name: WORLDLY,
  // Twelve characters or more, most of them outside ASCII.
  password: 'Ünïcødé pässwörd 🔑 ключ 鍵',
};

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits for `message` beside a field, and checks no request left the page meanwhile. */
async function expectRefusedBeside(page: Page, message: string, requests: string[]) {
  await expect.poll(() => page.getByText(message, { exact: true }).count()).toBe(1);
  expect(requests).toEqual([]);
}

function apiRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'GET' && request.url().includes('/api/v1/admin/')) {
      requests.push(request.url());
    }
  });
  return requests;
}

// A real browser on a shared CI machine: each step takes seconds, and more under load.
describe('the admin forms with long and non-ASCII input, in Chromium', { timeout: 150_000 }, () => {
  it('refuses one character too many beside the field, and keeps every script as typed', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);

    // First-run setup: over-long email, name and password are each refused where they are.
    await page.goto(await setupLink(server));
    const requests = apiRequests(page);
    const longEmail = `${'a'.repeat(LIMITS.emailMax - 'example.com'.length)}@example.com`;
    await page.getByLabel('Email').fill(longEmail);
    await page.getByLabel('Your name').fill(`${EMOJI_AT_LIMIT}🙂`);
    await page.getByLabel(/^Password/).fill('x'.repeat(LIMITS.passwordMax + 1));
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await expectRefusedBeside(
      page,
      `Use at most ${LIMITS.emailMax} characters (this is ${LIMITS.emailMax + 1}).`,
      requests,
    );
    await expectRefusedBeside(
      page,
      `Use at most ${NAME_MAX} characters (this is ${NAME_MAX + 1}).`,
      requests,
    );
    await expectRefusedBeside(
      page,
      `Use at most ${LIMITS.passwordMax} characters (this is ${LIMITS.passwordMax + 1}).`,
      requests,
    );
    // The field kept every character (no maxlength attribute cut the emoji in half).
    expect([...(await page.getByLabel('Your name').inputValue())]).toHaveLength(NAME_MAX + 1);
    await checkPage(page, 'form-input-setup-too-long');

    // The same fields at their limits and in every script go through.
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel(/^Password/).fill(owner.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.waitForURL('**/admin/enrolment');
    const { secret } = await enrolTotp(page, server, 'form-input-owner');
    await expect.poll(() => page.getByText(`Welcome, ${owner.name}.`).count()).toBe(1);

    // The non-ASCII password signs in again, as typed.
    await signOut(page);
    await signInWithTotp(page, server, owner, secret);

    // Inviting: a name one emoji too long is refused; a name of exactly the limit in emoji
    // (twice as many UTF-16 units) and one in several scripts are taken and listed as typed.
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    const inviteRequests = apiRequests(page);
    await page.getByLabel('Email').fill('emoji@example.com');
    await page.getByLabel(/^Name/).fill(`${EMOJI_AT_LIMIT}🙂`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expectRefusedBeside(
      page,
      `Use at most ${NAME_MAX} characters (this is ${NAME_MAX + 1}).`,
      inviteRequests,
    );
    await checkPage(page, 'form-input-invite-too-long');
    await page.getByLabel(/^Name/).fill(EMOJI_AT_LIMIT);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect.poll(() => page.getByRole('link', { name: EMOJI_AT_LIMIT }).count()).toBe(1);
    await page.getByLabel('Email').fill('shalom@example.com');
    await page.getByLabel(/^Name/).fill(`שלום ${WORLDLY}`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect
      .poll(() => page.getByRole('link', { name: `שלום ${WORLDLY}`, exact: true }).count())
      .toBe(1);
    await checkPage(page, 'form-input-accounts');

    // API keys: the same for a key's name.
    await page.getByRole('link', { name: 'API keys' }).click();
    const keyRequests = apiRequests(page);
    const keyMax = REQUEST_LIMITS.createApiKey.name.maxLength;
    await page.getByLabel(/^Name/).fill('é'.repeat(keyMax + 1));
    await page.getByRole('button', { name: 'Create key' }).click();
    await expectRefusedBeside(
      page,
      `Use at most ${keyMax} characters (this is ${keyMax + 1}).`,
      keyRequests,
    );
    await page.getByLabel(/^Name/).fill(`Nightly ${WORLDLY}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: `Nightly ${WORLDLY}`, exact: true }).count())
      .toBe(1);
    await checkPage(page, 'form-input-api-keys');

    // Sign-in: an address longer than any address is refused before it is sent.
    await signOut(page);
    const signInRequests = apiRequests(page);
    await page.getByLabel('Email').fill(`${'b'.repeat(300)}@example.com`);
    await page.getByLabel(/^Password/).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectRefusedBeside(
      page,
      `Use at most ${LIMITS.emailMax} characters (this is ${300 + '@example.com'.length}).`,
      signInRequests,
    );
    await checkPage(page, 'form-input-sign-in-too-long');
    expect(errors).toEqual([]);
    await context.close();
  });
});
