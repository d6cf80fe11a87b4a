/**
 * Creating and dropping whole databases on a server, for the sandbox's database of its own
 * (src/sandbox/stack.ts). Database names cannot be bound as parameters, so a name is checked
 * against a strict pattern and then quoted by pg's own escaping.
 */
import pg from 'pg';

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The URL of `name` on the same server as `url`, with the same credentials. */
export function databaseUrlFor(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** The database a URL names (the part after the host). */
export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** Drops `name` (closing its sessions) and creates it empty. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  if (!SAFE_NAME.test(name)) {
    throw new Error(`Refusing to recreate database "${name}": only [a-z0-9_] names are allowed`);
  }
  const client = new pg.Client({ connectionString: databaseUrlFor(url, 'postgres') });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(name);
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoted}`);
  } finally {
    await client.end();
  }
}
