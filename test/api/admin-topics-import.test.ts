/**
 * Export and import of the whole catalogue, over HTTP on a real database: a round trip changes
 * nothing (JSON and CSV, formula-looking and multi-line text included); an import creates,
 * updates by slug and leaves the rest alone, with counts; a bad file is refused whole with
 * every problem listed by line or index and field, and nothing saved; a file over the limit
 * gets a clear 413; viewers can do neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPIC_LIMITS } from '../../src/core/topics/rules.ts';
import { type AdminApi, AdminBrowser, startAdminApi } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { createWorkspace, type TestWorkspace } from '../support/factories.ts';

let api: AdminApi;
let workspace: TestWorkspace;
let editorKey: string;
let viewerKey: string;
let editor: AdminBrowser;

beforeAll(async () => {
  api = await startAdminApi();
  workspace = await createWorkspace(api.db);
  editorKey = await apiKeyWithRole(api, 'editor');
  viewerKey = await apiKeyWithRole(api, 'viewer');
  editor = new AdminBrowser(api.url, { authorization: `Bearer ${editorKey}` });
});

afterAll(async () => {
  await api?.close();
});

const base = () => `${api.url}/api/v1/admin/workspaces/${workspace.slackTeamId}/topics`;

async function exportAs(format: 'json' | 'csv', key = editorKey) {
  const response = await fetch(`${base()}/export?format=${format}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function importFile(body: string, contentType: string, key = editorKey) {
  const response = await fetch(`${base()}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

const importJson = (data: unknown) => importFile(JSON.stringify(data), 'application/json');
const importCsv = (text: string) => importFile(text, 'text/csv');

/** Every topic and revision as stored, to show that something changed nothing. */
async function snapshot() {
  const topics = await api.db.selectFrom('topics').selectAll().orderBy('id').execute();
  const revisions = await api.db
    .selectFrom('topic_revisions')
    .select(['topic_id', 'revision', 'content'])
    .orderBy('topic_id')
    .orderBy('revision')
    .execute();
  return { topics, revisions };
}

interface FileTopic {
  slug: string;
  status: string;
  category: string;
  summary: string;
  title: string;
  actions: string[];
  [field: string]: unknown;
}

