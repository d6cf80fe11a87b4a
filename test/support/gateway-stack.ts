/**
 * The production gateway, config/gateway/Caddyfile, run by a real Caddy in its HTTP-only local
 * mode in front of real service processes on loopback: two api replicas and one bot, started as
 * the containers start them (node src/entrypoints/api.ts, bot.ts), with a test database and the
 * Slack stand-in. For test/gateway/caddy-*.test.ts; each file starts its own.
 *
 * The api's per-address rate limit counts every /api request through the gateway, so each test
 * that sends some comes from a loopback address of its own (`from`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN, TEST_SIGNING_SECRET } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { ADMIN_API_KEY, type LogLine, send } from './gateway-client.ts';
import { freePorts } from './ports.ts';
import { TEST_API_SIGNING_SECRET } from './service-calls.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const caddyfile = path.join(root, 'config/gateway/Caddyfile');
const hasCaddy = spawnSync('caddy', ['version']).status === 0;
/** Without caddy the gateway's test files are skipped, except in CI, where they fail instead. */
export const skip = !hasCaddy && !process.env.CI;
if (skip) {
  console.warn(
    'test/gateway/caddy-*.test.ts are skipped: caddy is not installed (Debian: apt-get install caddy). In CI it fails instead.',
  );
}

/** Per api process; the flood test goes over it. */
export const RATE_LIMIT_PER_MINUTE = 10;

/** A child process whose stdout JSON lines are kept, for assertions on what it logged. */
export interface Service {
  name: string;
  child: ChildProcess;
  lines: LogLine[];
  exited: Promise<number | null>;
  output(): string;
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with what it last saw. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms (${String(lastError ?? 'no value')})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits for the process to log that it listens, and returns the port it chose. */
export async function portOf(service: Service): Promise<number> {
  const line = await eventually(`${service.name} listening`, () => {
    if (service.child.exitCode !== null) {
      throw new Error(`${service.name} exited: ${service.output()}`);
    }
    return service.lines.find(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at http://127.0.0.1:'),
    );
  });
  return Number(new URL(String(line.msg).slice('Server listening at '.length)).port);
}

/**
 * Registers the hooks of the calling describe block: its beforeAll starts a database, the
 * Slack stand-in, two api replicas, the bot and Caddy in front of them, and its afterAll stops
 * them. Hands back the running processes (read them once the beforeAll has run). Call it at the
 * top of the file's describe.skipIf(skip) block.
 */
export function setUpGateway() {
  const services: Service[] = [];
  let database: TestDatabase | undefined;
  let standIn: SlackStandIn | undefined;
  let tempDir: string | undefined;
  let gateway: string;
  let metricsUrl: string;
  let api: [Service, Service];
  let apiPorts: number[];
  let bot: Service;
  let caddy: Service;

  function startService(name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: LogLine[] = [];
    let text = '';
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      text += `${line}\n`;
      if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
    });
    child.stderr?.on('data', (chunk) => {
      text += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const service = { name, child, lines, exited, output: () => text };
    services.push(service);
    return service;
  }

  beforeAll(async () => {
    if (!hasCaddy)
      throw new Error('caddy is not installed; CI must install it (apt-get install caddy)');
    database = await createTestDatabase();
    standIn = await startSlackStandIn();
    tempDir = await mkdtemp(path.join(tmpdir(), 'blindspot-gateway-'));
    // Only what the processes need: nothing from this process's own environment leaks in.
    const base = { PATH: process.env.PATH, HOME: tempDir, NODE_ENV: 'production' };
    const node = process.execPath;
    const apiEnv = {
      ...base,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.url,
      API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      API_SIGNING_SECRET: TEST_API_SIGNING_SECRET,
      ADMIN_API_KEY,
      API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
      DB_POOL_MAX: '3',
    };
    api = [
      startService('api-1', node, ['src/entrypoints/api.ts'], apiEnv),
      startService('api-2', node, ['src/entrypoints/api.ts'], apiEnv),
    ];
    apiPorts = await Promise.all(api.map(portOf));

    // The bot reaches the api on the internal network, as in compose (API_URL: http://api:3000),
    // not through the gateway, which does not route the bot's API routes.
    bot = startService('bot', node, ['src/entrypoints/bot.ts'], {
      ...base,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: standIn.url,
      API_URL: `http://127.0.0.1:${apiPorts[0]}`,
      API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      API_SIGNING_SECRET: TEST_API_SIGNING_SECRET,
    });
    const botPort = await portOf(bot);

    const caddyHome = tempDir;
    const startCaddy = (metricsPort: number) =>
      startService('caddy', 'caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
        PATH: process.env.PATH,
        // Caddy keeps certificates and an autosaved config under these; keep them in tempDir.
        HOME: caddyHome,
        XDG_DATA_HOME: path.join(caddyHome, 'data'),
        XDG_CONFIG_HOME: path.join(caddyHome, 'config'),
        DOMAIN: gateway,
        UPSTREAMS: 'list',
        API_UPSTREAMS: apiPorts.map((port) => `127.0.0.1:${port}`).join(' '),
        BOT_UPSTREAMS: `127.0.0.1:${botPort}`,
        METRICS_ADDRESS: `http://127.0.0.1:${metricsPort}`,
        // Off: parallel test files must not race for :2019.
        CADDY_ADMIN: 'off',
        CADDY_BIND: '127.0.0.1',
      });
    // freePorts' ports can be taken by another test's server before Caddy binds them. Caddy then
    // exits, and a /healthz answered on its port may be that other server's: so Caddy counts as
    // up only when its own metrics (a Go program's) answer and it is still running.
    for (let attempt = 1; ; attempt++) {
      const [gatewayPort, metricsPort] = (await freePorts(2)) as [number, number];
      gateway = `http://127.0.0.1:${gatewayPort}`;
      metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      caddy = startCaddy(metricsPort);
      const up = await eventually('the gateway serving /healthz', async () => {
        if (caddy.child.exitCode !== null) return 'exited';
        const metrics = await fetch(metricsUrl).then(
          (r) => r.text(),
          () => '',
        );
        if (!metrics.includes('go_goroutines')) return undefined;
        return (await send(gateway, { path: '/healthz' })).status === 200 ? 'up' : undefined;
      });
      if (up === 'up' && caddy.child.exitCode === null) break;
      if (attempt === 3) throw new Error(`caddy did not start: ${caddy.output()}`);
    }
  });

  afterAll(async () => {
    for (const service of services) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGKILL');
      }
    }
    await Promise.all(services.map((service) => service.exited));
    await standIn?.close();
    await database?.drop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  return {
    get gateway() {
      return gateway;
    },
    get metricsUrl() {
      return metricsUrl;
    },
    get api() {
      return api;
    },
    get apiPorts() {
      return apiPorts;
    },
    get bot() {
      return bot;
    },
    get caddy() {
      return caddy;
    },
  };
}
