/**
 * The SQLite backend's own side of a large import: the agenda's partial index is dropped while the
 * runs are written and built again at the end (src/store/sqlite/import.ts), beside the import's
 * store tests that run on both backends (store.test.ts).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rejectedCsError } from '../support/errors.js';
import { manyRows, rows } from './book-rows.js';
import { freshStores, newSqliteStore } from '../agenda/helpers.js';

const fresh = freshStores(newSqliteStore);

/** The agenda's index as the database holds it (its definition and how many entries it has). */
function agendaIndex(path: string): { sql: string; entries: number } {
  const db = new Database(path, { readonly: true });
  try {
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'steps_open_by_due'").pluck().get() as string;
    const entries = db.prepare("SELECT count(*) FROM steps INDEXED BY steps_open_by_due WHERE status = 'open' AND applicable = 1 AND due_date > ''").pluck().get() as number;
    return { sql, entries };
  } finally {
    db.close();
  }
}

describe('a large import on SQLite', () => {
  it('builds the agenda\'s index again at the end, holding every open step as one written row by row does', async () => {
    const { store: big, path: bigPath } = fresh();
    const { store: small, path: smallPath } = fresh();
    await small.importBook(rows('name,playbook,start\nKhách 1,test-onboarding,2026-11-02'));
    const { sql } = agendaIndex(smallPath);
    expect(sql).toBe("CREATE INDEX steps_open_by_due ON steps(due_date, position, title, phase_id, due_revision, role) WHERE status = 'open' AND applicable = 1");
    await small.importBook(rows(manyRows(1000))); // into a database with a run: written row by row
    await big.importBook(rows(manyRows(1000))); // into an empty one: the index built at the end
    expect(agendaIndex(bigPath)).toEqual({ sql, entries: 3000 });
    expect(agendaIndex(smallPath)).toEqual({ sql, entries: 3000 });
  });

  it('failing half-way through its writes, leaves the index as it was', async () => {
    const { store, path } = fresh();
    await store.importBook(rows('name,playbook\nAlready Here,test-onboarding'));
    const db = new Database(path);
    db.exec(`CREATE TRIGGER fail_late BEFORE INSERT ON runs WHEN (SELECT count(*) FROM runs) >= 700
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    db.close();
    const index = agendaIndex(path);
    expect((await rejectedCsError(() => store.importBook(rows(manyRows(1000))))).message).toMatch(/disk trouble/);
    expect(agendaIndex(path)).toEqual(index);
  });
});
