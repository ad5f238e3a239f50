/**
 * The SQLite backend's own side of a large import: the agenda's partial index is dropped while the
 * runs are written and built again at the end (src/store/sqlite/import.ts), beside the import's
 * store tests that run on both backends (store.test.ts).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rejectedCsError } from '../support/errors.js';
import { manyRows, rows } from './book-rows.js';
import { freshStores, newSqliteStore, testPlaybook } from '../agenda/helpers.js';
import { startRun } from '../../src/engine/run.js';

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

  it('writes each run its own steps and start commit, runs that share a playbook and start date alike', async () => {
    const { store, path } = fresh();
    store.setActor('lan', '2026-11-26');
    await store.importBook(rows('name,playbook,start\nA,test-onboarding,2026-11-02\nB,other,2026-11-02\nC,test-onboarding,2026-11-02\nD,test-onboarding,2026-11-09'));
    const db = new Database(path, { readonly: true });
    try {
      const runs = db.prepare('SELECT r.id, a.name, r.playbook_id AS playbook, r.start_date AS start FROM runs r JOIN accounts a ON a.id = r.account_id ORDER BY a.name').all() as { id: number; name: string; playbook: string; start: string }[];
      expect(runs.map((run) => `${run.name} ${run.playbook} ${run.start}`)).toEqual(['A test-onboarding 2026-11-02', 'B other 2026-11-02', 'C test-onboarding 2026-11-02', 'D test-onboarding 2026-11-09']);
      for (const run of runs) {
        const playbook = testPlaybook(run.playbook, run.playbook === 'other' ? 'Khác' : 'Thử nghiệm');
        const expected = startRun(playbook, run.start).steps.map((step) => ({ step_id: step.id, position: step.index, phase_id: step.phaseId, due_date: step.due, status: 'open', applicable: 1 }));
        expect(db.prepare('SELECT step_id, position, phase_id, due_date, status, applicable FROM steps WHERE run_id = ? ORDER BY position').all(run.id)).toEqual(expected);
        expect(db.prepare('SELECT event, step_id AS stepId, made_by AS by FROM commits WHERE run_id = ?').all(run.id)).toEqual([{ event: 'start', stepId: null, by: 'lan' }]);
      }
    } finally {
      db.close();
    }
  });
});
