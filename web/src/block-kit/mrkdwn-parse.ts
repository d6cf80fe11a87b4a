/**
 * Slack's mrkdwn as a tree, without any HTML: mrkdwn.tsx turns the tree into React elements,
 * so nothing a message says can become markup. The rules follow Slack's
 * (https://api.slack.com/reference/surfaces/formatting): text arrives with `&`, `<` and `>`
 * escaped; `<...>` is a link, a mention or a special; `*`, `_` and `~` format only when they
 * stand at a word's edge, which is how the bot keeps a manager's own `*` literal (it puts a
 * zero-width space before it, and that is not a word's edge).
 */
import { emojiFor } from './emoji.ts';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; label: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'special'; label: string }
  | { kind: 'emoji'; name: string; emoji: string };

/** A line of a paragraph or of a list item. */
export type Line = Inline[];

export type MrkdwnBlock =
  | { kind: 'paragraph'; lines: Line[] }
  | { kind: 'pre'; text: string }
  | { kind: 'quote'; blocks: MrkdwnBlock[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Line[][] };

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Slack escapes only these three; one pass, so `&amp;lt;` stays `&lt;`. */
export function unescapeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
  );
}

/** The URL when it is http, https or mailto; javascript:, data: and the rest are not links. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return SAFE_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const MARKERS = { '*': 'bold', _: 'italic', '~': 'strike' } as const;
type Marker = keyof typeof MARKERS;
/** What may stand before an opening marker, or after a closing one (a zero-width space may not). */
const BEFORE_OPEN = /[\s([{"'“‘«/-]/;
const AFTER_CLOSE = /[\s.,;:!?)\]}"'”’»/<-]/;
/** Nesting deeper than this is shown as text: it only happens in text written to be odd. */
const MAX_DEPTH = 6;

function isMarker(char: string | undefined): char is Marker {
  return char === '*' || char === '_' || char === '~';
}

function canOpen(text: string, at: number): boolean {
  const before = text[at - 1];
  const after = text[at + 1];
  return (
    (before === undefined || BEFORE_OPEN.test(before)) &&
    after !== undefined &&
    after !== text[at] &&
    !/\s/.test(after)
  );
}

function canClose(text: string, at: number): boolean {
  const before = text[at - 1];
  const after = text[at + 1];
  return (
    before !== undefined && !/\s/.test(before) && (after === undefined || AFTER_CLOSE.test(after))
  );
}

/** Where a `` `code` `` or `<...>` span that starts at `at` ends, or -1 when it doesn't close. */
function spanEnd(text: string, at: number): number {
  const close = text[at] === '`' ? '`' : '>';
  const end = text.indexOf(close, at + 1);
  return end > at + 1 ? end : -1;
}

/** The closing marker for the one opening at `at`, skipping code and `<...>` spans. */
function closerOf(text: string, at: number): number {
  const marker = text[at];
  for (let i = at + 2; i < text.length; i++) {
    const char = text[i];
    if (char === '`' || char === '<') {
      const end = spanEnd(text, i);
      if (end !== -1) i = end;
    } else if (char === marker && canClose(text, i)) {
      return i;
    }
  }
  return -1;
}

/** What is inside `<...>`: a user, a channel, a special mention, or a link. */
function control(content: string): Inline {
  const bar = content.indexOf('|');
  const target = bar === -1 ? content : content.slice(0, bar);
  const label = bar === -1 ? undefined : unescapeEntities(content.slice(bar + 1));
  if (target.startsWith('@')) return { kind: 'user', id: target.slice(1), label };
  if (target.startsWith('#')) return { kind: 'channel', id: target.slice(1), label };
  if (target.startsWith('!')) {
    const name = target.slice(1);
    if (name === 'here' || name === 'channel' || name === 'everyone')
      return { kind: 'special', label: `@${name}` };
    // <!subteam^ID|@group>, <!date^...|fallback>: Slack shows the label.
    return label === undefined
      ? { kind: 'text', text: `<${unescapeEntities(content)}>` }
      : { kind: 'special', label };
  }
  const url = unescapeEntities(target);
  const href = safeHref(url);
  if (!href) return { kind: 'text', text: label ?? url };
  return { kind: 'link', href, label: label || url };
}

/** One line of mrkdwn as inline nodes. */
export function parseInline(text: string, depth = 0): Inline[] {
  const nodes: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain) nodes.push({ kind: 'text', text: unescapeEntities(plain) });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '`' || char === '<') {
      const end = spanEnd(text, i);
      if (end !== -1) {
        flush();
        const inner = text.slice(i + 1, end);
        nodes.push(char === '`' ? { kind: 'code', text: unescapeEntities(inner) } : control(inner));
        i = end + 1;
        continue;
      }
    } else if (char === ':') {
      const match = /^:([a-z0-9_+-]+):/.exec(text.slice(i, i + 64));
      const emoji = match?.[1] ? emojiFor(match[1]) : undefined;
      if (match?.[1] && emoji) {
        flush();
        nodes.push({ kind: 'emoji', name: match[1], emoji });
        i += match[0].length;
        continue;
      }
    } else if (isMarker(char) && depth < MAX_DEPTH && canOpen(text, i)) {
      const end = closerOf(text, i);
      if (end !== -1) {
        flush();
        nodes.push({
          kind: MARKERS[char],
          children: parseInline(text.slice(i + 1, end), depth + 1),
        });
        i = end + 1;
        continue;
      }
    }
    plain += char;
    i++;
  }
  flush();
  return nodes;
}

