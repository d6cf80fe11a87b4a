/**
 * The analytics dashboards in a real Chromium, read by a viewer: ledger rows with known answers
 * (test/api/admin-analytics.test.ts checks the API's numbers on the same shape of data), the
 * summary tables refreshed as the worker does, then the numbers on screen, "fewer than 5" for
 * a hidden one, a backwards range refused, the CSV link equal to the table, and the page at
 * 360 px in the dark scheme; axe-core on each.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPolicy } from '../../src/core/admin-sessions/rules.ts';
import { createSession } from '../../src/core/admin-sessions/service.ts';
import { refreshAnalytics } from '../../src/core/analytics/refresh.ts';
import { createAccount } from '../support/admin-harness.ts';
import {
  addItem,
  addManagers,
  addNote,
  addReminder,
  createWorld,
  markNotRelevant,
  setTeams,
} from '../support/analytics-data.ts';
import { launchBrowser } from '../support/browser.ts';
import {
  buildWebApp,
  checkPage,
  newContext,
  newPage,
  overflowsHorizontally,
  type Server,
  startServer,
} from './admin-app.ts';

const W1 = '2026-03-02';

let browser: Browser;
let server: Server;
let viewerToken: string;

/**
 * The API test's world, in short. W1: M1–M6 get topic a1 (family A) on Monday 10 s late and b1
 * on Tuesday 120 s late; M7's a2 fails on a rate limit; M1–M5 write items from a1 (done, done,
 * lapsed, open, open) and answer Wednesday's reminder at 10:xx, rating 5 to 1; M6 marks b1 "not
 * relevant". W2: M7 alone gets a1, and answers on Thursday at 15:20: one manager, so hidden.
 */
async function seed(): Promise<void> {
  const world = await createWorld(server.database.db);
  const managers = await addManagers(world, 7);
  const m7 = managers[6];
  if (!m7) throw new Error('managers missing');
  const outcomes = ['done', 'done', 'lapsed', 'open', 'open'] as const;
  for (const [index, manager] of managers.slice(0, 6).entries()) {
    const a1 = {
      id: await addNote(world, manager, W1, world.a1, { lateSeconds: 10 }),
      topicId: world.a1,
    };
    const b1 = {
      id: await addNote(world, manager, '2026-03-03', world.b1, { lateSeconds: 120 }),
      topicId: world.b1,
    };
    const outcome = outcomes[index];
    if (outcome) {
      const item = await addItem(world, manager, W1, a1, outcome);
      await addReminder(world, manager, '2026-03-04', item, {
        at: new Date(`2026-03-04T10:${15 + index}:00Z`),
        usefulness: 5 - index,
      });
    } else {
      await markNotRelevant(world, manager, b1, new Date('2026-03-03T12:00:00Z'));
    }
  }
  await addNote(world, m7, W1, world.a2, { status: 'failed', errorCode: 'ratelimited' });
  const alone = { id: await addNote(world, m7, '2026-03-10', world.a1), topicId: world.a1 };
  const item = await addItem(world, m7, '2026-03-10', alone, 'done');
  await addReminder(world, m7, '2026-03-12', item, { at: new Date('2026-03-12T15:20:00Z') });
  // The rows are dated March; the worker may have refreshed already, at today's date, and an
  // incremental run reads only rows written since. Start over, as the first run after an
  // upgrade does, so this refresh counts every row.
  await sql`UPDATE analytics_refresh_state SET refreshed_through = '-infinity'`.execute(
    server.database.db,
  );
  await refreshAnalytics(server.database.db, server.now());
}

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer();
  await seed();
  // A viewer signed in, as the sign-in steps would leave them (admin-app tests walk those).
  const account = await createAccount(server.database.db, { role: 'viewer' });
  const { token } = await createSession(
    server.database.db,
    { accountId: account.id, stage: 'full', address: null, userAgent: 'test' },
    sessionPolicy(30, 12),
    server.now(),
  );
  viewerToken = token;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function viewerPage(options: { width?: number; colorScheme?: 'light' | 'dark' } = {}) {
  const context = await newContext(browser, options);
  await context.addCookies([{ name: 'blindspot_admin', value: viewerToken, url: server.url }]);
  return { context, ...(await newPage(context)) };
}

