/** The benchmark's one markdown table: each figure, its baseline, the ratio, the target. */

export interface Row {
  /** Starts a new scenario; rows without it continue the one above. */
  scenario?: string;
  figure: string;
  value?: number;
  unit?: 'ms' | 'req/s' | '/s' | 'MB' | 'cores' | 'count';
  /** Shown instead of the formatted value. */
  text?: string;
  /** A second count shown after the value, as "value / extra". */
  extra?: number;
  baseline?: number;
  baselineName?: string;
  /** A second baseline, shown and compared beside the first. */
  second?: { value: number; name: string };
  target?: string;
  met?: boolean;
}

/** Bytes as whole megabytes (MiB), for a row's text: "412 MB". */
export const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function number(value: number, unit: Row['unit']): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'count') return Math.round(value).toLocaleString('en-US');
  if (unit === 'MB') return value.toFixed(1);
  if (unit === 'cores') return value.toFixed(2);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}

function withUnit(value: number, unit: Row['unit']): string {
  const shown = number(value, unit);
  if (shown === 'n/a' || unit === 'count' || unit === undefined) return shown;
  return `${shown} ${unit}`;
}

function ratio(value: number | undefined, baseline: number | undefined): string {
  if (value === undefined || baseline === undefined) return '—';
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return '—';
  const times = value / baseline;
  if (times >= 100) return `${Math.round(times).toLocaleString('en-US')}×`;
  return `${times.toFixed(times >= 10 ? 1 : 2)}×`;
}

export function renderTable(rows: readonly Row[]): string {
  const lines = [
    '| Scenario | Figure | Measured | Baseline (same run) | × baseline | Target | Met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const measured =
      row.text ??
      (row.value === undefined
        ? ''
        : row.extra === undefined
          ? withUnit(row.value, row.unit)
          : `${withUnit(row.value, row.unit)} / ${withUnit(row.extra, row.unit)}`);
    const isCount = row.unit === 'count';
    const baseline =
      row.baseline === undefined
        ? '—'
        : row.baselineName === 'itself'
          ? 'is the baseline'
          : [
              `${row.baselineName}: ${withUnit(row.baseline, row.unit)}`,
              ...(row.second
                ? [`${row.second.name}: ${withUnit(row.second.value, row.unit)}`]
                : []),
            ].join('; ');
    const ratios = isCount
      ? '—'
      : [
          ratio(row.value, row.baseline),
          ...(row.second ? [ratio(row.value, row.second.value)] : []),
        ].join(' / ');
    const met = row.met === undefined ? '' : row.met ? 'yes' : '**no**';
    lines.push(
      `| ${row.scenario ?? ''} | ${row.figure} | ${measured} | ${baseline} | ${ratios} | ${row.target ?? ''} | ${met} |`,
    );
  }
  return lines.join('\n');
}
