/**
 * The bench's command line refuses what it cannot run, before it starts anything: replicas are
 * for the split deployment's fan-out, where each service is a process of its own; a section
 * must be one of the bench's.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function bench(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/bench.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 30_000,
  });
  return { status: run.status, stderr: run.stderr };
}

describe('the bench’s --replicas flag', () => {
  it('when replicas are asked of the all-in-one process, then the bench refuses and says where they belong', () => {
    const run = bench('--only', 'fan-out', '--replicas', '2');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--replicas is for --only fan-out --deployment split');
  });

  it('when replicas are asked of the whole bench, then it refuses them too', () => {
    const run = bench('--deployment', 'split', '--replicas', '2');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--replicas is for --only fan-out --deployment split');
  });

  it('when the count is not a whole number above 0, then it says so', () => {
    const run = bench('--only', 'fan-out', '--deployment', 'split', '--replicas', '0');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--replicas must be a whole number above 0');
  });
});

describe('the bench’s --only flag', () => {
  it('when a section is not one of the bench’s, then it refuses and names every one, the exhaustion too', () => {
    const run = bench('--only', 'everything');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      '--only takes planner, analytics, clicks, reads, exhaustion or fan-out, got "everything"',
    );
    expect(run.stderr).toContain('--only exhaustion');
  });
});
