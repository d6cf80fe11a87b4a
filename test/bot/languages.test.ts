/**
 * The bot speaks the manager's language (issue 18, item 2), end to end through signed requests
 * and the Slack stand-in: a manager whose Slack locale is de-DE gets the sign-up modal, its
 * confirmation, the Home tab, `/blindspot` answers, DM commands and their data in German; one
 * whose locale is fr-FR gets them in French, before signing up (from their Slack profile) and
 * after (from the API's record). The sign-up modal also keeps the public holidays of a place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nextCall,
  type SlackHarness,
  signupModalValues,
  startSlackHarness,
} from '../support/slack-harness.ts';
import { encodeSlackForm } from '../support/slack-requests.ts';

const TEAM = 'T0LANGS';
const GRETA = 'U0GRETA';
const CLAIRE = 'U0CLAIRE';
const NOEMIE = 'U0NOEMIE';
const HANS = 'U0HANS';
const PUBLIC_URL = 'https://blindspot.example.org';
/** Sunday 22 November 2026: a Monday-and-Wednesday schedule's next note is Monday's. */
const clock = new Date('2026-11-22T12:00:00Z');
let harness: SlackHarness;

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock, env: { PUBLIC_URL } });
  const { standIn } = harness;
  standIn.addUser({ id: GRETA, teamId: TEAM, tz: 'Europe/Berlin', locale: 'de-DE' });
  standIn.addUser({ id: CLAIRE, teamId: TEAM, tz: 'Europe/Paris', locale: 'fr-FR' });
  standIn.addUser({ id: NOEMIE, teamId: TEAM, tz: 'Europe/Paris', locale: 'fr-FR' });
  standIn.addUser({ id: HANS, teamId: TEAM, tz: 'Europe/Berlin', locale: 'de-DE' });
});

afterAll(async () => {
  await harness?.close();
});

/** `/blindspot <text>`: resolves with what the bot posted to the command's response_url. */
async function command(userId: string, text: string): Promise<string> {
  const { slack, standIn } = harness;
  const response = await slack.slashCommand({ command: '/blindspot', text, userId });
  expect(response.status).toBe(200);
  const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return String((post.body as { text?: string }).text);
}

/** `/blindspot`: resolves with the sign-up modal Slack was asked to open. */
async function openSignup(userId: string) {
  const { slack, standIn } = harness;
  const opened = await slack.slashCommand({ command: '/blindspot', userId });
  const call = await standIn.waitForCall(
    'views.open',
    (c) => c.args.trigger_id === opened.triggerId,
  );
  return call.args.view as {
    title: { text: string };
    submit: { text: string };
    blocks: Array<{ block_id?: string; label?: { text: string } }>;
  };
}

function signupValues(zone: string, place?: string, language?: string) {
  return {
    ...signupModalValues({ weekdays: [1, 3], localTime: '09:00', timeZone: zone }),
    ...(place && {
      holidays: {
        signup_holiday_place: { type: 'external_select', selected_option: { value: place } },
      },
    }),
    ...(language && {
      language: {
        signup_language: { type: 'static_select', selected_option: { value: language } },
      },
    }),
  } as ReturnType<typeof signupModalValues>;
}

async function chosenLanguage(userId: string) {
  const row = await harness.database.db
    .selectFrom('managers')
    .where('slack_user_id', '=', userId)
    .select('language')
    .executeTakeFirst();
  return row?.language;
}

/** Picks a language from the Home tab's menu; resolves with the Home tab shown after it. */
async function pickLanguage(userId: string, value: string) {
  const home = await nextCall(harness.standIn, 'views.publish', () =>
    harness.slack.blockActions({
      userId,
      actionId: 'home_language',
      actionType: 'static_select',
      action: { selected_option: { text: { type: 'plain_text', text: value }, value } },
      view: { type: 'home' },
    }),
  );
  return JSON.stringify(home.args.view);
}

/** The places the sign-up modal's holiday menu offers for what the manager typed. */
async function holidayMenu(userId: string, typed: string) {
  const payload = {
    type: 'block_suggestion',
    user: { id: userId, team_id: TEAM },
    team: { id: TEAM, domain: 'langs' },
    api_app_id: harness.standIn.identity.appId,
    action_id: 'signup_holiday_place',
    block_id: 'holidays',
    value: typed,
    view: { id: 'V0SIGNUP', type: 'modal', callback_id: 'signup_modal' },
  };
  const response = await harness.slack.raw({
    body: encodeSlackForm({ payload: JSON.stringify(payload) }),
    contentType: 'application/x-www-form-urlencoded',
  });
  expect(response.status).toBe(200);
  return (response.json() as { options: Array<{ text: { text: string }; value: string }> }).options;
}

async function keptPlace(userId: string) {
  return harness.database.db
    .selectFrom('managers')
    .where('slack_user_id', '=', userId)
    .select(['holiday_country', 'holiday_region'])
    .executeTakeFirst();
}

