/**
 * Each manager's language over real HTTP, as the bot calls the API (issue 18, item 2): the
 * effective language in every answer that carries a locale, the topic's text in it where the
 * topic has that translation and in English where it does not, and the manager's own choice
 * made at sign-up or later. A language Blindspot does not speak is refused, and nothing saved.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { DEFAULT_SETTINGS } from '../../src/core/settings/rules.ts';
import { updateWorkspaceSettings } from '../../src/core/settings/service.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch } from '../support/service-calls.ts';

const TEAM = 'T0LANGUAGE';
const SIGNED_UP_AT = new Date('2026-12-07T12:00:00Z');
/** 09:00 in Berlin on Tuesday 2026-12-08: every subscriber's delivery time. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');

interface Who {
  team: string;
  user: string;
}
interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}
interface Topic {
  id: string;
  title: string;
  summary: string;
  actions: string[];
  reference: string;
}
interface Claimed {
  id: string;
  attempt: number;
  slackUserId: string;
  language: string;
  topic: Topic;
}

let clock = SIGNED_UP_AT;
const fetch = serviceFetch(() => clock);
let users = 0;

const testApp = setUpTestApp({ clock: () => clock });

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  who: Who | null,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await fetch(`${testApp.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
      ...(who && { 'x-slack-team-id': who.team, 'x-slack-user-id': who.user }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** A manager registered with this Slack locale, as the bot registers one. */
async function manager(locale: string, team = TEAM): Promise<Who> {
  users += 1;
  const who = { team, user: `U0LANG${users}` };
  const answer = await call('PUT', '/me', who, { timeZone: 'Europe/Berlin', locale });
  expect(answer.status).toBe(200);
  return who;
}

const signUp = (who: Who, extra: Record<string, unknown> = {}) =>
  call('PUT', '/subscriptions/me', who, {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    localTime: '09:00',
    timeZone: 'Europe/Berlin',
    ...extra,
  });

