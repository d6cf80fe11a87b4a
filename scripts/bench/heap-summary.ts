/**
 * Summarises V8 heap snapshots (.heapsnapshot, e.g. from scripts/bench/memory-probe.ts): self
 * size and count by constructor (node name for objects, node type otherwise), and with two files
 * the difference, largest growth first. Not part of `npm run bench`.
 *
 *   node scripts/bench/heap-summary.ts before.heapsnapshot [after.heapsnapshot] [--top 40]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Totals = Map<string, { size: number; count: number }>;

async function totals(file: string): Promise<{ byName: Totals; total: number }> {
  const data = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byName: Totals = new Map();
  let total = 0;
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + (typeAt as number)] as number] ?? '?';
    const size = data.nodes[i + (sizeAt as number)] as number;
    // Objects and closures by constructor / function name; strings, code and arrays by type.
    const name =
      type === 'object' || type === 'closure'
        ? `${type} ${data.strings[data.nodes[i + (nameAt as number)] as number]}`
        : type;
    const entry = byName.get(name) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count += 1;
    byName.set(name, entry);
    total += size;
  }
  return { byName, total };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' } },
});
const top = Number(values.top);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`.padStart(10);
const [first, second] = positionals;
if (!first) throw new Error('usage: heap-summary.ts before.heapsnapshot [after.heapsnapshot]');
const before = await totals(first);
process.stdout.write(`${first}: ${kb(before.total)} in all\n`);
if (!second) {
  const rows = [...before.byName].sort((a, b) => b[1].size - a[1].size).slice(0, top);
  for (const [name, { size, count }] of rows)
    process.stdout.write(`${kb(size)} ${String(count).padStart(8)}  ${name.slice(0, 100)}\n`);
} else {
  const after = await totals(second);
  process.stdout.write(`${second}: ${kb(after.total)} in all\n`);
  const names = new Set([...before.byName.keys(), ...after.byName.keys()]);
  const rows = [...names]
    .map((name) => {
      const a = before.byName.get(name) ?? { size: 0, count: 0 };
      const b = after.byName.get(name) ?? { size: 0, count: 0 };
      return { name, size: b.size - a.size, count: b.count - a.count };
    })
    .sort((x, y) => y.size - x.size)
    .slice(0, top);
  for (const { name, size, count } of rows)
    process.stdout.write(`${kb(size)} ${String(count).padStart(8)}  ${name.slice(0, 100)}\n`);
}
