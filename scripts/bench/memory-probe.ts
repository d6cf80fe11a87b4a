/**
 * Where the all-in-one process's memory goes: starts the service as the bench does
 * (scripts/bench/service.ts), drives the bench's Slack and API phases against it, and after each
 * phase prints its memory (VmRSS, V8 heap total/used) and, with --snapshots, writes a heap
 * snapshot (SIGUSR2, which runs a full GC first, so the snapshot holds only what is retained).
 * Analyse the snapshots with scripts/bench/heap-summary.ts. Not part of `npm run bench`.
 *
 *   node scripts/bench/memory-probe.ts [--seconds 8] [--snapshots] [--sources] [--node-options="…"]
 *
 * The service gets `npm start`'s heap flags (scripts/bench/service.ts); --node-options come
 * after them and win, e.g. --node-options="--max-semi-space-size=64" for Node's default here.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { signRequest } from '../../src/http/service-signature.ts';
import { startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { signedActionItemsRead } from './harness.ts';
import { runLoad } from './load.ts';
import { rssOf, startDeployment } from './service.ts';
import { homeButtonClick, slashCommand } from './slack-payloads.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    snapshots: { type: 'boolean', default: false },
    'node-options': { type: 'string', default: '' },
    deployment: { type: 'string', default: 'all-in-one' },
    sources: { type: 'boolean', default: false },
  },
});
const seconds = Number(flags.seconds);
const cleanups: Array<() => Promise<unknown>> = [];
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Resident memory by mapping: the node binary, malloc's heap, other files, anonymous (V8, arenas). */
async function residentByMapping(pid: number): Promise<string> {
  const text = await readFile(`/proc/${pid}/smaps`, 'utf8').catch(() => '');
  const kinds = new Map<string, number>();
  let kind = 'anonymous';
  for (const line of text.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const name = mapping[1] ?? '';
      kind = name.endsWith('/node')
        ? 'node binary'
        : name === '[heap]'
          ? 'malloc heap'
          : name.startsWith('/')
            ? 'other files'
            : name === ''
              ? 'anonymous'
              : name;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line);
    if (rss) kinds.set(kind, (kinds.get(kind) ?? 0) + Number(rss[1]) * 1024);
  }
  return [...kinds]
    .filter(([, bytes]) => bytes > 2 ** 20)
    .map(([name, bytes]) => `${name} ${mb(bytes)}`)
    .join(', ');
}

const standIn = await startSlackStandIn({ latencyMs: 20 });
cleanups.push(() => standIn.close());
const signingSecret = randomBytes(16).toString('hex');
const serviceToken = randomBytes(32).toString('base64url');
const apiSigningSecret = randomBytes(32).toString('base64url');
try {
  const deployment = await startDeployment(
    flags.deployment === 'split' ? 'split' : 'all-in-one',
    {
      repoRoot: REPO_ROOT,
      slackApiUrl: standIn.url,
      slackBotToken: `xoxb-bench-${randomBytes(8).toString('hex')}`,
      slackSigningSecret: signingSecret,
      apiServiceToken: serviceToken,
      apiSigningSecret,
      sources: flags.sources,
      nodeOptions: `--heapsnapshot-signal=SIGUSR2 ${flags['node-options']}`.trim(),
    },
    (_name, run) => cleanups.push(run),
  );
  const team = standIn.identity.teamId;
  const report = async (label: string) => {
    for (const p of deployment.processes) {
      if (flags.snapshots) {
        const before = new Set(await readdir(REPO_ROOT));
        process.kill(p.pid, 'SIGUSR2');
        // The snapshot is written synchronously by the process; wait until its file stops growing.
        for (let i = 0; i < 600; i++) {
          await delay(500);
          const added = (await readdir(REPO_ROOT)).filter(
            (f) => f.endsWith('.heapsnapshot') && !before.has(f),
          );
          if (added.length > 0 && (await p.memory().catch(() => undefined))) {
            process.stderr.write(`  snapshot ${label} ${p.name}: ${added[0]}\n`);
            break;
          }
        }
      }
      const m = await p.memory();
      process.stdout.write(
        `${label.padEnd(22)} ${p.name.padEnd(8)} VmRSS ${mb(await rssOf(p.pid))} MB, heap total ${mb(m.heapTotal)} used ${mb(m.heapUsed)} external ${mb(m.external)} MB; ${await residentByMapping(p.pid)}\n`,
      );
    }
  };
  await report('started');
  const reader = 'U0BENCHREADER';
  const call = async (method: string, route: string, user: string, body?: unknown) => {
    const sent = body === undefined ? undefined : JSON.stringify(body);
    const response = await fetch(`${deployment.api.url}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${serviceToken}`,
        'x-slack-team-id': team,
        'x-slack-user-id': user,
        ...signRequest(
          apiSigningSecret,
          {
            method,
            pathAndQuery: `/api/v1${route}`,
            slackTeamId: team,
            slackUserId: user,
            body: sent,
          },
          new Date(),
        ),
        ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: sent,
    });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  await call('PUT', '/me', reader, { timeZone: 'UTC', locale: 'en-US' });
  for (let i = 1; i <= 20; i++)
    await call('POST', '/action-items', reader, { text: `Benchmark action ${i}`, source: 'api' });
  const clickers = Array.from({ length: 50 }, (_, i) => `U0BENCHC${String(i).padStart(3, '0')}`);
  for (const c of clickers) {
    standIn.addUser({ id: c, tz: 'UTC' });
    await call('PUT', '/me', c, { timeZone: 'UTC', locale: 'en-US' });
    await call('PUT', '/subscriptions/me', c, {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      localTime: `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`,
      timeZone: 'UTC',
    });
  }
  await report('seeded');
  let turn = 0;
  const next = () => clickers[turn++ % clickers.length] as string;
  const slack = { signingSecret, standIn };
  const phase = async (label: string, options: Parameters<typeof runLoad>[0]) => {
    const result = await runLoad(options);
    const ok = result.responses.filter((r) => r.status < 300).length;
    process.stderr.write(`  ${label}: ${ok}/${result.responses.length} 2xx\n`);
    standIn.reset();
    standIn.setLatency('*', 20);
    await report(label);
  };
  const common = { durationSeconds: seconds, connections: 10 };
  await phase('1a slash 200/s', {
    ...common,
    url: deployment.slack.url,
    method: 'POST',
    path: '/slack/events',
    rate: 200,
    prepare: () => slashCommand(slack, next(), 'help'),
  });
  await phase('1b click 200/s', {
    ...common,
    url: deployment.slack.url,
    method: 'POST',
    path: '/slack/events',
    rate: 200,
    prepare: () => homeButtonClick(slack, next(), 'home_resume'),
  });
  const readHeaders = signedActionItemsRead(serviceToken, apiSigningSecret, team, reader);
  const read = () => ({ headers: readHeaders(), body: '' });
  await phase('2 reads 500/s', {
    ...common,
    url: deployment.api.url,
    path: '/api/v1/action-items',
    rate: 500,
    prepare: read,
  });
  await phase('1b click again', {
    ...common,
    url: deployment.slack.url,
    method: 'POST',
    path: '/slack/events',
    rate: 200,
    prepare: () => homeButtonClick(slack, next(), 'home_resume'),
  });
  await delay(5_000);
  await report('idle 5 s later');
  // Past HEAP_TRIM_QUIET_SECONDS (10): what the heap trimmer gave back (src/heap-trimmer.ts).
  await delay(10_000);
  await report('idle 15 s later');
} finally {
  for (const run of cleanups.reverse()) await run().catch(() => undefined);
}
