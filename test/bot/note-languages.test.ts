/**
 * Issue 18, item 2, for the note and what follows it: a manager whose Slack locale is German
 * (de-DE) or French (fr-FR) gets the note's buttons, ratings, "why it matters", past notes,
 * thread replies, reminder replies, the unsubscribe question and the reflection modal in their
 * language. Signed requests, the real service, the Slack stand-in, real PostgreSQL, an injected
 * clock. The tests run in order: Jonas's and Camille's weeks go on from one to the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { failureText } from '../../src/bot/listeners/failure-replies.ts';
import { MalformedInputError } from '../../src/bot/listeners/malformed-input.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import {
  answerOf,
  nextCall,
  type ReceivedNote,
  type RecordedCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0LANG';
const JONAS = 'U0LANGJONAS';
const CAMILLE = 'U0LANGCAMILLE';
let harness: SlackHarness;
/** Monday 23 November 2026, 07:58 UTC: two minutes before 09:00 in Berlin and Paris. */
let clock = new Date('2026-11-23T07:58:00Z');
const setClock = (at: Date) => {
  clock = at;
};
let jonasNote: ReceivedNote;
let camilleNote: ReceivedNote;
let tsCounter = 0;

const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

type Element = { action_id: string; value?: string; text?: { text: string } };
type Block = { type: string; block_id?: string; text?: { text: string }; elements?: Element[] };

function buttonsOf(blocks: unknown): Element[] {
  return (blocks as Block[])
    .flatMap((block) => block.elements ?? [])
    .filter((element) => typeof element.action_id === 'string');
}

function buttonValue(blocks: unknown, actionId: string): string {
  const found = buttonsOf(blocks).find((element) => element.action_id === actionId);
  expect(found, `a ${actionId} button`).toBeDefined();
  return String(found?.value);
}

/** Polls `check` until it holds, for at most 10 seconds. */
async function until(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Signs the manager up with their Slack locale: `/blindspot` records it, as in Slack. */
async function signUpIn(userId: string, locale: string, timeZone: string): Promise<ReceivedNote> {
  const { standIn, slack, database } = harness;
  standIn.addUser({ id: userId, teamId: TEAM, tz: timeZone, locale });
  const command = await slack.slashCommand({ command: '/blindspot', userId });
  await standIn.waitForCall('views.open', (call) => call.args.trigger_id === command.triggerId);
  // The modal opens first; the profile (with the locale) is saved just after it.
  await until(async () => {
    const manager = await database.db
      .selectFrom('managers')
      .where('slack_user_id', '=', userId)
      .select('locale')
      .executeTakeFirst();
    return manager?.locale === locale;
  }, `${userId}'s locale was never saved`);
  return signUpAndReceiveNote(harness, { userId, setClock, timeZone });
}

/** A message from `userId` in their DM with the bot, in a thread when `threadTs` is given. */
function message(userId: string, channel: string, text: string, threadTs?: string) {
  const ts = newTs();
  return harness.slack.event({
    type: 'message',
    channel_type: 'im',
    channel,
    user: userId,
    text,
    ts,
    ...(threadTs && { thread_ts: threadTs }),
    event_ts: ts,
  });
}

/** A click on a button of a message in the manager's DM; resolves with its response_url post. */
async function click(
  userId: string,
  actionId: string,
  on: { channel: string; ts: string; value: string; blocks?: unknown; text?: string },
) {
  const response = await harness.slack.blockActions({
    userId,
    actionId,
    value: on.value,
    channelId: on.channel,
    messageTs: on.ts,
    ...(on.blocks !== undefined && {
      message: { blocks: on.blocks as never, text: on.text ?? '' },
    }),
  });
  return response;
}

/**
 * Sends `text` and resolves with the bot's post that `isAnswer` picks: notes due at the same
 * minute may be posted in between.
 */
async function answerTo(
  userId: string,
  channel: string,
  text: string,
  isAnswer: (call: RecordedCall) => boolean,
  threadTs?: string,
): Promise<RecordedCall> {
  const before = harness.standIn.callsTo('chat.postMessage').length;
  await message(userId, channel, text, threadTs);
  return harness.standIn.waitForCall(
    'chat.postMessage',
    (call) =>
      harness.standIn.callsTo('chat.postMessage').indexOf(call) >= before &&
      (threadTs === undefined || call.args.thread_ts === threadTs) &&
      isAnswer(call),
  );
}

async function responseTo(response: { responseUrl?: string }) {
  const posted = await harness.standIn.waitForResponseUrlPost(
    (post) => post.url === response.responseUrl,
  );
  return posted.body as { text: string; blocks?: unknown[] };
}

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  jonasNote = await signUpIn(JONAS, 'de-DE', 'Europe/Berlin');
  camilleNote = await signUpIn(CAMILLE, 'fr-FR', 'Europe/Paris');
});

