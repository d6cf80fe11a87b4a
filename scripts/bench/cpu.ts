/**
 * CPU accounting from /proc (Linux), to tell what limits a figure: a process near 1.0 core is
 * bound by its one JavaScript thread; a machine near all its cores is bound by the hardware.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** USER_HZ: /proc reports CPU time in these ticks; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

interface MachineTimes {
  busy: number;
  total: number;
}

async function machineTimes(): Promise<MachineTimes> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal; guest time is already inside user.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** CPU seconds a process has used so far (user + system); 0 once it has gone. */
async function processSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // "pid (comm) state ppid …": utime and stime are fields 14 and 15, 12 and 13 after ") ".
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICKS_PER_SECOND;
}

export interface CpuUse {
  /** Average cores the processes used, together. */
  process: number;
  /** Average cores each process used, by name, when there are several. */
  byProcess: Map<string, number>;
  /** Average cores the whole machine used (every process, ours or not). */
  machine: number;
}

/** Starts measuring; the returned function stops and reports the average since the start. */
export async function measureCpu(
  processes: ReadonlyArray<{ name: string; pid: number }>,
): Promise<() => Promise<CpuUse>> {
  const secondsOfEach = () => Promise.all(processes.map(({ pid }) => processSeconds(pid)));
  const [machine, ownSeconds] = await Promise.all([machineTimes(), secondsOfEach()]);
  const started = performance.now();
  return async () => {
    const [machineNow, ownNow] = await Promise.all([machineTimes(), secondsOfEach()]);
    const seconds = (performance.now() - started) / 1000;
    const total = machineNow.total - machine.total;
    const byProcess = new Map(
      processes.map(({ name }, i) => [name, ((ownNow[i] ?? 0) - (ownSeconds[i] ?? 0)) / seconds]),
    );
    return {
      process: [...byProcess.values()].reduce((sum, cores) => sum + cores, 0),
      byProcess,
      machine: total > 0 ? ((machineNow.busy - machine.busy) / total) * availableParallelism() : 0,
    };
  };
}

/**
 * Waits until the machine is nearly idle (under 15% of its CPU for a second), so work left over
 * from one scenario (queued requests, GC, autovacuum) does not spill into the next. Resolves
 * with how long it waited; gives up after `limitMs`.
 */
export async function waitUntilIdle(limitMs = 30_000): Promise<number> {
  const started = performance.now();
  let before = await machineTimes();
  while (performance.now() - started < limitMs) {
    await delay(1_000);
    const now = await machineTimes();
    const total = now.total - before.total;
    const busy = total > 0 ? (now.busy - before.busy) / total : 0;
    before = now;
    if (busy < 0.15) return performance.now() - started;
  }
  return performance.now() - started;
}
