/**
 * Topic translations in the admin API over real HTTP (issue 18, item 2): an editor writes,
 * replaces and deletes a topic's German or French text under the English limits, a viewer
 * reads them, every call is audited, the topic list says which languages each topic lacks and
 * filters by it, and a manager then reads what the editor wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOfManager } from '../../src/core/languages/service.ts';
import { topicsInLanguage } from '../../src/core/topics/localize.ts';
import { TOPIC_LIMITS } from '../../src/core/topics/rules.ts';
import { type AdminApi, AdminBrowser, startAdminApi } from '../support/admin-harness.ts';
import { apiKeyWithRole } from '../support/admin-sessions.ts';
import { createManager, createWorkspace, type TestWorkspace } from '../support/factories.ts';

let api: AdminApi;
let workspace: TestWorkspace;
let editor: AdminBrowser;
let viewer: AdminBrowser;
let topicId: string;

const GERMAN = {
  title: 'Rezenzeffekt',
  summary: 'Die letzten Wochen überdecken das ganze Jahr.',
  whyItMatters: 'Wer nur das Jüngste sieht, bewertet unfair.',
  example: 'Eine Führungskraft bewertet nur den letzten Monat.',
  reflectionQuestion: 'Was weißt du über das ganze Jahr?',
  actions: ['Notizen führen.', 'Das Jahr durchgehen.', 'Beispiele sammeln.'],
};

beforeAll(async () => {
  api = await startAdminApi();
  workspace = await createWorkspace(api.db);
  const as = async (role: 'editor' | 'viewer') =>
    new AdminBrowser(api.url, { authorization: `Bearer ${await apiKeyWithRole(api, role)}` });
  editor = await as('editor');
  viewer = await as('viewer');
  const topic = await api.db
    .selectFrom('topics')
    .where('workspace_id', '=', workspace.id)
    .select('id')
    .orderBy('slug')
    .limit(1)
    .executeTakeFirstOrThrow();
  topicId = topic.id;
  // Whatever the shipped files hold, this topic starts without translations.
  await api.db.deleteFrom('topic_translations').where('topic_id', '=', topicId).execute();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const path = (language?: string) =>
  `/workspaces/${workspace.slackTeamId}/topics/${topicId}/translations${language ? `/${language}` : ''}`;

async function audit(action: string) {
  return api.db
    .selectFrom('audit_events')
    .where('workspace_id', '=', workspace.id)
    .where('action', '=', action)
    .select(['actor', 'details'])
    .orderBy('id')
    .execute();
}

describe('an editor translating a topic', () => {
  it('when a topic has none, then both languages are missing, in the topic and in the list', async () => {
    const answer = await viewer.get(path());
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ translations: [], missing: ['de', 'fr'] });
    expect(await audit('topic_translations.viewed')).toHaveLength(1);
    const list = await viewer.get(`/workspaces/${workspace.slackTeamId}/topics?missing=de`);
    const listed = (list.body.topics as Array<{ id: string; missingTranslations: string[] }>).find(
      (t) => t.id === topicId,
    );
    expect(listed?.missingTranslations).toEqual(['de', 'fr']);
  });

  it('when an editor writes German, then 201, the list shows it, the filter leaves it out, and it is audited field by field', async () => {
    const created = await editor.request('PUT', path('de'), GERMAN);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ topicId, language: 'de', ...GERMAN, source: 'admin' });
    const [event] = await audit('topic_translation.created');
    expect(event?.actor).toMatch(/^apikey:/);
    expect(event?.details).toMatchObject({ language: 'de', changed: true, after: GERMAN });

    const list = await viewer.get(`/workspaces/${workspace.slackTeamId}/topics?missing=de`);
    const ids = (list.body.topics as Array<{ id: string }>).map((t) => t.id);
    expect(ids).not.toContain(topicId);
    const french = await viewer.get(`/workspaces/${workspace.slackTeamId}/topics?missing=fr`);
    const listed = (french.body.topics as Array<{ id: string; translations: string[] }>).find(
      (t) => t.id === topicId,
    );
    expect(listed?.translations).toEqual(['de']);
  });

  it('when a German manager reads the topic, then it is the editor’s German', async () => {
    const manager = await createManager(api.db, workspace);
    await api.db
      .updateTable('managers')
      .set({ language: 'de' })
      .where('id', '=', manager.id)
      .execute();
    const topic = await api.db
      .selectFrom('topics')
      .where('id', '=', topicId)
      .select([
        'id',
        'title',
        'summary',
        'why_it_matters as whyItMatters',
        'example',
        'reflection_question as reflectionQuestion',
        'actions',
      ])
      .executeTakeFirstOrThrow();
    const [shown] = await topicsInLanguage(
      api.db,
      [topic],
      await languageOfManager(api.db, manager.id),
    );
    expect(shown?.title).toBe(GERMAN.title);
  });

  it('when the editor replaces it, then 200 and the audit keeps the changed field both ways', async () => {
    const replaced = await editor.request('PUT', path('de'), {
      ...GERMAN,
      title: 'Der Rezenzeffekt',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.title).toBe('Der Rezenzeffekt');
    const [event] = await audit('topic_translation.updated');
    expect(event?.details).toMatchObject({
      fields: ['title'],
      before: { title: GERMAN.title },
      after: { title: 'Der Rezenzeffekt' },
    });
  });

  it('when a translation breaks the English limits, then 400 names each field, and nothing is saved', async () => {
    const refused = await editor.request('PUT', path('fr'), {
      ...GERMAN,
      title: 'x'.repeat(TOPIC_LIMITS.title + 1),
      actions: ['un', 'deux'],
      category: 'not-translatable',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'invalid_topic',
      fields: { category: expect.stringMatching(/not a translated field/) },
    });
    const tooLong = await editor.request('PUT', path('fr'), {
      ...GERMAN,
      whyItMatters: 'y'.repeat(TOPIC_LIMITS.whyItMatters),
      example: 'z'.repeat(TOPIC_LIMITS.example),
      summary: 's'.repeat(TOPIC_LIMITS.summary),
      reflectionQuestion: 'q'.repeat(TOPIC_LIMITS.reflectionQuestion),
      actions: ['a', 'b', 'c'].map((letter) => letter.repeat(TOPIC_LIMITS.action)),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({
      code: 'invalid_topic',
      fields: { note: expect.any(String) },
    });
    const missing = await editor.request('PUT', path('fr'), { title: 'Seul' });
    expect(missing.body).toMatchObject({
      code: 'invalid_topic',
      fields: { summary: 'summary is required.' },
    });
    expect((await viewer.get(path())).body.missing).toEqual(['fr']);
  });

  it('when the language is English or unknown, then 400 invalid_language', async () => {
    for (const language of ['en', 'es']) {
      const answer = await editor.request('PUT', path(language), GERMAN);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_language');
    }
  });

  it('when a viewer tries to write or delete, then 403, and nothing changes', async () => {
    expect((await viewer.request('PUT', path('fr'), GERMAN)).status).toBe(403);
    expect((await viewer.request('DELETE', path('de'))).status).toBe(403);
    expect((await viewer.get(path())).body.translations).toHaveLength(1);
  });

  it('when the editor deletes it, then 204, it is missing again, and a second delete is 404', async () => {
    expect((await editor.request('DELETE', path('de'))).status).toBe(204);
    expect((await viewer.get(path())).body).toMatchObject({
      translations: [],
      missing: ['de', 'fr'],
    });
    const [event] = await audit('topic_translation.deleted');
    expect(event?.details).toMatchObject({ language: 'de', before: { title: 'Der Rezenzeffekt' } });
    const again = await editor.request('DELETE', path('de'));
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('topic_translation_not_found');
  });
});
