/**
 * Runs the Slack emulator (src/slack-emulator/, the "stand-in") by hand, so Blindspot can be
 * driven without a Slack workspace.
 *
 *   node scripts/slack-stand-in.ts [--port 4100] [--latency-ms 20]
 *
 * Prints where it listens, then one JSON line per Web API call and per response_url POST.
 * Stops on SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import {
  type RecordedResponseUrlPost,
  type RecordedSlackCall,
  startSlackStandIn,
} from '../src/slack-emulator/index.ts';

const USAGE = `Usage: node scripts/slack-stand-in.ts [--port 4100] [--latency-ms 20]

  --port         port to listen on (default: a free one)
  --latency-ms   delay before every answer (default: 0)
  --host         interface to listen on (default: 127.0.0.1)`;

function parseNonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`--${name} must be a whole number of 0 or more, got "${value}"`);
  }
  return parsed;
}

/** Keeps enough of a token to tell tokens apart in the log without printing a usable one. */
function redactToken(token: string | undefined): string | null {
  if (!token) return null;
  return token.length > 12 ? `${token.slice(0, 5)}…${token.slice(-4)}` : `${token.slice(0, 5)}…`;
}

function callLine(call: RecordedSlackCall): string {
  return JSON.stringify({
    kind: 'call',
    at: call.at.toISOString(),
    method: call.method,
    token: redactToken(call.token),
    args: call.args,
    status: call.response.status,
    response: call.response.body,
  });
}

function responseUrlPostLine(post: RecordedResponseUrlPost): string {
  return JSON.stringify({
    kind: 'response_url_post',
    at: post.at.toISOString(),
    url: post.url,
    body: post.body,
    status: post.response.status,
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const standIn = await startSlackStandIn({
    port: parseNonNegativeInteger('port', values.port),
    latencyMs: parseNonNegativeInteger('latency-ms', values['latency-ms']),
    host: values.host,
  });
  console.log(`Slack stand-in listening on ${standIn.url}`);
  console.log(
    `Point Blindspot at it with SLACK_API_URL=${standIn.url} (any xoxb- token is accepted).`,
  );
  console.log(
    `Team ${standIn.identity.teamId}, bot user ${standIn.identity.botUserId}. Calls follow as JSON lines.`,
  );

  standIn.onCall((call) => console.log(callLine(call)));
  standIn.onResponseUrlPost((post) => console.log(responseUrlPostLine(post)));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`Received ${signal}, stopping the Slack stand-in.`);
    standIn.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exitCode = 1;
});
