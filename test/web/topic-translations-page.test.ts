/**
 * A topic's translations in the admin web app, in a real Chromium against the real server and
 * PostgreSQL (issue 18, item 2): the list says which topics lack German and filters them; on a
 * topic's page an owner starts the German from the English, the Slack preview follows the
 * German text, the save is stored and audited, and deleting it leaves the topic missing German
 * again. Pages are checked with axe-core.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { createWorkspace } from '../support/factories.ts';
import {
  buildWebApp,
  checkPage,
  newContext,
  newPage,
  ownerSignedIn,
  type Person,
  type Server,
  signInWithTotp,
  startServer,
} from './admin-app.ts';

const TEAM = 'T0TRANSLATE';

let browser: Browser;
let server: Server;
let secret: string;
let topic: { id: string; title: string };

const owner: Person = {
  email: 'marie@example.com',
  name: 'Marie Curie',
  password: 'correct horse battery staple',
};

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer({ slackTeamId: TEAM });
  const workspace = await createWorkspace(server.database.db, TEAM);
  topic = await server.database.db
    .selectFrom('topics')
    .where('workspace_id', '=', workspace.id)
    .select(['id', 'title'])
    .orderBy('slug')
    .limit(1)
    .executeTakeFirstOrThrow();
  // Whatever data/topics/translations ships, this topic starts without German.
  await server.database.db
    .deleteFrom('topic_translations')
    .where('topic_id', '=', topic.id)
    .execute();
  const context = await newContext(browser);
  const { page } = await newPage(context);
  ({ secret } = await ownerSignedIn(page, server, owner));
  await context.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const GERMAN_TITLE = 'Der Rezenzeffekt';

async function germanRow() {
  return server.database.db
    .selectFrom('topic_translations')
    .where('topic_id', '=', topic.id)
    .where('language', '=', 'de')
    .select(['title', 'source'])
    .executeTakeFirst();
}

async function openTopicList(page: Page) {
  await page.goto(`${server.url}/admin/topics?team=${TEAM}`);
  await expect.poll(() => page.getByRole('table').count()).toBe(1);
}

describe('translating a topic in Chromium', { timeout: 180_000 }, () => {
  it('lists what is missing, writes German with its preview, and deletes it again', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);

    // The list: the topic lacks German, and the filter keeps it.
    await openTopicList(page);
    await page.getByRole('combobox', { name: 'Translations' }).click();
    await page.getByRole('option', { name: 'Missing German' }).click();
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.getByRole('row').filter({ hasText: topic.title });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toContain('missing German');
    await checkPage(page, 'topics-list-missing-german');

    // The topic's page: English first; German is missing.
    await row.getByRole('link', { name: topic.title }).click();
    await page.waitForURL(/\/admin\/topics\/\d+\?team=/);
    const germanTab = page.getByRole('tab', { name: /German/ });
    await expect.poll(() => germanTab.textContent()).toContain('Missing');
    await germanTab.click();
    await page.getByRole('button', { name: 'Start from the English text' }).click();
    await expect.poll(() => page.getByLabel('Title (German)').inputValue()).toBe(topic.title);

    // The German title: counted, and shown in the Slack preview as the bot builds it.
    await page.getByLabel('Title (German)').fill(GERMAN_TITLE);
    const preview = page.getByTestId('preview-de');
    await expect.poll(() => preview.getByText(GERMAN_TITLE).count()).toBe(1);
    expect(await page.getByText(`${[...GERMAN_TITLE].length} / 80 characters`).count()).toBe(1);
    await page.evaluate('window.scrollTo(0, 0)');
    await checkPage(page, 'topic-translation-german');

    await page.getByRole('button', { name: 'Save German' }).click();
    await expect.poll(() => germanTab.textContent()).toContain('Translated');
    expect(await germanRow()).toEqual({ title: GERMAN_TITLE, source: 'admin' });
    const audited = await server.database.db
      .selectFrom('audit_events')
      .where('action', '=', 'topic_translation.created')
      .where('subject_id', '=', topic.id)
      .select('actor')
      .execute();
    expect(audited).toHaveLength(1);

    // Deleted (asked first): missing again, and nothing stored.
    await page.getByRole('button', { name: 'Delete German' }).click();
    await page.getByRole('button', { name: 'Yes, delete german' }).click();
    await expect.poll(() => germanTab.textContent()).toContain('Missing');
    expect(await germanRow()).toBeUndefined();

    expect(errors).toEqual([]);
    await context.close();
  });
});
