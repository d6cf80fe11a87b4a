import { describe, expect, it } from 'vitest';
import {
  type CandidateTopic,
  chooseTopic,
  LATE_AFTER_MS,
  type TopicChoiceInput,
  timeliness,
} from '../../../src/core/deliveries/rules.ts';
import { MISSED_AFTER_MS, retryDelayMs } from '../../../src/core/ledger/rules.ts';

const MINUTE_MS = 60_000;
const DUE_AT = new Date('2026-03-02T08:00:00.000Z');

function dueAtPlus(ms: number): Date {
  return new Date(DUE_AT.getTime() + ms);
}

describe('timeliness', () => {
  it('the thresholds are 5 minutes for late and 2 hours for missed', () => {
    expect(LATE_AFTER_MS).toBe(5 * MINUTE_MS);
    expect(MISSED_AFTER_MS).toBe(120 * MINUTE_MS);
  });

  it('when sent at its due time or before it, then it is on time', () => {
    expect(timeliness(DUE_AT, DUE_AT)).toBe('on_time');
    expect(timeliness(DUE_AT, dueAtPlus(-MINUTE_MS))).toBe('on_time');
  });

  it('when sent exactly 5 minutes after its due time, then it is still on time', () => {
    expect(timeliness(DUE_AT, dueAtPlus(5 * MINUTE_MS))).toBe('on_time');
  });

  it('when sent a millisecond more than 5 minutes after its due time, then it is late', () => {
    expect(timeliness(DUE_AT, dueAtPlus(5 * MINUTE_MS + 1))).toBe('late');
  });

  it('when sent exactly 2 hours after its due time, then it is late, not missed', () => {
    expect(timeliness(DUE_AT, dueAtPlus(120 * MINUTE_MS))).toBe('late');
  });

  it('when sent a millisecond more than 2 hours after its due time, then it is missed', () => {
    expect(timeliness(DUE_AT, dueAtPlus(120 * MINUTE_MS + 1))).toBe('missed');
    expect(timeliness(DUE_AT, dueAtPlus(24 * 60 * MINUTE_MS))).toBe('missed');
  });
});

/** A catalogue in order: three topics on listening, two on feedback, two on fairness. */
const CATALOGUE: readonly CandidateTopic[] = [
  { id: 'listen-1', category: 'listening' },
  { id: 'feedback-1', category: 'feedback' },
  { id: 'listen-2', category: 'listening' },
  { id: 'fair-1', category: 'fairness' },
  { id: 'listen-3', category: 'listening' },
  { id: 'feedback-2', category: 'feedback' },
  { id: 'fair-2', category: 'fairness' },
];

function choice(overrides: Partial<TopicChoiceInput> = {}): TopicChoiceInput {
  return {
    topics: CATALOGUE,
    dayCategory: 'listening',
    skippedCategories: [],
    lastSent: new Map(),
    notRelevant: new Set(),
    ...overrides,
  };
}

