/**
 * `npm run keys:rotate`: every sealed Slack token moves to the newest key, the tokens unchanged;
 * a second run has nothing to do; a key missing from the list stops it with the variable named.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchInstallation, saveInstallation } from '../../src/core/installations/service.ts';
import { createKeyring, generateKeyEntry } from '../../src/core/secrets/keyring.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/keys-rotate.ts', import.meta.url));
const run = promisify(execFile);
const OLD = generateKeyEntry('old');
const NEW = generateKeyEntry('new');
const TEAMS = ['T0ROTA', 'T0ROTB', 'T0ROTC'];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const old = createKeyring(OLD);
  for (const teamId of TEAMS) {
    await saveInstallation(
      database.db,
      old,
      {
        teamId,
        enterpriseId: null,
        isEnterpriseInstall: false,
        appId: null,
        botUserId: null,
        botId: null,
        botScopes: ['chat:write'],
        botToken: `xoxb-${teamId}-secret`,
        botRefreshToken: teamId === 'T0ROTA' ? `xoxe-1-${teamId}` : null,
        botTokenExpiresAt: null,
        installerUserId: null,
      },
      new Date(),
    );
  }
});

afterAll(async () => {
  await database?.drop();
});

async function keysRotate(keys: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        BLINDSPOT_ENCRYPTION_KEYS: keys,
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

const keyIds = async () =>
  (
    await database.pool.query(
      `SELECT split_part(bot_token_sealed, '.', 2) AS token,
              split_part(bot_refresh_token_sealed, '.', 2) AS refresh
         FROM slack_installations ORDER BY id`,
    )
  ).rows;

describe('npm run keys:rotate', () => {
  it('stops with the variable named when a key the rows need is missing', async () => {
    const missing = await keysRotate(NEW);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('BLINDSPOT_ENCRYPTION_KEYS does not list');
  });

  it('reseals every token under the newest key, then finds nothing more to do', async () => {
    const first = await keysRotate(`${NEW},${OLD}`);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('Resealed 3 installation(s) under key "new"');
    expect(await keyIds()).toEqual([
      { token: 'new', refresh: 'new' },
      { token: 'new', refresh: null },
      { token: 'new', refresh: null },
    ]);
    // The old key can go: the new one alone opens every token, unchanged.
    const newOnly = createKeyring(NEW);
    for (const teamId of TEAMS) {
      const installation = await fetchInstallation(
        database.db,
        newOnly,
        { teamId, enterpriseId: null, isEnterpriseInstall: false },
        new Date(),
      );
      expect(installation.botToken).toBe(`xoxb-${teamId}-secret`);
    }
    const second = await keysRotate(`${NEW},${OLD}`);
    expect(second.stdout).toContain('Resealed 0 installation(s)');
  });
});
