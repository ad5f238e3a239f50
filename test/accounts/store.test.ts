/** The store's importBook and renameAccount: one transaction, the same insert path as createRun, all or nothing. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseBook } from '../../src/engine/book-csv.js';
import type { BookRow, ImportOutcome } from '../../src/engine/book.js';
import type { Playbook } from '../../src/playbook/types.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { inputRefusal, thrownCsError } from '../support/errors.js';
import { freshStores, tableCounts, testPlaybook } from '../agenda/helpers.js';

const fresh = freshStores();

const PLAYBOOKS = new Map<string, Playbook>([
  ['test-onboarding', testPlaybook()],
  ['other', testPlaybook('other', 'Khác')],
]);

function rows(text: string): BookRow[] {
  const book = parseBook(text, { file: 'book.csv', today: '2026-11-26', playbook: (id) => PLAYBOOKS.get(id), unknownPlaybook: (id) => `unknown ${id}`, defaultPlaybook: () => PLAYBOOKS.get('test-onboarding')! });
  expect(book.problems).toEqual([]);
  return book.rows;
}

/** An outcome's counts and problems (its row-by-row plan is the dry run's, tested in book.test.ts). */
const tally = ({ accountsCreated, accountsUpdated, runsStarted, unchanged, problems }: ImportOutcome) => ({ accountsCreated, accountsUpdated, runsStarted, unchanged, problems });

const counts = (path: string) => tableCounts(path, ['accounts', 'runs', 'steps', 'snapshots']);

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

function manyRows(count: number): string {
  const lines = ['name,owner,playbook,start'];
  for (let index = 1; index <= count; index += 1) lines.push(`Khách ${index},lan,test-onboarding,2026-11-${String((index % 28) + 1).padStart(2, '0')}`);
  return lines.join('\n');
}

