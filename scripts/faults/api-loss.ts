/**
 * The bot loses the API: split deployment, the api stopped for 2 minutes (× scale) and started
 * again, while managers type `/blindspot actions` and reply in their notes' threads (each reply
 * becomes an action item). Slack redelivers an event it thinks was missed, with the same
 * event_id and X-Slack-Retry-Num (https://docs.slack.dev/apis/events-api/#retries); here every
 * reply is redelivered twice once the api is back, and the replies sent before the outage too.
 *
 * Promised: Slack is acknowledged within 3 s throughout (the bot needs no API to ack); users get
 * a friendly "try again" for what could not be done; and each reply becomes exactly one action
 * item however often Slack delivers it (the item's source key, the message's channel and ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { tryAgainText } from '../../src/bot/blocks/messages.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { createSlackRequester } from '../../test/support/slack-requests.ts';
import { count, seconds } from './figures.ts';
import type { FaultScenario } from './scenario.ts';
import {
  ACK_LIMIT_MS,
  describeTraffic,
  signUpUsers,
  startSlackTraffic,
  trafficKeptPromises,
} from './slack-traffic.ts';
import { startWorld } from './world.ts';

const OUTAGE_MS_AT_SCALE_1 = 2 * 60_000;
const USERS = 20;
const COMMANDS_PER_SECOND = 10;
/** Thread replies a second, from the same users. */
const REPLIES_PER_SECOND = 2;

interface Reply {
  eventId: string;
  sourceKey: string;
  /** Acks of the first delivery and each redelivery, in ms (Infinity: none, or not 2xx). */
  acks: number[];
  duringOutage: boolean;
}

