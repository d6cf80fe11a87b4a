/**
 * What the bench and the fault suite read about a running service process from outside: its
 * memory from /proc, the port it listens on, whether it answers, and its Prometheus histograms.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** Count and sum of each series of a Prometheus histogram, by its labels (`{…}`, or ''). */
export function histogramSeries(
  text: string,
  name: string,
): Map<string, { count: number; sum: number }> {
  const series = new Map<string, { count: number; sum: number }>();
  for (const line of text.split('\n')) {
    const match = /^(\S+?)_(sum|count)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = match[3] ?? '';
    const totals = series.get(labels) ?? { count: 0, sum: 0 };
    totals[match[2] as 'sum' | 'count'] += Number(match[4]);
    series.set(labels, totals);
  }
  return series;
}

/**
 * Count and sum of a Prometheus histogram, over the series whose labels include `labels` (e.g.
 * `pool="blindspot-api"`). NaN when the service does not export it.
 */
export function histogramTotals(
  text: string,
  name: string,
  labels = '',
): { count: number; sum: number } {
  const totals = { count: Number.NaN, sum: Number.NaN };
  for (const [seriesLabels, each] of histogramSeries(text, name)) {
    if (!seriesLabels.includes(labels)) continue;
    totals.count = (Number.isNaN(totals.count) ? 0 : totals.count) + each.count;
    totals.sum = (Number.isNaN(totals.sum) ? 0 : totals.sum) + each.sum;
  }
  return totals;
}

/** Peak resident set size (VmHWM) of a process, in bytes. Linux only. */
export async function peakRssOf(pid: number | 'self'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Resident set size now (VmRSS), in bytes; 0 once the process has gone. Linux only. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

/**
 * The port a process listens on, from the sockets it holds and /proc/net/tcp{,6}. Used when the
 * "Blindspot is running at" line is not logged: it is an info line, and the bench runs the
 * service at LOG_LEVEL=warn so that logging does not cost it time.
 */
export async function listeningPort(pid: number): Promise<number | undefined> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  for (const table of ['tcp', 'tcp6']) {
    const lines = (await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '')).split('\n');
    for (const line of lines.slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st 0A is LISTEN; field 9 is the socket's inode.
      if (fields[3] === '0A' && fields[9] && inodes.has(fields[9])) {
        return Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      }
    }
  }
  return undefined;
}

export async function answers(url: string, expected: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === expected;
  } catch {
    return false;
  }
}

/** Whether an unsigned POST to /slack/events is refused with 401: Bolt's receiver is mounted. */
export async function slackMounted(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/slack/events`, { method: 'POST', body: '' });
    await response.arrayBuffer();
    return response.status === 401;
  } catch {
    return false;
  }
}
