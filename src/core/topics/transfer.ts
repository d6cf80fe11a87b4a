/**
 * The catalogue as a file, pure: writing a workspace's topics as JSON or CSV, and reading such
 * a file back into topics with every problem located (CSV line, or JSON index, and field), so
 * an import can refuse a bad file whole while telling its author everything to fix at once.
 *
 * JSON: `{ "format": "blindspot-topics", "version": 1, "topics": [ { slug, status, category,
 * title, summary, whyItMatters, example, reflectionQuestion, actions: [3 texts], reference } ] }`
 * (a bare array of topics is read too). CSV (RFC 4180, UTF-8, a header row): the columns of
 * CSV_COLUMNS in any order, the three actions as action1 to action3.
 */
import { csvCell } from '../audit/service.ts';
import { TOPIC_FIELDS, type TopicContent } from './rules.ts';
import { readTopic, type TopicStatus } from './validation.ts';

export const EXPORT_FORMAT = 'blindspot-topics';
export const EXPORT_VERSION = 1;
/** More topics than any catalogue needs (the shipped one has 50); bounds the error list too. */
export const MAX_IMPORT_TOPICS = 2_000;

export const CSV_COLUMNS = [
  'slug',
  'status',
  'category',
  'title',
  'summary',
  'whyItMatters',
  'example',
  'reflectionQuestion',
  'action1',
  'action2',
  'action3',
  'reference',
] as const;

/** A topic as a file holds it. */
export interface FileTopic extends TopicContent {
  slug: string;
  status: TopicStatus;
}

/** One problem in a file: where (`line 4` or `topics[2]`), which field, and what is wrong. */
export interface FileProblem {
  at: string;
  field: string;
  message: string;
}

/** A topic read from a file, with where it was, for later problems (an unknown family). */
export interface ReadFileTopic {
  at: string;
  topic: FileTopic;
}

export interface ReadFile {
  topics: ReadFileTopic[];
  problems: FileProblem[];
}

/** The JSON export: a document that an import reads back unchanged. */
export function exportDocument(topics: readonly FileTopic[], exportedAt: Date) {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    topics: topics.map(orderedTopic),
  };
}

function orderedTopic(topic: FileTopic): FileTopic {
  const ordered: Record<string, unknown> = { slug: topic.slug, status: topic.status };
  for (const field of TOPIC_FIELDS) ordered[field] = topic[field];
  return ordered as unknown as FileTopic;
}

/**
 * A formula-looking cell is written with a leading quote (csvCell: a spreadsheet must not run
 * what an editor typed), and one quote is taken off again on import, so the round trip is
 * exact: text that already starts with quotes before such a character gains one more.
 */
const GUARDED = /^'+[=+\-@\t\r]/;

function guardedCell(text: string): string {
  const cell = csvCell(text);
  // csvCell guards text starting with a formula character; text starting with quotes and then
  // one needs the extra quote too, so that reading it back strips exactly what was added.
  return GUARDED.test(text) ? csvCell(`'${text}`) : cell;
}

