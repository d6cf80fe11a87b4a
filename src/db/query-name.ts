/**
 * Names a SQL statement for metrics and logs by its verb and the first table it reads or
 * writes: `select:deliveries`, `update:reminders`, `insert:action_items`. The name comes from
 * the statement's text only, never its parameters (they can hold a manager's words), and from
 * identifiers written in our code, so the set of names stays small and each is easy to find.
 */

const VERBS = new Set(['select', 'insert', 'update', 'delete', 'merge', 'values']);
/** Statements named by their first word alone. */
const COMMANDS = new Set([
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'savepoint',
  'release',
  'set',
  'reset',
  'show',
  'lock',
  'listen',
  'unlisten',
  'notify',
  'explain',
  'analyze',
  'vacuum',
  'create',
  'alter',
  'drop',
  'truncate',
  'copy',
]);
/** Words after which a parenthesis opens a subquery or a list, not a function's arguments. */
const NOT_FUNCTIONS = new Set([
  'as',
  'in',
  'exists',
  'any',
  'all',
  'some',
  'from',
  'join',
  'lateral',
  'materialized',
  'select',
  'where',
  'and',
  'or',
  'not',
  'on',
  'values',
  'using',
  'union',
  'except',
  'intersect',
  'then',
  'else',
  'when',
  'returning',
  'set',
]);
/** Words that follow FROM, JOIN, INTO or UPDATE without being the table. */
const NOT_TABLES = new Set(['only', 'lateral', 'set', 'select', 'values', 'unnest']);
const TABLE = /^[a-z_][a-z0-9_$]{0,62}(\.[a-z_][a-z0-9_$]{0,62})?$/;

interface Token {
  text: string;
  /** A double-quoted identifier: never a keyword. */
  quoted: boolean;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"((?:[^"]|"")*)"|\$\d+|([A-Za-z_][A-Za-z0-9_$]*)|(\S)/g;
  for (const match of sql.matchAll(pattern)) {
    const [whole, quoted, word, symbol] = match;
    if (quoted !== undefined) tokens.push({ text: quoted.replace(/""/g, '"'), quoted: true });
    else if (word !== undefined) tokens.push({ text: word.toLowerCase(), quoted: false });
    else if (symbol !== undefined) tokens.push({ text: symbol, quoted: false });
    // Comments, string literals and placeholders say nothing about the name.
    else if (whole.startsWith("'") || whole.startsWith('$'))
      tokens.push({ text: '?', quoted: false });
  }
  return tokens;
}

const isWord = (token: Token | undefined, word: string) =>
  token !== undefined && !token.quoted && token.text === word;

/** The index after the parenthesis group that starts at `start`. */
function skipGroup(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const text = (tokens[i] as Token).quoted ? '' : (tokens[i] as Token).text;
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/** Reads `WITH a AS (...), b AS (...)`; returns the CTE names and where the main statement starts. */
function readWith(tokens: Token[]): { names: Set<string>; next: number } {
  const names = new Set<string>();
  let i = 1;
  if (isWord(tokens[i], 'recursive')) i++;
  while (i < tokens.length) {
    const name = tokens[i];
    if (!name) break;
    names.add(name.text);
    i++;
    if (tokens[i]?.text === '(') i = skipGroup(tokens, i); // a column list
    while (i < tokens.length && tokens[i]?.text !== '(') i++; // AS [NOT] MATERIALIZED
    i = skipGroup(tokens, i);
    if (tokens[i]?.text !== ',') break;
    i++;
  }
  return { names, next: i };
}

/** The first table after FROM, JOIN, INTO or UPDATE, leaving out CTEs and function calls. */
function firstTable(tokens: Token[], ctes: ReadonlySet<string>): string | undefined {
  // Whether each open parenthesis holds a function's arguments (EXTRACT(epoch FROM x)).
  const inFunction: boolean[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (!token.quoted && token.text === '(') {
      const before = tokens[i - 1];
      inFunction.push(
        before !== undefined &&
          (before.quoted || /^[a-z_]/.test(before.text)) &&
          !(!before.quoted && NOT_FUNCTIONS.has(before.text)),
      );
      continue;
    }
    if (!token.quoted && token.text === ')') {
      inFunction.pop();
      continue;
    }
    if (token.quoted || inFunction.at(-1)) continue;
    const previous = tokens[i - 1];
    const opensTable =
      token.text === 'from' ||
      token.text === 'join' ||
      token.text === 'into' ||
      // Not FOR UPDATE (a row lock), nor ON CONFLICT DO UPDATE.
      (token.text === 'update' &&
        !isWord(previous, 'for') &&
        !isWord(previous, 'do') &&
        !isWord(previous, 'key'));
    if (!opensTable) continue;
    let j = i + 1;
    while (isWord(tokens[j], 'only') || isWord(tokens[j], 'lateral')) j++;
    const name = tokens[j];
    if (!name || (!name.quoted && (NOT_TABLES.has(name.text) || !/^[a-z_]/.test(name.text))))
      continue;
    let table = name.text;
    const qualified = tokens[j + 1]?.text === '.' ? tokens[j + 2] : undefined;
    if (qualified) table = table === 'public' ? qualified.text : `${table}.${qualified.text}`;
    const after = tokens[qualified ? j + 3 : j + 1];
    // FROM unnest(...) reads a function; INTO t (a, b) is a column list.
    if (token.text !== 'into' && after?.text === '(' && !after.quoted) continue;
    if (ctes.has(table)) continue;
    return table.toLowerCase();
  }
  return undefined;
}

/**
 * A short, bounded name for a SQL statement: `verb:table`, just the verb when no table is
 * involved (`select` for `SELECT 1`), the command for transaction control (`begin`, `commit`),
 * and `other` for anything unrecognised.
 */
export function queryName(sql: string): string {
  const tokens = tokenize(sql);
  const first = tokens[0];
  if (!first || first.quoted) return 'other';
  if (COMMANDS.has(first.text)) return first.text;
  let ctes: ReadonlySet<string> = new Set();
  let verb = first.text;
  if (verb === 'with') {
    const cte = readWith(tokens);
    ctes = cte.names;
    verb = tokens[cte.next]?.text ?? 'other';
  } else if (verb === '(') {
    verb = tokens[1]?.text ?? 'other';
  }
  if (!VERBS.has(verb)) return 'other';
  const table = firstTable(tokens, ctes);
  return table && TABLE.test(table) ? `${verb}:${table}` : verb;
}
