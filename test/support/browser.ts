/**
 * A real browser for the admin app's tests: Debian's Chromium (/usr/bin/chromium, installed by
 * .ci/run), driven by playwright-core over CDP. No browser is downloaded; a missing Chromium
 * fails the test with a clear message rather than skipping it.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots of every page the tests visit; gitignored (/test-output/). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-output/web');

/**
 * Flags for a quiet, reproducible headless run: no GPU, no QUIC, no first-run UI, and no
 * background traffic to Google (updates, sync, component downloads) from a test machine.
 * Playwright gives each launch a fresh temporary profile (its own --user-data-dir).
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}: the admin app's browser tests need it. ` +
        'Install it (Debian/Ubuntu: `apt-get install chromium`); CI installs it in .ci/run.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Saves a full-page screenshot as test-output/web/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
