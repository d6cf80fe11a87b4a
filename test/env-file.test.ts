/**
 * Issue 17, item 8: `npm start` reads a `.env` file when there is one, as the Slack set-up guide
 * tells people to write their settings there. The service starts in a directory that holds the
 * project (linked) and a `.env`, with nothing set in its environment, and uses what `.env` says.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const root = path.resolve(import.meta.dirname, '..');
let child: ChildProcess | undefined;
let dir: string | undefined;
let database: TestDatabase | undefined;

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
  await database?.drop();
});

/** Env keys the service reads, so that only `.env` can set them. */
const CONFIG_KEYS = /^(DATABASE_URL|SANDBOX|SLACK_|PORT|LOG_LEVEL|API_|ADMIN_)/;

describe('npm start with a .env file', () => {
  it('applies the settings in .env: it migrates and serves the database .env names, with no embedded PostgreSQL', async () => {
    database = await createTestDatabase({ migrated: false });
    dir = await mkdtemp(path.join(tmpdir(), 'blindspot-env-'));
    // The project as a newcomer has it, with their .env beside package.json. npm start compiles
    // src into this folder's own dist/ first (decision 0017): copies, so that it never writes
    // into the checkout's dist/ while another test's npm start runs from it.
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json'])
      await copyFile(path.join(root, file), path.join(dir, file));
    await cp(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
    for (const entry of ['node_modules', 'db', 'data', 'web'])
      await symlink(path.join(root, entry), path.join(dir, entry));
    await writeFile(
      path.join(dir, '.env'),
      `# written by test/env-file.test.ts\nDATABASE_URL=${database.url}\nSANDBOX=off\nPORT=0\n`,
    );

    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !CONFIG_KEYS.test(key)),
    );
    child = spawn('npm', ['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const lines: Record<string, unknown>[] = [];
    const running = new Promise<Record<string, unknown>>((resolve, reject) => {
      createInterface({ input: child?.stdout as NodeJS.ReadableStream }).on('line', (text) => {
        if (!text.startsWith('{')) return;
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (String(line.msg).startsWith('Blindspot is running')) resolve(line);
      });
      child?.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${stderr}`)));
    });
    const line = await running;

    expect((await fetch(`${String(line.url)}/readyz`)).status).toBe(200);
    expect(lines.some((l) => String(l.msg).startsWith('embedded PostgreSQL'))).toBe(false);
    // The database named in .env is the one migrated and served.
    const tables = await database.pool.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'action_items'",
    );
    expect(tables.rowCount).toBe(1);

    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
    // The first start of a fresh copy compiles every source, which takes CI half a minute or more.
  }, 180_000);
});