describe('a manager whose Slack speaks German', () => {
  it('when they type /blindspot, then the sign-up modal asks in German, with their public holidays as an optional field', async () => {
    const modal = await openSignup(GRETA);
    expect(modal.submit.text).toBe('Anmelden');
    const labels = modal.blocks.map((block) => block.label?.text).filter(Boolean);
    expect(labels).toEqual(expect.arrayContaining(['An welchen Tagen?', 'Um wie viel Uhr?']));
    expect(labels.slice(-2)).toEqual(['Sprache', 'Feiertage']);
    // No language chosen yet: the menu shows "As in Slack", in German.
    expect(JSON.stringify(modal)).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Wie in Slack"},"value":"slack"}',
    );
    expect(JSON.stringify(modal)).toContain('"text":"Montag"');
    expect(JSON.stringify(modal)).not.toContain('Which days?');
  });

  it('when they look for their region in the modal, then the menu offers it, and "none" in German', async () => {
    expect((await holidayMenu(GRETA, ''))[0]).toEqual({
      text: { type: 'plain_text', text: 'Keine: Notizen auch an Feiertagen' },
      value: 'none',
    });
    const bavaria = await holidayMenu(GRETA, 'bayern');
    expect(bavaria.map((option) => option.value)).toContain('DE/BY');
  });

  it('when they submit a place the API does not know, then the field says so in German and nothing is saved', async () => {
    const submitted = await harness.slack.viewSubmission({
      userId: GRETA,
      callbackId: 'signup_modal',
      values: signupValues('Europe/Berlin', 'XX/YY'),
    });
    expect(submitted.json()).toEqual({
      response_action: 'errors',
      errors: {
        holidays:
          'Diesen Ort kennt Blindspot nicht. Gib dein Land noch einmal ein und wähle einen.',
      },
    });
    const subscriptions = await harness.database.db
      .selectFrom('subscriptions')
      .innerJoin('managers', 'managers.id', 'subscriptions.manager_id')
      .where('managers.slack_user_id', '=', GRETA)
      .select('subscriptions.id')
      .execute();
    expect(subscriptions).toEqual([]);
    // Greta may not be known to the API yet (her profile is saved after the modal opens).
    expect((await keptPlace(GRETA))?.holiday_country ?? null).toBeNull();
  });

  it('when they sign up with Bavaria, then the confirmation and the Home tab are German, dates too, and Bavaria is kept', async () => {
    const { slack, standIn } = harness;
    const confirmed = standIn.waitForCall('chat.postMessage', (c) => c.args.channel === GRETA);
    const home = standIn.waitForCall('views.publish', (c) => c.args.user_id === GRETA);
    const submitted = await slack.viewSubmission({
      userId: GRETA,
      callbackId: 'signup_modal',
      values: signupValues('Europe/Berlin', 'DE/BY'),
    });
    expect(submitted.body).toBe('');
    const text = String((await confirmed).args.text);
    expect(text).toMatch(/^Du bist angemeldet\. Du hörst von mir Mo\.? und Mi\.? um 09:00/);
    expect(text).toContain(
      'Die nächste Notiz kommt am Montag, 23. November um 09:00 (Europe/Berlin).',
    );
    expect(JSON.stringify((await confirmed).args.blocks)).toContain('Schick mir jetzt eine');
    const view = JSON.stringify((await home).args.view);
    expect(view).toContain('*Du bist angemeldet:*');
    expect(view).toContain('*Feiertage:* Germany: Bayern.');
    expect(view).toContain('Meine Daten herunterladen');
    expect(view).not.toContain('You are signed up');
    expect(await keptPlace(GRETA)).toEqual({ holiday_country: 'DE', holiday_region: 'BY' });
  });

  it('when they send "help" as a DM, then the help is German', async () => {
    const { slack, standIn } = harness;
    const channel = standIn.dmChannelIdFor(GRETA);
    const reply = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        channel_type: 'im',
        channel,
        user: GRETA,
        text: 'help',
        ts: '1795867200.000100',
        event_ts: '1795867200.000100',
      }),
    );
    expect(String(reply.args.text)).toMatch(/^\*Blindspot\* schickt dir an den Tagen deiner Wahl/);
  });

  it('when they ask for their data, then the link and the answer are German', async () => {
    const dm = nextCall(harness.standIn, 'chat.postMessage', async () => {});
    const answer = await command(GRETA, 'export');
    expect(answer).toBe(
      'Ich habe dir einen Download-Link als Direktnachricht geschickt. Er funktioniert einmal, 24 Stunden lang.',
    );
    expect(String((await dm).args.text)).toMatch(
      /^Deine Blindspot-Daten sind bereit: <https:\/\/blindspot\.example\.org\/[^|]+\|als JSON herunterladen>\. Der Link funktioniert einmal, bis /,
    );
  });
});

