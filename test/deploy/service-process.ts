/**
 * Runs Blindspot's entry points as separate processes, the way the containers run them: one
 * service per process, configured only through its environment. For the deployment tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../support/ports.ts';

/** What every service gets, whatever the test's own environment holds (no DATABASE_URL leaks in). */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
}

export interface ServiceProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

function capture(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return () => output;
}

/** Starts `node <entrypoint>` in `cwd` on a free port. */
export async function startService(
  entrypoint: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [entrypoint], {
    cwd: options.cwd,
    env: { ...baseEnv(), PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = capture(child);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a one-shot entry point (migrate) to its end. */
export async function runToExit(
  entrypoint: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [entrypoint], {
    cwd: options.cwd,
    env: { ...baseEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = capture(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output: output() };
}

/**
 * Polls the service's `path` until it answers `status`, or fails after `timeoutMs` with the last answer and the
 * service's output. Fails at once if the service has exited.
 */
export async function waitForStatus(
  service: ServiceProcess,
  path: string,
  status = 200,
  timeoutMs = 30_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(`exited with ${service.child.exitCode}:\n${service.output()}`);
    }
    try {
      const response = await fetch(`${service.url}${path}`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.status === status) return response;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${service.url}${path} did not answer ${status} within ${timeoutMs} ms (last: ${last}):\n${service.output()}`,
  );
}
