/**
 * Which backend a test file runs against: SQLite (a temp file), or PostgreSQL when vitest's
 * "postgres" project runs it (CS_TEST_BACKEND=postgres). Each PostgreSQL database a test asks for
 * is a schema of its own in the server's `test` database (search_path in the URL, which needs no
 * session state), dropped when the file's tests are over.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { tempDir } from './tmp.js';

export type Backend = 'sqlite' | 'postgres';

export const backend: Backend = process.env.CS_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** The server the PostgreSQL half uses (CS_TEST_PG_URL, else the machines' test database). */
export const PG_URL = process.env.CS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether a PostgreSQL server answers at PG_URL. */
export function postgresReady(): boolean {
  const { hostname, port } = new URL(PG_URL);
  return spawnSync('pg_isready', ['-q', '-h', hostname, '-p', port || '5432'], { stdio: 'ignore' }).status === 0;
}

/** SQL on the server, as an administrator would type it (psql), never through cs's store. */
export function psql(sql: string, url = PG_URL): string {
  const result = spawnSync('psql', [url, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout.trim();
}

const schemas: string[] = [];
let counter = 0;

/** A URL whose first (and only) search_path schema is `schema`. */
export function schemaUrl(schema: string): string {
  // spaces as %20: libpq (psql) reads no '+' as a space in a URL
  return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** A new empty PostgreSQL database (a schema) for one test; dropped after the file. */
export function pgDatabase(): string {
  const schema = `cs_test_${process.pid}_${Date.now().toString(36)}_${(counter += 1)}`;
  psql(`CREATE SCHEMA ${schema}`);
  schemas.push(schema);
  return schemaUrl(schema);
}

/** Registered when the file loads (as tmp.ts does): a hook added inside a test would not run. */
afterAll(() => dropSchemas());

function dropSchemas(): void {
  const dropping = schemas.splice(0);
  if (dropping.length > 0) psql(dropping.map((schema) => `DROP SCHEMA IF EXISTS ${schema} CASCADE;`).join(' '));
}

/** A new empty database on the backend under test: a file path (not created yet) or a URL. */
export function testDatabase(): string {
  return backend === 'postgres' ? pgDatabase() : join(tempDir(), 'cs.db');
}

/** A value as an SQL literal (both backends), for statements written straight into a test database. */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

function isUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

/** Runs `sql` on a test database (a file or a URL) as an administrator would, never through cs's store. */
export function rawSql(database: string, sql: string): void {
  if (isUrl(database)) {
    psql(sql, database);
    return;
  }
  const db = new Database(database);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Row counts of `tables` of a test database (a file or a URL), read outside cs's store. */
export function rawCounts(database: string, tables: readonly string[]): Record<string, number> {
  if (isUrl(database)) {
    // cs creates its tables on a server at its first query: before that, each holds nothing
    const present = new Set(psql(`SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = current_schema()`, database).split(','));
    return Object.fromEntries(tables.map((table) => [table, present.has(table) ? Number(psql(`SELECT count(*) FROM ${table}`, database)) : 0]));
  }
  const db = new Database(database, { readonly: true });
  try {
    return Object.fromEntries(tables.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
