import { describe, expect, it } from 'vitest';
import {
  ACTED_ON_WEIGHT,
  type CandidateTopic,
  chooseTopic,
  LATE_AFTER_MS,
  type TopicChoiceInput,
  type TopicHistory,
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

/** A history: topic id → [last sent, times sent (1), acted on (false)]. */
function had(
  entries: Record<string, [string, number?, boolean?]>,
): ReadonlyMap<string, TopicHistory> {
  return new Map(
    Object.entries(entries).map(([id, [lastSent, timesSent = 1, actedOn = false]]) => [
      id,
      { lastSent, timesSent, actedOn },
    ]),
  );
}

function choice(overrides: Partial<TopicChoiceInput> = {}): TopicChoiceInput {
  return {
    topics: CATALOGUE,
    dayCategory: 'listening',
    skippedCategories: [],
    history: new Map(),
    notRelevant: new Set(),
    ...overrides,
  };
}

/** The topics chosen one after another, each recorded as sent on the next of `days`. */
function sequence(days: ReadonlyArray<string | undefined>, overrides: Partial<TopicChoiceInput>) {
  const history = new Map<string, TopicHistory>(overrides.history ?? []);
  const chosen: string[] = [];
  days.forEach((dayCategory, index) => {
    const id = chooseTopic(choice({ ...overrides, dayCategory, history }));
    if (id === undefined) throw new Error('nothing chosen');
    const before = history.get(id);
    const lastSent = `2026-${String(1 + Math.floor(index / 28)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`;
    history.set(id, { lastSent, timesSent: (before?.timesSent ?? 0) + 1, actedOn: false });
    chosen.push(id);
  });
  return chosen;
}

describe('chooseTopic', () => {
  it('when the manager has seen nothing, then the first topic of the day theme in catalogue order is chosen', () => {
    expect(chooseTopic(choice())).toBe('listen-1');
    expect(chooseTopic(choice({ dayCategory: 'fairness' }))).toBe('fair-1');
  });

  it('when some of the day theme was seen, then the first unseen one in catalogue order is chosen, even after seen ones', () => {
    const history = had({ 'listen-1': ['2026-02-23'], 'listen-3': ['2026-01-05'] });
    expect(chooseTopic(choice({ history }))).toBe('listen-2');
  });

  it('when the day theme is exhausted and other themes have unseen topics, then the family with most unseen is drawn from, not a repeat', () => {
    const history = had({
      'listen-1': ['2026-02-23'],
      'listen-2': ['2025-12-29'],
      'listen-3': ['2026-01-05'],
      'fair-1': ['2026-01-12'],
    });
    // Feedback has two unseen, fairness one.
    expect(chooseTopic(choice({ history }))).toBe('feedback-1');
  });

  it('when two families have as many unseen topics, then the one first in the catalogue is drawn from', () => {
    const history = had({
      'listen-1': ['2026-02-23'],
      'listen-2': ['2025-12-29'],
      'listen-3': ['2026-01-05'],
    });
    expect(chooseTopic(choice({ history }))).toBe('feedback-1');
    expect(chooseTopic(choice({ history, topics: CATALOGUE.slice(2) }))).toBe('fair-1');
  });

  it('whatever the days, every topic comes once in each round before any comes again', () => {
    const ids = CATALOGUE.map((topic) => topic.id).sort();
    for (const days of [['listening'], ['listening', 'fairness'], ['feedback'], [undefined]]) {
      const week = Array.from({ length: 21 }, (_, i) => days[i % days.length]);
      const chosen = sequence(week, {});
      for (const round of [0, 7, 14]) {
        expect(chosen.slice(round, round + 7).sort(), `${days} from ${round}`).toEqual(ids);
      }
    }
  });

  it('when a day keeps one theme, then it leans to it while it has topics left, then takes the others', () => {
    expect(sequence(Array(7).fill('listening'), {})).toEqual([
      'listen-1',
      'listen-2',
      'listen-3',
      // Then the family with most left, alternating as they level; a tie goes to feedback,
      // first in the catalogue.
      'feedback-1',
      'fair-1',
      'feedback-2',
      'fair-2',
    ]);
  });

  it('when every topic was seen once, then the second round starts with the one seen longest ago, of the day theme first', () => {
    const history = had({
      'listen-1': ['2026-02-23'],
      'listen-2': ['2026-01-05'],
      'listen-3': ['2026-01-05'],
      'feedback-1': ['2025-12-01'],
      'feedback-2': ['2025-12-08'],
      'fair-1': ['2025-12-15'],
      'fair-2': ['2025-12-22'],
    });
    // Same date: the earlier in the catalogue.
    expect(chooseTopic(choice({ history }))).toBe('listen-2');
    expect(chooseTopic(choice({ history, dayCategory: 'fairness' }))).toBe('fair-1');
    // No theme: the family with most left this round (listening, 3), then its oldest.
    expect(chooseTopic(choice({ history, dayCategory: undefined }))).toBe('listen-2');
  });

  it('when dates span a year end, then they compare as dates: December comes before January', () => {
    const history = had({
      'listen-1': ['2026-01-02'],
      'listen-2': ['2025-12-31'],
      'listen-3': ['2026-01-01'],
    });
    const listening = CATALOGUE.filter((topic) => topic.category === 'listening');
    expect(chooseTopic(choice({ history, topics: listening }))).toBe('listen-2');
  });

  it('when a topic joins the catalogue after a round, then it comes before any topic repeats', () => {
    const history = had({
      'listen-1': ['2026-02-23', 2],
      'listen-2': ['2026-02-16', 2],
      'listen-3': ['2026-02-09', 2],
      'feedback-1': ['2026-02-02', 2],
      'feedback-2': ['2026-01-26', 2],
      'fair-1': ['2026-01-19', 2],
    });
    expect(chooseTopic(choice({ history }))).toBe('fair-2');
  });

  it('when families have as many unseen topics, then the one whose notes the manager acted on comes first', () => {
    const seen = {
      'listen-1': ['2026-02-23'],
      'listen-2': ['2026-02-16'],
      'listen-3': ['2026-02-09'],
      'feedback-1': ['2026-02-02'],
      'fair-1': ['2026-01-26'],
    } satisfies Record<string, [string]>;
    expect(chooseTopic(choice({ history: had(seen) }))).toBe('feedback-2');
    const actedOnFairness = had({ ...seen, 'fair-1': ['2026-01-26', 1, true] });
    expect(chooseTopic(choice({ history: actedOnFairness }))).toBe('fair-2');
  });

  it('when the manager acts on one family only, then it weighs at most 1.5 times: a family with twice as many left still comes first', () => {
    const topics: CandidateTopic[] = [
      { id: 'a-1', category: 'a' },
      { id: 'a-2', category: 'a' },
      { id: 'b-1', category: 'b' },
      { id: 'b-2', category: 'b' },
      { id: 'b-3', category: 'b' },
      { id: 'c-1', category: 'c' },
      { id: 'c-2', category: 'c' },
      { id: 'c-3', category: 'c' },
      { id: 'c-4', category: 'c' },
      { id: 'c-5', category: 'c' },
    ];
    expect(ACTED_ON_WEIGHT).toBe(0.5);
    const history = had({ 'a-1': ['2026-01-05', 1, true], 'c-1': ['2026-01-12'] });
    // a: 1 left × 1.5 = 1.5; b: 3 left × 1 = 3; c: 4 left × 1 = 4.
    expect(chooseTopic(choice({ topics, history, dayCategory: undefined }))).toBe('c-2');
    // a: 1 × 1.5 beats b: 1 × 1 once they are level in what is left.
    const level = had({
      'a-1': ['2026-01-05', 1, true],
      'b-1': ['2026-01-06'],
      'b-2': ['2026-01-07'],
      'c-1': ['2026-01-08'],
      'c-2': ['2026-01-09'],
      'c-3': ['2026-01-10'],
      'c-4': ['2026-01-11'],
    });
    expect(chooseTopic(choice({ topics, history: level, dayCategory: undefined }))).toBe('a-2');
  });

  it('when a topic was marked not relevant, then it is never chosen, even when it is the only unseen one or the oldest', () => {
    const unseenButDismissed = choice({
      topics: CATALOGUE.slice(0, 5),
      history: had({ 'listen-1': ['2026-02-23'], 'listen-3': ['2026-02-16'] }),
      notRelevant: new Set(['listen-2']),
    });
    expect(chooseTopic(unseenButDismissed)).toBe('feedback-1');

    const oldestButDismissed = choice({
      topics: CATALOGUE.slice(0, 5),
      history: had({
        'listen-1': ['2026-02-23'],
        'listen-2': ['2025-01-01'],
        'listen-3': ['2026-02-16'],
        'feedback-1': ['2026-02-09'],
        'fair-1': ['2026-02-02'],
      }),
      notRelevant: new Set(['listen-2']),
    });
    expect(chooseTopic(oldestButDismissed)).toBe('listen-3');
  });

  it('when the manager skips the day theme, then the first unseen topic of a theme they did not skip is chosen', () => {
    expect(chooseTopic(choice({ skippedCategories: ['listening'] }))).toBe('feedback-1');
    expect(chooseTopic(choice({ skippedCategories: ['listening', 'feedback'] }))).toBe('fair-1');
  });

  it('when the manager skips a theme, then none of it comes, in any round', () => {
    const chosen = sequence(Array(12).fill('listening'), { skippedCategories: ['listening'] });
    expect(chosen.filter((id) => id.startsWith('listen'))).toEqual([]);
    expect(new Set(chosen.slice(0, 4)).size).toBe(4);
  });

  it('when the manager skips the day theme and has seen every other topic, then the non-skipped one seen longest ago is chosen', () => {
    const history = had({
      'feedback-1': ['2026-02-02'],
      'fair-1': ['2026-02-09'],
      'feedback-2': ['2026-01-26'],
      'fair-2': ['2026-02-16'],
    });
    expect(chooseTopic(choice({ skippedCategories: ['listening'], history }))).toBe('feedback-2');
  });

  it('when there is no theme for the day, then the first unseen topic of the family with most unseen is chosen', () => {
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