describe('store.importBook', () => {
  it('creates accounts with their fields and starts runs exactly as createRun does', () => {
    const { store, path } = fresh();
    const outcome = store.importBook(rows('name,owner,playbook,start,region\nÁnh Dương,lan,test-onboarding,2026-11-20,Hà Nội\nÁnh Dương,,other,,'));
    expect(tally(outcome)).toEqual({ accountsCreated: 1, accountsUpdated: 0, runsStarted: 2, unchanged: 0, problems: [] });
    const account = store.findAccount('ánh dương')!;
    expect(account).toMatchObject({ name: 'Ánh Dương', owner: 'lan', fields: { region: 'Hà Nội' } });
    const [imported, second] = store.listRuns({ accountId: account.id });
    const made = store.createRun(store.ensureAccount('Reference', 'lan'), testPlaybook(), { startDate: '2026-11-20' });
    const loaded = store.loadRun(imported!.id)!;
    expect(loaded.state).toEqual(made.state);
    expect(loaded.run).toMatchObject({ owner: 'lan', startDate: '2026-11-20', playbookId: 'test-onboarding', status: 'open' });
    expect(store.loadRun(second!.id)!.run).toMatchObject({ owner: 'lan', startDate: '2026-11-26', playbookId: 'other' });
    expect(counts(path)).toEqual({ accounts: 2, runs: 3, steps: 9, snapshots: 2 });
  });

  it('imports the same rows again as unchanged, writing nothing', () => {
    const { store, path } = fresh();
    const book = rows(manyRows(50));
    store.importBook(book);
    const before = counts(path);
    expect(tally(store.importBook(book))).toEqual({ accountsCreated: 0, accountsUpdated: 0, runsStarted: 0, unchanged: 50, problems: [] });
    expect(counts(path)).toEqual(before);
  });

  it('a dry run plans the same and writes nothing', () => {
    const { store, path } = fresh();
    const before = counts(path);
    expect(tally(store.importBook(rows(manyRows(20)), { dryRun: true }))).toEqual({ accountsCreated: 20, accountsUpdated: 0, runsStarted: 20, unchanged: 0, problems: [] });
    expect(counts(path)).toEqual(before);
  });

  it('with a conflict in the database it writes nothing and names the row', () => {
    const { store, path } = fresh();
    store.importBook(rows('name,playbook,start\nAcme,test-onboarding,2026-11-01'));
    const before = counts(path);
    const outcome = store.importBook(rows('name,playbook,start\nNew One,test-onboarding,\nACME,test-onboarding,2026-11-20'));
    expect(outcome.problems).toEqual([{ line: 3, message: '"ACME" already has an open run #1 of test-onboarding (started 2026-11-01)' }]);
    expect(counts(path)).toEqual(before);
  });

  it('a failure half-way through the writes rolls the whole import back', () => {
    const { store, path } = fresh();
    store.importBook(rows('name,playbook\nAlready Here,test-onboarding'));
    const before = counts(path);
    const db = new Database(path);
    db.exec(`CREATE TRIGGER fail_late BEFORE INSERT ON runs WHEN (SELECT count(*) FROM runs) >= 700
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    db.close();
    const index = agendaIndex(path);
    const error = thrownCsError(() => store.importBook(rows(manyRows(1000))));
    expect(error.message).toMatch(/disk trouble/);
    expect(counts(path)).toEqual(before);
    // a large import drops the agenda's index while it writes: rolled back, the index is there again
    expect(agendaIndex(path)).toEqual(index);
  });

  it('a large import builds the agenda\'s index again at the end, holding every open step as one written row by row does', () => {
    const { store: big, path: bigPath } = fresh();
    const { store: small, path: smallPath } = fresh();
    small.importBook(rows('name,playbook,start\nKhách 1,test-onboarding,2026-11-02'));
    const { sql } = agendaIndex(smallPath);
    expect(sql).toBe("CREATE INDEX steps_open_by_due ON steps(due_date, position, title, phase_id, due_revision) WHERE status = 'open' AND applicable = 1");
    small.importBook(rows(manyRows(1000))); // into a database with a run: written row by row
    big.importBook(rows(manyRows(1000))); // into an empty one: the index built at the end
    expect(agendaIndex(bigPath)).toEqual({ sql, entries: 3000 });
    expect(agendaIndex(smallPath)).toEqual({ sql, entries: 3000 });
    const agenda = (store: typeof big) => [...store.agenda({ until: '2026-12-31' })].map(({ due, account, stepId }) => `${due} ${account} ${stepId}`).sort();
    expect(agenda(big)).toHaveLength(3000);
    expect(agenda(big)).toEqual(agenda(small));
  });

  it('reports progress as the runs are written, ending at the total', () => {
    const { store } = fresh();
    const seen: [number, number][] = [];
    store.importBook(rows(manyRows(1000)), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen.at(-1)).toEqual([1000, 1000]);
    expect(seen.every(([done], index) => index === 0 || done > seen[index - 1]![0])).toBe(true);
    expect(store.importBook(rows(manyRows(10)), { dryRun: true, onProgress: () => seen.push([-1, -1]) }).unchanged).toBe(10);
    expect(seen.at(-1)).toEqual([1000, 1000]);
  });
});

describe('store.renameAccount', () => {
  it('renames, and keeps the account findable by its new name in any normalisation', () => {
    const { store } = fresh();
    const account = store.ensureAccount('Cong ty A');
    expect(store.renameAccount(account.id, '  Công   ty Ánh Dương '.normalize('NFD'))).toMatchObject({ id: account.id, name: 'Công ty Ánh Dương' });
    expect(store.findAccount('CÔNG TY ÁNH DƯƠNG')?.id).toBe(account.id);
    expect(store.findAccount('Cong ty A')).toBeUndefined();
  });

  it('refuses (exit 2) a name another account has, in any case or normalisation', () => {
    const { store } = fresh();
    const first = store.ensureAccount('Ánh Dương');
    const second = store.ensureAccount('Bình Minh');
    const error = inputRefusal(() => store.renameAccount(second.id, 'ÁNH DƯƠNG'.normalize('NFD')));
    expect(error.message).toBe('another account is already named "Ánh Dương"');
    expect(store.findAccount('Bình Minh')?.id).toBe(second.id);
    // a new spelling of its own name is fine
    expect(store.renameAccount(first.id, 'ÁNH DƯƠNG').name).toBe('ÁNH DƯƠNG');
  });
});

describe('look-alike names are one account, the spelling first typed kept', () => {
  it('Hoà/Hòa, Thuỷ/Thủy and a zero-width space find the account made first', () => {
    const { store } = fresh();
    const first = store.ensureAccount('Công ty Thuỷ sản Hoà Bình', 'lan');
    for (const spelling of ['Công ty Thủy sản Hòa Bình', 'CÔNG TY THỦY SẢN HÒA BÌNH', 'Công ty\u200b Thuỷ sản Hoà Bình', 'Công ty Thủy sản Hòa Bình'.normalize('NFD')]) {
      expect(store.findAccount(spelling)?.id, spelling).toBe(first.id);
      expect(store.ensureAccount(spelling)).toMatchObject({ id: first.id, name: 'Công ty Thuỷ sản Hoà Bình' });
    }
    expect(store.listAccounts()).toHaveLength(1);
  });

  it('an import row in the other style is the same account; a rename to a look-alike of another is refused', () => {
    const { store } = fresh();
    store.ensureAccount('Khoẻ Mạnh');
    const outcome = store.importBook(rows('name,playbook\nKhỏe Mạnh,test-onboarding\nQúy Long,test-onboarding'));
    expect(outcome).toMatchObject({ accountsCreated: 1, runsStarted: 2 });
    expect(store.listAccounts().map((account) => account.name).sort()).toEqual(['Khoẻ Mạnh', 'Qúy Long']);
    const quy = store.findAccount('Quý Long')!;
    expect(quy.name).toBe('Qúy Long');
    expect(inputRefusal(() => store.renameAccount(quy.id, 'Khỏe Mạnh')).message).toBe('another account is already named "Khoẻ Mạnh"');
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
      expect(store.findAccount('Thủy Lợi')?.name).toBe('Thuỷ Lợi');
      expect(store.findAccount('Acme')?.name).toBe('Acme\u200b');
      expect(store.findAccount('Hoà Bình')?.name).toBe('Hoà Bình');
      expect(store.findAccount('Hòa Bình')?.name, 'the later look-alike, by its exact spelling').toBe('Hòa Bình');
      expect(store.findAccount('HOÀ BÌNH')?.name, 'any other spelling: the oldest').toBe('Hoà Bình');
      expect(store.listAccounts()).toHaveLength(4);
      expect(store.check().schemaVersion).toBe(SCHEMA_VERSION);
    } finally {
      store.close();
    }
  });
});
