/** Shared by the agenda and accounts tests: a small playbook with day, week and month offsets, and a store in a temp folder. */
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Playbook } from '../../src/playbook/types.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { rawCounts, testDatabase } from '../support/backend.js';
import { tempDir } from '../support/tmp.js';

/** kickoff: 2d (its own); setup: 1w (its phase's); handover: 1m (its phase's). */
export function testPlaybook(id = 'test-onboarding', title = 'Thử nghiệm'): Playbook {
  return {
    id,
    title,
    kind: 'onboarding',
    version: 1,
    phases: [
      { id: 'week-1', title: 'Tuần 1', due: '1w', steps: [{ id: 'kickoff', title: 'Cuộc gọi khởi động', due: '2d' }, { id: 'setup', title: 'Cài đặt' }] },
      { id: 'month-1', title: 'Tháng 1', due: '1m', steps: [{ id: 'handover', title: 'Bàn giao' }] },
    ],
  };
}

/** A store on the backend under test: a temp file, or a schema of its own on the PostgreSQL half. */
export function newStore(): { store: Store; path: string } {
  const path = testDatabase();
  return { store: openStore(path), path };
}

/** Registers an afterEach that closes every store made; returns a maker of fresh stores (on the backend under test, else `make`'s). */
export function freshStores(make: () => { store: Store; path: string } = newStore): () => { store: Store; path: string } {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  return () => {
    const made = make();
    open.push(made.store);
    return made;
  };
}

/** A store in an SQLite file of its own, whichever backend the run tests (for SQLite's own tests). */
export function newSqliteStore(): { store: Store; path: string } {
  const path = join(tempDir('cs-sqlite-'), 'cs.db');
  return { store: openStore(path), path };
}

/** Row counts of tables of the database at `path` (a file, or a URL on the PostgreSQL half), read outside the store. */
export function tableCounts(path: string, tables: string[]): Record<string, number> {
  return rawCounts(path, tables);
}
