/**
 * `npm run admin:create`: creates an account from the shell (an owner when it is the first)
 * and prints a one-time link to set its password; never takes a password.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/admin-create.ts', import.meta.url));
const run = promisify(execFile);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

async function adminCreate(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        PUBLIC_URL: 'https://blindspot.example.org',
        LOG_LEVEL: 'warn',
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run admin:create', () => {
  it('makes the first account an owner, and prints a link instead of taking a password', async () => {
    const first = await adminCreate(
      '--email',
      'ada@example.com',
      '--name',
      'Ada Lovelace',
      '--role',
      'viewer',
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Created owner account ada@example.com.');
    expect(first.stdout).toMatch(
      /https:\/\/blindspot\.example\.org\/admin\/invite\?token=[A-Za-z0-9_-]{43}\n/,
    );

    const second = await adminCreate(
      '--email',
      'ed@example.com',
      '--name',
      'Ed',
      '--role',
      'editor',
    );
    expect(second.stdout).toContain('Created editor account ed@example.com.');
    const accounts = await database.db
      .selectFrom('admin_accounts')
      .select(['email', 'role', 'status', 'password_hash'])
      .orderBy('id')
      .execute();
    expect(accounts).toEqual([
      { email: 'ada@example.com', role: 'owner', status: 'invited', password_hash: null },
      { email: 'ed@example.com', role: 'editor', status: 'invited', password_hash: null },
    ]);
  });

  it('refuses a taken address, a missing name and an unknown role or option', async () => {
    await adminCreate('--email', 'taken@example.com', '--name', 'Tak');
    const taken = await adminCreate('--email', 'TAKEN@example.com', '--name', 'Tak');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already has this email');
    for (const args of [
      ['--email', 'x@example.com'],
      ['--email', 'x@example.com', '--name', 'X', '--role', 'god'],
      ['--email', 'x@example.com', '--name', 'X', '--password', 'hunter2'],
    ]) {
      const refused = await adminCreate(...args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toContain('usage: npm run admin:create');
    }
  });
});