export const apiLoss: FaultScenario = {
  id: 'api-loss',
  title: 'The api stopped for 2 minutes under the bot (split deployment)',
  passCondition:
    'every Slack request acked ≤ 3 s; users answered or told "try again"; each redelivered event (same event_id, X-Slack-Retry-Num) processed once',
  async run(context) {
    const outageMs = Math.max(20_000, Math.round(OUTAGE_MS_AT_SCALE_1 * context.scale));
    const world = await startWorld(context, 'split');
    const api = world.deployment.api;
    const users = await signUpUsers(world, USERS);
    // Each user has had a note: a sent delivery whose Slack message their replies thread under.
    const notes = new Map<string, { channel: string; ts: string }>();
    for (const [i, user] of users.entries()) {
      const channel = world.standIn.dmChannelIdFor(user);
      const ts = `${Math.floor(Date.now() / 1000) - 3_600}.${String(100_000 + i).padStart(6, '0')}`;
      await world.db.query(
        `INSERT INTO deliveries (workspace_id, subscription_id, manager_id, local_date, topic_id,
           due_at, status, attempts, slack_channel_id, slack_ts, sent_at)
         SELECT s.workspace_id, s.id, s.manager_id, (now() - interval '1 hour')::date,
           (SELECT t.id FROM topics t WHERE t.workspace_id = s.workspace_id ORDER BY t.id LIMIT 1),
           now() - interval '1 hour', 'sent', 1, $2, $3, now() - interval '1 hour'
         FROM subscriptions s JOIN managers m ON m.id = s.manager_id WHERE m.slack_user_id = $1`,
        [user, channel, ts],
      );
      notes.set(user, { channel, ts });
    }
    const friendlyInThread = { count: 0 };
    const stopCounting = world.standIn.onCall((call) => {
      if (call.method === 'chat.postMessage' && call.args.text === tryAgainText(voiceFor())) {
        friendlyInThread.count += 1;
      }
    });
    context.defer('thread reply counter', async () => stopCounting());
    world.trimStandInCalls();

    const requester = createSlackRequester({
      baseUrl: world.deployment.slack.url,
      signingSecret: world.signingSecret,
      teamId: world.team,
      standIn: world.standIn,
      timeoutMs: 30_000,
    });
    const replies: Reply[] = [];
    let apiDown = false;
    let sequence = 0;
    const ackOf = (response: { status: number; elapsedMs: number }) =>
      response.status < 300 ? response.elapsedMs : Number.POSITIVE_INFINITY;
    const sendReply = async () => {
      const user = users[sequence % users.length] as string;
      const note = notes.get(user) as { channel: string; ts: string };
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;
      const reply: Reply = {
        eventId: '',
        sourceKey: `message:${note.channel}:${ts}`,
        acks: [],
        duringOutage: apiDown,
      };
      replies.push(reply);
      const response = await requester
        .event({
          type: 'message',
          channel: note.channel,
          channel_type: 'im',
          user,
          text: `Reply ${sequence}: ask for one example before judging`,
          ts,
          thread_ts: note.ts,
          event_ts: ts,
        })
        .catch(() => undefined);
      reply.eventId = response?.eventId ?? '';
      reply.acks.push(response ? ackOf(response) : Number.POSITIVE_INFINITY);
    };
    let replying = true;
    const replyLoop = (async () => {
      while (replying) {
        void sendReply();
        await delay(1000 / REPLIES_PER_SECOND);
      }
    })();

    const traffic = startSlackTraffic(world, { users, perSecond: COMMANDS_PER_SECOND });
    context.defer('Slack traffic', () => traffic.stop());
    await delay(5_000);
    context.log(`stopping the api for ${seconds(outageMs / 1000)}`);
    await api.kill('SIGTERM');
    apiDown = true;
    await delay(outageMs);
    apiDown = false;
    await api.restart();
    context.log('the api is back');
    await delay(5_000);
    replying = false;
    await replyLoop;
    const summary = await traffic.stop();

    // Slack redelivers: every reply twice more, as retries 1 and 2, now that the api is back.
    context.log(`redelivering ${count(replies.length)} replies twice`);
    for (const retryNum of [1, 2]) {
      for (const reply of replies) {
        if (!reply.eventId) continue;
        const response = await requester
          .event({} as never, { retryNum, eventId: reply.eventId })
          .catch(() => undefined);
        reply.acks.push(response ? ackOf(response) : Number.POSITIVE_INFINITY);
      }
    }
    await delay(5_000);
    const { rows } = await world.db.query<{ source_key: string; n: number }>(
      `SELECT source_key, count(*)::int AS n FROM action_items
       WHERE source_key = ANY($1::text[]) GROUP BY source_key`,
      [replies.map((r) => r.sourceKey)],
    );
    const items = new Map(rows.map((r) => [r.source_key, r.n]));
    const duplicates = rows.reduce((sum, r) => sum + Math.max(0, r.n - 1), 0);
    const missing = replies.filter((r) => !items.has(r.sourceKey)).length;
    const acks = replies.flatMap((r) => r.acks).sort((a, b) => a - b);
    const lateAcks = acks.filter((ms) => ms > ACK_LIMIT_MS).length;
    const during = replies.filter((r) => r.duringOutage).length;

    const failures: string[] = [];
    if (!trafficKeptPromises(summary)) failures.push(`commands: ${summary.examples.join('; ')}`);
    if (lateAcks > 0) failures.push(`${lateAcks} event deliveries not acked 2xx within 3 s`);
    if (duplicates > 0) failures.push(`${duplicates} duplicate action items`);
    if (missing > 0) failures.push(`${missing} replies never became an action item`);
    if (during > 0 && friendlyInThread.count === 0) failures.push('no "try again" in any thread');
    return {
      pass: failures.length === 0,
      figures:
        `api down ${seconds(outageMs / 1000)}; ${describeTraffic(summary)}; ` +
        `${count(replies.length)} thread replies (${during} during the outage), each delivered 3 times: ` +
        `ack max ${Math.round(acks.at(-1) ?? Number.NaN)} ms, ${count(items.size)} items, ${duplicates} duplicates, ${missing} missing; ` +
        `${friendlyInThread.count} "try again" replies in threads`,
      ...(failures.length > 0 && { failure: failures.join('; ') }),
    };
  },
};
