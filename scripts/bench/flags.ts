/**
 * The bench's command line: its flags, checked, with the usage text for a wrong one.
 */
import { parseArgs } from 'node:util';
import type { Deployment } from './service.ts';

export const USAGE = `Usage: npm run bench [-- --deployment all-in-one|split] [--seconds 15] [--fan-out 10000] [--node-options="…"] [--env K=V …]

  --deployment     all-in-one: one process, what npm start runs (dist/main.js, built first; the
                   default); split: the api, bot and worker services, each a process of its
                   own, as deployed
  --replicas       with --only fan-out --deployment split: how many of each service (api, bot,
                   worker) over the one database (default 1); bot n reaches api n
  --seconds        length of each steady run (default 15)
  --fan-out        deliveries due in the same minute (default 10000)
  --node-options   Node flags for each service process, on its command line after npm start's
                   heap flags (so they win); written with "=" because the value
                   starts with a dash: --node-options="--max-old-space-size=256"
  --env            a setting for each service process, e.g. --env DB_POOL_MAX=20 (repeatable)
  --sources        run the split services' TypeScript sources (src/entrypoints/) instead of
                   their build (dist/entrypoints/, built first), which the image runs; the
                   all-in-one process always runs what npm start runs
  --only planner   only the planner section (scripts/bench/planner.ts): planning ticks at 10k,
                   100k and 1M subscriptions, and a Monday digest tick
  --planner-scale  shrinks the planner section's sizes, e.g. 0.01 for a quick check
  --only analytics only the analytics section (scripts/bench/analytics.ts): 100,000 managers × a
                   year, the refresh timed, then every analytics endpoint read for --seconds
  --analytics-scale  shrinks the analytics section's managers, e.g. 0.01 for a quick check
  --analytics-database  reads data written earlier by scripts/bench/analytics-data.ts there,
                   instead of writing a year of it (a quarter of an hour at full size)
  --only clicks    only Home-tab clicks (scripts/bench/clicks.ts), all-in-one, at each rate of
                   --click-rates (default 200,500,1000), each beside bare Fastify at that rate
  --only reads     only GET /api/v1/action-items (scripts/bench/reads.ts), all-in-one, at each
                   rate of --read-rates (default 500,1000), each beside bare Fastify and Fastify
                   with SELECT 1 at that rate
  --only exhaustion  only the pool exhaustion (scripts/bench/exhaustion-only.ts), all-in-one, on a
                   fresh service, with its memory each second: about a minute
  --only fan-out   only the fan-out of --fan-out deliveries (scripts/bench/fan-out-only.ts), on a
                   fresh service with nothing run before it: about two minutes
  --statuses       known (the default): the fan-out's managers have fresh kept Slack statuses,
                   as the sweep leaves them; unknown: the sender reads each one before its note`;

export function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(1);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        deployment: { type: 'string' },
        replicas: { type: 'string' },
        seconds: { type: 'string' },
        'fan-out': { type: 'string' },
        'node-options': { type: 'string' },
        env: { type: 'string', multiple: true },
        sources: { type: 'boolean' },
        only: { type: 'string' },
        'planner-scale': { type: 'string' },
        'analytics-scale': { type: 'string' },
        'analytics-database': { type: 'string' },
        'click-rates': { type: 'string' },
        'read-rates': { type: 'string' },
        statuses: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    usageError((error as Error).message);
  }
}

export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    usageError(`--${name} must be a whole number above 0`);
  return parsed;
}

function deploymentFlag(value = 'all-in-one'): Deployment {
  if (value === 'all-in-one' || value === 'split') return value;
  usageError(`--deployment takes all-in-one or split, got "${value}"`);
}

/** The flags, checked; a wrong one ends the process with the usage text. */
export function readBenchFlags() {
  const flags = parseFlags();
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const only = flags.only;
  if (
    only !== undefined &&
    only !== 'planner' &&
    only !== 'analytics' &&
    only !== 'clicks' &&
    only !== 'reads' &&
    only !== 'exhaustion' &&
    only !== 'fan-out'
  ) {
    usageError(
      `--only takes planner, analytics, clicks, reads, exhaustion or fan-out, got "${only}"`,
    );
  }
  /** Settings for the service, overriding the bench's own (src/config.ts checks them). */
  const serviceEnv: Record<string, string> = {};
  for (const setting of flags.env ?? []) {
    const [key = '', ...value] = setting.split('=');
    if (!/^[A-Z][A-Z0-9_]*$/.test(key) || value.length === 0) {
      usageError(`--env takes KEY=VALUE, got "${setting}"`);
    }
    serviceEnv[key] = value.join('=');
  }
  const statuses = flags.statuses ?? 'known';
  if (statuses !== 'known' && statuses !== 'unknown') {
    usageError(`--statuses takes known or unknown, got "${statuses}"`);
  }
  const deployment = deploymentFlag(flags.deployment);
  const replicas = positiveInteger('replicas', flags.replicas, 1);
  if (replicas > 1 && (deployment !== 'split' || only !== 'fan-out')) {
    usageError('--replicas is for --only fan-out --deployment split');
  }
  return {
    flags,
    replicas,
    statusesKnown: statuses === 'known',
    serviceEnv,
    deployment,
    runSeconds: positiveInteger('seconds', flags.seconds, 15),
    fanOut: positiveInteger('fan-out', flags['fan-out'], 10_000),
  };
}
