/**
 * What most fault scenarios start from: the Slack stand-in, Blindspot as processes (all-in-one
 * or split) on a fresh database, a database client, and the workspace created through the API
 * (which seeds the shipped catalogue). Built from the bench's pieces (scripts/bench/), each
 * handed to the scenario's `defer` as it starts, so the runner undoes it whatever happens.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { signRequest } from '../../src/http/service-signature.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import {
  type Deployment,
  type RunningDeployment,
  type ServiceSettings,
  startDeployment,
} from '../bench/service.ts';
import type { FaultContext } from './scenario.ts';

/** As in the bench: Slack answering in 20 ms, so Blindspot's own work is what is measured. */
export const SLACK_LATENCY_MS = 20;

export interface World {
  standIn: SlackStandIn;
  deployment: RunningDeployment;
  /** A client on the services' database, for seeding and for reading the ledger. */
  db: pg.Client;
  team: string;
  signingSecret: string;
  serviceToken: string;
  /** What the services were started with: for starting one more, such as a second bot. */
  settings: ServiceSettings;
  /** Calls the API as the bot does, for a Slack user of the workspace. */
  api(method: string, route: string, slackUserId: string, body?: unknown): Promise<unknown>;
  /**
   * Forgets the stand-in's recorded calls every 5 s (messages, DM channels and message ts are
   * kept, so the outbox's history lookups still find earlier notes), keeping its memory flat
   * through 10,000 posts; count what matters with `standIn.onCall` listeners instead.
   */
  trimStandInCalls(): void;
}

export interface WorldOptions {
  /** Further settings for every service process (e.g. LD_PRELOAD for a faked clock). */
  env?: Record<string, string>;
  slackLatencyMs?: number;
}

export async function startWorld(
  context: FaultContext,
  deployment: Deployment,
  options: WorldOptions = {},
): Promise<World> {
  const latencyMs = options.slackLatencyMs ?? SLACK_LATENCY_MS;
  const standIn = await startSlackStandIn({ latencyMs });
  context.defer('Slack stand-in', () => standIn.close());
  const setLatency = () => standIn.setLatency('*', latencyMs);
  setLatency();
  const signingSecret = randomBytes(16).toString('hex');
  const serviceToken = randomBytes(32).toString('base64url');
  // Every API call as the bot is signed with this (src/http/service-signature.ts).
  const apiSigningSecret = randomBytes(32).toString('base64url');
  const settings: ServiceSettings = {
    repoRoot: context.repoRoot,
    slackApiUrl: standIn.url,
    slackBotToken: `xoxb-faults-${randomBytes(8).toString('hex')}`,
    slackSigningSecret: signingSecret,
    apiServiceToken: serviceToken,
    apiSigningSecret,
    env: options.env,
    databaseServerUrl: context.databaseUrl,
    // A killed all-in-one service must not take the embedded PostgreSQL down with it.
    embeddedPostgresOutside: true,
  };
  context.log(`starting Blindspot (${deployment})…`);
  const running = await startDeployment(deployment, settings, context.defer);
  for (const p of running.processes) context.log(`  ${p.name}: pid ${p.pid} at ${p.url}`);
  context.log(`  ${running.databaseDescription}`);

  const db = new pg.Client({ connectionString: running.databaseUrl, application_name: 'faults' });
  await db.connect();
  // A restarted PostgreSQL ends this connection; an error event unheard would crash the runner.
  db.on('error', (error) => context.log(`database client: ${error.message}`));
  context.defer('database client', () => db.end());

  const team = standIn.identity.teamId;
  const api = async (method: string, route: string, slackUserId: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const pathAndQuery = `/api/v1${route}`;
    const response = await fetch(`${running.api.url}${pathAndQuery}`, {
      method,
      headers: {
        authorization: `Bearer ${serviceToken}`,
        'x-slack-team-id': team,
        'x-slack-user-id': slackUserId,
        ...signRequest(
          apiSigningSecret,
          { method, pathAndQuery, slackTeamId: team, slackUserId, body: text },
          new Date(),
        ),
        ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: text,
    });
    const answer = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${answer}`);
    return answer ? (JSON.parse(answer) as unknown) : undefined;
  };
  // The first call for a workspace creates it, with the shipped catalogue of topics.
  await api('PUT', '/me', 'U0FAULTSADMIN', { timeZone: 'UTC', locale: 'en-US' });

  let trimming: NodeJS.Timeout | undefined;
  return {
    standIn,
    deployment: running,
    db,
    team,
    signingSecret,
    serviceToken,
    settings,
    api,
    trimStandInCalls() {
      if (trimming) return;
      trimming = setInterval(() => {
        standIn.reset();
        setLatency();
      }, 5_000);
      context.defer('stand-in trimming', async () => clearInterval(trimming));
    },
  };
}

/** The checkout this file belongs to. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Posts to each DM channel, counted as the stand-in answers them. */
export interface PostCounter {
  /** Successful chat.postMessage calls to the watched channels. */
  posts(): number;
  /** Channels that got at least one. */
  channelsPosted(): number;
  /** Posts beyond the first in each channel, summed. */
  duplicates(): number;
  /** Per ledger row named in the message metadata: rows posted more than once. */
  rowsPostedTwice(): number;
  /** When the last counted post was answered (ms since the epoch), 0 before any. */
  lastPostAt(): number;
  stop(): void;
}

/**
 * Counts the stand-in's successful chat.postMessage calls into `channels`, by channel and by
 * the ledger row their metadata names (`delivery_id` or `reminder_id`, decision 0011).
 */
export function countPosts(standIn: SlackStandIn, channels: ReadonlySet<string>): PostCounter {
  const perChannel = new Map<string, number>();
  const perRow = new Map<string, number>();
  let posts = 0;
  let lastAt = 0;
  const unsubscribe = standIn.onCall((call) => {
    if (call.method !== 'chat.postMessage') return;
    const body = call.response.body;
    if (typeof body !== 'object' || body.ok !== true) return;
    const channel = String(body.channel);
    if (!channels.has(channel)) return;
    posts += 1;
    lastAt = Math.max(lastAt, call.at.getTime());
    perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    const metadata = call.args.metadata as { event_payload?: Record<string, unknown> } | undefined;
    const row = metadata?.event_payload?.delivery_id ?? metadata?.event_payload?.reminder_id;
    if (row !== undefined) perRow.set(String(row), (perRow.get(String(row)) ?? 0) + 1);
  });
  const beyondFirst = (counts: Map<string, number>) => {
    let extra = 0;
    for (const n of counts.values()) if (n > 1) extra += n - 1;
    return extra;
  };
  return {
    posts: () => posts,
    channelsPosted: () => perChannel.size,
    duplicates: () => beyondFirst(perChannel),
    rowsPostedTwice: () => [...perRow.values()].filter((n) => n > 1).length,
    lastPostAt: () => lastAt,
    stop: unsubscribe,
  };
}
