/**
 * The rule that reads a manager's Slack status as "out" (issue 18, item 3): emoji, words in four
 * languages, and the status's expiry. Pure, so checked over many generated statuses too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  awayFromStatus,
  OUT_EMOJI,
  statusNamesAbsence,
  statusSaysAway,
} from '../../src/bot/away-status-rules.ts';

const NOW = new Date('2026-12-07T08:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

describe('when a status names an absence', () => {
  it.each([
    [':palm_tree:', ''],
    [':face_with_thermometer:', ''],
    [':airplane:', 'Travelling'],
    [':beach_with_umbrella:', ''],
    ['sick', ''],
    [':face_with_head_bandage::skin-tone-2:', ''],
  ])('then the emoji %s says out', (emoji, text) => {
    expect(statusSaysAway({ statusEmoji: emoji, statusText: text }, NOW)).toBe(true);
  });

  it.each([
    'OOO until Monday',
    'Out of office',
    'out of the office till 4 Jan',
    'On vacation 🌴',
    'Public holiday',
    'Holidays!',
    'Off sick',
    'sick today',
    'Im Urlaub bis 04.01.',
    'abwesend',
    'Krank',
    'En vacances',
    'Congé jusqu’au lundi',
    'malade',
    'De vacaciones',
    'Enfermo',
    'enferma hoy',
  ])('then the text "%s" says out', (text) => {
    expect(statusSaysAway({ statusText: text, statusEmoji: ':speech_balloon:' }, NOW)).toBe(true);
  });

  it('then it says out only until it expires; 0 means it does not expire', () => {
    const status = { statusText: 'OOO', statusEmoji: '' };
    expect(statusSaysAway({ ...status, statusExpiration: 0 }, NOW)).toBe(true);
    expect(statusSaysAway({ ...status, statusExpiration: nowSeconds + 60 }, NOW)).toBe(true);
    expect(statusSaysAway({ ...status, statusExpiration: nowSeconds }, NOW)).toBe(false);
    expect(statusSaysAway({ ...status, statusExpiration: nowSeconds - 3600 }, NOW)).toBe(false);
  });
});

describe('when a status does not name an absence', () => {
  it.each([
    ['', ''],
    [':calendar:', 'In a meeting'],
    [':headphones:', 'Focusing'],
    [':house:', 'Working remotely'],
    ['', 'Sickle cell research sprint'],
    ['', 'Urlaubsantrag für Juli stellen'],
    ['', 'Planning the holidayparty'],
    ['', 'Boooking rooms'],
  ])('then emoji "%s" with "%s" is not out', (emoji, text) => {
    expect(statusSaysAway({ statusEmoji: emoji, statusText: text }, NOW)).toBe(false);
  });

  it('then no status at all is not out', () => {
    expect(statusSaysAway({}, NOW)).toBe(false);
  });
});

describe('when a status is reduced to what is kept', () => {
  it('then an out status that clears by itself is away until Slack clears it', () => {
    const clears = nowSeconds + 3 * 86_400;
    expect(awayFromStatus({ statusEmoji: ':palm_tree:', statusExpiration: clears }, NOW)).toEqual({
      away: true,
      until: new Date(clears * 1000),
    });
  });

  it('then an out status that never clears (expiration 0 or none) is away with no end', () => {
    expect(awayFromStatus({ statusText: 'OOO', statusExpiration: 0 }, NOW)).toEqual({
      away: true,
    });
    expect(awayFromStatus({ statusText: 'On parental leave' }, NOW)).toEqual({ away: true });
  });

  it('then an expired out status, an ordinary one and none at all are not away', () => {
    const expired = { statusText: 'Vacation', statusExpiration: nowSeconds - 60 };
    expect(awayFromStatus(expired, NOW)).toEqual({ away: false });
    expect(awayFromStatus({ statusEmoji: ':calendar:', statusText: 'In a meeting' }, NOW)).toEqual({
      away: false,
    });
    expect(awayFromStatus({}, NOW)).toEqual({ away: false });
  });
});

describe('over generated statuses', () => {
  it('what is kept agrees with the per-note rule, and its end is never in the past', () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(...OUT_EMOJI, 'calendar', 'headphones'), { nil: undefined }),
        fc.option(fc.constantFrom('OOO', 'Focusing', 'Urlaub', 'lunch', ''), { nil: undefined }),
        fc.option(fc.integer({ min: -(10 ** 6), max: 10 ** 7 }), { nil: undefined }),
        (emoji, text, offset) => {
          const status = {
            statusEmoji: emoji,
            statusText: text,
            statusExpiration: offset === undefined ? undefined : Math.max(0, nowSeconds + offset),
          };
          const kept = awayFromStatus(status, NOW);
          expect(kept.away).toBe(statusSaysAway(status, NOW));
          if (kept.until) expect(kept.until.getTime()).toBeGreaterThan(NOW.getTime());
          if (!kept.away) expect(kept.until).toBeUndefined();
        },
      ),
    );
  });

  const ordinaryWords = fc.constantFrom(
    'meeting',
    'focus',
    'lunch',
    'commuting',
    'remote',
    'busy',
    'reviewing',
    'back soon',
  );

  it('an out emoji says out whatever the text, until it expires', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OUT_EMOJI),
        fc.string(),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (emoji, text, offset) => {
          expect(statusSaysAway({ statusEmoji: `:${emoji}:`, statusText: text }, NOW)).toBe(true);
          const expired = { statusEmoji: emoji, statusExpiration: nowSeconds - offset };
          expect(statusSaysAway(expired, NOW)).toBe(false);
        },
      ),
    );
  });

  it('ordinary words never say out, in any order or case', () => {
    fc.assert(
      fc.property(fc.array(ordinaryWords, { maxLength: 6 }), fc.boolean(), (words, upper) => {
        const text = words.join(' ');
        expect(statusNamesAbsence({ statusText: upper ? text.toUpperCase() : text })).toBe(false);
      }),
    );
  });

  it('an absence word says out wherever it stands among ordinary words', () => {
    fc.assert(
      fc.property(
        fc.array(ordinaryWords, { maxLength: 4 }),
        fc.array(ordinaryWords, { maxLength: 4 }),
        fc.constantFrom('OOO', 'vacation', 'Urlaub', 'vacances', 'vacaciones', 'krank'),
        (before, after, word) => {
          const text = [...before, word, ...after].join(' ');
          expect(statusNamesAbsence({ statusText: text })).toBe(true);
        },
      ),
    );
  });
});
