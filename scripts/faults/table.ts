/**
 * The fault suite's one table, and its place in docs/reliability.md: between the markers
 * `<!-- faults:begin -->` and `<!-- faults:end -->`, with when, at what scale, on which commit
 * and by which command it was measured.
 */
import { readFile, writeFile } from 'node:fs/promises';

export const BEGIN_MARKER = '<!-- faults:begin -->';
export const END_MARKER = '<!-- faults:end -->';

export interface TableRow {
  id: string;
  title: string;
  passCondition: string;
  figures: string;
  pass: boolean;
  failure?: string;
  seconds: number;
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

export function renderTable(rows: readonly TableRow[]): string {
  const lines = [
    '| scenario | what is done | pass condition | figures | result |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const result = row.pass ? 'PASS' : `**FAIL**${row.failure ? `: ${row.failure}` : ''}`;
    lines.push(
      `| \`${row.id}\` | ${cell(row.title)} | ${cell(row.passCondition)} | ${cell(row.figures)} (${row.seconds.toFixed(0)} s) | ${cell(result)} |`,
    );
  }
  return lines.join('\n');
}

export interface RunDescription {
  date: Date;
  scale: number;
  commit: string;
  command: string;
  machine: string;
}

export function renderSection(rows: readonly TableRow[], run: RunDescription): string {
  const when = run.date.toISOString().slice(0, 16).replace('T', ' ');
  return [
    `Measured ${when} UTC at scale ${run.scale}, commit \`${run.commit}\`, by \`${run.command}\` on ${run.machine}.`,
    '',
    renderTable(rows),
  ].join('\n');
}

/**
 * Replaces what is between the markers in `file` with `section`. Throws when the markers are
 * missing or out of order, rather than guess where the table goes.
 */
export async function writeBetweenMarkers(file: string, section: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin < 0 || end < begin) {
    throw new Error(`${file} has no ${BEGIN_MARKER} … ${END_MARKER} pair to write the table into`);
  }
  const updated = `${text.slice(0, begin + BEGIN_MARKER.length)}\n${section}\n${text.slice(end)}`;
  await writeFile(file, updated);
}
