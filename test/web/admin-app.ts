/**
 * What the admin app's browser tests share: a real server on a fresh database with the built
 * app, a clock the tests move (TOTP codes change every 30 s), and the steps people take.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_WEB_DIST } from '../../src/api/plugins/admin-web.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { startTestApp, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createSlackRequester, type SlackRequester } from '../support/slack-requests.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Builds the app as `npm run build:web` does, so the tests serve the code under test. Test files
 * run in parallel and each builds: each builds into a folder of its own, then moves the files
 * into web/dist one by one (a rename replaces a file whole), so no server ever finds web/dist
 * empty or a file half-written. Hashed assets already there are the same bytes, and are kept.
 * Vite refuses a second build of the project while one runs (its process lock); with separate
 * output folders there is nothing for the lock to protect, so the builds bypass it.
 */
export async function buildWebApp(
  app: { config?: string; dist: string } = { dist: ADMIN_WEB_DIST },
): Promise<void> {
  const out = await mkdtemp(path.join(tmpdir(), 'blindspot-web-build-'));
  const target = app.config ? ['-c', app.config] : ['web'];
  try {
    await promisify(execFile)(
      path.join(ROOT, 'node_modules/.bin/vite'),
      ['build', ...target, '--outDir', out, '--emptyOutDir', '--bypass-lock', '--logLevel', 'warn'],
      { cwd: ROOT },
    );
    const files = (await readdir(out, { recursive: true, withFileTypes: true })).filter((entry) =>
      entry.isFile(),
    );
    for (const file of files) {
      const relative = path.relative(out, path.join(file.parentPath, file.name));
      const destination = path.join(app.dist, relative);
      if (relative.startsWith(`assets${path.sep}`) && existsSync(destination)) continue;
      await mkdir(path.dirname(destination), { recursive: true });
      const staged = `${destination}.${process.pid}.tmp`;
      await copyFile(path.join(out, relative), staged);
      await rename(staged, destination);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Markup a careless page would render as an element, and run. */
export const INJECTED = '<img src=x onerror="window.__injected=1">';

export interface Server {
  /** http://localhost:<port>: WebAuthn refuses an IP address as the relying party's id. */
  url: string;
  app: TestApp;
  database: TestDatabase;
  /** With `{ slackTeamId }`: the Slack stand-in the bot talks to, and signed Slack requests. */
  slack?: { standIn: SlackStandIn; requester: SlackRequester };
  /** Moves the server's clock on (to the next TOTP step, for one). */
  advance(ms: number): void;
  now(): Date;
  close(): Promise<void>;
}

export async function startServer(options: { slackTeamId?: string } = {}): Promise<Server> {
  const database = await createTestDatabase();
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const standIn = options.slackTeamId ? await startSlackStandIn() : undefined;
  const app = await startTestApp({
    databaseUrl: database.url,
    clock: now,
    ...(standIn && {
      env: {
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: standIn.url,
      },
    }),
  });
  const port = new URL(app.url).port;
  return {
    url: `http://localhost:${port}`,
    app,
    database,
    ...(standIn &&
      options.slackTeamId && {
        slack: {
          standIn,
          requester: createSlackRequester({
            baseUrl: app.url,
            signingSecret: TEST_SIGNING_SECRET,
            teamId: options.slackTeamId,
            standIn,
            now,
          }),
        },
      }),
    now,
    advance: (ms) => {
      offsetMs += ms;
    },
    close: async () => {
      await app.close();
      await standIn?.close();
      await database.drop();
    },
  };
}

/** The one-time setup link the server printed at start, pointed at `server.url`. */
export async function setupLink(server: Server): Promise<string> {
  // Logged before the server reports it is running (src/entrypoints/admin-setup.ts).
  const link = server.app.logs.text().match(/https?:\/\/[^\s"]+\/admin\/setup\?token=[\w%-]+/)?.[0];
  if (!link) throw new Error('no setup link in the log of a server without accounts');
  return onServer(server, link);
}

/** A link the API made (from the address it listens on), on the test's origin. */
export function onServer(server: Server, link: string): string {
  const url = new URL(link);
  return `${server.url}${url.pathname}${url.search}`;
}

/** The current TOTP code for `secret` at the server's time. */
export function totpCode(secret: string, at: Date): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
  return totp.generate({ timestamp: at.getTime() });
}

/** Fails on any serious or critical accessibility problem axe-core finds on the page. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(
    bad.map((violation) => ({
      page: name,
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
    })),
  ).toEqual([]);
}

/** Checks a page: accessible, no injected markup ran or rendered, and a screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  // The pointer rests on the current page's menu item (where a click on it leaves it): a
  // hovered item must keep its contrast too, so axe checks it in that state.
  // (On a narrow screen the closed menu sits off to the left, out of reach.)
  // The narrow screen's menu may still be sliding shut after a navigation: wait until no
  // transition runs (endless ones, a spinner's, aside), then hover only an item wholly on
  // screen. A function, not a string: the CSP forbids eval, which a string predicate needs.
  type Running = { playState: string; effect: { getTiming(): { iterations?: number } } | null };
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): Running[] } }).document
      .getAnimations()
      .every(
        (animation) =>
          animation.playState !== 'running' ||
          animation.effect?.getTiming().iterations === Number.POSITIVE_INFINITY,
      ),
  );
  const current = page.locator('nav [aria-current="page"]');
  const box = (await current.count()) > 0 ? await current.boundingBox() : null;
  const viewport = page.viewportSize();
  const onScreen =
    box !== null &&
    viewport !== null &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width &&
    box.y + box.height <= viewport.height;
  if (onScreen) await current.hover();
  await expectAccessible(page, name);
  // A string: it runs in the page, where `window` exists (this file is type-checked for Node).
  const ran = await page.evaluate('window.__injected');
  expect(ran, `markup injected into a field ran on ${name}`).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await screenshot(page, name);
}

/** A page whose console errors (CSP refusals among them) fail the test. */
export async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      errors.push(message.text());
    }
  });
  return { page, errors };
}

