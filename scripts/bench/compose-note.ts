/**
 * CPU to compose one note, as the outbox does before every post: `npx node
 * scripts/bench/compose-note.ts`. The median of 7 rounds of 20,000, after a warm-up, in German
 * (the fan-out's hot path; docs/performance.md, "The fan-out's drop, found"): built each time
 * (buildTopicMessage), and from the outbox's kept template (createTopicNoteBuilder), each also
 * with the post's JSON body written, which every post pays either way.
 */
import type { ClaimedDelivery } from '../../src/bot/api-client/index.ts';
import { buildTopicMessage } from '../../src/bot/blocks/topic-message.ts';
import { createTopicNoteBuilder } from '../../src/bot/blocks/topic-note-templates.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';

const ROUNDS = 7;
const PER_ROUND = 20_000;
const delivery: Pick<ClaimedDelivery, 'id' | 'topic'> = {
  id: '1',
  topic: {
    id: '2',
    slug: 'recency-bias',
    category: 'judging-people-fairly',
    title: 'Recency bias',
    summary: 'You judge a quarter by its last two weeks.',
    whyItMatters: `People notice. ${'And more words. '.repeat(20)}`,
    example: 'A strong quarter rated average after one late slip.',
    reflectionQuestion: 'What did each person do in the first month?',
    actions: ['Keep a running log', 'Ask for the whole quarter'],
    reference: 'Kahneman (2011), Thinking, Fast and Slow.',
  },
};
const voice = voiceFor({ language: 'de', locale: 'de-DE' });
const fromTemplate = createTopicNoteBuilder();
type Compose = (note: Pick<ClaimedDelivery, 'id' | 'topic'>) => unknown;

/** Median and least CPU per note, in µs. */
function measure(compose: Compose): { median: number; least: number } {
  for (let i = 0; i < PER_ROUND; i++) compose({ ...delivery, id: String(i) });
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < PER_ROUND; i++) compose({ ...delivery, id: String(i) });
    const used = process.cpuUsage(started);
    rounds.push((used.user + used.system) / PER_ROUND);
  }
  rounds.sort((a, b) => a - b);
  return { median: rounds[3] ?? Number.NaN, least: rounds[0] ?? Number.NaN };
}

const ways: Array<[string, Compose]> = [
  ['built each time', (note) => buildTopicMessage(note, [], voice)],
  ['from the kept template', (note) => fromTemplate(note, voice)],
  [
    'built each time, and the post body',
    (note) => JSON.stringify({ channel: 'D1', ...buildTopicMessage(note, [], voice) }),
  ],
  [
    'from the kept template, and the post body',
    (note) => JSON.stringify({ channel: 'D1', ...fromTemplate(note, voice) }),
  ],
];
for (const [name, compose] of ways) {
  const { median, least } = measure(compose);
  process.stdout.write(
    `CPU per note, ${name}: median ${median.toFixed(1)} µs, least ${least.toFixed(1)} µs (${ROUNDS} × ${PER_ROUND})\n`,
  );
}
