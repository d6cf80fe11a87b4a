/**
 * compose.yaml, checked without a Docker engine: valid against the Compose specification's
 * schema, accepted by `docker-compose config` where that is installed, and holding the rules of
 * a one-droplet deployment: only the gateway is published, every service restarts and has a
 * memory limit, the limits fit a 2 GB droplet, the app waits for its migrations.
 * compose-security.test.ts checks its secrets, database roles and container privileges.
 * The Alertmanager configuration it mounts is checked with amtool where that is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
// A dependency of fastify and of the OpenAPI validator, not a direct one; like `yaml` below.
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  APP,
  COMPOSE_FILE,
  COMPOSE_TEXT,
  commandOf,
  compose,
  DROPLET_BUDGET_MIB,
  MONITORING,
  names,
  ONE_SHOT,
  ROOT,
  type Service,
  services,
  variables,
} from './compose-file.ts';

const run = promisify(execFile);

/** A dummy .env: a value for every variable the file requires. */
function dummyEnv(): string {
  const required = new Set(variables.filter((v) => v.operator === ':?').map((v) => v.name));
  return [...required]
    .map((name) => `${name}=dummy-${name.toLowerCase()}-0123456789abcdef0123`)
    .join('\n');
}

function mebibytes(size: string | undefined): number {
  const match = /^(\d+)([kmg]?)b?$/i.exec(size ?? '');
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  return unit === 'g'
    ? value * 1024
    : unit === 'm'
      ? value
      : unit === 'k'
        ? value / 1024
        : value / 1024 / 1024;
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

/** The schema without its `id: "<string>"` annotations (a property named id is an object). */
function withoutDraft4Ids(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDraft4Ids);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !(key === 'id' && typeof inner === 'string'))
      .map(([key, inner]) => [key, withoutDraft4Ids(inner)]),
  );
}

function whichSync(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, command)));
}

describe('compose.yaml', () => {
  it('is valid against the Compose specification schema', () => {
    // Its $schema names draft 2019-09 by an old URL that Ajv does not know (Ajv2019 is that
    // draft), and it labels subschemas with draft-04 `id`s, which Ajv 8 refuses: both are
    // annotations, and dropping them changes nothing that is validated.
    const { $schema: _draft, ...schema } = withoutDraft4Ids(
      JSON.parse(readFileSync(path.join(import.meta.dirname, 'compose-spec/schema.json'), 'utf8')),
    ) as Record<string, unknown>;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it.skipIf(!whichSync('docker-compose') && !process.env.CI)(
    'is accepted by docker-compose config, monitoring profile included',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'blindspot-compose-'));
      try {
        const envFile = path.join(dir, 'compose.env');
        await writeFile(envFile, dummyEnv());
        const { stderr } = await run(
          'docker-compose',
          ['--env-file', envFile, '-f', COMPOSE_FILE, '--profile', 'monitoring', 'config', '-q'],
          { cwd: ROOT },
        );
        expect(stderr).not.toMatch(/error|invalid/i);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );

  it('runs the services of a one-droplet deployment, monitoring behind its profile', () => {
    expect(names.sort()).toEqual([...APP, ...ONE_SHOT, 'caddy', 'postgres', ...MONITORING].sort());
    for (const name of MONITORING) expect(services[name]?.profiles, name).toEqual(['monitoring']);
    for (const name of [...APP, ...ONE_SHOT, 'caddy', 'postgres']) {
      expect(services[name]?.profiles, name).toBeUndefined();
    }
    expect(COMPOSE_TEXT).not.toMatch(/^version:/m);
  });

  it('publishes only the gateway to the world; monitoring UIs on 127.0.0.1 for a tunnel', () => {
    expect(services.caddy?.ports?.sort()).toEqual(['443:443', '443:443/udp', '80:80']);
    for (const [name, service] of Object.entries(services)) {
      if (name === 'caddy') continue;
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    for (const name of [...APP, 'postgres', 'migrate'])
      expect(services[name]?.ports, name).toBeUndefined();
  });

  it('builds api, bot, worker and migrate from one image, each choosing its entry point', () => {
    const images = new Set([...APP, ...ONE_SHOT].map((name) => services[name]?.image));
    expect(images.size).toBe(1);
    for (const name of [...APP, ...ONE_SHOT]) {
      expect(services[name]?.build, name).toBeDefined();
      expect(commandOf(services[name] ?? {}), name).toBe(`node dist/entrypoints/${name}.js`);
    }
  });

  it('lets api, bot and worker scale: no fixed container names or host ports, an init for signals', () => {
    for (const name of APP) {
      const service = services[name] ?? {};
      expect(service.container_name, name).toBeUndefined();
      expect(service.ports, name).toBeUndefined();
      expect(service.init, name).toBe(true);
    }
    for (const [name, service] of Object.entries(services)) {
      expect(service.container_name, name).toBeUndefined();
    }
  });

  it('restarts every long-running service, and never the one-shot migrate', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.restart, name).toBe(ONE_SHOT.includes(name) ? 'no' : 'unless-stopped');
    }
  });

  it('health-checks the app services against /healthz, and PostgreSQL with pg_isready', () => {
    for (const name of APP) {
      const test = services[name]?.healthcheck?.test;
      expect(Array.isArray(test) ? test.join(' ') : test, name).toMatch(/\/healthz/);
    }
    expect(String(services.postgres?.healthcheck?.test)).toMatch(/pg_isready/);
    expect(services.migrate?.healthcheck?.disable).toBe(true);
  });

  it('starts api and worker only after PostgreSQL is healthy and migrate has succeeded', () => {
    for (const name of ['api', 'worker']) {
      expect(dependsOn(services[name] ?? {}), name).toMatchObject({
        postgres: 'service_healthy',
        migrate: 'service_completed_successfully',
      });
    }
    expect(dependsOn(services.migrate ?? {})).toEqual({ postgres: 'service_healthy' });
    expect(dependsOn(services.bot ?? {})).toEqual({ api: 'service_healthy' });
  });

  it('gives every service a memory limit, and the limits fit a 2 GB droplet', () => {
    const limits = Object.fromEntries(
      Object.entries(services).map(([name, service]) => [
        name,
        mebibytes(service.deploy?.resources?.limits?.memory),
      ]),
    );
    for (const [name, limit] of Object.entries(limits)) {
      expect(limit, `${name} memory limit`).toBeGreaterThan(0);
    }
    const longRunning = Object.entries(limits)
      .filter(([name]) => !ONE_SHOT.includes(name))
      .reduce((sum, [, limit]) => sum + limit, 0);
    expect(longRunning).toBeLessThanOrEqual(DROPLET_BUDGET_MIB);
    // The arithmetic in the file's header comment is the arithmetic of the limits.
    expect(COMPOSE_TEXT).toContain(`${longRunning.toLocaleString('en')}  (1.75 GiB)`);
    for (const [name, limit] of Object.entries(limits)) {
      expect(COMPOSE_TEXT, `${name} in the header comment`).toMatch(
        new RegExp(`#.*\\b${name} ${limit}\\b`),
      );
    }
  });

  it('caps the Node heap, old space and semi-spaces, below each Node service’s memory limit', () => {
    for (const name of [...APP, ...ONE_SHOT]) {
      const service = services[name] ?? {};
      const option = (flag: string) =>
        Number(new RegExp(`--${flag}=(\\d+)`).exec(service.environment?.NODE_OPTIONS ?? '')?.[1]);
      const oldSpace = option('max-old-space-size');
      const semiSpace = option('max-semi-space-size');
      expect(oldSpace, name).toBeGreaterThan(0);
      expect(semiSpace, name).toBeGreaterThan(0);
      // V8's heap limit is the old space plus three semi-spaces (with only the old space capped
      // at 128, Node 24 allows 320 MB: its semi-spaces grow to 64 MB).
      const heap = oldSpace + 3 * semiSpace;
      // Node needs about 100 MB besides the heap (code, buffers): measured 130-185 MB idle.
      expect(heap + 96, name).toBeLessThanOrEqual(
        mebibytes(service.deploy?.resources?.limits?.memory),
      );
    }
  });

  it('rotates every service’s Docker log files', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.logging?.driver, name).toBe('json-file');
      expect(service.logging?.options?.['max-size'], name).toBeTruthy();
    }
  });

  it('mounts only files and folders that exist in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('.')) continue;
        expect(existsSync(path.resolve(ROOT, source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  it('documents every variable it reads in docs/operations/deploy.md', () => {
    const deployDoc = readFileSync(path.join(ROOT, 'docs/operations/deploy.md'), 'utf8');
    for (const name of new Set(variables.map((v) => v.name))) {
      expect(deployDoc, name).toContain(`\`${name}\``);
    }
  });

  it('names every service that Prometheus scrapes', () => {
    const prometheus = parseYaml(
      readFileSync(path.join(ROOT, 'config/prometheus/prometheus.yml'), 'utf8'),
    ) as {
      scrape_configs: {
        job_name: string;
        static_configs?: { targets: string[] }[];
        dns_sd_configs?: { names: string[] }[];
      }[];
    };
    const hosts = prometheus.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((config) => config.targets.map((t) => t.split(':')[0])),
      ...(job.dns_sd_configs ?? []).flatMap((config) => config.names),
    ]);
    for (const host of hosts.filter((h) => h !== 'localhost')) {
      expect(names, `Prometheus target ${host}`).toContain(host);
    }
  });
});

