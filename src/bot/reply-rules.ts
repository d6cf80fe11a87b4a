/**
 * What a manager's short replies mean: an obvious plan in a note's thread, an answer in a
 * reminder's thread, a command sent as a DM. Pure, and deliberately small: a reply these rules
 * don't recognise is asked about, never guessed at. The words of each language live in WORDS
 * alone, so adding a language is adding an entry.
 */

export type ReminderReply = 'done' | 'not_yet' | 'dropped';
export type DmCommand = 'help' | 'pause' | 'unsubscribe';

interface Words {
  /** Openings that make a thread reply a plan, saved without asking. */
  plans: readonly string[];
  /** Openings of a reminder reply, per answer. Checked in this order: "not done" is not done. */
  reminder: ReadonlyArray<readonly [ReminderReply, readonly string[]]>;
  /** Whole messages that are a command. */
  commands: Readonly<Record<string, DmCommand>>;
}

const WORDS: Readonly<Record<string, Words>> = {
  en: {
    plans: ['i will', "i'll", 'i am going to', "i'm going to", 'plan:', 'action:', 'next week i'],
    reminder: [
      ['not_yet', ['not yet', 'not done', 'no', 'nope', 'later', 'soon', 'still working']],
      ['dropped', ['drop it', 'drop', 'dropped', 'skip', 'skip it', 'forget it', 'cancel']],
      ['done', ['done', 'did it', 'i did it', 'yes', 'yep', 'finished', 'completed', 'all done']],
    ],
    commands: { help: 'help', pause: 'pause', stop: 'unsubscribe', unsubscribe: 'unsubscribe' },
  },
  // The words the German and French messages ask for ("schreib erledigt", "écrivez fait").
  de: {
    plans: ['ich werde', 'ich will', 'ich möchte', 'plan:', 'maßnahme:', 'nächste woche'],
    reminder: [
      ['not_yet', ['noch nicht', 'nicht erledigt', 'nein', 'später', 'bald', 'bin dran']],
      [
        'dropped',
        ['verwerfen', 'verworfen', 'streichen', 'gestrichen', 'vergiss es', 'lass es', 'abbrechen'],
      ],
      ['done', ['erledigt', 'fertig', 'gemacht', 'hab ich gemacht', 'geschafft', 'ja']],
    ],
    commands: {
      hilfe: 'help',
      pause: 'pause',
      pausieren: 'pause',
      stopp: 'unsubscribe',
      stop: 'unsubscribe',
      abbestellen: 'unsubscribe',
    },
  },
  fr: {
    plans: [
      'je vais',
      'je compte',
      'plan :',
      'plan:',
      'action :',
      'action:',
      'la semaine prochaine',
    ],
    reminder: [
      ['not_yet', ['pas encore', 'pas fait', 'non', 'plus tard', 'bientôt', 'en cours']],
      [
        'dropped',
        ['abandonner', 'abandonné', 'abandonnée', 'laisser tomber', 'laisse tomber', 'annuler'],
      ],
      ['done', ['fait', "c'est fait", 'terminé', 'terminée', 'fini', 'finie', 'oui']],
    ],
    commands: {
      aide: 'help',
      pause: 'pause',
      stop: 'unsubscribe',
      désabonner: 'unsubscribe',
      'se désabonner': 'unsubscribe',
    },
  },
};

/**
 * The words that apply, in the order they are tried: the locale's language's ('fr-FR' → 'fr'),
 * then English's, which managers everywhere mix in ("done", "ok").
 */
function wordsFor(locale: string | undefined): readonly Words[] {
  const english = WORDS.en as Words;
  const own = WORDS[locale?.slice(0, 2).toLowerCase() ?? 'en'];
  return own && own !== english ? [own, english] : [english];
}

/** Lower case, typographic apostrophes made plain, spaces collapsed, trimmed. */
function normalised(text: string): string {
  return text.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
}

/** Whether `text` starts with `phrase` as whole words ("done!" and "done, at last" do). */
function opensWith(text: string, phrase: string): boolean {
  if (!text.startsWith(phrase)) return false;
  const next = text.charAt(phrase.length);
  return next === '' || phrase.endsWith(':') || !/[\p{L}\p{N}']/u.test(next);
}

/** "I will…", "Plan: …": a thread reply that is plainly a plan, saved without a question. */
export function isObviousPlan(text: string, locale?: string): boolean {
  const reply = normalised(text);
  return wordsFor(locale).some(({ plans }) => plans.some((phrase) => opensWith(reply, phrase)));
}

/** What a reply in a reminder's thread answers, or undefined when it is not plainly one. */
export function reminderReplyOf(text: string, locale?: string): ReminderReply | undefined {
  const reply = normalised(text);
  for (const { reminder } of wordsFor(locale)) {
    for (const [answer, phrases] of reminder) {
      if (phrases.some((phrase) => opensWith(reply, phrase))) return answer;
    }
  }
  return undefined;
}

/** A DM that is a command word alone ("Stop.", "HELP?"), or undefined. */
export function dmCommandOf(text: string, locale?: string): DmCommand | undefined {
  const word = normalised(text).replace(/[.!?…]+$/u, '');
  const words = wordsFor(locale).find(({ commands }) => Object.hasOwn(commands, word));
  return words?.commands[word];
}
