/**
 * CPU to compose one note, as the outbox does before every post: `npx node
 * scripts/bench/compose-note.ts`. The median of 7 rounds of 20,000, after a warm-up, in German
 * (the fan-out's hot path; docs/performance.md, "The fan-out's drop, found").
 */
import type { ClaimedDelivery } from '../../src/bot/api-client/index.ts';
import { buildTopicMessage } from '../../src/bot/blocks/topic-message.ts';
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
for (let i = 0; i < PER_ROUND; i++) buildTopicMessage(delivery, [], voice);
const rounds: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const started = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) buildTopicMessage({ ...delivery, id: String(i) }, [], voice);
  const used = process.cpuUsage(started);
  rounds.push((used.user + used.system) / PER_ROUND);
}
rounds.sort((a, b) => a - b);
process.stdout.write(
  `CPU per note composed: median ${rounds[3]?.toFixed(1)} µs, least ${rounds[0]?.toFixed(1)} µs (${ROUNDS} × ${PER_ROUND})\n`,
);
