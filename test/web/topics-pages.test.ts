/**
 * The topic pages in a real Chromium against the real server and PostgreSQL (issue 15, item 1):
 * an owner creates a topic while the Slack preview (the bot's own builder) follows the form,
 * saves it, edits it, compares and restores the first revision, and the list shows the restored
 * title, and "Send me one now" in the Slack stand-in delivers the restored text exactly, to a
 * manager who marked every other topic not relevant; the API's guard rail on the whole note is
 * shown in the form; a bad CSV import lists its problems by line and changes nothing; the CSV
 * export downloads and parses; a viewer sees every page without an edit control. Pages are checked with axe-core and photographed.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markTopicNotRelevant } from '../../src/core/deliveries/feedback.ts';
import { CSV_COLUMNS, parseCsv } from '../../src/core/topics/transfer.ts';
import { familyName } from '../../web/src/families.ts';
import { launchBrowser } from '../support/browser.ts';
import { createWorkspace } from '../support/factories.ts';
import { signupModalValues } from '../support/slack-harness.ts';
import {
  buildWebApp,
  checkPage,
  enrolTotp,
  newContext,
  newPage,
  onServer,
  overflowsHorizontally,
  ownerSignedIn,
  type Person,
  type Server,
  signInWithTotp,
  startServer,
} from './admin-app.ts';

const TEAM = 'T0TOPICS';
const TOTP_STEP_MS = 30_000;

let browser: Browser;
let server: Server;
let secret: string;

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

beforeAll(async () => {
  await buildWebApp();
  browser = await launchBrowser();
  server = await startServer({ slackTeamId: TEAM });
  // A workspace that installed the app, seeded with the shipped catalogue as on first contact.
  await createWorkspace(server.database.db, TEAM);
  const context = await newContext(browser);
  const { page } = await newPage(context);
  ({ secret } = await ownerSignedIn(page, server, owner));
  await context.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openTopics(page: Page) {
  const menu = page.getByRole('button', { name: 'Open navigation' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('link', { name: 'Topics', exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Topics');
  await expect.poll(() => page.getByRole('table').count()).toBe(1);
}

const first = {
  // A family of its own, so that a manager skipping every other family is sent this topic.
  category: 'praise-and-process',
  title: 'Praise the process, not the person',
  summary: 'Specific praise for *how* someone worked teaches more than praise for who they are.',
  whyItMatters: 'People repeat what is noticed; naming the behaviour makes it repeatable.',
  example:
    'Instead of "you are brilliant", say "the way you split the migration made review easy".',
  reflectionQuestion: 'Whose careful work did you see this week and not mention?',
  actions: [
    'Name one specific behaviour in your next piece of praise.',
    'Thank someone in writing for how they handled a hard task.',
    'Ask a report which recent praise from you was useful.',
  ],
  reference: 'https://example.com/praise-the-process',
};

/**
 * "Send me one now" through the Slack stand-in, for a manager who marked every other topic "not
 * relevant": the note the bot posts carries the topic's text exactly as the editor saved it.
 */
async function sendMeOneNow(topic: typeof first) {
  const slack = server.slack;
  if (!slack) throw new Error('the server runs without the Slack stand-in');
  const who = { slackTeamId: TEAM, slackUserId: 'U0TOPICS' };
  slack.standIn.addUser({ id: who.slackUserId, teamId: TEAM, tz: 'UTC' });
  const signedUp = await slack.requester.viewSubmission({
    userId: who.slackUserId,
    callbackId: 'signup_modal',
    values: signupModalValues({
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      localTime: '09:00',
      timeZone: 'UTC',
    }),
  });
  expect(signedUp.body).toBe('');
  const others = await server.database.db
    .selectFrom('topics')
    .select('id')
    .where('title', '!=', topic.title)
    .execute();
  for (const other of others) {
    await markTopicNotRelevant(server.database.db, who, other.id, undefined);
  }
  await slack.requester.blockActions({ userId: who.slackUserId, actionId: 'send_now', value: '' });
  const note = await slack.standIn.waitForCall(
    'chat.postMessage',
    // The note, not the sign-up confirmation before it: a note carries its delivery's id.
    (call) =>
      call.args.channel === who.slackUserId &&
      (call.args.metadata as { event_payload?: { delivery_id?: string } } | undefined)
        ?.event_payload?.delivery_id !== undefined,
  );
  const said = JSON.stringify(note.args.blocks);
  // What the note shows of a topic (src/bot/blocks/topic-message.ts), each as saved.
  for (const text of [
    topic.title,
    topic.summary,
    topic.example,
    topic.reflectionQuestion,
    topic.reference,
  ]) {
    expect(said).toContain(JSON.stringify(text).slice(1, -1));
  }
}