describe('chooseTopic', () => {
  it('when the manager has seen nothing, then the first topic of the day theme in catalogue order is chosen', () => {
    expect(chooseTopic(choice())).toBe('listen-1');
    expect(chooseTopic(choice({ dayCategory: 'fairness' }))).toBe('fair-1');
  });

  it('when some of the day theme was seen, then the first unseen one in catalogue order is chosen, even after seen ones', () => {
    const lastSent = new Map([
      ['listen-1', '2026-02-23'],
      ['listen-3', '2026-01-05'],
    ]);
    expect(chooseTopic(choice({ lastSent }))).toBe('listen-2');
  });

  it('when the day theme is exhausted, then the one of that theme seen longest ago is chosen, though other themes have unseen topics', () => {
    const lastSent = new Map([
      ['listen-1', '2026-02-23'],
      ['listen-2', '2025-12-29'],
      ['listen-3', '2026-01-05'],
    ]);
    expect(chooseTopic(choice({ lastSent }))).toBe('listen-2');
  });

  it('when two exhausted topics were last seen the same day, then the earlier in the catalogue is chosen', () => {
    const lastSent = new Map([
      ['listen-1', '2026-02-23'],
      ['listen-2', '2026-01-05'],
      ['listen-3', '2026-01-05'],
    ]);
    expect(chooseTopic(choice({ lastSent }))).toBe('listen-2');
  });

  it('when dates span a year end, then they compare as dates: December comes before January', () => {
    const lastSent = new Map([
      ['listen-1', '2026-01-02'],
      ['listen-2', '2025-12-31'],
      ['listen-3', '2026-01-01'],
    ]);
    expect(chooseTopic(choice({ lastSent }))).toBe('listen-2');
  });

  it('when a topic was marked not relevant, then it is never chosen, even when it is the only unseen one or the oldest', () => {
    const unseenButDismissed = choice({
      lastSent: new Map([
        ['listen-1', '2026-02-23'],
        ['listen-3', '2026-02-16'],
      ]),
      notRelevant: new Set(['listen-2']),
    });
    expect(chooseTopic(unseenButDismissed)).toBe('listen-3');

    const oldestButDismissed = choice({
      lastSent: new Map([
        ['listen-1', '2026-02-23'],
        ['listen-2', '2025-01-01'],
        ['listen-3', '2026-02-16'],
      ]),
      notRelevant: new Set(['listen-2']),
    });
    expect(chooseTopic(oldestButDismissed)).toBe('listen-3');
  });

  it('when the manager skips the day theme, then the first unseen topic of a theme they did not skip is chosen', () => {
    expect(chooseTopic(choice({ skippedCategories: ['listening'] }))).toBe('feedback-1');
    expect(chooseTopic(choice({ skippedCategories: ['listening', 'feedback'] }))).toBe('fair-1');
  });

  it('when the manager skips the day theme and has seen every other topic, then the non-skipped one seen longest ago is chosen', () => {
    const lastSent = new Map([
      ['feedback-1', '2026-02-02'],
      ['fair-1', '2026-02-09'],
      ['feedback-2', '2026-01-26'],
      ['fair-2', '2026-02-16'],
    ]);
    expect(chooseTopic(choice({ skippedCategories: ['listening'], lastSent }))).toBe('feedback-2');
  });

  it('when there is no theme for the day, then the first unseen topic of any non-skipped theme is chosen', () => {
    expect(chooseTopic(choice({ dayCategory: undefined }))).toBe('listen-1');
    expect(chooseTopic(choice({ dayCategory: undefined, skippedCategories: ['listening'] }))).toBe(
      'feedback-1',
    );
  });

  it('when the day theme has no topics in the catalogue, then another non-skipped theme stands in', () => {
    expect(
      chooseTopic(choice({ dayCategory: 'delegation', skippedCategories: ['listening'] })),
    ).toBe('feedback-1');
  });

  it('when the manager dismissed all of the day theme, then a non-skipped theme stands in', () => {
    const notRelevant = new Set(['listen-1', 'listen-2', 'listen-3']);
    expect(chooseTopic(choice({ notRelevant, skippedCategories: ['feedback'] }))).toBe('fair-1');
  });

  it('when every topic of the themes not skipped was dismissed, then any topic not marked irrelevant is chosen', () => {
    const notRelevant = new Set(['listen-1', 'listen-2', 'listen-3']);
    const input = choice({ notRelevant, skippedCategories: ['feedback', 'fairness'] });
    expect(chooseTopic(input)).toBe('feedback-1');
  });

  it('when every topic was marked not relevant, then there is nothing to choose', () => {
    const notRelevant = new Set(CATALOGUE.map((topic) => topic.id));
    expect(chooseTopic(choice({ notRelevant }))).toBeUndefined();
  });

  it('when the workspace has no active topics, then there is nothing to choose', () => {
    expect(chooseTopic(choice({ topics: [] }))).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('when a delivery fails for the first time, then it is retried after 5 seconds', () => {
    expect(retryDelayMs(1)).toBe(5_000);
  });

  it('when it keeps failing, then each wait doubles the one before', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000,
    ]);
  });

  it('when doubling would pass 5 minutes, then the wait stays at 5 minutes', () => {
    expect(retryDelayMs(7)).toBe(5 * MINUTE_MS);
    expect(retryDelayMs(20)).toBe(5 * MINUTE_MS);
    expect(retryDelayMs(10_000)).toBe(5 * MINUTE_MS);
  });

  it('when given an attempt below 1, then it waits as for the first attempt', () => {
    expect(retryDelayMs(0)).toBe(5_000);
    expect(retryDelayMs(-3)).toBe(5_000);
  });
});