/** The texts of a table's body rows, header cell first. */
async function rows(page: Page, testId: string): Promise<string[][]> {
  const body = page.getByTestId(testId).locator('tbody tr');
  await expect.poll(() => body.count()).toBeGreaterThan(0);
  const out: string[][] = [];
  for (const row of await body.all()) {
    out.push((await row.locator('th, td').allTextContents()).map((text) => text.trim()));
  }
  return out;
}

async function rowOf(page: Page, testId: string, first: string): Promise<string[]> {
  await expect.poll(async () => (await rows(page, testId)).some((r) => r[0] === first)).toBe(true);
  return (await rows(page, testId)).find((r) => r[0] === first) ?? [];
}

/** Our own CSV: no quoted fields in these reports (dates, numbers, slugs). */
function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => line.split(','));
}

/** A CSV value as the page writes it: "<5" reads "fewer than 5", an empty one "—". */
function asShown(value: string, column: string): string {
  if (value === '<5') return 'fewer than 5';
  if (value === '') return '—';
  const number = Number(value);
  if (/Rate|Share/.test(column)) {
    return `${(number * 100).toLocaleString('en', { maximumFractionDigits: 1 })}%`;
  }
  return number.toLocaleString('en');
}

describe('the analytics page in Chromium', { timeout: 90_000 }, () => {
  it('shows a viewer the known numbers, hides small groups as "fewer than 5", and its CSV matches the table', async () => {
    const { context, page, errors } = await viewerPage();
    await page.goto(`${server.url}/admin`);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Analytics');
    await page.getByLabel('From', { exact: true }).fill(W1);
    await page.getByLabel('To', { exact: true }).fill('2026-03-15');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL('**/admin/analytics?from=2026-03-02&to=2026-03-15');

    // Engagement: W1 in full; W2 had one manager, so its numbers are hidden, never 0.
    expect(await rowOf(page, 'engagement-table', '2 Mar 2026')).toEqual([
      '2 Mar 2026',
      '7',
      '12',
      '41.7%',
      '40%',
      '100%',
      '20%',
      '0',
    ]);
    const w2 = await rowOf(page, 'engagement-table', '9 Mar 2026');
    expect(w2.slice(1, 3)).toEqual(['fewer than 5', 'fewer than 5']);

    // Delivery health: Monday of W1, and W2's Tuesday (one manager) hidden.
    expect(await rowOf(page, 'delivery-health-table', '2 Mar 2026')).toEqual([
      '2 Mar 2026',
      '7',
      '6',
      '0',
      '0',
      '1',
      '10 s',
      '10 s',
      '1',
      '0',
    ]);
    expect((await rowOf(page, 'delivery-health-table', '10 Mar 2026'))[1]).toBe('fewer than 5');
    await checkPage(page, 'analytics');

    // The CSV link carries the same filters, and its rows are the table's.
    const link = page.getByRole('link', { name: 'Download CSV of engagement' });
    const href = String(await link.getAttribute('href'));
    expect(href).toContain('from=2026-03-02&to=2026-03-15');
    const answer = await page.request.get(`${server.url}${href}`);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toMatch(/^text\/csv/);
    const [header = [], ...csvRows] = parseCsv(await answer.text());
    expect(header[0]).toBe('week');
    const table = await rows(page, 'engagement-table');
    expect(csvRows).toHaveLength(table.length);
    for (const [index, csvRow] of csvRows.entries()) {
      const shown = csvRow.map((value, at) =>
        at === 0 ? value : asShown(value, header[at] ?? ''),
      );
      const tableRow = table[index] ?? [];
      expect(shown.slice(1), `week ${csvRow[0]}`).toEqual(tableRow.slice(1));
    }
    expect(csvRows.flat()).toContain('<5');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows topics per family and per topic, sortable, and when managers answer', async () => {
    const { context, page, errors } = await viewerPage();
    await page.goto(`${server.url}/admin/analytics?from=${W1}&to=2026-03-08`);
    // Families by name; their ids (family-a) stay in the CSV.
    expect(await rowOf(page, 'families-table', 'Family a')).toEqual([
      'Family a',
      '6',
      '83.3%',
      '40%',
      '3.0',
      '0%',
    ]);
    expect((await rowOf(page, 'families-table', 'Family b')).slice(1)).toEqual([
      '6',
      '0%',
      '—',
      '—',
      '16.7%',
    ]);
    expect((await rowOf(page, 'topics-table', 'Title of topic-a1')).slice(1, 3)).toEqual([
      'Family a',
      '6',
    ]);
    // Sorted by "not relevant", highest first: b1 leads.
    const heading = page.getByRole('button', { name: '"Not relevant"' });
    await heading.click();
    await expect
      .poll(async () => (await rows(page, 'topics-table'))[0]?.[0])
      .toBe('Title of topic-b1');
    expect(
      await page
        .getByTestId('topics-table')
        .getByRole('columnheader', { name: '"Not relevant"' })
        .getAttribute('aria-sort'),
    ).toBe('descending');

    // Activity: the five answers on Wednesday at 10:00, and nothing elsewhere.
    const wednesday = page.getByTestId('activity-table').locator('[data-cell="3:10"]');
    await expect.poll(() => wednesday.textContent()).toBe('5');
    expect(
      await page.getByTestId('activity-table').locator('[data-cell="4:15"]').textContent(),
    ).toBe('0');
    await checkPage(page, 'analytics-topics');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a backwards range beside the field, and shows the API refusing one it was sent', async () => {
    const { context, page, errors } = await viewerPage({ width: 360, colorScheme: 'dark' });
    await page.goto(`${server.url}/admin/analytics?from=${W1}&to=2026-03-08`);
    // At 360 px the wide tables scroll inside their own region; the page itself does not.
    await rowOf(page, 'engagement-table', '2 Mar 2026');
    expect(await overflowsHorizontally(page)).toBe(false);
    await checkPage(page, 'analytics-narrow-dark');
    await page.getByLabel('From', { exact: true }).fill('2026-03-10');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect
      .poll(() => page.getByText('The end is before the start: the range is backwards.').count())
      .toBe(1);
    expect(new URL(page.url()).search).toBe(`?from=${W1}&to=2026-03-08`);

    // A link with a backwards range reaches the API, whose message shows in each report.
    await page.goto(`${server.url}/admin/analytics?from=2026-03-10&to=2026-03-01`);
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'the range is backwards' }).count())
      .toBe(4);
    expect(await overflowsHorizontally(page)).toBe(false);
    await checkPage(page, 'analytics-narrow-dark-refused');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when teams are configured, a viewer picks one: the reports and their CSV are the team’s', async () => {
    const W3 = '2026-03-16';
    const { context, page, errors } = await viewerPage();
    await page.goto(`${server.url}/admin/analytics?from=${W3}&to=2026-03-22`);
    await rowOf(page, 'engagement-table', '16 Mar 2026');
    // No team is configured: there is nothing to pick.
    expect(await page.getByLabel('Team', { exact: true }).count()).toBe(0);

    // Another workspace: in W3 five managers of its "product" group get a1, five others b1.
    const world = await createWorld(server.database.db);
    const people = await addManagers(world, 10);
    for (const [index, manager] of people.entries()) {
      await addNote(world, manager, W3, index < 5 ? world.a1 : world.b1);
    }
    const ids = await setTeams(world, { S0PRODUCT: people.slice(0, 5) }, server.now());
    await sql`UPDATE analytics_refresh_state SET refreshed_through = '-infinity'`.execute(
      server.database.db,
    );
    await refreshAnalytics(server.database.db, server.now());

    await page.reload();
    expect((await rowOf(page, 'engagement-table', '16 Mar 2026')).slice(1, 3)).toEqual([
      '10',
      '10',
    ]);
    const team = page.getByLabel('Team', { exact: true });
    await expect.poll(() => team.count()).toBe(1);
    await team.selectOption({ label: 'Team S0PRODUCT' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`**/admin/analytics?from=${W3}&to=2026-03-22&team=${ids.S0PRODUCT}`);
    await expect
      .poll(async () => (await rowOf(page, 'engagement-table', '16 Mar 2026')).slice(1))
      .toEqual(['5', '5', '0%', '—', '—', '—', '0']);
    await checkPage(page, 'analytics-team');

    const link = page.getByRole('link', { name: 'Download CSV of engagement' });
    const href = String(await link.getAttribute('href'));
    expect(href).toContain(`team=${ids.S0PRODUCT}`);
    const answer = await page.request.get(`${server.url}${href}`);
    expect(answer.status()).toBe(200);
    const [, csvRow = []] = parseCsv(await answer.text());
    expect(csvRow).toEqual([W3, '5', '5', '0', '', '', '', '0']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
