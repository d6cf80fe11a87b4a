/**
 * One account's page in a real Chromium, as an owner manages someone: their sign-in history,
 * a role change, a reset of their second factors (a lost phone) and a deactivation, each seen
 * from the other person's browser too. Every state is checked with axe-core and photographed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import {
  buildWebApp,
  checkPage,
  enrolTotp,
  newContext,
  newPage,
  onServer,
  ownerSignedIn,
  type Person,
  type Server,
  signInWithTotp,
  startServer,
} from './admin-app.ts';

let browser: Browser;
let server: Server;
let ownerSecret: string;

const owner: Person = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  password: 'correct horse battery staple',
};
const editor: Person = {
  email: 'grace@example.com',
  name: 'Grace Hopper',
  password: 'another long passphrase here',
};

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer();
  const context = await newContext(browser);
  const { page } = await newPage(context);
  ({ secret: ownerSecret } = await ownerSignedIn(page, server, owner));
  await context.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The owner invites `person` as an editor; they accept and enrol TOTP in a browser of their own. */
async function inviteAndEnrol(page: Page, person: Person) {
  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel(/^Name/).fill(person.name);
  await page.getByLabel('Role').selectOption('editor');
  await page.getByRole('button', { name: 'Invite' }).click();
  const invitation = page.getByTestId('invitation').getByTestId('copy-field-value');
  await expect.poll(() => invitation.textContent()).toMatch(/\/admin\/invite\?token=/);

  const context = await newContext(browser);
  const { page: theirs, errors } = await newPage(context);
  await theirs.goto(onServer(server, String(await invitation.textContent())));
  await theirs.getByLabel('Your name').fill(person.name);
  await theirs.getByLabel(/^Password/).fill(person.password);
  await theirs.getByRole('button', { name: 'Accept invitation' }).click();
  await theirs.waitForURL('**/admin/enrolment');
  server.advance(30_000);
  const { secret } = await enrolTotp(theirs, server, 'editor');
  return { context, page: theirs, errors, secret };
}

async function openAccount(page: Page, name: string) {
  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.getByRole('link', { name }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
}

/** The rows of the sign-in history table, as text: [when, result, method, address]. */
async function signInRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('region', { name: 'Sign-in history' }).getByRole('table');
  const rows = table.locator('tbody tr');
  const texts: string[][] = [];
  for (let index = 0; index < (await rows.count()); index += 1) {
    texts.push((await rows.nth(index).locator('td').allTextContents()).map((t) => t.trim()));
  }
  return texts;
}

