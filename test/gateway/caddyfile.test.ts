/**
 * The Caddyfile itself (config/gateway/Caddyfile): it validates as production runs it, and is
 * formatted as caddy fmt writes it. Needs Debian's caddy (2.6), else the file is skipped, except
 * in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caddyfile, skip } from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddyfile itself', () => {
  const caddyEnv = async (extra: Record<string, string>) => {
    const home = await mkdtemp(path.join(tmpdir(), 'blindspot-caddy-'));
    return {
      home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_CONFIG_HOME: path.join(home, 'config'),
        ...extra,
      },
    };
  };

  it('validates as production runs it: HTTPS for DOMAIN, replicas from DNS', async () => {
    const { home, env } = await caddyEnv({ DOMAIN: 'blindspot.example.com' });
    try {
      const validated = spawnSync(
        'caddy',
        ['validate', '--config', caddyfile, '--adapter', 'caddyfile'],
        { env, encoding: 'utf8' },
      );
      expect(validated.status, validated.stderr).toBe(0);
      const adapted = spawnSync(
        'caddy',
        ['adapt', '--config', caddyfile, '--adapter', 'caddyfile'],
        {
          env,
          encoding: 'utf8',
        },
      );
      expect(adapted.status, adapted.stderr).toBe(0);
      const config = JSON.parse(adapted.stdout) as {
        admin: { listen: string };
        apps: { http: { servers: Record<string, { listen: string[] } & Record<string, unknown>> } };
      };
      expect(config.admin.listen).toBe('localhost:2019');
      const servers = Object.values(config.apps.http.servers);
      const listeners = servers.flatMap((s) => s.listen);
      expect(listeners.sort()).toEqual(['0.0.0.0:443', '0.0.0.0:9180']);
      // Slow clients are cut off on every listener (Caddy's JSON durations are nanoseconds).
      const SECOND_NS = 1e9;
      for (const server of servers) {
        expect(server).toMatchObject({
          read_header_timeout: 10 * SECOND_NS,
          read_timeout: 30 * SECOND_NS,
          idle_timeout: 120 * SECOND_NS,
        });
      }
      expect(adapted.stdout).toContain('"dynamic_upstreams":{"name":"api","port":"3000"');
      expect(adapted.stdout).toContain('"dynamic_upstreams":{"name":"bot","port":"3000"');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('is formatted as caddy fmt writes it', async () => {
    const formatted = spawnSync('caddy', ['fmt', caddyfile], { encoding: 'utf8' });
    expect(formatted.status, formatted.stderr).toBe(0);
    expect(formatted.stdout).toBe(await readFile(caddyfile, 'utf8'));
  });
});
