/**
 * The droplet's first boot, as far as it runs without a droplet: deploy/init-env writes a .env
 * that compose accepts, without touching values already set; the cloud-init file and the shell
 * scripts pass their checkers (cloud-init, shellcheck) where those are installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const INIT_ENV = path.join(ROOT, 'deploy/init-env');
const SCRIPTS = [
  'deploy/droplet-setup',
  'deploy/init-env',
  'config/postgres/init/10-blindspot-roles.sh',
];

function installed(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, command)));
}

async function run(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function valuesOf(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const requiredByCompose = [
  ...new Set(
    [...readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map(
      ([, name]) => name ?? '',
    ),
  ),
];

describe('deploy/init-env', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'blindspot-init-env-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a .env from .env.example with every value compose requires, secrets generated', async () => {
    const envFile = path.join(dir, 'first.env');
    const result = await run(INIT_ENV, [
      '--domain',
      'blindspot.example.com',
      '--env-file',
      envFile,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const values = valuesOf(await readFile(envFile, 'utf8'));
    expect(values.DOMAIN).toBe('blindspot.example.com');
    for (const name of requiredByCompose) expect(values[name], name).toBeTruthy();
    // Hex, so they are safe inside postgres:// URLs, and long enough for the config's minimum.
    for (const name of ['POSTGRES_PASSWORD', 'BLINDSPOT_APP_DB_PASSWORD', 'API_SERVICE_TOKEN']) {
      expect(values[name], name).toMatch(/^[0-9a-f]{32,}$/);
    }
    expect(new Set(requiredByCompose.map((name) => values[name])).size).toBe(
      requiredByCompose.length,
    );
    // What only Slack can give is left for the operator, and named.
    expect(result.stdout).toMatch(/SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET/);
  });

  it('changes nothing already set when it runs again', async () => {
    const envFile = path.join(dir, 'again.env');
    await writeFile(envFile, 'DOMAIN=kept.example.com\nPOSTGRES_PASSWORD=kept\n');
    const first = await run(INIT_ENV, ['--env-file', envFile]);
    expect(first.code, first.stderr).toBe(0);
    const afterFirst = await readFile(envFile, 'utf8');
    expect(valuesOf(afterFirst)).toMatchObject({
      DOMAIN: 'kept.example.com',
      POSTGRES_PASSWORD: 'kept',
    });
    await run(INIT_ENV, ['--domain', 'other.example.com', '--env-file', envFile]);
    expect(await readFile(envFile, 'utf8')).toBe(afterFirst);
  });

  it('refuses to run without a domain, or with one that is not a host name', async () => {
    expect((await run(INIT_ENV, ['--env-file', path.join(dir, 'none.env')])).code).toBe(2);
    const bad = await run(INIT_ENV, ['--domain', 'x/y', '--env-file', path.join(dir, 'bad.env')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('host name');
  });

  it.skipIf(!installed('docker-compose') && !process.env.CI)(
    'writes a .env that docker-compose accepts, monitoring profile included',
    async () => {
      const envFile = path.join(dir, 'compose.env');
      await run(INIT_ENV, ['--domain', 'blindspot.example.com', '--env-file', envFile]);
      const result = await run('docker-compose', [
        '--env-file',
        envFile,
        '-f',
        path.join(ROOT, 'compose.yaml'),
        '--profile',
        'monitoring',
        'config',
        '-q',
      ]);
      expect(result.code, result.stderr).toBe(0);
    },
    30_000,
  );
});

describe('first boot', () => {
  it('clones the release and runs droplet-setup from cloud-init, with a valid script', async () => {
    const config = parseYaml(await readFile(path.join(ROOT, 'deploy/cloud-init.yaml'), 'utf8')) as {
      runcmd: string[][];
      write_files: { path: string; content: string }[];
    };
    const script = config.runcmd.flat().at(-1) ?? '';
    expect(script).toContain('git clone --branch "$BLINDSPOT_RELEASE"');
    expect(script).toContain('/opt/blindspot/deploy/droplet-setup --domain "$BLINDSPOT_DOMAIN"');
    const syntax = await run('bash', ['-n', '-c', script]);
    expect(syntax.code, syntax.stderr).toBe(0);
    const release = config.write_files.find((file) => file.path === '/etc/blindspot/release.env');
    for (const name of ['BLINDSPOT_REPO', 'BLINDSPOT_RELEASE', 'BLINDSPOT_DOMAIN']) {
      expect(release?.content, name).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });

  it.skipIf(!installed('cloud-init') && !process.env.CI)('passes cloud-init schema', async () => {
    const result = await run('cloud-init', [
      'schema',
      '--config-file',
      path.join(ROOT, 'deploy/cloud-init.yaml'),
    ]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });

  it('has executable, syntactically valid shell scripts', async () => {
    for (const script of SCRIPTS) {
      const result = await run('bash', ['-n', path.join(ROOT, script)]);
      expect(result.code, `${script}: ${result.stderr}`).toBe(0);
      const { mode } = statSync(path.join(ROOT, script));
      expect(mode & 0o111, `${script} is executable`).not.toBe(0);
    }
  });

  it.skipIf(!installed('shellcheck') && !process.env.CI)('passes shellcheck', async () => {
    const result = await run(
      'shellcheck',
      SCRIPTS.map((script) => path.join(ROOT, script)),
    );
    expect(result.code, result.stdout).toBe(0);
  });
});