// A real browser on a shared CI machine: each step takes seconds, and more under load.
describe("an owner on someone's account page, in Chromium", { timeout: 150_000 }, () => {
  it('shows their sign-ins, changes their role, resets their second factors and deactivates them', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, ownerSecret);
    const them = await inviteAndEnrol(page, editor);

    // A wrong password from their side, for the history to show a failure too.
    const stranger = await newContext(browser);
    const { page: wrong } = await newPage(stranger);
    await wrong.goto(`${server.url}/admin/sign-in`);
    await wrong.getByLabel('Email').fill(editor.email);
    await wrong.getByLabel(/^Password/).fill('not the password at all');
    await wrong.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => wrong.getByRole('alert').count()).toBeGreaterThan(0);
    await stranger.close();

    // Sign-in history: newest first, each with its result, method and address.
    await openAccount(page, editor.name);
    await expect.poll(async () => (await signInRows(page)).length).toBeGreaterThanOrEqual(2);
    const rows = await signInRows(page);
    expect(rows[0]?.slice(1, 3)).toEqual(['Failed', 'password']);
    expect(rows.some((row) => row[1] === 'Succeeded' && row[2] === 'totp')).toBe(true);
    for (const row of rows) expect(row[3]).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    await expect.poll(() => page.getByText('second factor set up').count()).toBe(1);
    await checkPage(page, 'account-sign-ins');

    // Role: editor → admin; the list says so. A change of role ends their sessions: they sign
    // in again, and have the new role.
    const role = page.getByLabel('Role');
    await expect.poll(() => role.inputValue()).toBe('editor');
    await role.selectOption('admin');
    await page.getByRole('button', { name: 'Change role' }).click();
    await expect.poll(() => page.getByText('Role changed.').count()).toBe(1);
    await checkPage(page, 'account-role-changed');
    await them.page.getByRole('link', { name: 'My security' }).click();
    await them.page.waitForURL('**/admin/sign-in?reason=expired');
    await signInWithTotp(them.page, server, editor, them.secret);
    await expect.poll(() => them.page.getByTestId('role').textContent()).toBe('admin');
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(editor.name) });
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toBe('admin');

    // Reset of second factors: their session ends, and their next sign-in starts enrolment.
    await openAccount(page, editor.name);
    await page.getByRole('button', { name: 'Reset second factors' }).click();
    await checkPage(page, 'account-reset-question');
    await page.getByRole('button', { name: 'Yes, reset second factors' }).click();
    await expect.poll(() => page.getByText(/Second factors reset/).count()).toBe(1);
    await expect.poll(() => page.getByText('second factor not set up yet').count()).toBe(1);
    await them.page.getByRole('link', { name: 'My security' }).click();
    await them.page.waitForURL('**/admin/sign-in?reason=expired');
    await them.page.getByLabel('Email').fill(editor.email);
    await them.page.getByLabel(/^Password/).fill(editor.password);
    await them.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await them.page.waitForURL('**/admin/enrolment');

    // Deactivation: their enrolment session ends, they cannot sign in, and it can be undone.
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Yes, deactivate' }).click();
    await expect.poll(() => page.getByText('Account deactivated.').count()).toBe(1);
    await expect.poll(() => page.getByText(/· deactivated ·/).count()).toBe(1);
    await checkPage(page, 'account-deactivated');
    await them.page.goto(`${server.url}/admin/sign-in`);
    await them.page.getByLabel('Email').fill(editor.email);
    await them.page.getByLabel(/^Password/).fill(editor.password);
    await them.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => them.page.getByRole('alert').textContent())
      .toContain('Wrong email or password');

    await page.getByRole('button', { name: 'Reactivate' }).click();
    await expect.poll(() => page.getByText('Account reactivated.').count()).toBe(1);
    await expect.poll(() => page.getByText(/· active ·/).count()).toBe(1);
    await them.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await them.page.waitForURL('**/admin/enrolment');

    expect([...errors, ...them.errors]).toEqual([]);
    await them.context.close();
    await context.close();
  });

  it("an admin sees no controls on an owner's page, nor the owner's sessions and sign-ins", async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, ownerSecret);
    const admin: Person = {
      email: 'katherine@example.com',
      name: 'Katherine Johnson',
      password: 'yet another long passphrase',
    };
    const them = await inviteAndEnrol(page, admin);
    await openAccount(page, admin.name);
    await page.getByLabel('Role').selectOption('admin');
    await page.getByRole('button', { name: 'Change role' }).click();
    await expect.poll(() => page.getByText('Role changed.').count()).toBe(1);

    await them.page.getByRole('link', { name: 'My security' }).click();
    await them.page.waitForURL('**/admin/sign-in?reason=expired');
    await signInWithTotp(them.page, server, admin, them.secret);
    await openAccount(them.page, owner.name);
    expect(await them.page.getByRole('button', { name: 'Change role' }).count()).toBe(0);
    expect(await them.page.getByRole('button', { name: 'Deactivate' }).count()).toBe(0);
    expect(await them.page.getByRole('button', { name: 'Reset second factors' }).count()).toBe(0);
    // Where and when the owner signs in is not theirs to read: the API refuses, the page says so.
    await expect.poll(() => them.page.getByRole('alert').count()).toBe(2);
    expect(await them.page.getByRole('region', { name: 'Sign-in history' }).count()).toBe(0);
    await checkPage(them.page, 'account-owner-seen-by-admin');
    expect([...errors, ...them.errors]).toEqual([]);
    await them.context.close();
    await context.close();
  });
});