async function fillTopic(page: Page, topic: typeof first) {
  await page.getByLabel('Family').fill(topic.category);
  await page.getByLabel('Title').fill(topic.title);
  await page.getByLabel('Summary').fill(topic.summary);
  await page.getByLabel('Why it matters').fill(topic.whyItMatters);
  await page.getByLabel('Example').fill(topic.example);
  await page.getByLabel('Reflection question').fill(topic.reflectionQuestion);
  for (const [index, action] of topic.actions.entries()) {
    await page.getByLabel(`Action ${index + 1}`).fill(action);
  }
  await page.getByLabel('Reference').fill(topic.reference);
}

// A real browser on a shared CI machine: each test takes seconds, and more under load.
describe('the topic pages in Chromium', { timeout: 180_000 }, () => {
  it('lets an owner create, preview, edit, compare and restore a topic, and set a weekday theme', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await openTopics(page);
    // The shipped catalogue is listed; nothing was sent yet, so the numbers are suppressed.
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(10);
    expect(await page.getByRole('cell', { name: 'fewer than 5' }).count()).toBeGreaterThan(0);
    await checkPage(page, 'topics-list');

    await page.getByRole('button', { name: 'New topic' }).click();
    await page.waitForURL('**/admin/topics/new?team=*');
    await fillTopic(page, first);
    // The preview is the bot's message: the header, and the question as the bot words it.
    const preview = page.getByTestId('preview');
    await expect.poll(() => preview.getByText(first.title).count()).toBe(1);
    await expect
      .poll(() => preview.textContent())
      .toContain(`Ask yourself: ${first.reflectionQuestion}`);
    await expect
      .poll(() => preview.getByRole('button', { name: 'Plan an action' }).count())
      .toBe(1);
    expect(await page.getByText(`${[...first.title].length} / 80 characters`).count()).toBe(1);
    await page.evaluate('window.scrollTo(0, 0)');
    await checkPage(page, 'topic-new');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.waitForURL(/\/admin\/topics\/\d+\?team=/);
    await expect
      .poll(() => page.getByText('revision 1', { exact: false }).count())
      .toBeGreaterThan(0);

    // Edit: a new title, saved as revision 2; the preview followed the typing.
    const edited = 'Praise how the work was done';
    await page.getByLabel('Title').fill(edited);
    await expect.poll(() => preview.getByText(edited).count()).toBe(1);
    await page.getByRole('button', { name: 'Save changes' }).click();
    const revisions = page.getByTestId('revisions');
    await expect.poll(() => revisions.getByText('Revision 2').count()).toBe(1);
    await expect.poll(() => revisions.textContent()).toContain('(current)');

    // Revision 1 compared with the current text: the old words struck, the new ones added.
    await page.getByRole('button', { name: 'Compare with current' }).click();
    const diff = page.getByTestId('revision-diff');
    const marked = async (tag: string) => (await diff.locator(tag).allTextContents()).join('|');
    await expect.poll(() => marked('del')).toMatch(/process, not .*person/);
    await expect.poll(() => marked('ins')).toMatch(/how .*work was done/);
    // The words both titles share are neither struck nor added.
    expect(await marked('del')).not.toContain('Praise');
    await page.evaluate('window.scrollTo(0, 0)');
    await checkPage(page, 'topic-revisions');

    // Restore revision 1: revision 3, with the first title back in the form.
    await page.getByRole('button', { name: 'Restore this revision (1)' }).click();
    await expect.poll(() => revisions.getByText('Revision 3').count()).toBe(1);
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe(first.title);

    // Retire it (asked first), then send it again.
    await page.getByRole('button', { name: 'Retire topic' }).click();
    await page.getByRole('button', { name: 'Yes, retire topic' }).click();
    await expect.poll(() => page.getByText('This topic is not sent.').count()).toBe(1);
    await page.getByRole('button', { name: 'Restore topic' }).click();
    await expect.poll(() => page.getByText('This topic is not sent.').count()).toBe(0);

    // The list shows the restored title.
    await openTopics(page);
    await page.getByLabel('Search').fill('praise');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByRole('link', { name: first.title }).count()).toBe(1);
    expect(await page.getByRole('link', { name: edited }).count()).toBe(0);

    // Weekday themes: Monday's family, changed in the UI.
    await page.getByRole('tab', { name: 'Weekday themes' }).click();
    await page.getByRole('combobox', { name: 'Family for Monday' }).click();
    // Families are shown by name ('Clarity and direction'), saved by id.
    await page.getByRole('option', { name: familyName(first.category), exact: true }).click();
    await expect
      .poll(() => page.getByText(`Monday: ${familyName(first.category)}.`).count())
      .toBe(1);
    await checkPage(page, 'topics-weekday-themes');
    const themes = await page.evaluate(async (team) => {
      const answer = await fetch(`/api/v1/admin/workspaces/${team}/weekday-themes`);
      return (await answer.json()) as { weekdayThemes: { isoWeekday: number; category: string }[] };
    }, TEAM);
    expect(themes.weekdayThemes[0]).toMatchObject({ isoWeekday: 1, category: first.category });

    await sendMeOneNow(first);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the API's guard rail on the whole note's length in the form, and saves nothing", async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await page.goto(`${server.url}/admin/topics/new?team=${TEAM}`);
    // Every field within its own limit, the note as a whole over 1800 characters.
    const long = (n: number) => 'word '.repeat(n / 5).trim();
    await fillTopic(page, {
      ...first,
      title: 'A note too long to read in a minute',
      summary: long(275),
      whyItMatters: long(595),
      example: long(495),
      reflectionQuestion: long(195),
      actions: [long(235), long(235), long(235)],
    });
    await expect.poll(() => page.getByTestId('note-length').textContent()).toMatch(/\d{4} \/ 1800/);
    await page.getByRole('button', { name: 'Create topic' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/1800|minute/);
    expect(new URL(page.url()).pathname).toBe('/admin/topics/new');
    await checkPage(page, 'topic-guard-rail');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists every problem of a bad CSV by line, and downloads a CSV export that parses', async () => {
    const context = await newContext(browser);
    const { page, errors } = await newPage(context);
    await signInWithTotp(page, server, owner, secret);
    await openTopics(page);
    const before = await page.getByRole('row').count();
    await page.getByRole('tab', { name: 'Import and export' }).click();

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const csv = await readFile(String(await (await download).path()), 'utf8');
    const { records, problem } = parseCsv(csv);
    expect(problem).toBeUndefined();
    expect(records[0]?.cells).toEqual([...CSV_COLUMNS]);
    // Every topic, retired ones too: at least the active ones the list showed.
    expect(records.length - 1).toBeGreaterThanOrEqual(before - 1);

    const header = CSV_COLUMNS.join(',');
    const bad = [
      header,
      'new-one,active,no-such-family,A title,S,W,E,Q?,a1,a2,a3,ref',
      'another-one,active,recognition-and-feedback,,S,W,E,Q?,a1,a2,a3,ref',
      '',
    ].join('\n');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    const problems = page.getByRole('list', { name: 'Problems in the file' });
    await expect.poll(() => problems.getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
    const listed = (await problems.textContent()) ?? '';
    expect(listed).toMatch(/line 2/);
    expect(listed).toMatch(/line 3: title/);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('2 problems');
    await checkPage(page, 'topics-import-errors');

    // Nothing was imported: neither slug exists.
    const slugs = await page.evaluate(async (team) => {
      const answer = await fetch(`/api/v1/admin/workspaces/${team}/topics?status=all`);
      return ((await answer.json()) as { topics: { slug: string }[] }).topics.map((t) => t.slug);
    }, TEAM);
    expect(slugs).not.toContain('new-one');
    expect(slugs).not.toContain('another-one');

    // The export imported again changes nothing.
    await page.locator('input[type="file"]').setInputFiles({
      name: 'export.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => page.getByTestId('import-counts').textContent())
      .toMatch(/0 created, 0 updated, \d+ unchanged/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a viewer the topics, a topic and the weekday themes without an edit control', async () => {
    const ownerContext = await newContext(browser);
    const { page } = await newPage(ownerContext);
    await signInWithTotp(page, server, owner, secret);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel(/^Name/).fill(viewer.name);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Invite' }).click();
    const invitation = page.getByTestId('invitation').getByTestId('copy-field-value');
    await expect.poll(() => invitation.textContent()).toMatch(/\/admin\/invite\?token=/);
    const link = onServer(server, String(await invitation.textContent()));
    await ownerContext.close();

    // On a phone, in the dark.
    const context = await newContext(browser, { width: 360, colorScheme: 'dark' });
    const { page: viewerPage, errors } = await newPage(context);
    await viewerPage.goto(link);
    await viewerPage.getByLabel('Your name').fill(viewer.name);
    await viewerPage.getByLabel(/^Password/).fill(viewer.password);
    await viewerPage.getByRole('button', { name: 'Accept invitation' }).click();
    await viewerPage.waitForURL('**/admin/enrolment');
    server.advance(TOTP_STEP_MS);
    await enrolTotp(viewerPage, server, 'topics-viewer');

    await openTopics(viewerPage);
    expect(await viewerPage.getByRole('button', { name: 'New topic' }).count()).toBe(0);
    expect(await overflowsHorizontally(viewerPage)).toBe(false);
    await checkPage(viewerPage, 'topics-list-viewer-360-dark');

    await viewerPage.getByRole('link', { name: first.title }).click();
    await viewerPage.waitForURL(/\/admin\/topics\/\d+\?team=/);
    await expect
      .poll(() =>
        viewerPage
          .getByTestId('revisions')
          .getByText(/Revision/)
          .count(),
      )
      .toBe(3);
    expect(await viewerPage.getByLabel('Title').getAttribute('readonly')).not.toBeNull();
    for (const name of ['Save changes', 'Retire topic', /Restore this revision/]) {
      expect(await viewerPage.getByRole('button', { name }).count()).toBe(0);
    }
    await expect
      .poll(() => viewerPage.getByTestId('preview').getByText(first.title).count())
      .toBe(1);
    expect(await overflowsHorizontally(viewerPage)).toBe(false);
    await checkPage(viewerPage, 'topic-viewer-360-dark');

    await openTopics(viewerPage);
    await viewerPage.getByRole('tab', { name: 'Weekday themes' }).click();
    await expect.poll(() => viewerPage.getByRole('cell', { name: 'Monday' }).count()).toBe(1);
    expect(await viewerPage.getByRole('combobox', { name: /Family for/ }).count()).toBe(0);
    await viewerPage.getByRole('tab', { name: 'Import and export' }).click();
    expect(await viewerPage.getByRole('button', { name: 'Import' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
