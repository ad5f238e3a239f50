/** The SQLite store (src/store/sqlite/): schema, snapshots, permissions, and files it must not adopt. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CsError } from '../../src/errors.js';
import { inputRefusal } from '../support/errors.js';
import { apply } from '../../src/engine/run.js';
import type { RunEvent } from '../../src/engine/run.js';
import { openStore } from '../../src/store/index.js';
import type { LoadedRun, Store } from '../../src/store/index.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import type { Playbook } from '../../src/playbook/types.js';
import { fixturePlaybook } from '../support/playbooks.js';
import { tempDir } from '../support/tmp.js';

const NAME = 'Công ty Ánh Dương';

function newDbPath(): string {
  return join(tempDir(), 'cs.db');
}

/** Opens the store, runs `work`, closes it (also on failure). */
async function withStore<T>(path: string, work: (store: Store) => T | Promise<T>): Promise<T> {
  const store = openStore(path);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Commits events the way the walk does: the engine checks each, the store keeps it. */
async function commitAll(store: Store, loaded: LoadedRun, events: RunEvent[]): Promise<void> {
  let state = loaded.state;
  for (const event of events) {
    state = apply(state, event);
    await store.commit(loaded.run.id, event);
  }
}

/** Opening `path` must fail with exit 2, a message naming the file, and leave its bytes as they were. */
function expectRefusedUnchanged(path: string, message: RegExp): CsError {
  const before = readFileSync(path);
  const error = inputRefusal(() => openStore(path).close());
  expect(error.message).toContain(path);
  expect(error.message).toMatch(message);
  expect(readFileSync(path).equals(before)).toBe(true);
  for (const suffix of ['-wal', '-shm', '-journal']) expect(existsSync(path + suffix)).toBe(false);
  return error;
}

describe('schema', () => {
  it('a new database gets the schema version and the cs application id', async () => {
    const path = newDbPath();
    withStore(path, () => undefined);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(APPLICATION_ID).toBe(0x43534442);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
      expect(tables).toEqual(expect.arrayContaining(['accounts', 'answers', 'runs', 'steps']));
    } finally {
      db.close();
    }
  });

  it('reopening keeps accounts, runs, answers and statuses', async () => {
    const path = newDbPath();
    const playbook = fixturePlaybook('walk-test');
    const runId = await withStore(path, async (store) => {
      const loaded = await store.createRun(await store.ensureAccount(NAME, 'lan'), playbook, { startDate: '2026-11-26' });
      await commitAll(store, loaded, [
        { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Giảm thời gian chờ' },
        { type: 'tick', stepId: 'kickoff', item: 1, checked: true },
        { type: 'complete', stepId: 'kickoff' },
        { type: 'answer', stepId: 'setup', fieldId: 'modules', value: ['crm', 'billing'] },
        { type: 'note', stepId: 'setup', text: 'Chờ phòng IT' },
      ]);
      return loaded.run.id;
    });
    await withStore(path, async (store) => {
      expect((await store.listAccounts()).map((account) => [account.name, account.owner])).toEqual([[NAME, 'lan']]);
      const loaded = (await store.loadRun(runId))!;
      expect(loaded.run).toMatchObject({ accountName: NAME, playbookId: 'walk-test', playbookVersion: 3, status: 'open', owner: 'lan', startDate: '2026-11-26' });
      expect(loaded.state.steps[0]).toMatchObject({ status: 'done', answers: { goals: 'Giảm thời gian chờ' }, checked: [1], due: '2026-11-28' });
      expect(loaded.state.steps[1]).toMatchObject({ status: 'open', answers: { modules: ['crm', 'billing'] }, note: 'Chờ phòng IT' });
      expect(loaded.state.cursor).toBe(1);
    });
  });

  it('a database of schema 1 is migrated to the current schema and keeps its runs', async () => {
    const path = newDbPath();
    const playbook = fixturePlaybook('walk-test');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO accounts (id, name, name_key, created_at) VALUES (1, ?, ?, '2026-11-01T00:00:00Z')").run(NAME, NAME.toLowerCase());
    old
      .prepare(
        `INSERT INTO runs (id, account_id, playbook_id, playbook_version, playbook_title, kind, snapshot, start_date, created_at, updated_at)
         VALUES (7, 1, 'walk-test', 3, ?, 'other', ?, '2026-11-01', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
      )
      .run(playbook.title, JSON.stringify(playbook));
    const step = old.prepare("INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, status) VALUES (7, ?, ?, ?, ?, ?, ?)");
    step.run('kickoff', 0, 'week-1', 'Cuộc gọi khởi động', '2026-11-03', 'done');
    step.run('setup', 1, 'week-1', 'Cài đặt', '2026-11-08', 'open');
    step.run('handover', 2, 'month-1', 'Bàn giao cho CSM', '2026-12-01', 'open');
    old.prepare("INSERT INTO answers VALUES (7, 'kickoff', 'goals', ?, '2026-11-02T00:00:00Z')").run(JSON.stringify('Mục tiêu cũ'));
    old.close();

    await withStore(path, async (store) => {
      const loaded = (await store.loadRun(7))!;
      expect(loaded.state.playbook).toEqual(playbook);
      expect(loaded.state.steps[0]).toMatchObject({ status: 'done', answers: { goals: 'Mục tiêu cũ' } });
      expect(loaded.state.cursor).toBe(1);
    });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // migration 8 worked out the run's figures from its steps
    expect(db.prepare('SELECT * FROM run_summaries').all()).toEqual([{ run_id: 7, done: 1, skipped: 0, open: 2, not_applicable: 0, next_position: 1, next_due: '2026-11-08', earliest_due: '2026-11-08' }]);
    db.close();
  });

  it('a finished run is kept as finished', async () => {
    const path = newDbPath();
    await withStore(path, async (store) => {
      const loaded = await store.createRun(await store.ensureAccount('Acme'), fixturePlaybook('walk-test'), { startDate: '2026-11-26' });
      await commitAll(store, loaded, [
        { type: 'skip', stepId: 'kickoff', reason: 'a' },
        { type: 'skip', stepId: 'setup', reason: 'b' },
        { type: 'skip', stepId: 'handover', reason: 'c' },
        { type: 'finish' },
      ]);
      const again = (await store.loadRun(loaded.run.id))!;
      expect(again.run.status).toBe('finished');
      expect(again.run.finishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(again.state.status).toBe('finished');
      expect(await store.listRuns({ status: 'open' })).toEqual([]);
    });
  });
});

describe('playbook snapshot', () => {
  it('a run keeps the playbook it started with, whatever happens to the playbook later', async () => {
    const path = newDbPath();
    const playbook: Playbook = fixturePlaybook('walk-test');
    const original = structuredClone(playbook);
    await withStore(path, async (store) => {
      const { run } = await store.createRun(await store.ensureAccount(NAME), playbook, { startDate: '2026-11-26' });
      // the file is edited: a step renamed, a field removed, a phase dropped, the version bumped
      playbook.version = 4;
      playbook.phases[0]!.steps[0]!.title = 'Đổi tên';
      playbook.phases[0]!.steps[0]!.fields!.pop();
      playbook.phases.pop();
      const loaded = (await store.loadRun(run.id))!;
      expect(loaded.state.playbook).toEqual(original);
      expect(loaded.state.steps.map((step) => step.id)).toEqual(['kickoff', 'setup', 'handover']);
      expect(loaded.run.playbookVersion).toBe(3);
    });
  });
});

describe('file permissions', () => {
  it('creates the database 0600 in a new folder 0700 (and its WAL files 0600)', async () => {
    const path = join(tempDir(), 'new', 'deeper', 'cs.db');
    await withStore(path, async (store) => {
      await store.ensureAccount('Acme');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
      expect(statSync(join(path, '..', '..')).mode & 0o777).toBe(0o700);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(path + suffix)) expect(statSync(path + suffix).mode & 0o777).toBe(0o600);
      }
    });
  });
});

describe('files that are not ours', () => {
  it('a file of random bytes: exit 2, untouched', async () => {
    const path = newDbPath();
    writeFileSync(path, Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256)));
    expectRefusedUnchanged(path, /is not a cs database: it is not an SQLite database/);
  });

  it('a short text file: exit 2, untouched', async () => {
    const path = newDbPath();
    writeFileSync(path, 'hello\n');
    const error = expectRefusedUnchanged(path, /not an SQLite database/);
    expect(error.hint).toMatch(/--db/);
  });

  it("another program's SQLite database: exit 2, untouched", async () => {
    const path = newDbPath();
    const other = new Database(path);
    other.exec("CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO contacts (email) VALUES ('a@b.vn');");
    other.close();
    expectRefusedUnchanged(path, /is not a cs database: it is an SQLite database of another program/);
  });

  it('an SQLite database with a foreign application id: exit 2, untouched', async () => {
    const path = newDbPath();
    const other = new Database(path);
    other.pragma('application_id = 1234');
    other.pragma('user_version = 1');
    other.close();
    expectRefusedUnchanged(path, /another program/);
  });

  it('a folder as the path: exit 2', async () => {
    const path = join(tempDir(), 'a-folder');
    mkdirSync(path);
    expect(inputRefusal(() => openStore(path)).message).toBe(`the database path ${path} is a folder`);
  });

  it('a database written by a newer cs: a runtime error saying to update', async () => {
    const path = newDbPath();
    withStore(path, () => undefined);
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(/newer cs/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('accounts', () => {
  it('NFC and NFD spellings of a name are one account, stored in NFC', async () => {
    await withStore(newDbPath(), async (store) => {
      const first = await store.ensureAccount(NAME.normalize('NFD'), 'lan');
      const second = await store.ensureAccount(NAME);
      expect(second.id).toBe(first.id);
      expect(first.name).toBe(NAME);
      expect((await store.findAccount(NAME.normalize('NFD')))?.id).toBe(first.id);
      expect((await store.findAccount(`  ${NAME.toUpperCase()} `))?.id).toBe(first.id);
      expect(await store.listAccounts()).toHaveLength(1);
    });
  });

  it('the first owner given is kept; a later one does not replace it', async () => {
    await withStore(newDbPath(), async (store) => {
      await store.ensureAccount('Acme');
      expect((await store.ensureAccount('Acme', 'lan')).owner).toBe('lan');
      expect((await store.ensureAccount('acme', 'minh')).owner).toBe('lan');
    });
  });
});