describe('the Alertmanager configuration', () => {
  it('routes every alert to a Slack receiver whose URL is read from a file, not written here', async () => {
    const config = parseYaml(
      await readFile(path.join(ROOT, 'config/alertmanager/alertmanager.yml'), 'utf8'),
    ) as {
      global: Record<string, string>;
      route: { receiver: string; routes?: { receiver: string }[] };
      receivers: { name: string; slack_configs?: unknown[] }[];
    };
    expect(config.global.slack_api_url_file).toBe('/run/alertmanager/slack-webhook-url');
    expect(JSON.stringify(config)).not.toMatch(/hooks\.slack\.com/);
    const routed = [config.route.receiver, ...(config.route.routes ?? []).map((r) => r.receiver)];
    for (const name of routed) {
      const receiver = config.receivers.find((r) => r.name === name);
      expect(receiver?.slack_configs?.length, name).toBeGreaterThan(0);
    }
    // The compose service writes that file from .env before it starts Alertmanager.
    const command = commandOf(services.alertmanager ?? {});
    expect(command).toContain('/run/alertmanager/slack-webhook-url');
    expect(command).toContain('$$ALERTMANAGER_SLACK_WEBHOOK_URL');
  });

  it.skipIf(!whichSync('amtool') && !process.env.CI)(
    'passes amtool check-config, templates included',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'blindspot-alertmanager-'));
      try {
        // The templates' path inside the container, pointed at the repository's copy.
        const config = (
          await readFile(path.join(ROOT, 'config/alertmanager/alertmanager.yml'), 'utf8')
        ).replace(
          '/etc/alertmanager/templates/',
          `${path.join(ROOT, 'config/alertmanager/templates')}/`,
        );
        await writeFile(path.join(dir, 'alertmanager.yml'), config);
        const { stdout } = await run('amtool', [
          'check-config',
          path.join(dir, 'alertmanager.yml'),
        ]);
        expect(stdout).toContain('SUCCESS');
        expect(stdout).toMatch(/1 templates/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