export function exportCsv(topics: readonly FileTopic[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const topic of topics) {
    const row = csvRowOf(topic);
    lines.push(CSV_COLUMNS.map((column) => guardedCell(row[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvRowOf(topic: FileTopic): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    slug: topic.slug,
    status: topic.status,
    category: topic.category,
    title: topic.title,
    summary: topic.summary,
    whyItMatters: topic.whyItMatters,
    example: topic.example,
    reflectionQuestion: topic.reflectionQuestion,
    action1: topic.actions[0] ?? '',
    action2: topic.actions[1] ?? '',
    action3: topic.actions[2] ?? '',
    reference: topic.reference,
  };
}

/** Reads one located topic; problems go to `problems`, a valid topic to the result. */
function readOne(value: unknown, at: string, into: ReadFile): void {
  const { input, problems } = readTopic(value, { required: true, extra: ['slug', 'status'] });
  if (input.slug === undefined && problems.slug === undefined) problems.slug = 'slug is required.';
  for (const [field, message] of Object.entries(problems))
    into.problems.push({ at, field, message });
  if (Object.keys(problems).length === 0 && input.slug !== undefined) {
    const topic = { ...(input.content as TopicContent), slug: input.slug };
    into.topics.push({ at, topic: { ...topic, status: input.status ?? 'active' } });
  }
}

/** Reads a JSON import: the export's object, or a bare array of topics. */
export function readJsonFile(data: unknown): ReadFile {
  const read: ReadFile = { topics: [], problems: [] };
  let topics: unknown = data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const file = data as Record<string, unknown>;
    for (const key of Object.keys(file)) {
      if (!['format', 'version', 'exportedAt', 'topics'].includes(key)) {
        read.problems.push({ at: 'file', field: key, message: `${key} is not part of the file.` });
      }
    }
    if (file.format !== undefined && file.format !== EXPORT_FORMAT) {
      read.problems.push({
        at: 'file',
        field: 'format',
        message: `format must be "${EXPORT_FORMAT}".`,
      });
    }
    if (file.version !== undefined && file.version !== EXPORT_VERSION) {
      read.problems.push({
        at: 'file',
        field: 'version',
        message: `version must be ${EXPORT_VERSION}.`,
      });
    }
    topics = file.topics;
  }
  if (!Array.isArray(topics)) {
    read.problems.push({
      at: 'file',
      field: 'topics',
      message: 'Send {"topics": [...]} as exported, or an array of topics.',
    });
    return read;
  }
  if (tooMany(topics.length, read)) return read;
  for (const [i, topic] of topics.entries()) readOne(topic, `topics[${i}]`, read);
  return checkSlugs(read);
}

/** Reads a CSV import. Line numbers count physical lines, from 1 for the header. */
export function readCsvFile(text: string): ReadFile {
  const read: ReadFile = { topics: [], problems: [] };
  const { records, problem } = parseCsv(text.replace(/^\uFEFF/, ''));
  if (problem) {
    read.problems.push({ at: `line ${problem.line}`, field: 'file', message: problem.message });
    return read;
  }
  const [header, ...rows] = records;
  if (!header) {
    read.problems.push({ at: 'line 1', field: 'header', message: 'The file is empty.' });
    return read;
  }
  const columns = header.cells.map((cell) => cell.trim());
  const known = new Set<string>(CSV_COLUMNS);
  for (const column of columns) {
    if (!known.has(column)) {
      read.problems.push({ at: 'line 1', field: column, message: `${column} is not a column.` });
    }
  }
  for (const column of CSV_COLUMNS) {
    if (!columns.includes(column)) {
      read.problems.push({
        at: 'line 1',
        field: column,
        message: `The ${column} column is missing.`,
      });
    }
  }
  if (read.problems.length > 0) return read;
  const data = rows.filter((row) => !(row.cells.length === 1 && row.cells[0] === ''));
  if (tooMany(data.length, read)) return read;
  for (const row of data) {
    const at = `line ${row.line}`;
    if (row.cells.length !== columns.length) {
      read.problems.push({
        at,
        field: 'row',
        message: `has ${row.cells.length} cells; the header has ${columns.length}.`,
      });
      continue;
    }
    const cell = (column: string) => unguard(row.cells[columns.indexOf(column)] ?? '');
    const topic: Record<string, unknown> = {
      slug: cell('slug'),
      status: cell('status') || 'active',
    };
    for (const field of TOPIC_FIELDS) if (field !== 'actions') topic[field] = cell(field);
    topic.actions = [cell('action1'), cell('action2'), cell('action3')];
    readOne(topic, at, read);
  }
  return checkSlugs(read);
}

const unguard = (cell: string) => (GUARDED.test(cell) ? cell.slice(1) : cell);

function tooMany(count: number, read: ReadFile): boolean {
  if (count <= MAX_IMPORT_TOPICS) return false;
  read.problems.push({
    at: 'file',
    field: 'topics',
    message: `has ${count} topics; import at most ${MAX_IMPORT_TOPICS} at a time.`,
  });
  return true;
}

/** A slug twice in one file is a problem on its second use, naming the first. */
function checkSlugs(read: ReadFile): ReadFile {
  const first = new Map<string, string>();
  const unique: ReadFileTopic[] = [];
  for (const entry of read.topics) {
    const earlier = first.get(entry.topic.slug);
    if (earlier === undefined) {
      first.set(entry.topic.slug, entry.at);
      unique.push(entry);
    } else {
      read.problems.push({
        at: entry.at,
        field: 'slug',
        message: `"${entry.topic.slug}" is also at ${earlier}.`,
      });
    }
  }
  return { topics: unique, problems: read.problems };
}

/** Problems for topics whose family (category) is not in `known`. */
export function unknownFamilies(
  topics: readonly ReadFileTopic[],
  known: ReadonlySet<string>,
): FileProblem[] {
  const list = [...known].sort().join(', ');
  return topics
    .filter(({ topic }) => !known.has(topic.category))
    .map(({ at, topic }) => ({
      at,
      field: 'category',
      message: `"${topic.category}" is not a family of this workspace; use one of ${list}, or create a topic in it first.`,
    }));
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/** RFC 4180 records with the physical line each starts on; CRLF or LF line ends. */
export function parseCsv(text: string): {
  records: CsvRecord[];
  problem?: { line: number; message: string };
} {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const record: CsvRecord = { line, cells: [] };
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        const opened = line;
        i += 1;
        for (;;) {
          if (i >= text.length)
            return {
              records,
              problem: { line: opened, message: 'A quoted cell is never closed.' },
            };
          const char = text[i] as string;
          if (char === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (char === '\n') line += 1;
          cell += char;
          i += 1;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          return {
            records,
            problem: {
              line,
              message: 'Text follows a closing quote; double a quote inside a quoted cell.',
            },
          };
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') {
            return {
              records,
              problem: { line, message: 'A quote inside an unquoted cell; quote the whole cell.' },
            };
          }
          cell += text[i];
          i += 1;
        }
      }
      record.cells.push(cell);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === '\r') i += 1;
      if (text[i] === '\n') i += 1;
      line += 1;
      break;
    }
    records.push(record);
  }
  return { records };
}
