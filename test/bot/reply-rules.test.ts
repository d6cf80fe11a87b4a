/** Issue 17, item 2: the small rules that say what a manager's short reply means. */
import { describe, expect, it } from 'vitest';
import { dmCommandOf, isObviousPlan, reminderReplyOf } from '../../src/bot/reply-rules.ts';

describe('an obvious plan in a note’s thread', () => {
  it.each([
    'I will ask Priya what she needs',
    "I'll block an hour on Friday",
    'I’ll block an hour on Friday',
    'Plan: thank the team by name',
    'plan:thank the team',
    'Action: skip the status meeting',
    'Next week I ask for feedback',
    '  I   WILL listen first',
  ])('saves %j without asking', (text) => {
    expect(isObviousPlan(text)).toBe(true);
  });

  it.each([
    'Ask Priya what she needs',
    'I wonder whether I interrupt people',
    'Illustrative, I think',
    'I willingly admit it',
    'Planning is hard',
    'What would I do differently?',
    '',
  ])('asks about %j', (text) => {
    expect(isObviousPlan(text)).toBe(false);
  });

  it.each([
    ['Ich werde Priya fragen, was sie braucht', 'de'],
    ['Plan: dem Team danken', 'de'],
    ['Je vais demander à Priya ce dont elle a besoin', 'fr'],
    ['Plan : remercier l’équipe', 'fr'],
    ['I will ask Priya', 'fr'],
  ] as const)('saves %j from a manager who speaks %s without asking', (text, language) => {
    expect(isObviousPlan(text, language)).toBe(true);
  });
});

describe('a reply in a reminder’s thread', () => {
  it.each([
    ['done!', 'done'],
    ['Done, and it went well', 'done'],
    ['did it', 'done'],
    ['Yes 🎉', 'done'],
    ['not yet', 'not_yet'],
    ['Not done yet, next week', 'not_yet'],
    ['nope', 'not_yet'],
    ['drop it', 'dropped'],
    ['Skip.', 'dropped'],
    ['dropped it', 'dropped'],
  ] as const)('understands %j as %s', (text, answer) => {
    expect(reminderReplyOf(text)).toBe(answer);
  });

  it.each(['maybe', 'donezo', 'I talked to her but', 'yesterday', 'nothing'])(
    'does not guess at %j',
    (text) => {
      expect(reminderReplyOf(text)).toBeUndefined();
    },
  );

  it('uses English for a locale without words of its own', () => {
    expect(reminderReplyOf('done', 'pt-BR')).toBe('done');
  });

  it.each([
    ['Erledigt!', 'de', 'done'],
    ['noch nicht, nächste Woche', 'de', 'not_yet'],
    ['nicht erledigt', 'de', 'not_yet'],
    ['Verwerfen', 'de', 'dropped'],
    ['done', 'de', 'done'],
    ['C’est fait', 'fr', 'done'],
    ['pas encore', 'fr', 'not_yet'],
    ['pas fait', 'fr', 'not_yet'],
    ['abandonner', 'fr', 'dropped'],
    ['not yet', 'fr', 'not_yet'],
  ] as const)(
    'understands %j from a manager who speaks %s as %s, and English too',
    (text, language, answer) => {
      expect(reminderReplyOf(text, language)).toBe(answer);
    },
  );

  it('reads German and French words only from managers who speak them', () => {
    expect(reminderReplyOf('erledigt')).toBeUndefined();
    expect(reminderReplyOf('fait', 'de')).toBeUndefined();
  });
});

describe('a command sent as a DM', () => {
  it.each([
    ['help', 'help'],
    ['HELP?', 'help'],
    ['Pause.', 'pause'],
    ['stop', 'unsubscribe'],
    ['Stop!!', 'unsubscribe'],
    [' unsubscribe ', 'unsubscribe'],
  ] as const)('treats %j as %s', (text, command) => {
    expect(dmCommandOf(text)).toBe(command);
  });

  it.each(['help me think about this', 'stop interrupting people', 'pause more in meetings', '?'])(
    'leaves %j to the usual question',
    (text) => {
      expect(dmCommandOf(text)).toBeUndefined();
    },
  );
});