afterAll(async () => {
  await harness?.close();
});

describe('a German manager (de-DE)', () => {
  it('gets the note with its German words: headings, buttons and the question to rate it', () => {
    expect(jonasNote.text).toContain(' Warum es zählt: ');
    const shown = JSON.stringify(jonasNote.blocks);
    expect(shown).toContain('*Frag dich:*');
    expect(shown).toContain('War diese Notiz nützlich für dich?');
    expect(buttonsOf(jonasNote.blocks).map((b) => b.text?.text)).toEqual([
      'Maßnahme planen',
      'Nicht relevant',
      'Pausieren',
      'Nützlich',
      'Nichts für mich',
    ]);
  });

  it('rates the note in German: the chosen answer is checked and a screen reader says so', async () => {
    const updated = await nextCall(harness.standIn, 'chat.update', () =>
      click(JONAS, 'topic_rate_useful', { ...jonasNote, blocks: jonasNote.blocks }),
    );
    const rating = buttonsOf(updated.args.blocks).filter((b) =>
      b.action_id.startsWith('topic_rate'),
    );
    expect(rating).toMatchObject([
      {
        text: { text: '✓ Nützlich' },
        accessibility_label: 'Nützlich: deine Bewertung dieser Notiz',
      },
      { text: { text: 'Nichts für mich' } },
    ]);
  });

  it('reads all of why it matters, in German words around the topic', async () => {
    // The topic's own title, as the note's header shows it (in German once it is translated).
    const title = (jonasNote.blocks[0] as { text?: { text: string } }).text?.text;
    const shown = await responseTo(await click(JONAS, 'topic_why_it_matters', jonasNote));
    expect(shown.text.startsWith(`*Warum „${title}“ zählt:* `)).toBe(true);
  });

  it('replies in the note’s thread and is asked, in German, whether it is an action', async () => {
    const question = await answerTo(
      JONAS,
      jonasNote.channel,
      'Ehrlich gesagt frage ich mein Team selten',
      () => true,
      jonasNote.ts,
    );
    expect(String(question.args.text)).toMatch(/^Als Maßnahme für „.+“ speichern\?$/);
    expect(buttonsOf(question.args.blocks).map((b) => b.text?.text)).toEqual([
      'Als Maßnahme speichern',
      'Nur ein Gedanke',
    ]);
    const kept = await responseTo(
      await click(JONAS, 'thread_just_a_thought', {
        channel: jonasNote.channel,
        ts: answerOf(question).ts ?? '',
        value: buttonValue(question.args.blocks, 'thread_just_a_thought'),
      }),
    );
    expect(kept.text).toBe('Als Gedanke behalten. Nichts gespeichert.');
  });

  it('saves "Ich werde …" in the thread at once, and the note lists it in German', async () => {
    const refreshed = await nextCall(harness.standIn, 'chat.update', () =>
      message(JONAS, jonasNote.channel, 'Ich werde Priya fragen, was sie braucht', jonasNote.ts),
    );
    const shown = JSON.stringify(refreshed.args.blocks);
    expect(shown).toContain('*Du hast geplant:*\\n• Ich werde Priya fragen, was sie braucht');
    // The check-back day, as Germans write it: "Dienstag, 1. Dezember".
    const { check_back_on: day } = await harness.database.db
      .selectFrom('action_items')
      .innerJoin('managers', 'managers.id', 'action_items.manager_id')
      .where('managers.slack_user_id', '=', JONAS)
      .select('action_items.check_back_on')
      .executeTakeFirstOrThrow();
    const german = new Intl.DateTimeFormat('de-DE', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    }).format(new Date(`${String(day)}T00:00:00Z`));
    expect(german).toMatch(/^[A-Z][a-z]+, \d{1,2}\. [A-Z][a-z]+$/);
    expect(shown).toContain(`(Rückblick am ${german})`);
    expect(buttonsOf(refreshed.args.blocks).map((b) => b.text?.text)).toContain('Noch eine planen');
  });

  it('refuses an over-long action in German, in its own words rather than the API’s English', async () => {
    const refused = await nextCall(harness.standIn, 'chat.postMessage', () =>
      message(JONAS, jonasNote.channel, `Ich werde ${'sehr '.repeat(120)}viel tun`, jonasNote.ts),
    );
    expect(String(refused.args.text)).toBe(
      'Das habe ich nicht gespeichert: Eine Maßnahme braucht ein paar Worte und höchstens 500 Zeichen. Versuch es nur mit dem ersten Schritt.',
    );
  });

  it('lists past notes in German, with the day in German', async () => {
    const response = await harness.slack.slashCommand({
      command: '/blindspot',
      text: 'topics',
      userId: JONAS,
    });
    const list = await responseTo(response);
    const shown = JSON.stringify(list.blocks);
    expect(shown).toMatch(/\*Deine bisherigen Notizen\* 1–\d, die neueste zuerst\./);
    expect(shown).toContain('Montag, 23. November');
    expect(shown).toMatch(
      /"text":"Lesen"\},"action_id":"past_note_open",[^}]*"accessibility_label":"„[^“]+“ lesen"/,
    );

    // "Lesen" shows the note again, as it stands, in German.
    const read = await responseTo(
      await click(JONAS, 'past_note_open', {
        channel: jonasNote.channel,
        ts: jonasNote.ts,
        value: jonasNote.deliveryId,
      }),
    );
    const again = JSON.stringify(read.blocks);
    expect(again).toContain('*Frag dich:*');
    expect(again).toContain('*Du hast geplant:*');
  });
});

