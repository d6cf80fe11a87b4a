/**
 * The droplet's first boot, as far as it runs without a droplet: deploy/init-env writes a .env
 * that compose accepts, without touching values already set, and the app's secret files; the
 * first-boot script sets up only the reviewed commit; droplet-setup hardens SSH, the firewall
 * and updates; the cloud-init file and the shell scripts pass their checkers (cloud-init,
 * shellcheck) where those are installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseEncryptionKeys } from '../../src/core/secrets/keyring.ts';

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
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd });
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
    for (const name of [
      'POSTGRES_PASSWORD',
      'BLINDSPOT_APP_DB_PASSWORD',
      'API_SERVICE_TOKEN',
      'API_SIGNING_SECRET',
    ]) {
      expect(values[name], name).toMatch(/^[0-9a-f]{32,}$/);
    }
    expect(new Set(requiredByCompose.map((name) => values[name])).size).toBe(
      requiredByCompose.length,
    );
    // The first key Slack tokens are sealed under: one valid entry the config accepts.
    expect(parseEncryptionKeys(String(values.BLINDSPOT_ENCRYPTION_KEYS))).toMatchObject({
      keys: [{ id: expect.stringMatching(/^k[0-9]{8}$/) }],
      problems: [],
    });
    // What only Slack can give is left for the operator, and named.
    expect(result.stdout).toMatch(/SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET/);
  });

  it('writes the app’s Docker secrets from .env, readable only through their folder', async () => {
    const envFile = path.join(dir, 'secrets.env');
    await writeFile(envFile, 'SLACK_BOT_TOKEN=xoxb-from-env\n');
    const secrets = path.join(dir, 'secrets');
    const result = await run(INIT_ENV, [
      '--domain',
      'blindspot.example.com',
      '--env-file',
      envFile,
      '--secrets-dir',
      secrets,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const values = valuesOf(await readFile(envFile, 'utf8'));
    const secret = (name: string) => readFile(path.join(secrets, name), 'utf8');
    expect(await secret('api_database_url')).toBe(
      `postgres://blindspot_app:${values.BLINDSPOT_APP_DB_PASSWORD}@postgres:5432/blindspot\n`,
    );
    expect(await secret('worker_database_url')).toContain(
      `blindspot_worker:${values.BLINDSPOT_WORKER_DB_PASSWORD}@`,
    );
    expect(await secret('migrate_database_url')).toContain(
      `blindspot_owner:${values.BLINDSPOT_OWNER_DB_PASSWORD}@`,
    );
    expect(await secret('api_service_token')).toBe(`${values.API_SERVICE_TOKEN}\n`);
    expect(await secret('api_signing_secret')).toBe(`${values.API_SIGNING_SECRET}\n`);
    expect(await secret('admin_api_key')).toBe(`${values.ADMIN_API_KEY}\n`);
    expect(await secret('slack_bot_token')).toBe('xoxb-from-env\n');
    // Not in Slack yet: an empty file, which the config reads as unset.
    expect(await secret('slack_signing_secret')).toBe('\n');
    expect(statSync(secrets).mode & 0o777).toBe(0o700);

    // A token put in .env later reaches the same file, rewritten in place for running mounts.
    const inode = statSync(path.join(secrets, 'slack_signing_secret')).ino;
    await writeFile(envFile, `${await readFile(envFile, 'utf8')}SLACK_SIGNING_SECRET=later\n`);
    expect((await run(INIT_ENV, ['--env-file', envFile, '--secrets-dir', secrets])).code).toBe(0);
    expect(await secret('slack_signing_secret')).toBe('later\n');
    expect(statSync(path.join(secrets, 'slack_signing_secret')).ino).toBe(inode);
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

  it('sets up the release only when its tag names the reviewed commit', async () => {
    const config = parseYaml(await readFile(path.join(ROOT, 'deploy/cloud-init.yaml'), 'utf8')) as {
      runcmd: string[][];
      ssh_pwauth: boolean;
    };
    expect(config.ssh_pwauth).toBe(false);
    const dir = await mkdtemp(path.join(tmpdir(), 'blindspot-first-boot-'));
    try {
      // A repository with two commits, the release tag on the second; its droplet-setup only
      // says that it ran.
      const origin = path.join(dir, 'origin');
      await mkdir(path.join(origin, 'deploy'), { recursive: true });
      const git = (...args: string[]) =>
        exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
          cwd: origin,
        }).then(({ stdout }) => stdout.trim());
      await git('init', '--quiet');
      await writeFile(
        path.join(origin, 'deploy/droplet-setup'),
        '#!/bin/sh\necho "setup ran $*"\n',
      );
      await chmod(path.join(origin, 'deploy/droplet-setup'), 0o755);
      await git('add', '.');
      await git('commit', '--quiet', '-m', 'first');
      const first = await git('rev-parse', 'HEAD');
      await git('commit', '--quiet', '--allow-empty', '-m', 'second');
      const second = await git('rev-parse', 'HEAD');
      await git('tag', '-a', 'v1', '-m', 'v1');

      const boot = async (name: string, commit: string) => {
        const root = path.join(dir, name);
        await mkdir(root);
        await writeFile(
          path.join(root, 'release.env'),
          `BLINDSPOT_REPO=file://${origin}\nBLINDSPOT_RELEASE=v1\nBLINDSPOT_COMMIT=${commit}\n` +
            'BLINDSPOT_DOMAIN=blindspot.example.com\nBLINDSPOT_SETUP_FLAGS=\n',
        );
        const script = (config.runcmd.flat().at(-1) ?? '')
          .replaceAll('/var/log/blindspot-setup.log', path.join(root, 'setup.log'))
          .replaceAll('/etc/blindspot/release.env', path.join(root, 'release.env'))
          .replaceAll('/opt/blindspot', path.join(root, 'clone'));
        const result = await run('bash', ['-c', script], root);
        return { code: result.code, log: await readFile(path.join(root, 'setup.log'), 'utf8') };
      };

      const reviewed = await boot('reviewed', second);
      expect(reviewed.code, reviewed.log).toBe(0);
      expect(reviewed.log).toContain('setup ran --domain blindspot.example.com');
      expect(
        (
          await exec('git', ['rev-parse', 'HEAD'], { cwd: path.join(dir, 'reviewed/clone') })
        ).stdout.trim(),
      ).toBe(second);

      // The tag names another commit than the one reviewed: nothing is set up.
      const moved = await boot('moved', first);
      expect(moved.code).not.toBe(0);
      expect(moved.log).toContain(`v1 is ${second}, not BLINDSPOT_COMMIT ${first}`);
      expect(moved.log).not.toContain('setup ran');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hardens the droplet: SSH by key and not as root, SSH rate-limited, security updates', () => {
    const setup = readFileSync(path.join(ROOT, 'deploy/droplet-setup'), 'utf8');
    const sshd =
      /cat > \/etc\/ssh\/sshd_config\.d\/(\d\d)-blindspot\.conf <<SSHD\n([\s\S]*?)\nSSHD/.exec(
        setup,
      );
    // Before cloud-init's 50-cloud-init.conf, since sshd keeps the first value it reads.
    expect(Number(sshd?.[1])).toBeLessThan(50);
    expect(sshd?.[2]).toMatch(/^PermitRootLogin \$permit_root$/m);
    expect(setup).toMatch(/^permit_root=no$/m);
    expect(sshd?.[2]).toMatch(/^PasswordAuthentication no$/m);
    expect(sshd?.[2]).toMatch(/^KbdInteractiveAuthentication no$/m);
    // The configuration is tested before sshd reloads it, and someone can still log in.
    expect(setup.indexOf('sshd -t')).toBeLessThan(setup.indexOf('try-reload-or-restart ssh'));
    expect(setup).toContain('/home/blindspot/.ssh/authorized_keys');

    expect(setup).toMatch(/^ufw limit OpenSSH$/m);
    expect(setup).not.toMatch(/^ufw allow OpenSSH/m);

    const periodic = /20auto-upgrades <<'APT'\n([\s\S]*?)\nAPT\n/.exec(setup)?.[1] ?? '';
    expect(periodic).toContain('APT::Periodic::Update-Package-Lists "1";');
    expect(periodic).toContain('APT::Periodic::Unattended-Upgrade "1";');
    const origins =
      /blindspot-unattended-upgrades <<'APT'\n([\s\S]*?)\nAPT\n/.exec(setup)?.[1] ?? '';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: apt's own variables, which it expands
    expect(origins).toContain('"${distro_id}:${distro_codename}-security";');
    expect(origins).not.toMatch(/codename}-updates/);
    expect(setup).toContain('systemctl enable --now unattended-upgrades');
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
