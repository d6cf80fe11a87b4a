/**
 * A pseudo-language for tests: every catalogue string with its letters accented and a third
 * longer, placeholders and Slack markup kept. Rendering every view in it shows any English that
 * doesn't come from a catalogue (plain letters) and any layout that breaks when a language runs
 * longer than English.
 */
import type { Catalogue } from './index.ts';

const ACCENTED: Readonly<Record<string, string>> = {
  a: 'á',
  e: 'é',
  i: 'í',
  o: 'ó',
  u: 'ú',
  y: 'ý',
  c: 'ç',
  n: 'ñ',
  s: 'š',
  z: 'ž',
  A: 'Á',
  E: 'É',
  I: 'Í',
  O: 'Ó',
  U: 'Ú',
  Y: 'Ý',
  C: 'Ç',
  N: 'Ñ',
  S: 'Š',
  Z: 'Ž',
};

// Kept as written: {{placeholders}}, <links|and mentions>, :emoji: and `code`.
const KEPT = /(\{\{[^}]+\}\}|<[^>]*>|:[a-z0-9_+-]+:|`[^`]*`)/;

export function pseudoText(text: string): string {
  const accented = text
    .split(KEPT)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[a-zA-Z]/g, (c) => ACCENTED[c] ?? c)))
    .join('');
  const letters = text.replace(new RegExp(KEPT, 'g'), '').length;
  return `${accented}${'~'.repeat(Math.ceil(letters * 0.3))}`;
}

export function pseudoCatalogue(catalogue: Catalogue): Catalogue {
  return Object.fromEntries(
    Object.entries(catalogue).map(([key, value]) => [
      key,
      typeof value === 'string' ? pseudoText(value) : pseudoCatalogue(value),
    ]),
  );
}
