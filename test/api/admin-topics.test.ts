/**
 * The workspace's topics through the admin API, over real HTTP
 * (test/support/admin-workspace-api.ts): listing, filtering and reading them; creating one at
 * revision 1; updating only the fields given; retiring one; each call recorded in the audit
 * log, and each refusal saving nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  newTopic,
  setUpAdminWorkspaceApi,
  TEAM,
  type Topic,
  type TopicRevision,
} from '../support/admin-workspace-api.ts';

const api = setUpAdminWorkspaceApi();
const { admin, auditOf, countRows, firstTopicId } = api;

describe('listing and reading topics', () => {
  it('lists the active topics by category and slug, and records the call', async () => {
    const { status, body, requestId } = await admin('GET', `${TEAM}/topics`);
    expect(status).toBe(200);
    const topics = body.topics as Topic[];
    expect(topics).toHaveLength(api.topicCount);
    const keys = topics.map((t) => `${t.category}/${t.slug}`);
    expect(keys).toEqual([...keys].sort());
    expect(topics[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      slug: expect.any(String),
      category: 'clarity-and-direction',
      title: expect.any(String),
      summary: expect.any(String),
      whyItMatters: expect.any(String),
      example: expect.any(String),
      reflectionQuestion: expect.any(String),
      actions: [expect.any(String), expect.any(String), expect.any(String)],
      reference: expect.any(String),
      revision: 1,
      revisionSource: 'seed',
      retiredAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.stringMatching(/Z$/),
      // Never sent yet, so nothing to hide (test/api/admin-topics-list.test.ts has the rest).
      timesSent: { value: 0, suppressed: false },
      meanUsefulness: { value: null, suppressed: false },
      // Whatever data/topics/translations ships for this topic; the rest is missing.
      translations: expect.any(Array),
      missingTranslations: expect.any(Array),
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topics.listed',
        subject_type: 'workspace',
      },
    ]);
  });

  it('filters by category', async () => {
    const { body } = await admin('GET', `${TEAM}/topics?category=listening-and-communication`);
    const topics = body.topics as Topic[];
    expect(topics.length).toBeGreaterThan(0);
    expect(new Set(topics.map((t) => t.category))).toEqual(
      new Set(['listening-and-communication']),
    );
  });

  it('reads one topic, and answers 404 topic_not_found for an id it does not have', async () => {
    const id = await firstTopicId();
    const one = await admin('GET', `${TEAM}/topics/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, category: 'judging-people-fairly' });
    expect(await auditOf(one.requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.viewed',
        subject_type: 'topic',
        subject_id: id,
      },
    ]);

    const missing = await admin('GET', `${TEAM}/topics/987654321`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      code: 'topic_not_found',
      message: 'No such topic.',
      requestId: missing.requestId,
    });
    expect(await auditOf(missing.requestId)).toEqual([]);
  });

  it('answers 404 workspace_not_found for a team Blindspot does not know', async () => {
    const { status, body } = await admin('GET', 'T0NOBODY/topics');
    expect(status).toBe(404);
    expect(body.code).toBe('workspace_not_found');
  });

  it('answers 400 for a topic id that cannot be one', async () => {
    const { status, body } = await admin('GET', `${TEAM}/topics/abc`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
  });
});

describe('creating a topic', () => {
  it('creates it at revision 1, with a slug made from the title, and records it', async () => {
    const { status, body, requestId } = await admin('POST', `${TEAM}/topics`, newTopic());
    expect(status).toBe(201);
    expect(body).toMatchObject({
      ...newTopic(),
      slug: 'meeting-free-fridays-only-on-paper',
      revision: 1,
      revisionSource: 'admin',
      retiredAt: null,
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.created',
        subject_type: 'topic',
        subject_id: body.id,
        details: { slug: 'meeting-free-fridays-only-on-paper', revision: 1 },
      },
    ]);
    const revisions = await admin('GET', `${TEAM}/topics/${body.id}/revisions`);
    expect(revisions.body.revisions).toEqual([
      {
        revision: 1,
        source: 'admin',
        content: {
          category: 'team-climate-and-growth',
          title: newTopic().title,
          summary: newTopic().summary,
          whyItMatters: newTopic().whyItMatters,
          example: newTopic().example,
          reflectionQuestion: newTopic().reflectionQuestion,
          actions: newTopic().actions,
          reference: newTopic().reference,
        },
        createdAt: expect.any(String),
      },
    ]);
  });

  it('takes a slug when given, and refuses one the workspace already has with 409', async () => {
    const created = await admin('POST', `${TEAM}/topics`, newTopic({ slug: 'fridays-again' }));
    expect(created.body.slug).toBe('fridays-again');
    const before = await countRows();
    const again = await admin('POST', `${TEAM}/topics`, newTopic({ slug: 'fridays-again' }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'topic_slug_taken', requestId: again.requestId });
    expect(await countRows()).toEqual(before);
  });

  it('accepts a category of its own', async () => {
    const { status, body } = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'Hybrid meetings', category: 'remote-work' }),
    );
    expect(status).toBe(201);
    expect(body.category).toBe('remote-work');
  });

  it.each([
    ['a summary over 280 characters', { summary: 'x'.repeat(281) }, /summary/],
    ['two actions', { actions: ['One.', 'Two.'] }, /actions/],
    ['a category that is not a slug', { category: 'Team Climate' }, /category/],
    ['an unknown field', { colour: 'blue' }, /colour|additional/],
    ['a missing field', { reference: undefined }, /reference/],
  ])(
    'refuses %s with 400, naming the field, and saves nothing',
    async (_case, overrides, mentions) => {
      const before = await countRows();
      const { status, body, requestId } = await admin(
        'POST',
        `${TEAM}/topics`,
        newTopic({ title: 'Refused topic', ...overrides }),
      );
      expect(status).toBe(400);
      expect(body).toEqual({
        code: 'invalid_topic',
        message: expect.any(String),
        requestId,
        fields: expect.any(Object),
      });
      expect(body.message).toMatch(mentions);
      expect(Object.keys(body.fields as object).join(' ')).toMatch(mentions);
      expect(await countRows()).toEqual(before);
    },
  );

  it('refuses text that is only spaces with invalid_topic, naming the field', async () => {
    const before = await countRows();
    const { status, body } = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'Blank example', example: '   ' }),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'invalid_topic', message: 'example must not be empty.' });
    expect(await countRows()).toEqual(before);
  });
});

describe('updating a topic', () => {
  it('changes only the fields given, at the next revision from an admin, and records which', async () => {
    const id = await firstTopicId('recognition-and-feedback');
    const before = await admin('GET', `${TEAM}/topics/${id}`);
    const { status, body, requestId } = await admin('PATCH', `${TEAM}/topics/${id}`, {
      summary: 'Our team reads this differently.',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ...before.body,
      summary: 'Our team reads this differently.',
      revision: 2,
      revisionSource: 'admin',
      updatedAt: expect.any(String),
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.updated',
        subject_id: id,
        details: { revision: 2, fields: ['summary'], changed: true },
      },
    ]);
    // Topics are admins' text, not managers' words: the log keeps both sides of the change.
    const [event] = await auditOf(requestId);
    expect(event?.details).toMatchObject({
      before: { summary: before.body.summary },
      after: { summary: 'Our team reads this differently.' },
    });

    const revisions = await admin('GET', `${TEAM}/topics/${id}/revisions`);
    const history = revisions.body.revisions as TopicRevision[];
    expect(history.map((r) => [r.revision, r.source])).toEqual([
      [1, 'seed'],
      [2, 'admin'],
    ]);
    expect(await auditOf(revisions.requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic_revisions.listed',
        subject_id: id,
      },
    ]);
  });

  it('keeps the revision when nothing actually changes', async () => {
    const id = await firstTopicId('recognition-and-feedback');
    const current = await admin('GET', `${TEAM}/topics/${id}`);
    const same = await admin('PATCH', `${TEAM}/topics/${id}`, { title: current.body.title });
    expect(same.body.revision).toBe(current.body.revision);
    expect(await auditOf(same.requestId)).toMatchObject([{ details: { changed: false } }]);
  });

  it('refuses an empty change, a summary over 280, two actions or an unknown id, saving nothing', async () => {
    const id = await firstTopicId();
    const before = await countRows();
    const empty = await admin('PATCH', `${TEAM}/topics/${id}`, {});
    expect(empty.status).toBe(400);
    const long = await admin('PATCH', `${TEAM}/topics/${id}`, { summary: 'y'.repeat(281) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({
      code: 'invalid_topic',
      requestId: long.requestId,
      fields: { summary: 'summary must be at most 280 characters (it has 281).' },
    });
    const two = await admin('PATCH', `${TEAM}/topics/${id}`, { actions: ['One.', 'Two.'] });
    expect(two.status).toBe(400);
    const slug = await admin('PATCH', `${TEAM}/topics/${id}`, { slug: 'renamed' });
    expect(slug.status).toBe(400);
    const missing = await admin('PATCH', `${TEAM}/topics/987654321`, { title: 'Nobody' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('topic_not_found');
    expect(await countRows()).toEqual(before);
  });
});

describe('retiring a topic', () => {
  it('sets retiredAt once, hides the topic from the default list, and records each call', async () => {
    const created = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'To be retired', category: 'to-retire' }),
    );
    const id = created.body.id as string;
    const first = await admin('POST', `${TEAM}/topics/${id}/retire`);
    expect(first.status).toBe(200);
    expect(first.body.retiredAt).toEqual(expect.stringMatching(/Z$/));
    expect(first.body.revision).toBe(1);
    expect(await auditOf(first.requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.retired',
        subject_id: id,
        details: { changed: true },
      },
    ]);

    const second = await admin('POST', `${TEAM}/topics/${id}/retire`);
    expect(second.status).toBe(200);
    expect(second.body.retiredAt).toBe(first.body.retiredAt);
    expect(await auditOf(second.requestId)).toMatchObject([{ details: { changed: false } }]);

    const active = await admin('GET', `${TEAM}/topics?category=to-retire`);
    expect(active.body.topics).toEqual([]);
    const all = await admin('GET', `${TEAM}/topics?category=to-retire&includeRetired=true`);
    expect((all.body.topics as Topic[]).map((t) => t.id)).toEqual([id]);

    const missing = await admin('POST', `${TEAM}/topics/987654321/retire`);
    expect(missing.status).toBe(404);
  });
});
