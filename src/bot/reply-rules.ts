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
};

/** The language whose words apply: the locale's ('fr-FR' → 'fr'), or English. */
function wordsFor(locale: string | undefined): Words {
  const language = locale?.slice(0, 2).toLowerCase() ?? 'en';
  return WORDS[language] ?? (WORDS.en as Words);
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
  return wordsFor(locale).plans.some((phrase) => opensWith(reply, phrase));
}

/** What a reply in a reminder's thread answers, or undefined when it is not plainly one. */
export function reminderReplyOf(text: string, locale?: string): ReminderReply | undefined {
  const reply = normalised(text);
  for (const [answer, phrases] of wordsFor(locale).reminder) {
    if (phrases.some((phrase) => opensWith(reply, phrase))) return answer;
  }
  return undefined;
}

/** A DM that is a command word alone ("Stop.", "HELP?"), or undefined. */
export function dmCommandOf(text: string, locale?: string): DmCommand | undefined {
  const word = normalised(text).replace(/[.!?…]+$/u, '');
  const { commands } = wordsFor(locale);
  return Object.hasOwn(commands, word) ? commands[word] : undefined;
}