describe('a manager who chooses a language', () => {
  it('when a German-Slack manager picks Français in the sign-up modal, then the confirmation and the Home tab are French, and the choice is kept', async () => {
    await openSignup(HANS);
    const confirmed = harness.standIn.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === HANS,
    );
    const home = harness.standIn.waitForCall('views.publish', (c) => c.args.user_id === HANS);
    const submitted = await harness.slack.viewSubmission({
      userId: HANS,
      callbackId: 'signup_modal',
      values: signupValues('Europe/Berlin', undefined, 'fr'),
    });
    expect(submitted.body).toBe('');
    expect(String((await confirmed).args.text)).toMatch(/^Inscription confirmée\. /);
    const view = JSON.stringify((await home).args.view);
    expect(view).toContain('*Votre inscription\u00a0:*');
    expect(view).toContain('"text":"Français"},"value":"fr"}');
    expect(await chosenLanguage(HANS)).toBe('fr');
    expect(await command(HANS, 'help')).toMatch(/^\*Blindspot\* vous envoie/);
  });

  it('when he picks English on the Home tab, then it is shown again in English; "As in Slack" brings German', async () => {
    const english = await pickLanguage(HANS, 'en');
    expect(english).toContain('*You are signed up:*');
    expect(english).toContain('*Language:* the language Blindspot writes to you in.');
    expect(await chosenLanguage(HANS)).toBe('en');
    expect(await command(HANS, 'help')).toMatch(/^\*Blindspot\* sends you one short note/);

    const german = await pickLanguage(HANS, 'slack');
    expect(german).toContain('*Du bist angemeldet:*');
    expect(german).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Wie in Slack"}',
    );
    expect(await chosenLanguage(HANS)).toBeNull();
  });
});

describe('a manager whose Slack speaks French', () => {
  it('when they open the Home tab before signing up, then it explains Blindspot in French, from their Slack profile', async () => {
    const home = await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.event({ type: 'app_home_opened', user: NOEMIE, tab: 'home' }),
    );
    const view = JSON.stringify(home.args.view);
    expect(view).toContain('Tout manager a des angles morts');
    expect(view).toContain('"text":"S’inscrire"');
  });

  it('when they type /blindspot help or something unknown before signing up, then the answer is French', async () => {
    expect(await command(NOEMIE, 'help')).toMatch(/^\*Blindspot\* vous envoie une courte note/);
    const unknown = await command(NOEMIE, 'danser');
    expect(unknown).toMatch(/^Je ne connais pas `\/blindspot danser`\. \*Blindspot\* vous envoie/);
  });

  it('when they sign up, go away, pause and resume, then every answer is French, with French dates', async () => {
    const modal = await openSignup(CLAIRE);
    expect(modal.submit.text).toBe('S’inscrire');
    const confirmed = harness.standIn.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === CLAIRE,
    );
    const submitted = await harness.slack.viewSubmission({
      userId: CLAIRE,
      callbackId: 'signup_modal',
      values: signupValues('Europe/Paris'),
    });
    expect(submitted.body).toBe('');
    expect(String((await confirmed).args.text)).toContain(
      'La prochaine note arrive le lundi 23 novembre à 09:00 (Europe/Paris).',
    );
    // No place picked: nothing kept.
    expect(await keptPlace(CLAIRE)).toEqual({ holiday_country: null, holiday_region: null });

    expect(await command(CLAIRE, 'away')).toMatch(
      /^Indiquez-moi votre premier jour de retour, au format année-mois-jour/,
    );
    expect(await command(CLAIRE, 'away until 2026-12-21')).toBe(
      'Profitez de votre absence. Absence jusqu’au lundi 21 décembre\u00a0: ni notes ni rappels d’ici là\u00a0; ils reprennent ce jour-là, avec un mot de bienvenue. Pour revenir plus tôt, utilisez Reprendre dans votre onglet Accueil ou `/blindspot resume`.',
    );
    expect(await command(CLAIRE, 'resume')).toBe(
      'Bon retour. Vos notes reprennent selon votre planning.',
    );
    expect(await command(CLAIRE, 'pause')).toMatch(/^En pause\. Plus rien jusqu’à ce que/);
  });

  it('when they ask to delete their data, then the confirmation is French', async () => {
    const { slack, standIn } = harness;
    const opened = await slack.slashCommand({
      command: '/blindspot',
      text: 'delete my data',
      userId: CLAIRE,
    });
    const modal = await standIn.waitForCall(
      'views.open',
      (c) => c.args.trigger_id === opened.triggerId,
    );
    const view = modal.args.view as { title: { text: string }; submit: { text: string } };
    expect(view.title.text).toBe('Supprimer vos données\u00a0?');
    expect(view.submit.text).toBe('Tout supprimer');
  });
});