describe('a failure, told in the manager’s language', () => {
  it('when a German manager presses a button that is not ours, then the answer is the German one', async () => {
    const shown = await responseTo(
      await click(JONAS, 'topic_why_it_matters', { ...jonasNote, value: '{"deliveryId":"x"}' }),
    );
    expect(shown.text).toBe(
      failureText(new MalformedInputError('a tampered button'), voiceFor({ language: 'de' })),
    );
  });
});

describe('a French manager (fr-FR)', () => {
  let reminder: RecordedCall;

  it('gets the note with its French words', () => {
    expect(camilleNote.text).toContain(' Pourquoi c’est important\u00a0: ');
    expect(buttonsOf(camilleNote.blocks).map((b) => b.text?.text)).toEqual([
      'Planifier une action',
      'Pas pertinent',
      'Mettre en pause',
      'Utile',
      'Pas pour moi',
    ]);
  });

  it('replies "Je vais …" in the note’s thread, which is saved at once', async () => {
    await nextCall(harness.standIn, 'chat.update', () =>
      message(
        CAMILLE,
        camilleNote.channel,
        'Je vais remercier Mei pour sa relecture',
        camilleNote.ts,
      ),
    );
    const items = await harness.database.db
      .selectFrom('action_items')
      .innerJoin('managers', 'managers.id', 'action_items.manager_id')
      .where('managers.slack_user_id', '=', CAMILLE)
      .select(['action_items.text', 'action_items.source'])
      .execute();
    expect(items).toEqual([{ text: 'Je vais remercier Mei pour sa relecture', source: 'thread' }]);
  });

  it('is told in French when a reply to the reminder is not understood', async () => {
    const row = await harness.database.db
      .selectFrom('action_items')
      .innerJoin('managers', 'managers.id', 'action_items.manager_id')
      .where('managers.slack_user_id', '=', CAMILLE)
      .select('action_items.check_back_on')
      .executeTakeFirstOrThrow();
    const day = String(row.check_back_on);
    clock = new Date(`${day}T07:56:00Z`);
    await planDueReminders(harness.database.db, clock);
    await planDueDeliveries(harness.database.db, clock);
    clock = new Date(`${day}T08:00:00Z`);
    const channel = camilleNote.channel;
    reminder = await harness.standIn.waitForCall(
      'chat.postMessage',
      (call) =>
        (call.args.channel === CAMILLE || call.args.channel === channel) &&
        JSON.stringify(call.args.metadata ?? '').includes('blindspot_reminder'),
    );
    // A reply finds its reminder once the sender has confirmed it sent.
    await until(async () => {
      const rows = await harness.database.db.selectFrom('reminders').select('status').execute();
      return rows.length > 0 && rows.every((row) => row.status === 'sent');
    }, 'the reminders were never confirmed sent');
    const again = await answerTo(
      CAMILLE,
      channel,
      'hmm, à peu près ?',
      () => true,
      answerOf(reminder).ts,
    );
    expect(String(again.args.text)).toBe(
      'Je n’ai pas compris. L’avez-vous fait ? Répondez avec un bouton, ou écrivez fait, pas encore ou abandonner.',
    );
  });

  it('Done opens the reflection in French, from its notice to its form', async () => {
    const { standIn } = harness;
    const form = await nextCall(standIn, 'views.update', async () => {
      const notice = await nextCall(standIn, 'views.open', async () => {
        const response = await harness.slack.blockActions({
          userId: CAMILLE,
          actionId: 'reminder_done',
          value: buttonValue(reminder.args.blocks, 'reminder_done'),
          channelId: camilleNote.channel,
          messageTs: answerOf(reminder).ts,
          message: {
            blocks: reminder.args.blocks as never,
            text: String(reminder.args.text),
          },
        });
        await standIn.waitForResponseUrlPost((post) => post.url === response.responseUrl);
      });
      const view = notice.args.view as { title: { text: string }; close: { text: string } };
      expect(view.title.text).toBe('Comment ça s’est passé ?');
      expect(view.close.text).toBe('Fermer');
      expect(JSON.stringify(view)).toContain('Un instant : j’enregistre votre réponse…');
    });
    const view = form.args.view as {
      title: { text: string };
      submit: { text: string };
      close: { text: string };
    };
    expect([view.title.text, view.submit.text, view.close.text]).toEqual([
      'Bien joué',
      'Enregistrer',
      'Passer',
    ]);
    expect(JSON.stringify(view)).toContain('Que s’est-il passé ?');
    expect(JSON.stringify(view)).toContain('1 (pas du tout)');
  });

  it('"stop" as a DM asks in French first, and "Continuer à les recevoir" keeps the notes', async () => {
    const question = await answerTo(CAMILLE, camilleNote.channel, 'stop', (call) =>
      buttonsOf(call.args.blocks ?? []).some((b) => b.action_id === 'dm_keep_subscription'),
    );
    expect(String(question.args.text)).toBe(
      'Vous désabonner de Blindspot ? Vous ne recevrez plus de notes. Vous pourrez vous réinscrire à tout moment.',
    );
    const kept = await responseTo(
      await click(CAMILLE, 'dm_keep_subscription', {
        channel: camilleNote.channel,
        ts: answerOf(question).ts ?? '',
        value: buttonValue(question.args.blocks, 'dm_keep_subscription'),
      }),
    );
    expect(kept.text).toBe(
      'Votre abonnement continue : vos notes arrivent toujours selon votre planning.',
    );
  });
});
