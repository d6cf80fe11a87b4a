import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/config.ts';

function problemsOf(env: Record<string, string>, service: Parameters<typeof loadConfig>[1]) {
  try {
    loadConfig(env, service);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('when nothing is set, the all-in-one service starts on defaults with an embedded database', () => {
    const config = loadConfig({}, 'all-in-one');
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EMBEDDED_POSTGRES_DIR).toBe('.data/postgres');
    expect(config.DB_STATEMENT_TIMEOUT_MS).toBe(5000);
    expect(config.API_DEADLINE_MS).toBe(1500);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('converts numbers and treats empty strings as unset', () => {
    const config = loadConfig(
      { PORT: '8080', DATABASE_URL: '  ', LOG_LEVEL: 'debug' },
      'all-in-one',
    );
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('debug');
  });

  it('lists every problem at once, naming each variable', () => {
    const problems = problemsOf(
      {
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DB_POOL_MAX: '0',
        DATABASE_URL: 'mysql://x',
        SLACK_BOT_TOKEN: 'xoxb-1',
      },
      'api',
    );
    const named = (name: string) => problems.some((p) => p.startsWith(name));
    expect(named('PORT=')).toBe(true);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL'))).toContain('one of fatal, error');
    expect(named('DB_POOL_MAX=')).toBe(true);
    expect(named('DATABASE_URL=')).toBe(true);
    expect(problems).toContain(
      'SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)',
    );
    expect(problems.some((p) => p.startsWith('API_SERVICE_TOKEN is required'))).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('never echoes a secret or a database password in a problem', () => {
    const problems = problemsOf(
      { SLACK_BOT_TOKEN: 'not-a-token-s3cret', DATABASE_URL: 'mysql://u:hunter2@h/db' },
      'all-in-one',
    );
    expect(problems.join('\n')).not.toMatch(/s3cret|hunter2/);
  });

  it('runs the bot in Socket Mode with a bot token and an app token, without a signing secret', () => {
    const socketMode = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      API_URL: 'http://api:3000',
      API_SERVICE_TOKEN: 'x'.repeat(32),
      API_SIGNING_SECRET: 'y'.repeat(32),
    };
    expect(problemsOf(socketMode, 'bot')).toEqual([]);
    expect(problemsOf({ ...socketMode, SLACK_APP_TOKEN: '' }, 'bot')).toContain(
      'SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)',
    );
    expect(problemsOf({ SLACK_SIGNING_SECRET: 's' }, 'all-in-one')).toEqual([
      'SLACK_SIGNING_SECRET also needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Add to Slack)',
    ]);
  });

  it('requires what each deployable service needs', () => {
    expect(problemsOf({}, 'bot')).toEqual([
      'the bot service needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)',
      'API_URL is required for the bot service',
      'API_SERVICE_TOKEN is required for the bot service',
      'API_SIGNING_SECRET is required for the bot service (the bot signs its calls with it)',
    ]);
    expect(problemsOf({}, 'worker')).toEqual(['DATABASE_URL is required for the worker service']);
    expect(problemsOf({}, 'migrate')).toEqual([]);
  });

  it('refuses SMTP_URL without PUBLIC_URL: mailed links are never made from a request', () => {
    const smtp = { SMTP_URL: 'smtp://mail.internal:25' };
    expect(problemsOf(smtp, 'all-in-one')).toEqual([
      'SMTP_URL needs PUBLIC_URL: mailed links are made from it, never from a request',
    ]);
    expect(
      problemsOf({ ...smtp, PUBLIC_URL: 'https://blindspot.example.org' }, 'all-in-one'),
    ).toEqual([]);
  });

  it('limits each client to 600 API requests a minute unless told otherwise; 0 turns it off', () => {
    expect(loadConfig({}, 'all-in-one').API_RATE_LIMIT_PER_MINUTE).toBe(600);
    expect(
      loadConfig({ API_RATE_LIMIT_PER_MINUTE: '0' }, 'all-in-one').API_RATE_LIMIT_PER_MINUTE,
    ).toBe(0);
    expect(problemsOf({ API_RATE_LIMIT_PER_MINUTE: '-1' }, 'all-in-one')).toEqual([
      'API_RATE_LIMIT_PER_MINUTE=-1 is invalid: expected an integer from 0 to 1000000',
    ]);
    expect(problemsOf({ API_RATE_LIMIT_PER_MINUTE: 'lots' }, 'all-in-one')).toHaveLength(1);
  });

  describe('secrets from files (X_FILE, as Docker secrets arrive)', () => {
    let dir: string;
    const secretFile = async (name: string, content: string) => {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    };
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'blindspot-config-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads each secret’s trimmed value from the file its _FILE variable names', async () => {
      const env = {
        SLACK_BOT_TOKEN_FILE: await secretFile('bot', 'xoxb-from-file\n'),
        SLACK_SIGNING_SECRET_FILE: await secretFile('signing', '  signing-from-file  '),
        SLACK_APP_TOKEN_FILE: await secretFile('app', 'xapp-from-file'),
        API_SERVICE_TOKEN_FILE: await secretFile('service', `${'s'.repeat(32)}\n`),
        API_SIGNING_SECRET_FILE: await secretFile('signature', `${'k'.repeat(32)}\n`),
        ADMIN_API_KEY_FILE: await secretFile('admin', `${'a'.repeat(32)}\n`),
        DATABASE_URL_FILE: await secretFile('db', 'postgres://app:pw@db:5432/blindspot\n'),
      };
      const config = loadConfig(env, 'api');
      expect(config).toMatchObject({
        SLACK_BOT_TOKEN: 'xoxb-from-file',
        SLACK_SIGNING_SECRET: 'signing-from-file',
        SLACK_APP_TOKEN: 'xapp-from-file',
        API_SERVICE_TOKEN: 's'.repeat(32),
        API_SIGNING_SECRET: 'k'.repeat(32),
        ADMIN_API_KEY: 'a'.repeat(32),
        DATABASE_URL: 'postgres://app:pw@db:5432/blindspot',
      });
      // A file's value is validated like the variable's, and stays hidden in problems.
      const shortToken = await secretFile('short', 'short-s3cret');
      const problems = problemsOf({ API_SERVICE_TOKEN_FILE: shortToken }, 'all-in-one');
      expect(problems).toEqual([
        'API_SERVICE_TOKEN="(hidden)" is invalid: expected at least 32 characters',
      ]);
    });

    it('treats an empty file as unset, like an empty variable', async () => {
      const config = loadConfig(
        { SLACK_APP_TOKEN_FILE: await secretFile('empty', '\n') },
        'all-in-one',
      );
      expect(config.SLACK_APP_TOKEN).toBeUndefined();
    });

    it('lists both set, and an unreadable file, with the other problems', async () => {
      const unreadable = path.join(dir, 'missing');
      const locked = await secretFile('locked', 'xoxb-locked');
      await chmod(locked, 0o000);
      const problems = problemsOf(
        {
          ADMIN_API_KEY: 'k'.repeat(32),
          ADMIN_API_KEY_FILE: await secretFile('both', 'k'.repeat(32)),
          DATABASE_URL_FILE: unreadable,
          // Root reads any file whatever its mode, so a directory stands in for one it cannot.
          SLACK_BOT_TOKEN_FILE: process.getuid?.() === 0 ? dir : locked,
          PORT: 'eighty',
        },
        'worker',
      );
      expect(problems).toEqual(
        expect.arrayContaining([
          'ADMIN_API_KEY and ADMIN_API_KEY_FILE are both set: set one of them',
          `DATABASE_URL_FILE="${unreadable}" cannot be read (ENOENT)`,
          expect.stringMatching(/^SLACK_BOT_TOKEN_FILE=".+" cannot be read \((EACCES|EISDIR)\)$/),
          expect.stringMatching(/^PORT=/),
          'DATABASE_URL is required for the worker service',
        ]),
      );
    });
  });

  it('in many-workspace mode refuses to start without a valid encryption key, naming the variable', () => {
    const oauth = {
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
    };
    expect(problemsOf(oauth, 'all-in-one')).toEqual([
      'BLINDSPOT_ENCRYPTION_KEYS is required to install into many workspaces (Slack tokens are encrypted at rest); deploy/init-env generates one',
    ]);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(problemsOf({ ...oauth, BLINDSPOT_ENCRYPTION_KEYS: `k1:${key}` }, 'all-in-one')).toEqual(
      [],
    );
    const wrong = problemsOf(
      { ...oauth, BLINDSPOT_ENCRYPTION_KEYS: `k1:${key.slice(4)},k1:${key},:x` },
      'all-in-one',
    );
    expect(wrong).toEqual([
      'BLINDSPOT_ENCRYPTION_KEYS entry 1 (k1) must be 32 random bytes in base64',
      'BLINDSPOT_ENCRYPTION_KEYS entry 3 needs the form id:base64key, with an id of letters, digits, - or _',
    ]);
    expect(wrong.join(' ')).not.toContain(key.slice(4, 20));
    // The bot never holds the keys: the API opens the tokens for it.
    expect(problemsOf(oauth, 'bot')).not.toContainEqual(
      expect.stringContaining('BLINDSPOT_ENCRYPTION_KEYS'),
    );
  });

  it('describes itself for logs with secrets replaced by their presence', () => {
    const config = loadConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-very-secret',
        SLACK_SIGNING_SECRET: 'shh-secret',
        DATABASE_URL: 'postgres://blindspot:pa55word@db:5432/blindspot',
      },
      'all-in-one',
    );
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toMatch(/very-secret|shh-secret|pa55word/);
    expect(described).toContain('"SLACK_BOT_TOKEN":"(set)"');
    expect(described).toContain('postgres://blindspot:***@db:5432/blindspot');
  });
});