export async function newContext(
  browser: Browser,
  options: { width?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    // The copy buttons use the clipboard; grant it so they do not fail.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  // Every step is a local round trip: a wait this long means the page is stuck.
  context.setDefaultTimeout(10_000);
  return context;
}

export interface Person {
  email: string;
  name: string;
  password: string;
}

/** Fills and submits the first-run setup page; lands on enrolment. */
export async function setUpOwner(page: Page, link: string, owner: Person): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel(/^Password/).fill(owner.password);
  await checkPage(page, 'setup');
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await page.waitForURL('**/admin/enrolment');
}

/** Enrols TOTP from the secret shown as text; returns the secret and the recovery codes. */
export async function enrolTotp(
  page: Page,
  server: Server,
  name: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secretBlock = page.getByTestId('copy-field-value').first();
  await secretBlock.waitFor();
  const secret = String(await secretBlock.textContent()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
  await checkPage(page, `${name}-enrolment-totp`);
  await page
    .getByLabel('Then enter the 6-digit code it shows')
    .fill(totpCode(secret, server.now()));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const codes = page.getByTestId('recovery-codes').locator('code');
  await codes.nth(9).waitFor();
  expect(await codes.count()).toBe(10);
  const recoveryCodes = (await codes.allTextContents()).map((code) => code.trim());
  await checkPage(page, `${name}-recovery-codes`);
  await page.getByRole('button', { name: 'I have saved my codes: continue' }).click();
  await page.waitForURL((url) => url.pathname === '/admin');
  return { secret, recoveryCodes };
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/admin/sign-in?reason=signed-out');
}

/** The password step; lands on the second-factor challenge. */
export async function signInWithPassword(page: Page, server: Server, person: Person) {
  await page.goto(`${server.url}/admin/sign-in`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel(/^Password/).fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/admin/sign-in/second-factor');
}

/** Password, then a TOTP code from the next 30 s step (a code is refused a second time). */
export async function signInWithTotp(page: Page, server: Server, person: Person, secret: string) {
  await signInWithPassword(page, server, person);
  server.advance(30_000);
  await page
    .getByLabel('6-digit code from your authenticator app')
    .fill(totpCode(secret, server.now()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL((url) => url.pathname === '/admin');
}

/** An owner, set up and enrolled with TOTP, signed in on `page`. */
export async function ownerSignedIn(page: Page, server: Server, owner: Person) {
  await setUpOwner(page, await setupLink(server), owner);
  return enrolTotp(page, server, 'owner');
}

/** True when the page is wider than the viewport (a horizontal scroll bar at 360 px). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return (await page.evaluate(
    'document.documentElement.scrollWidth > window.innerWidth',
  )) as boolean;
}

/** Picks a second factor on the challenge page (a segmented control: its radios are hidden). */
export async function chooseSecondFactor(page: Page, label: string): Promise<void> {
  await page.locator('label', { hasText: new RegExp(`^${label}$`) }).click();
  await expect.poll(() => page.getByRole('radio', { name: label }).isChecked()).toBe(true);
}
