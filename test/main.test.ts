/**
 * The README's first command, as a newcomer runs it: `npm start` with nothing configured, which
 * compiles the sources and runs dist/main.js. It must come up on an embedded PostgreSQL, and
 * SIGTERM must leave no postgres behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf } from './support/http.ts';

const root = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Processes whose command line mentions `needle`, read from /proc. */
async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

function startNpm(env: Record<string, string>) {
  const { DATABASE_URL: _unset, ...inherited } = process.env;
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<{
    test: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }> = [];
  const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  // stdout closes when the last writer is gone: node itself, not just npm in front of it.
  const closed = new Promise<void>((resolve) => reader.once('close', resolve));
  reader.on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    lines,
    exited,
    closed,
    stderr: () => stderr,
    waitForLog(test: (line: Record<string, unknown>) => boolean, timeoutMs: number) {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no such log line within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          test,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        exited.then((code) => reject(new Error(`npm start exited with ${code}: ${stderr}`)));
      });
    },
  };
}

describe('npm start with nothing configured', () => {
  it('serves /healthz, /readyz and OpenAPI on an embedded PostgreSQL, and SIGTERM leaves no postgres behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'blindspot-start-'));
    dirs.push(dir);
    await chmod(dir, 0o755);
    const dataDir = path.join(dir, 'postgres');
    const run = startNpm({ EMBEDDED_POSTGRES_DIR: dataDir });

    const running = await run.waitForLog(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('Blindspot is running'),
      // On a fresh clone, npm start first compiles every source (prestart; decision 0017).
      150_000,
    );
    const url = String(running.url);
    const postgres = await run.waitForLog((l) => l.msg === 'embedded PostgreSQL is running', 1_000);
    expect(postgres.dataDir).toBe(dataDir);
    expect(
      run.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('Slack is off')),
    ).toBe(true);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const openapi = await jsonOf(await fetch(`${url}/api/openapi.json`));
    expect(openapi.openapi).toBe('3.1.0');
    expect(await processesMentioning(dataDir)).toContain(Number(postgres.pid));

    // npm forwards SIGTERM to the service and then ends by the same signal itself.
    run.child.kill('SIGTERM');
    await Promise.all([run.exited, run.closed]);
    expect(run.lines.some((l) => l.msg === 'embedded PostgreSQL stopped')).toBe(true);
    // Lines of different components may interleave; the clean stop must be among them.
    expect(run.lines.filter((l) => l.msg === 'stopped')).toMatchObject([{ clean: true }]);
    // Our pools closed before PostgreSQL stopped: no session was cut off. A slow query is
    // the machine's load (a CI run with a bench beside it logged a 410 ms `begin`), not a
    // fault of starting or stopping.
    expect(
      run.lines.filter(
        (l) => (l.level === 'warn' || l.level === 'error') && l.msg !== 'slow query',
      ),
    ).toEqual([]);
    expect(await processesMentioning(dataDir)).toEqual([]);
  }, 180_000);
});