const QUOTE = /^(?:&gt;|>) ?(.*)$/;
const BULLET = /^\s*[•◦▪‣-]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;

/** Lines outside ``` fences as paragraphs, quotes and lists. */
function parseLines(lines: readonly string[], inQuote = false): MrkdwnBlock[] {
  const isQuote = (line: string) => !inQuote && QUOTE.test(line);
  const blocks: MrkdwnBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (isQuote(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] as string)) {
        quoted.push(QUOTE.exec(lines[i] as string)?.[1] ?? '');
        i++;
      }
      // A quote holds paragraphs and lists, never another quote: `>` inside it is text.
      blocks.push({ kind: 'quote', blocks: parseLines(quoted, true) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const items: Line[][] = [];
      while (i < lines.length) {
        const current = lines[i] as string;
        const item = ordered ? NUMBERED.exec(current) : BULLET.exec(current);
        if (item) {
          items.push([parseInline(item[ordered ? 2 : 1] ?? '')]);
        } else if (/^\s+\S/.test(current)) {
          // An indented line under an item continues it, as the progress list's reflections do.
          items.at(-1)?.push(parseInline(current.trim()));
        } else {
          break;
        }
        i++;
      }
      blocks.push({ kind: 'list', ordered, start: Number(numbered?.[1] ?? 1), items });
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const paragraph: Line[] = [];
    while (i < lines.length) {
      const current = lines[i] as string;
      if (
        current.trim() === '' ||
        isQuote(current) ||
        BULLET.test(current) ||
        NUMBERED.test(current)
      )
        break;
      paragraph.push(parseInline(current));
      i++;
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return blocks;
}

/** A whole mrkdwn text: ``` fences first (nothing inside them is formatted), then lines. */
export function parseMrkdwn(text: string): MrkdwnBlock[] {
  const blocks: MrkdwnBlock[] = [];
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    blocks.push(...parseLines(text.slice(last, match.index).split('\n')));
    const pre = (match[1] ?? '').replace(/^\n/, '').replace(/\n$/, '');
    blocks.push({ kind: 'pre', text: unescapeEntities(pre) });
    last = match.index + match[0].length;
  }
  blocks.push(...parseLines(text.slice(last).split('\n')));
  return blocks;
}
