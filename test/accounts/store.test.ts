/** The store's importBook and renameAccount: one transaction, the same insert path as createRun, all or nothing. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../src/engine/book.js';
import { backend, rawSql } from '../support/backend.js';
import { inputRejection, rejectedCsError } from '../support/errors.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { freshStores, tableCounts, testPlaybook } from '../agenda/helpers.js';
import { spoken } from '../support/said.js';
import { manyRows, rows } from './book-rows.js';

const fresh = freshStores();

/** An outcome's counts and problems (its row-by-row plan is the dry run's, tested in book.test.ts). */
const tally = ({ accountsCreated, accountsUpdated, runsStarted, unchanged, problems }: ImportOutcome) => ({ accountsCreated, accountsUpdated, runsStarted, unchanged, problems });

const counts = (path: string) => tableCounts(path, ['accounts', 'runs', 'steps', 'snapshots']);

describe('store.importBook', () => {
  it('creates accounts with their fields and starts runs exactly as createRun does', async () => {
    const { store, path } = fresh();
    const outcome = await store.importBook(rows('name,owner,playbook,start,region\nÁnh Dương,lan,test-onboarding,2026-11-20,Hà Nội\nÁnh Dương,,other,,'));
    expect(tally(outcome)).toEqual({ accountsCreated: 1, accountsUpdated: 0, runsStarted: 2, unchanged: 0, problems: [] });
    const account = (await store.findAccount('ánh dương'))!;
    expect(account).toMatchObject({ name: 'Ánh Dương', owner: 'lan', fields: { region: 'Hà Nội' } });
    const [imported, second] = await store.listRuns({ accountId: account.id });
    const made = await store.createRun(await store.ensureAccount('Reference', 'lan'), testPlaybook(), { startDate: '2026-11-20' });
    const loaded = (await store.loadRun(imported!.id))!;
    expect(loaded.state).toEqual(made.state);
    expect(loaded.run).toMatchObject({ owner: 'lan', startDate: '2026-11-20', playbookId: 'test-onboarding', status: 'open' });
    expect((await store.loadRun(second!.id))!.run).toMatchObject({ owner: 'lan', startDate: '2026-11-26', playbookId: 'other' });
    expect(counts(path)).toEqual({ accounts: 2, runs: 3, steps: 9, snapshots: 2 });
  });

  it('imports the same rows again as unchanged, writing nothing', async () => {
    const { store, path } = fresh();
    const book = rows(manyRows(50));
    await store.importBook(book);
    const before = counts(path);
    expect(tally(await store.importBook(book))).toEqual({ accountsCreated: 0, accountsUpdated: 0, runsStarted: 0, unchanged: 50, problems: [] });
    expect(counts(path)).toEqual(before);
  });

  it('a dry run plans the same and writes nothing', async () => {
    const { store, path } = fresh();
    const before = counts(path);
    expect(tally(await store.importBook(rows(manyRows(20)), { dryRun: true }))).toEqual({ accountsCreated: 20, accountsUpdated: 0, runsStarted: 20, unchanged: 0, problems: [] });
    expect(counts(path)).toEqual(before);
  });

  it('with a conflict in the database it writes nothing and names the row', async () => {
    const { store, path } = fresh();
    await store.importBook(rows('name,playbook,start\nAcme,test-onboarding,2026-11-01'));
    const before = counts(path);
    const outcome = await store.importBook(rows('name,playbook,start\nNew One,test-onboarding,\nACME,test-onboarding,2026-11-20'));
    expect(spoken(outcome.problems)).toEqual([{ line: 3, message: '"ACME" already has an open run #1 of test-onboarding (started 2026-11-01)' }]);
    expect(counts(path)).toEqual(before);
  });

  it('a failure half-way through the writes rolls the whole import back', async () => {
    const { store, path } = fresh();
    await store.importBook(rows('name,playbook\nAlready Here,test-onboarding'));
    const before = counts(path);
    // the 700th run fails as a full disk would, half-way through the import's writes
    rawSql(
      path,
      backend === 'postgres'
        ? `CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF (SELECT count(*) FROM runs) >= 700 THEN RAISE EXCEPTION 'disk trouble'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER fail_late BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION fail_late();`
        : `CREATE TRIGGER fail_late BEFORE INSERT ON runs WHEN (SELECT count(*) FROM runs) >= 700
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;`,
    );
    const error = await rejectedCsError(() => store.importBook(rows(manyRows(1000))));
    expect(error.message).toMatch(/disk trouble/);
    expect(counts(path)).toEqual(before);
  });

  it('a large import into an empty database holds the same agenda as one into a database with a run', async () => {
    const { store: big } = fresh();
    const { store: small } = fresh();
    await small.importBook(rows('name,playbook,start\nKhách 1,test-onboarding,2026-11-02'));
    await small.importBook(rows(manyRows(1000))); // on SQLite: written into the agenda's index row by row
    await big.importBook(rows(manyRows(1000))); // on SQLite: the index built at the end
    const agenda = async (store: typeof big) => [...(await store.agenda({ until: '2026-12-31' }))].map(({ due, account, stepId }) => `${due} ${account} ${stepId}`).sort();
    expect(await agenda(big)).toHaveLength(3000);
    expect(await agenda(big)).toEqual(await agenda(small));
  });

  it('reports progress as the runs are written, ending at the total', async () => {
    const { store } = fresh();
    const seen: [number, number][] = [];
    await store.importBook(rows(manyRows(1000)), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen.at(-1)).toEqual([1000, 1000]);
    expect(seen.every(([done], index) => index === 0 || done > seen[index - 1]![0])).toBe(true);
    expect((await store.importBook(rows(manyRows(10)), { dryRun: true, onProgress: () => seen.push([-1, -1]) })).unchanged).toBe(10);
    expect(seen.at(-1)).toEqual([1000, 1000]);
  });
});

