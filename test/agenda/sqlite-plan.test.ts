/**
 * What SQLite reads for the agenda (its query plan) and how it keeps snapshots: the SQLite backend's
 * own, beside the store tests that run on both backends (store.test.ts).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { agendaSql } from '../../src/store/sqlite/agenda.js';
import { freshStores, newSqliteStore, testPlaybook } from './helpers.js';

const fresh = freshStores(newSqliteStore);

describe('the agenda on SQLite', () => {
  it('answers from the partial index of open steps by due date, and reads no snapshot', async () => {
    const { store, path } = fresh();
    await store.createRun(await store.ensureAccount('Acme'), testPlaybook(), { startDate: '2026-11-25' });
    const db = new Database(path, { readonly: true });
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ until: '2026-12-01', accountId: 1, owner: 'x' }) as { detail: string }[]).map((row) => row.detail).join('\n');
    try {
      // every column the agenda needs of a step is in the index: the steps table itself is not read
      expect(plan(agendaSql())).toMatch(/^SEARCH s USING COVERING INDEX steps_open_by_due \(due_date<\?\)$/m);
      expect(plan(agendaSql())).not.toMatch(/TEMP B-TREE/); // already in due-date order
      expect(plan(agendaSql(['r.account_id = @accountId']))).toMatch(/USING INDEX runs_by_account/); // one account: its runs first
      for (const sql of [agendaSql(), agendaSql(['r.account_id = @accountId'])]) {
        expect(plan(sql)).not.toMatch(/SCAN/);
        expect(plan(sql)).not.toMatch(/snapshot/);
      }
      expect(agendaSql().slice(0, agendaSql().indexOf('FROM'))).not.toContain('snapshot');
    } finally {
      db.close();
    }
  });
});

describe('snapshots', () => {
  it('runs of the same playbook share one snapshot row', async () => {
    const { store, path } = fresh();
    for (const name of ['A', 'B', 'C']) await store.createRun(await store.ensureAccount(name), testPlaybook(), { startDate: '2026-11-26' });
    await store.createRun(await store.ensureAccount('D'), testPlaybook('other'), { startDate: '2026-11-26' });
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM snapshots').get()).toEqual({ n: 2 });
      expect(db.prepare("SELECT count(*) AS n FROM runs WHERE snapshot = '' AND snapshot_id IS NOT NULL").get()).toEqual({ n: 4 });
    } finally {
      db.close();
    }
    expect((await store.loadRun(4))!.state.playbook).toEqual(testPlaybook('other'));
  });
});
