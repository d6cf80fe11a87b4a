/**
 * The gateway (config/gateway/Caddyfile, run by a real Caddy in its HTTP-only local mode) cuts
 * off a client that sends its headers a byte a second. Slow headers never reach an upstream, so
 * none runs here: the upstream lists name a port nobody listens on. Needs Debian's caddy (2.6);
 * without it the file is skipped, except in CI (as test/gateway/caddy-*.test.ts).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../support/ports.ts';
import { slowClient } from '../support/slow-client.ts';

const root = path.resolve(import.meta.dirname, '../..');
const caddyfile = path.join(root, 'config/gateway/Caddyfile');
const skip = spawnSync('caddy', ['version']).status !== 0 && !process.env.CI;

/** Past the Caddyfile's read_header of 10 s (by default Caddy has none), with room to spare. */
const CUT_OFF_WITHIN_MS = 20_000;
const BYTE_EVERY_MS = 1_000;

describe.skipIf(skip)('the gateway and slow clients', () => {
  let caddy: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let tempDir: string | undefined;
  let port: number;
  let output = '';

  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(tmpdir(), 'blindspot-caddy-slow-'));
    const [gatewayPort, nobodyPort, metricsPort] = await freePorts(3);
    port = gatewayPort as number;
    const nobody = `127.0.0.1:${nobodyPort}`;
    caddy = spawn('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: tempDir,
        XDG_DATA_HOME: path.join(tempDir, 'data'),
        XDG_CONFIG_HOME: path.join(tempDir, 'config'),
        DOMAIN: `http://127.0.0.1:${port}`,
        UPSTREAMS: 'list',
        API_UPSTREAMS: nobody,
        BOT_UPSTREAMS: nobody,
        METRICS_ADDRESS: `http://127.0.0.1:${metricsPort}`,
        // Off: parallel test files must not race for :2019.
        CADDY_ADMIN: 'off',
        CADDY_BIND: '127.0.0.1',
      },
    });
    const child = caddy;
    exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    // Ready once the gateway answers a path it serves itself (its JSON 404).
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`caddy exited: ${output}`);
      const answer = await fetch(`http://127.0.0.1:${port}/nothing-here`).catch(() => undefined);
      if (answer?.status === 404) break;
      if (Date.now() > deadline) throw new Error(`caddy did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    if (caddy?.exitCode === null && caddy.signalCode === null) caddy.kill('SIGKILL');
    await exited;
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  it('when a client sends its headers one byte a second, then the gateway closes the socket', async () => {
    // Longer than read_header can carry at this pace, so only the limit can end it.
    const headers = `GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(60)}\r\n\r\n`;
    const result = await slowClient({
      port,
      text: headers,
      byteEveryMs: BYTE_EVERY_MS,
      deadlineMs: CUT_OFF_WITHIN_MS,
    });
    expect(result.bytesSent).toBeGreaterThan(5);
    expect(result.bytesSent).toBeLessThan(headers.length);
    expect(result.received).not.toMatch(/^HTTP\/1\.1 [1-3]/);
  });
});