async function workspaceId(team = TEAM): Promise<string> {
  const row = await testApp.database.db
    .selectFrom('workspaces')
    .where('slack_team_id', '=', team)
    .select('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Every topic of the workspace in German ("DE " before each English text, so a test can tell
 * the two apart), and none in French: whatever topic a note draws, German readers have it and
 * French readers fall back to English.
 */
async function germanOnly(team = TEAM): Promise<void> {
  const id = await workspaceId(team);
  await testApp.database.db
    .deleteFrom('topic_translations')
    .where('workspace_id', '=', id)
    .execute();
  await sql`
    INSERT INTO topic_translations (topic_id, language, workspace_id, title, summary,
      why_it_matters, example, reflection_question, actions, source)
    SELECT id, 'de', workspace_id, 'DE ' || title, 'DE ' || summary, 'DE ' || why_it_matters,
      'DE ' || example, 'DE ' || reflection_question,
      ARRAY['DE ' || actions[1], 'DE ' || actions[2], 'DE ' || actions[3]], 'admin'
    FROM topics WHERE workspace_id = ${id}`.execute(testApp.database.db);
}

async function englishTopic(topicId: string) {
  return testApp.database.db
    .selectFrom('topics')
    .where('id', '=', topicId)
    .select(['title', 'summary', 'actions', 'reference'])
    .executeTakeFirstOrThrow();
}

async function auditActions(who: Who): Promise<string[]> {
  const rows = await testApp.database.db
    .selectFrom('audit_events')
    .where('actor', '=', `slack:${who.user}`)
    .select('action')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

describe('the language a manager reads', () => {
  it('when nothing else decides, then Slack’s locale does: de-DE reads German, fr-CA French, pt-BR English', async () => {
    for (const [locale, language] of [
      ['de-DE', 'de'],
      ['fr-CA', 'fr'],
      ['pt-BR', 'en'],
      ['en-GB', 'en'],
    ]) {
      const who = await manager(locale as string);
      const me = await call('GET', '/me', who);
      expect(me.body).toMatchObject({ locale, language, chosenLanguage: null });
    }
  });

  it('when the workspace default is German, then a manager whose Slack language Blindspot lacks reads German, and one in French still French', async () => {
    const team = 'T0LANGDEFAULT';
    const portuguese = await manager('pt-BR', team);
    const french = await manager('fr-FR', team);
    await updateWorkspaceSettings(
      testApp.database.db,
      team,
      { ...DEFAULT_SETTINGS, defaultLanguage: 'de' },
      clock,
    );
    expect((await call('GET', '/me', portuguese)).body).toMatchObject({ language: 'de' });
    expect((await call('GET', '/me', french)).body).toMatchObject({ language: 'fr' });
  });

  it('when a manager chooses a language, then it wins over Slack; null follows Slack again; each change is audited', async () => {
    const who = await manager('de-DE');
    const chosen = await call('PUT', '/me/language', who, { language: 'fr' });
    expect(chosen).toEqual({ status: 200, body: { language: 'fr', chosenLanguage: 'fr' } });
    expect((await call('GET', '/me', who)).body).toMatchObject({
      language: 'fr',
      chosenLanguage: 'fr',
    });
    const again = await call('PUT', '/me/language', who, { language: 'fr' });
    expect(again.status).toBe(200);
    const cleared = await call('PUT', '/me/language', who, { language: null });
    expect(cleared.body).toEqual({ language: 'de', chosenLanguage: null });
    expect((await auditActions(who)).filter((a) => a === 'manager.language_changed')).toHaveLength(
      2,
    );
  });

  it('when a manager chooses a language, then their action items carry it too, beside the Slack locale', async () => {
    const who = await manager('en-US');
    const planned = await call('POST', '/action-items', who, {
      text: 'Ask Sam how the launch went',
      source: 'api',
      checkBack: { in: '1w' },
    });
    expect(planned.body).toMatchObject({ locale: 'en-US', language: 'en' });
    await call('PUT', '/me/language', who, { language: 'de' });
    const listed = await call('GET', '/action-items', who);
    expect(listed.body).toMatchObject({ items: [{ locale: 'en-US', language: 'de' }] });
  });

  it('when the language is one Blindspot does not speak, then 400 invalid_language says which it does, and nothing is saved', async () => {
    const who = await manager('de-DE');
    await call('PUT', '/me/language', who, { language: 'de' });
    const refused = await call('PUT', '/me/language', who, { language: 'es' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'invalid_language',
      message: expect.stringMatching(
        /"es" is not a language .*en \(English\), de \(German\), fr \(French\)/,
      ),
      requestId: expect.any(String),
    });
    expect((await call('GET', '/me', who)).body).toMatchObject({ chosenLanguage: 'de' });
    expect(await auditActions(who)).not.toContain('manager.language_changed_to_es');
    const missing = await call('PUT', '/me/language', who, {});
    expect(missing.status).toBe(400);
  });

  it('when a manager signs up with a language, then the subscription answer carries it; a bad one is refused with nothing saved', async () => {
    const who = await manager('en-US');
    const refused = await signUp(who, { language: 'klingon' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'invalid_subscription',
      fields: { language: expect.stringMatching(/"klingon" is not a language/) },
    });
    expect((await call('GET', '/subscriptions/me', who)).status).toBe(404);

    const signed = await signUp(who, { language: 'de' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ locale: 'en-US', language: 'de', chosenLanguage: 'de' });
    // A schedule change without a language keeps the choice.
    const changed = await signUp(who, { localTime: '10:00' });
    expect(changed.body).toMatchObject({ language: 'de', chosenLanguage: 'de' });
  });
});

describe('a note in the manager’s language', () => {
  const notes = new Map<string, Claimed>();
  let german: Who;
  let french: Who;
  let english: Who;

  beforeAll(async () => {
    const team = 'T0LANGNOTES';
    clock = SIGNED_UP_AT;
    german = await manager('de-AT', team);
    french = await manager('en-US', team);
    english = await manager('en-GB', team);
    expect((await signUp(german)).status).toBe(200);
    expect((await signUp(french, { language: 'fr' })).status).toBe(200);
    expect((await signUp(english)).status).toBe(200);
    await germanOnly(team);
    await planDueDeliveries(testApp.database.db, new Date(DUE_AT.getTime() - 2 * 60_000));
    clock = new Date(DUE_AT.getTime() + 60_000);
    const claimed = await call<{ deliveries: Claimed[] }>('POST', '/deliveries/claims', null, {
      limit: 100,
      leaseSeconds: 30,
    });
    expect(claimed.status).toBe(200);
    for (const note of claimed.body.deliveries) notes.set(note.slackUserId, note);
  });

  it('when a German manager’s note is claimed, then its text is the German translation, and the citation the topic’s own', async () => {
    const note = notes.get(german.user) as Claimed;
    const source = await englishTopic(note.topic.id);
    expect(note.language).toBe('de');
    expect(note.topic.title).toBe(`DE ${source.title}`);
    expect(note.topic.summary).toBe(`DE ${source.summary}`);
    expect(note.topic.actions).toEqual(source.actions.map((action) => `DE ${action}`));
    expect(note.topic.reference).toBe(source.reference);
  });

  it('when the topic has no French, then a French manager gets it in English, with language still fr', async () => {
    const note = notes.get(french.user) as Claimed;
    const source = await englishTopic(note.topic.id);
    expect(note.language).toBe('fr');
    expect(note.topic.title).toBe(source.title);
    expect(note.topic.summary).toBe(source.summary);
  });

  it('when an English manager’s note is claimed, then it is the English text', async () => {
    const note = notes.get(english.user) as Claimed;
    expect(note.language).toBe('en');
    expect(note.topic.title).toBe((await englishTopic(note.topic.id)).title);
  });

  it('when the German manager reads the note again, their past notes and "Read more", then each is in German', async () => {
    const note = notes.get(german.user) as Claimed;
    const confirmed = await call('POST', `/deliveries/${note.id}/confirmation`, null, {
      attempt: note.attempt,
      channelId: 'D0LANGDE',
      ts: '1765180800.000100',
    });
    expect(confirmed.status).toBe(200);
    const source = await englishTopic(note.topic.id);

    const again = await call<{ language: string; topic: Topic }>(
      'GET',
      `/me/deliveries/${note.id}`,
      german,
    );
    expect(again.body.language).toBe('de');
    expect(again.body.topic.title).toBe(`DE ${source.title}`);

    const past = await call<{ deliveries: Array<{ topicTitle: string }> }>(
      'GET',
      '/me/deliveries',
      german,
    );
    expect(past.body.deliveries.map((d) => d.topicTitle)).toEqual([`DE ${source.title}`]);

    // The same note for a manager who then switches to English: the English text.
    await call('PUT', '/me/language', german, { language: 'en' });
    const inEnglish = await call<{ language: string; topic: Topic }>(
      'GET',
      `/me/deliveries/${note.id}`,
      german,
    );
    expect(inEnglish.body).toMatchObject({ language: 'en', topic: { title: source.title } });
    await call('PUT', '/me/language', german, { language: null });
  });

  it('when the subscription is read, then it carries the language beside the locale', async () => {
    expect((await call('GET', '/subscriptions/me', german)).body).toMatchObject({
      locale: 'de-AT',
      language: 'de',
      chosenLanguage: null,
    });
  });
});