describe('store.renameAccount', () => {
  it('renames, and keeps the account findable by its new name in any normalisation', async () => {
    const { store } = fresh();
    const account = await store.ensureAccount('Cong ty A');
    expect(await store.renameAccount(account.id, '  Công   ty Ánh Dương '.normalize('NFD'))).toMatchObject({ id: account.id, name: 'Công ty Ánh Dương' });
    expect((await store.findAccount('CÔNG TY ÁNH DƯƠNG'))?.id).toBe(account.id);
    expect(await store.findAccount('Cong ty A')).toBeUndefined();
  });

  it('refuses (exit 2) a name another account has, in any case or normalisation', async () => {
    const { store } = fresh();
    const first = await store.ensureAccount('Ánh Dương');
    const second = await store.ensureAccount('Bình Minh');
    const error = await inputRejection(() => store.renameAccount(second.id, 'ÁNH DƯƠNG'.normalize('NFD')));
    expect(error.message).toBe('another account is already named "Ánh Dương"');
    expect((await store.findAccount('Bình Minh'))?.id).toBe(second.id);
    // a new spelling of its own name is fine
    expect((await store.renameAccount(first.id, 'ÁNH DƯƠNG')).name).toBe('ÁNH DƯƠNG');
  });
});

describe('look-alike names are one account, the spelling first typed kept', () => {
  it('Hoà/Hòa, Thuỷ/Thủy and a zero-width space find the account made first', async () => {
    const { store } = fresh();
    const first = await store.ensureAccount('Công ty Thuỷ sản Hoà Bình', 'lan');
    for (const spelling of ['Công ty Thủy sản Hòa Bình', 'CÔNG TY THỦY SẢN HÒA BÌNH', 'Công ty\u200b Thuỷ sản Hoà Bình', 'Công ty Thủy sản Hòa Bình'.normalize('NFD')]) {
      expect((await store.findAccount(spelling))?.id, spelling).toBe(first.id);
      expect(await store.ensureAccount(spelling)).toMatchObject({ id: first.id, name: 'Công ty Thuỷ sản Hoà Bình' });
    }
    expect(await store.listAccounts()).toHaveLength(1);
  });

  it('an import row in the other style is the same account; a rename to a look-alike of another is refused', async () => {
    const { store } = fresh();
    await store.ensureAccount('Khoẻ Mạnh');
    const outcome = await store.importBook(rows('name,playbook\nKhỏe Mạnh,test-onboarding\nQúy Long,test-onboarding'));
    expect(outcome).toMatchObject({ accountsCreated: 1, runsStarted: 2 });
    expect((await store.listAccounts()).map((account) => account.name).sort()).toEqual(['Khoẻ Mạnh', 'Qúy Long']);
    const quy = (await store.findAccount('Quý Long'))!;
    expect(quy.name).toBe('Qúy Long');
    expect((await inputRejection(() => store.renameAccount(quy.id, 'Khỏe Mạnh'))).message).toBe('another account is already named "Khoẻ Mạnh"');
  });
});

describe('migration 4: name keys recomputed', () => {
  it('folds old keys; look-alikes that were two accounts stay two, each found by its exact spelling', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { MIGRATIONS, APPLICATION_ID } = await import('../../src/store/migrations.js');
    const { openStore } = await import('../../src/store/index.js');
    const path = join(mkdtempSync(join(tmpdir(), 'cs-migrate-')), 'cs.db');
    const db = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 3)) db.exec(migration);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 3');
    const insert = db.prepare("INSERT INTO accounts (name, name_key, created_at) VALUES (?, ?, '2026-11-01T00:00:00.000Z')");
    // the keys schema 3 wrote: NFC, lower case, spaces folded
    for (const name of ['Hoà Bình', 'Thuỷ Lợi', 'Hòa Bình', 'Acme\u200b']) insert.run(name, name.toLowerCase());
    db.close();

    const store = openStore(path);
    try {
      expect((await store.findAccount('Thủy Lợi'))?.name).toBe('Thuỷ Lợi');
      expect((await store.findAccount('Acme'))?.name).toBe('Acme\u200b');
      expect((await store.findAccount('Hoà Bình'))?.name).toBe('Hoà Bình');
      expect((await store.findAccount('Hòa Bình'))?.name, 'the later look-alike, by its exact spelling').toBe('Hòa Bình');
      expect((await store.findAccount('HOÀ BÌNH'))?.name, 'any other spelling: the oldest').toBe('Hoà Bình');
      expect(await store.listAccounts()).toHaveLength(4);
      expect((await store.check()).schemaVersion).toBe(SCHEMA_VERSION);
    } finally {
      await store.close();
    }
  });
});
