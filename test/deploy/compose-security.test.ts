/**
 * compose.yaml's security, checked without a Docker engine: secrets come from .env, the app's as
 * Docker secrets read through `X_FILE`; each service connects to PostgreSQL as its own
 * least-privileged role on an internal network; the containers run read-only, without
 * capabilities or new privileges. docs/operations/security.md explains each.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { APP, compose, names, ONE_SHOT, ROOT, services, variables } from './compose-file.ts';

const run = promisify(execFile);

describe('compose.yaml’s secrets and privileges', () => {
  it('takes every secret from .env, and stops with a message when a required one is missing', () => {
    const secretKey = /PASSWORD|TOKEN|SECRET|_KEY$|DATABASE_URL|DATA_SOURCE_NAME|WEBHOOK/;
    for (const [name, service] of Object.entries(services)) {
      if ([...APP, ...ONE_SHOT].includes(name)) continue;
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secretKey.test(key)) continue;
        expect(String(value), `${name}.${key}`).toMatch(/\$\{[A-Z0-9_]+(:[-?][^}]*)?\}/);
      }
    }
    const required = variables.filter((v) => v.operator === ':?');
    for (const name of [
      'DOMAIN',
      'POSTGRES_PASSWORD',
      'BLINDSPOT_OWNER_DB_PASSWORD',
      'BLINDSPOT_APP_DB_PASSWORD',
      'BLINDSPOT_WORKER_DB_PASSWORD',
      'BLINDSPOT_MONITOR_DB_PASSWORD',
      'GRAFANA_ADMIN_PASSWORD',
    ]) {
      const uses = required.filter((v) => v.name === name);
      expect(uses.length, name).toBeGreaterThan(0);
      for (const use of uses) expect(use.rest.trim(), `${name} has a message`).not.toBe('');
    }
  });

  it('gives the app its secrets as Docker secrets named by *_FILE, never as plain environment', () => {
    const fileSecrets: Record<string, string[]> = {
      api: [
        'DATABASE_URL',
        'API_SERVICE_TOKEN',
        'API_SIGNING_SECRET',
        'ADMIN_API_KEY',
        'BLINDSPOT_ENCRYPTION_KEYS',
      ],
      bot: [
        'API_SERVICE_TOKEN',
        'API_SIGNING_SECRET',
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'SLACK_APP_TOKEN',
        'SLACK_CLIENT_SECRET',
      ],
      worker: ['DATABASE_URL'],
      migrate: ['DATABASE_URL'],
    };
    for (const [name, keys] of Object.entries(fileSecrets)) {
      const service = services[name] ?? {};
      const environment = service.environment ?? {};
      const mounted = keys.map((key) => {
        expect(environment[key], `${name}.${key} in plain environment`).toBeUndefined();
        const file = environment[`${key}_FILE`] ?? '';
        expect(file, `${name}.${key}_FILE`).toMatch(/^\/run\/secrets\/[a-z_]+$/);
        return path.basename(file);
      });
      // Exactly the secrets it reads: none of another service's.
      expect([...(service.secrets ?? [])].sort(), name).toEqual([...new Set(mounted)].sort());
      for (const secret of mounted) {
        expect(compose.secrets?.[secret]?.file, secret).toBe(`./deploy/secrets/${secret}`);
      }
    }
    // No other variable of the app services looks like a secret.
    const secretKey = /PASSWORD|TOKEN|SECRET|_KEY$|DATABASE_URL$/;
    for (const name of [...APP, ...ONE_SHOT]) {
      for (const [key, value] of Object.entries(services[name]?.environment ?? {})) {
        if (key.endsWith('_FILE')) expect(value, `${name}.${key}`).toMatch(/^\/run\/secrets\//);
        else expect(secretKey.test(key), `${name}.${key}`).toBe(false);
      }
    }
    // Every secret compose declares is one deploy/init-env writes.
    const initEnv = readFileSync(path.join(ROOT, 'deploy/init-env'), 'utf8');
    for (const secret of Object.keys(compose.secrets ?? {})) {
      const upper = secret.toUpperCase();
      expect(initEnv.includes(`write_secret ${secret} `) || initEnv.includes(upper), secret).toBe(
        true,
      );
    }
  });

  it('runs the app and the gateway read-only, without capabilities or new privileges', () => {
    for (const name of [...APP, ...ONE_SHOT, 'caddy']) {
      const service = services[name] ?? {};
      expect(service.read_only, `${name} read_only`).toBe(true);
      expect(service.tmpfs, `${name} tmpfs`).toContain('/tmp');
      expect(service.cap_drop, `${name} cap_drop`).toEqual(['ALL']);
    }
    for (const name of [...APP, ...ONE_SHOT]) {
      expect(services[name]?.cap_add, name).toBeUndefined();
    }
    // Caddy binds 80 and 443 inside its container, and writes only its two volumes.
    expect(services.caddy?.cap_add).toEqual(['NET_BIND_SERVICE']);
    expect(services.caddy?.volumes?.filter((v) => !v.endsWith(':ro')).sort()).toEqual([
      'caddy_config:/config',
      'caddy_data:/data',
    ]);
    for (const [name, service] of Object.entries(services)) {
      expect(service.security_opt, `${name} security_opt`).toContain('no-new-privileges:true');
    }
  });

  it('connects each service to PostgreSQL as its own role, never as the superuser', async () => {
    const roleOf = (url: string | undefined) =>
      /^postgres(?:ql)?:\/\/([^:@]+)/.exec(url ?? '')?.[1];
    // The app's URLs are Docker secrets that deploy/init-env writes from .env.
    const dir = await mkdtemp(path.join(tmpdir(), 'blindspot-compose-secrets-'));
    try {
      const secretsDir = path.join(dir, 'secrets');
      await run(
        path.join(ROOT, 'deploy/init-env'),
        ['--domain', 'blindspot.example.com', '--env-file', path.join(dir, '.env')].concat([
          '--secrets-dir',
          secretsDir,
        ]),
        { cwd: ROOT },
      );
      const urlOf = async (name: string) => {
        const variable = services[name]?.environment?.DATABASE_URL_FILE ?? '';
        return readFile(path.join(secretsDir, path.basename(variable)), 'utf8');
      };
      expect(roleOf(await urlOf('migrate'))).toBe('blindspot_owner');
      expect(roleOf(await urlOf('api'))).toBe('blindspot_app');
      expect(roleOf(await urlOf('worker'))).toBe('blindspot_worker');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(roleOf(services['postgres-exporter']?.environment?.DATA_SOURCE_NAME)).toBe(
      'blindspot_monitor',
    );
    expect(services.bot?.environment?.DATABASE_URL).toBeUndefined();
    expect(services.bot?.environment?.DATABASE_URL_FILE).toBeUndefined();
    // The init script that creates those roles is mounted where the postgres image runs it.
    expect(services.postgres?.volumes).toContain(
      './config/postgres/init:/docker-entrypoint-initdb.d:ro',
    );
  });

  it('keeps PostgreSQL on an internal network that the bot and the gateway are not on', () => {
    expect(compose.networks?.database?.internal).toBe(true);
    expect(services.postgres?.networks).toEqual(['database']);
    const onDatabase = names.filter((name) => services[name]?.networks?.includes('database'));
    expect(onDatabase.sort()).toEqual([
      'api',
      'migrate',
      'postgres',
      'postgres-exporter',
      'worker',
    ]);
  });
});
