/**
 * Running scripts/backup and scripts/restore as an operator runs them, for
 * test/operations/backup-restore/: with only the environment given, and what a run printed.
 */
import { execFile } from 'node:child_process';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BACKUP = path.join(ROOT, 'scripts/backup');
export const RESTORE = path.join(ROOT, 'scripts/restore');
export const ARCHIVE_NAME = /^blindspot-\d{8}T\d{6}Z\.dump$/;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The database's URL with a password in it: the server's own, or one trust auth ignores. */
export function withPassword(url: string): { url: string; password: string } {
  const parsed = new URL(url);
  if (parsed.password) return { url, password: decodeURIComponent(parsed.password) };
  const password = 'n0t-in-the-0utput/@:€%';
  parsed.username ||= 'postgres';
  parsed.password = encodeURIComponent(password);
  return { url: parsed.toString(), password };
}

/** Runs a script with only the environment it is given (and PATH, HOME). */
export function runScriptIn(
  cwd: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  pathPrefix?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      script,
      args,
      {
        cwd,
        env: {
          PATH: pathPrefix
            ? `${pathPrefix}${path.delimiter}${process.env.PATH}`
            : String(process.env.PATH),
          HOME: String(process.env.HOME ?? cwd),
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // As under cron: nothing on stdin.
    child.stdin?.end();
  });
}

/** File names, sizes and modification times: anything a script changed shows. */
export async function listing(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const info = await stat(path.join(dir, name));
      return `${name} ${info.size} ${info.mtimeMs}`;
    }),
  );
}

/** pg_dump, pg_restore and psql that record their arguments and PGPASSWORD, then run the real one. */
export async function writeShims(dir: string): Promise<void> {
  for (const program of ['pg_dump', 'pg_restore', 'psql']) {
    const real = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `command -v ${program}`], (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      ),
    );
    const file = path.join(dir, program);
    await writeFile(
      file,
      [
        '#!/usr/bin/env bash',
        `printf '%s\\n' "${program} $*" >>"${dir}/argv.log"`,
        `printf '%s\\n' "\${PGPASSWORD-}" >>"${dir}/pgpassword.log"`,
        `exec "${real}" "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(file, 0o755);
  }
}