describe('a round trip', () => {
  it('changes nothing, in JSON', async () => {
    const before = await snapshot();
    const exported = await exportAs('json');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.json"/);
    const file = JSON.parse(exported.text) as { format: string; topics: FileTopic[] };
    expect(file.format).toBe('blindspot-topics');
    expect(file.topics).toHaveLength(before.topics.length);

    const answer = await importJson(file);
    expect(answer).toEqual({
      status: 200,
      body: { created: 0, updated: 0, unchanged: before.topics.length },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('changes nothing in CSV, with quotes, commas, line breaks and formula-looking text', async () => {
    const { id } = await api.db
      .selectFrom('topics')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const tricky = {
      summary: '=HYPERLINK("http://example.com") looks like a formula, and has "quotes".',
      example: "First line,\r\nsecond line\nand '-a third, with a quote first",
      actions: ['-Start with a minus.', "'=Already quoted once.", '@Mention someone.'],
    };
    const edited = await editor.request('PATCH', `${base()}/${id}`, tricky);
    expect(edited.status).toBe(200);
    const before = await snapshot();

    const exported = await exportAs('csv');
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    // A spreadsheet opening the export must not run the summary as a formula.
    expect(exported.text).toContain(`"'=HYPERLINK(""http://example.com"")`);
    const answer = await importCsv(exported.text);
    expect(answer.body).toEqual({ created: 0, updated: 0, unchanged: before.topics.length });
    expect(await snapshot()).toEqual(before);
  });
});

describe('an import', () => {
  it('creates new slugs, updates changed topics as new revisions, and leaves the rest alone', async () => {
    const file = JSON.parse((await exportAs('json')).text) as { topics: FileTopic[] };
    const [changed, retired] = file.topics as [FileTopic, FileTopic];
    changed.summary = 'Rewritten in the spreadsheet.';
    retired.status = 'retired';
    const added: FileTopic = { ...changed, slug: 'brand-new-from-a-file', title: 'A new one' };
    delete (added as Partial<FileTopic>).status;
    const answer = await importJson({ topics: [...file.topics, added] });
    expect(answer.body).toEqual({ created: 1, updated: 2, unchanged: file.topics.length - 2 });

    const rows = await api.db
      .selectFrom('topics')
      .where('slug', 'in', [changed.slug, retired.slug, added.slug])
      .select(['slug', 'summary', 'revision', 'retired_at'])
      .execute();
    const bySlug = new Map(rows.map((row) => [row.slug, row]));
    expect(bySlug.get(changed.slug)).toMatchObject({
      summary: 'Rewritten in the spreadsheet.',
      retired_at: null,
    });
    expect(bySlug.get(retired.slug)?.retired_at).toBeInstanceOf(Date);
    expect(bySlug.get(added.slug)).toMatchObject({ revision: 1, retired_at: null });

    const events = await api.db
      .selectFrom('audit_events')
      .where('action', 'in', ['topics.imported', 'topic.imported'])
      .select(['action', 'details'])
      .orderBy('id', 'desc')
      .limit(4)
      .execute();
    expect(events[0]).toMatchObject({
      action: 'topics.imported',
      details: { format: 'json', created: 1, updated: 2 },
    });
    expect(events.slice(1).map((e) => e.action)).toEqual([
      'topic.imported',
      'topic.imported',
      'topic.imported',
    ]);

    // The same file again is now exactly the catalogue.
    const again = await importJson({ topics: [...file.topics, added] });
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: file.topics.length + 1 });
  });
});

describe('an import with a structured reference', () => {
  it('stores it as its citation ending in the link, and names a broken one by field', async () => {
    const file = JSON.parse((await exportAs('json')).text) as { topics: FileTopic[] };
    const [first] = file.topics as [FileTopic];
    const reference = {
      kind: 'paper',
      authors: ['Edmondson, A. C.'],
      year: 1999,
      title: 'Psychological safety and learning behavior in work teams',
      venue: 'Administrative Science Quarterly',
      volume: '44(2)',
      pages: '350–383',
      doi: '10.2307/2666999',
    };
    const added = { ...first, slug: 'structured-reference', title: 'Structured', reference };
    const answer = await importJson({ topics: [added] });
    expect(answer.body).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const row = await api.db
      .selectFrom('topics')
      .where('slug', '=', 'structured-reference')
      .select('reference')
      .executeTakeFirstOrThrow();
    expect(row.reference).toBe(
      'Edmondson, A. C. (1999). Psychological safety and learning behavior in work teams. ' +
        'Administrative Science Quarterly, 44(2), 350–383. https://doi.org/10.2307/2666999',
    );

    const before = await snapshot();
    const broken = await importJson({
      topics: [{ ...added, slug: 'broken-reference', reference: { ...reference, year: 'n.d.' } }],
    });
    expect(broken.status).toBe(400);
    expect(broken.body.fields).toMatchObject({
      'topics[0].reference.year': 'reference.year must be a whole year, e.g. 1999.',
    });
    expect(await snapshot()).toEqual(before);
  });
});

const HEADER =
  'slug,status,category,title,summary,whyItMatters,example,reflectionQuestion,action1,action2,action3,reference';
const row = (slug: string, overrides: Record<string, string> = {}) => {
  const cells: Record<string, string> = {
    slug,
    status: 'active',
    category: 'clarity-and-direction',
    title: `Title of ${slug}`,
    summary: 'A summary.',
    whyItMatters: 'Why.',
    example: 'An example.',
    reflectionQuestion: 'A question?',
    action1: 'One.',
    action2: 'Two.',
    action3: 'Three.',
    reference: 'A reference.',
    ...overrides,
  };
  return HEADER.split(',')
    .map((column) => cells[column] ?? '')
    .join(',');
};

describe('a bad file', () => {
  it('is refused whole, with every problem listed by CSV line and field, and nothing saved', async () => {
    const before = await snapshot();
    const csv = [
      HEADER,
      row('fine-and-new'),
      row('no-summary', { summary: '' }),
      // A quoted cell over two lines: the next row starts on line 6.
      row('two-line-example', { example: '"First line\nsecond line"' }),
      row('unknown-family', { category: 'astrology' }),
      row('long-title', { title: 'x'.repeat(TOPIC_LIMITS.title + 1) }),
      row('fine-and-new', { title: 'Again' }),
      row('BAD SLUG', { status: 'draft' }),
    ].join('\n');
    const answer = await importCsv(csv);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'invalid_import',
      message: expect.stringMatching(/^6 problems in the file, so nothing was imported/),
    });
    expect(answer.body.fields).toEqual({
      'line 3: summary': 'summary must not be empty.',
      'line 6: category': expect.stringContaining('"astrology" is not a family'),
      'line 7: title': `title must be at most ${TOPIC_LIMITS.title} characters (it has ${TOPIC_LIMITS.title + 1}).`,
      'line 8: slug': '"fine-and-new" is also at line 2.',
      'line 9: slug': expect.stringContaining('lower-case words'),
      'line 9: status': 'status must be one of active, retired.',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('is refused whole, with every problem listed by JSON index and field', async () => {
    const before = await snapshot();
    const answer = await importJson({
      topics: [
        { slug: 'missing-things', category: 'clarity-and-direction', title: 'Half a topic' },
        { slug: 'extra-field', colour: 'blue', actions: 'not a list' },
      ],
    });
    expect(answer.status).toBe(400);
    const fields = answer.body.fields as Record<string, string>;
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining([
        'topics[0].summary',
        'topics[0].actions',
        'topics[0].reference',
        'topics[1].colour',
        'topics[1].actions',
        'topics[1].category',
      ]),
    );
    expect(fields['topics[1].actions']).toBe('actions must be a list of texts.');
    expect(await snapshot()).toEqual(before);
  });

  it('names an unterminated quote, a missing column and a file that is not a catalogue', async () => {
    const quote = await importCsv(`${HEADER}\n${row('open', { title: '"never closed' })}`);
    expect(quote.body.fields).toEqual({ 'line 2: file': 'A quoted cell is never closed.' });
    const column = await importCsv(`${HEADER.replace(',reference', '')}\n`);
    expect(column.body.fields).toEqual({ 'line 1: reference': 'The reference column is missing.' });
    const notAFile = await importJson({ hello: 'world' });
    expect(notAFile.status).toBe(400);
    expect(Object.keys(notAFile.body.fields as object)).toEqual(['file: hello', 'file: topics']);
  });

  it('over 1 MB gets a clear 413 before it is read', async () => {
    const answer = await importCsv(`${HEADER}\n${'x'.repeat(1_100_000)}`);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('at most 1 MB'),
    });
  });
});

describe('roles', () => {
  it('lets an editor export and import, and refuses a viewer both', async () => {
    expect((await exportAs('json', viewerKey)).status).toBe(403);
    const refused = await importFile('{"topics":[]}', 'application/json', viewerKey);
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await importJson({ topics: [] })).body).toEqual({
      created: 0,
      updated: 0,
      unchanged: 0,
    });
  });
});
