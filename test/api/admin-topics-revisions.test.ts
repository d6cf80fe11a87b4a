/**
 * Topic history through the admin API, over HTTP on a real database: restoring a revision adds
 * a new one (history is never rewritten) and is what the next delivery sends; retiring and
 * restoring; the guard rails a topic must pass to exist (every field, the length limits, the
 * whole note readable in about a minute), each problem named by field; and roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDeliveries, sendNow } from '../../src/core/deliveries/service.ts';
import { TOPIC_LIMITS } from '../../src/core/topics/rules.ts';
import { type AdminApi, AdminBrowser, startAdminApi } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { createSubscriber, createWorkspace, type TestWorkspace } from '../support/factories.ts';

let api: AdminApi;
let workspace: TestWorkspace;
let editor: AdminBrowser;
let viewer: AdminBrowser;

beforeAll(async () => {
  api = await startAdminApi();
  workspace = await createWorkspace(api.db);
  const as = async (role: 'editor' | 'viewer') =>
    new AdminBrowser(api.url, { authorization: `Bearer ${await apiKeyWithRole(api, role)}` });
  editor = await as('editor');
  viewer = await as('viewer');
});

afterAll(async () => {
  await api?.close();
});

const topics = () => `/workspaces/${workspace.slackTeamId}/topics`;

const newTopic = (overrides: Record<string, unknown> = {}) => ({
  category: 'recognition-and-feedback',
  title: 'Thanks that name the work',
  summary: 'Generic thanks fade; thanks that name what someone did stay with them.',
  whyItMatters: 'Specific recognition tells people which of their efforts you noticed.',
  example: 'Ana thanks Li "for the migration plan that let us ship on Friday".',
  reflectionQuestion: 'Whose work did you notice this week without saying so?',
  actions: ['Name one piece of work.', 'Say what it made possible.', 'Say it the same day.'],
  reference: 'Grant, A. M., & Gino, F. (2010). A little thanks goes a long way.',
  ...overrides,
});

async function createTopic(overrides: Record<string, unknown> = {}) {
  const answer = await editor.request('POST', topics(), newTopic(overrides));
  expect(answer.status).toBe(201);
  return answer.body as { id: string; revision: number; summary: string };
}

const auditOf = (requestId: string | null, action: string) =>
  api.db
    .selectFrom('audit_events')
    .where('action', '=', action)
    .$if(requestId !== null, (q) => q.where('request_id', '=', requestId as string))
    .selectAll()
    .orderBy('id', 'desc')
    .execute();

describe('restoring a revision', () => {
  it('makes its content current as a new revision, keeping every earlier one', async () => {
    const topic = await createTopic({ slug: 'restore-keeps-history' });
    await editor.request('PATCH', `${topics()}/${topic.id}`, { summary: 'Version B.' });
    await editor.request('PATCH', `${topics()}/${topic.id}`, { summary: 'Version C.' });

    const restored = await editor.request('POST', `${topics()}/${topic.id}/revisions/2/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ summary: 'Version B.', revision: 4 });

    const history = await viewer.request('GET', `${topics()}/${topic.id}/revisions`);
    const revisions = history.body.revisions as {
      revision: number;
      content: { summary: string };
    }[];
    expect(revisions.map((r) => [r.revision, r.content.summary])).toEqual([
      [1, topic.summary],
      [2, 'Version B.'],
      [3, 'Version C.'],
      [4, 'Version B.'],
    ]);
    const [event] = await auditOf(null, 'topic.revision_restored');
    expect(event).toMatchObject({
      subject_id: topic.id,
      actor: expect.stringMatching(/^apikey:\d+$/),
      details: {
        restoredRevision: 2,
        revision: 4,
        changed: true,
        fields: ['summary'],
        before: { summary: 'Version C.' },
        after: { summary: 'Version B.' },
      },
    });
  });

  it('is what the next delivery sends', async () => {
    const now = new Date();
    const subscriber = await createSubscriber(api.db, workspace, {}, now);
    const { deliveryId } = await sendNow(api.db, subscriber.who, now);
    const { topic_id: topicId } = await api.db
      .selectFrom('deliveries')
      .where('id', '=', deliveryId)
      .select('topic_id')
      .executeTakeFirstOrThrow();
    const path = `${topics()}/${topicId}`;
    const original = await viewer.request('GET', path);
    await editor.request('PATCH', path, { summary: 'The wording we want back.' });
    await editor.request('PATCH', path, { summary: 'A wording that did not work.' });
    const current = original.body.revision as number;
    const back = await editor.request('POST', `${path}/revisions/${current + 1}/restore`);
    expect(back.status).toBe(200);

    const claimed = await claimDeliveries(api.db, new Date(), { limit: 10, leaseMs: 60_000 });
    const delivery = claimed.deliveries.find((d) => d.id === deliveryId);
    expect(delivery?.topic).toMatchObject({
      summary: 'The wording we want back.',
      title: original.body.title,
    });
  });

  it('leaves a retired topic retired, and adds nothing when the content is already that', async () => {
    const topic = await createTopic({ slug: 'restore-while-retired' });
    await editor.request('PATCH', `${topics()}/${topic.id}`, { title: 'A second title' });
    await editor.request('POST', `${topics()}/${topic.id}/retire`);
    const restored = await editor.request('POST', `${topics()}/${topic.id}/revisions/1/restore`);
    expect(restored.body).toMatchObject({
      title: 'Thanks that name the work',
      revision: 3,
      retiredAt: expect.stringMatching(/Z$/),
    });
    const again = await editor.request('POST', `${topics()}/${topic.id}/revisions/1/restore`);
    expect(again.body.revision).toBe(3);
    const [event] = await auditOf(null, 'topic.revision_restored');
    expect(event?.details).toMatchObject({ changed: false, revision: 3 });
  });

  it('answers 404 for a revision the topic does not have, and 400 for revision 0', async () => {
    const topic = await createTopic({ slug: 'restore-missing-revision' });
    const missing = await editor.request('POST', `${topics()}/${topic.id}/revisions/7/restore`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('topic_revision_not_found');
    const zero = await editor.request('POST', `${topics()}/${topic.id}/revisions/0/restore`);
    expect(zero.status).toBe(400);
  });
});

describe('retiring and restoring a topic', () => {
  it('sends a retired topic again after restore, audited, and says when nothing changed', async () => {
    const topic = await createTopic({ slug: 'retire-and-restore' });
    await editor.request('POST', `${topics()}/${topic.id}/retire`);
    const back = await editor.request('POST', `${topics()}/${topic.id}/restore`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ retiredAt: null, revision: 1 });
    const active = await viewer.request('GET', `${topics()}?q=retire-and-restore`);
    expect((active.body.topics as { id: string }[]).map((t) => t.id)).toEqual([topic.id]);

    await editor.request('POST', `${topics()}/${topic.id}/restore`);
    const events = await auditOf(null, 'topic.unretired');
    expect(events.slice(0, 2).map((e) => e.details)).toMatchObject([
      { changed: false },
      { changed: true, slug: 'retire-and-restore' },
    ]);
  });
});

describe('guard rails', () => {
  it('refuses a topic with missing and over-long fields, naming each, and saves nothing', async () => {
    const before = await api.db.selectFrom('topics').select('id').execute();
    const answer = await editor.request('POST', topics(), {
      ...newTopic({ title: 't'.repeat(TOPIC_LIMITS.title + 1), actions: ['One', ''] }),
      reflectionQuestion: undefined,
      reference: undefined,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: 'invalid_topic',
      message: expect.stringContaining('reflectionQuestion is required.'),
      requestId: expect.any(String),
      fields: {
        title: `title must be at most ${TOPIC_LIMITS.title} characters (it has ${TOPIC_LIMITS.title + 1}).`,
        reflectionQuestion: 'reflectionQuestion is required.',
        actions: 'actions must hold exactly 3 items (it has 2).',
        'actions[1]': 'actions[1] must not be empty.',
        reference: 'reference is required.',
      },
    });
    expect(await api.db.selectFrom('topics').select('id').execute()).toHaveLength(before.length);
  });

  it('counts characters, not UTF-16 units: a title of emoji at the limit is accepted', async () => {
    const title = '🙂'.repeat(TOPIC_LIMITS.title);
    const topic = await createTopic({ slug: 'emoji-title', title });
    expect((await viewer.request('GET', `${topics()}/${topic.id}`)).body.title).toBe(title);
  });

  it('refuses a note too long to read in about a minute, on create and on edit', async () => {
    const long = {
      whyItMatters: 'w'.repeat(TOPIC_LIMITS.whyItMatters),
      example: 'e'.repeat(TOPIC_LIMITS.example),
      summary: 's'.repeat(TOPIC_LIMITS.summary),
      reflectionQuestion: 'q'.repeat(TOPIC_LIMITS.reflectionQuestion),
      actions: ['a', 'b', 'c'].map((letter) => letter.repeat(TOPIC_LIMITS.action)),
    };
    const created = await editor.request('POST', topics(), newTopic(long));
    expect(created.status).toBe(400);
    expect(Object.keys(created.body.fields as object)).toEqual(['note']);
    expect((created.body.fields as Record<string, string>).note).toMatch(/about a minute/);

    const topic = await createTopic({ slug: 'grows-too-long' });
    const edited = await editor.request('PATCH', `${topics()}/${topic.id}`, long);
    expect(edited.status).toBe(400);
    expect(edited.body).toMatchObject({
      code: 'invalid_topic',
      fields: { note: expect.any(String) },
    });
    expect((await viewer.request('GET', `${topics()}/${topic.id}`)).body.revision).toBe(1);
  });

  it('refuses a restore of a revision that no longer meets the limits', async () => {
    const topic = await createTopic({ slug: 'old-long-revision' });
    // A revision written before the limits tightened, as an older release stored it.
    await api.db
      .updateTable('topic_revisions')
      .set({
        content: JSON.stringify({ ...newTopic(), title: 'x'.repeat(100) }),
      })
      .where('topic_id', '=', topic.id)
      .where('revision', '=', 1)
      .execute();
    await editor.request('PATCH', `${topics()}/${topic.id}`, { title: 'Shorter' });
    const answer = await editor.request('POST', `${topics()}/${topic.id}/revisions/1/restore`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'invalid_topic',
      fields: { title: expect.any(String) },
    });
  });
});

describe('roles', () => {
  it('lets a viewer read the history but not restore, retire or un-retire', async () => {
    const topic = await createTopic({ slug: 'viewer-cannot-restore' });
    for (const path of ['revisions/1/restore', 'restore', 'retire']) {
      const answer = await viewer.request('POST', `${topics()}/${topic.id}/${path}`);
      expect(answer.status, path).toBe(403);
      expect(answer.body.code).toBe('forbidden');
    }
    expect((await viewer.request('GET', `${topics()}/${topic.id}/revisions`)).status).toBe(200);
  });
});
