/** The PostgreSQL backend of the Store interface (../store.ts). Opening it connects nothing: the first call does. */
import { outcomeOf, planImport } from '../../engine/book.js';
import type { BookLookup, BookRow, ImportOutcome, StoredAccount, StoredRun } from '../../engine/book.js';
import { accountKey, cleanAccountName, compareNames } from '../../engine/names.js';
import type { RunEvent, RunState } from '../../engine/run.js';
import { ownerKeysOf } from '../../people/person.js';
import type { Playbook } from '../../playbook/types.js';
import { databaseName } from '../location.js';
import type { BookReport, ReportQuery } from '../../engine/report.js';
import { nameTaken, noSuchAccount, noSuchRun } from '../refusals.js';
import { said } from '../../i18n/messages.js';
import type { Said } from '../../i18n/messages.js';
import type {
  Account,
  CommitRecord,
  MemberChanges,
  NewMember,
  TeamMember,
  AccountSummary,
  AgendaEntry,
  AgendaQuery,
  CalendarExport,
  CommitOutcome,
  DatabaseCheck,
  Draft,
  ImportOptions,
  LoadedRun,
  LoadOptions,
  NewRun,
  OwnerQuery,
  Run,
  RunFilter,
  RunStanding,
  SeenStep,
  ShiftRecord,
  Store,
  StoreOptions,
  UndoneShift,
  ActionEntry,
  ActionQuery,
} from '../store.js';
import type { AccountRow } from '../rows.js';
import { toAccount } from '../rows.js';
import { PgConnection } from './connection.js';
import * as report from './report.js';
import * as v2 from './v2.js';
import type { Queryable } from './connection.js';
import * as runs from './runs.js';
import * as people from './people.js';
import { now } from './runs.js';
import { prepareSchema, schemaVersion } from './schema.js';
import type { TableRows } from '../copy.js';
import { columnSql, TABLES } from '../copy.js';
import { accountFiguresSql, DRIFTED_SUMMARIES_SQL, overdueByAccountSql } from '../summaries.js';

export function openPostgresStore(url: string, options: StoreOptions = {}): Store {
  return new PostgresStore(url, options);
}

/** The owner test of SQLite's cs_owner_is, in JavaScript: the stored owner shares a key with the query's. */
function ownerMatcher(owner: OwnerQuery): (stored: string | null) => boolean {
  const wanted = new Set(typeof owner === 'string' ? ownerKeysOf(owner) : owner);
  return (stored) => stored !== null && ownerKeysOf(stored).some((key) => wanted.has(key));
}

/**
 * The agenda's open steps due by `query.until`, soonest first (`moreColumns`: the calendar's), steps
 * due the same day in the order SQLite reads them from its index (its columns, then the step's key),
 * so both backends print the same agenda.
 */
async function agendaRows<T extends AgendaEntry>(q: Queryable, query: AgendaQuery, moreColumns = ''): Promise<T[]> {
  const params: unknown[] = [query.until];
  const byAccount = query.accountId === undefined ? '' : ` AND r.account_id = $${params.push(query.accountId)}`;
  const rows = await q.rows<T & Record<string, unknown>>(
    `SELECT s.due_date AS due, a.name AS account, s.run_id AS "runId", r.playbook_id AS "playbookId",
       r.playbook_title AS "playbookTitle", s.step_id AS "stepId", s.title AS step, s.phase_id AS phase,
       s.position AS position, ${STEP_OWNER} AS owner${moreColumns}
     FROM steps s JOIN runs r ON r.id = s.run_id JOIN accounts a ON a.id = r.account_id
     WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date <= $1 AND r.status = 'open'${byAccount}
     ORDER BY s.due_date, s.position, s.title COLLATE "C", s.phase_id COLLATE "C", s.due_revision, s.run_id, s.step_id COLLATE "C"`,
    params,
  );
  if (query.owner === undefined) return rows;
  const mine = ownerMatcher(query.owner);
  return rows.filter((row) => mine(row.owner) || (query.orUnowned === true && row.owner === null));
}

/** Whose a step is: the account's person of the role it names, else the run's owner, else the account's (as SQLite's STEP_OWNER). */
const STEP_OWNER = `COALESCE(CASE WHEN s.role IS NOT NULL AND a.fields <> '{}' THEN a.fields::json ->> s.role END, r.owner, a.owner)`;

/** Every import (and account creation by one) holds this for its transaction: two imports never plan against each other's half. */
const IMPORT_LOCK = 0x63735f69; // "cs_i"

export class PostgresStore implements Store {
  readonly path: string;
  private readonly c: PgConnection;

  constructor(url: string, options: StoreOptions = {}) {
    this.path = databaseName(url);
    this.c = new PgConnection(url, this.path, (q) => prepareSchema(q, this.path), options.calendar);
  }

  async findAccount(name: string): Promise<Account | undefined> {
    const [row] = await this.c.rows<AccountRow>('SELECT * FROM accounts WHERE name_key = $1', [accountKey(name)]);
    return row && toAccount(row);
  }

  async ensureAccount(name: string, owner?: string): Promise<Account> {
    const clean = cleanAccountName(name);
    const key = accountKey(clean);
    return this.c.transaction(async (q) => {
      await q.run('INSERT INTO accounts (name, name_key, owner, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name_key) DO NOTHING', [clean, key, owner ?? null, now()]);
      if (owner) await q.run('UPDATE accounts SET owner = $1 WHERE name_key = $2 AND owner IS NULL', [owner, key]);
      const [row] = await q.rows<AccountRow>('SELECT * FROM accounts WHERE name_key = $1', [key]);
      return toAccount(row!);
    });
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.c.rows<AccountRow>('SELECT * FROM accounts')).map(toAccount).sort((a, b) => compareNames(a.name, b.name));
  }

  async accountNames(): Promise<string[]> {
    return (await this.c.rows<{ name: string }>('SELECT name FROM accounts')).map((row) => row.name);
  }

  async renameAccount(accountId: number, newName: string): Promise<Account> {
    const name = cleanAccountName(newName);
    const key = accountKey(name);
    return this.c.transaction(async (q) => {
      const [holder] = await q.rows<Pick<AccountRow, 'id' | 'name'>>('SELECT id, name FROM accounts WHERE name_key = $1', [key]);
      if (holder && holder.id !== accountId) {
        throw nameTaken(holder.name);
      }
      await q.run('UPDATE accounts SET name = $1, name_key = $2 WHERE id = $3', [name, key, accountId]);
      const [row] = await q.rows<AccountRow>('SELECT * FROM accounts WHERE id = $1', [accountId]);
      if (!row) throw noSuchAccount(accountId);
      return toAccount(row);
    });
  }

  setAccountField(accountId: number, key: string, value: string | undefined): Promise<Account> {
    return this.c.transaction(async (q) => {
      // read (locked) and written in one transaction: a field another cs set meanwhile is kept
      const [row] = await q.rows<AccountRow>('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
      if (!row) throw noSuchAccount(accountId);
      const { [key]: _old, ...others } = toAccount(row).fields;
      const fields = value === undefined ? others : { ...others, [key]: value };
      const [updated] = await q.rows<AccountRow>('UPDATE accounts SET fields = $1 WHERE id = $2 RETURNING *', [JSON.stringify(fields), accountId]);
      return toAccount(updated!);
    });
  }

  async accountSummaries(today: string, owner?: OwnerQuery): Promise<AccountSummary[]> {
    // the accounts with their runs' kept figures, and the overdue steps from the agenda's index, in one snapshot
    const [rows, overdue] = await this.c.transaction(async (q) => {
      await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return [
        await q.rows<AccountRow & { open_runs: string; next_due: string | null }>(accountFiguresSql('')),
        new Map((await q.rows<{ account_id: number; overdue: string }>(overdueByAccountSql('$1'), [today])).map((row) => [row.account_id, Number(row.overdue)])),
      ] as const;
    });
    const mine = owner === undefined ? () => true : ownerMatcher(owner);
    return rows.filter((row) => mine(row.owner)).map((row) => ({ ...toAccount(row), openRuns: Number(row.open_runs), nextDue: row.next_due, overdue: overdue.get(row.id) ?? 0 }));
  }

  async createRun(account: Account, playbook: Playbook, options: NewRun): Promise<LoadedRun> {
    return this.c.transaction(async (q) => {
      const [runId] = await runs.insertRuns(this.c, q, [{ accountId: account.id, playbook, startDate: options.startDate, owner: options.owner ?? account.owner ?? null, accountFields: account.fields }], now(), this.c.calendar);
      return (await runs.loadRun(this.c, q, runId!))!;
    });
  }

  listRuns(filter?: RunFilter): Promise<Run[]> {
    return this.c.read((q) => runs.listRuns(q, filter));
  }

  loadRun(runId: number): Promise<LoadedRun | undefined> {
    return this.c.read((q) => runs.loadRun(this.c, q, runId));
  }

  loadRuns(runIds: readonly number[], options: LoadOptions = {}): Promise<LoadedRun[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    // one snapshot of the database for the three reads (four with the commits)
    return this.c.transaction(async (q) => {
      await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const loaded = await runs.loadRuns(this.c, q, runIds);
      if (!options.history) return loaded;
      const histories = await people.histories(q, runIds);
      return loaded.map((each) => ({ ...each, history: histories.get(each.run.id) ?? [] }));
    });
  }

  runStandings(today: string, filter?: RunFilter): Promise<RunStanding[]> {
    return this.c.transaction(async (q) => {
      await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return runs.runStandings(this.c, q, today, filter);
    });
  }

  commit(runId: number, event: RunEvent, seen?: SeenStep): Promise<CommitOutcome> {
    return this.c.transaction((q) => runs.commit(this.c, q, runId, event, seen));
  }

  saveDraft(runId: number, stepId: string, fieldId: string, text: string): Promise<void> {
    return this.c.transaction((q) => runs.saveDraft(q, runId, stepId, fieldId, text));
  }

  drafts(runId: number): Promise<Draft[]> {
    return this.c.read((q) => runs.drafts(q, runId));
  }

  upgradeRun(runId: number, state: RunState): Promise<void> {
    return this.c.transaction((q) => runs.upgradeRun(this.c, q, runId, state));
  }

  agenda(query: AgendaQuery): Promise<Iterable<AgendaEntry>> {
    return this.c.read((q) => agendaRows(q, query));
  }

  calendar(query: AgendaQuery): Promise<CalendarExport> {
    return this.c.transaction(async (q) => {
      await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return report.calendarExport(this.c, q, (each, moreColumns) => agendaRows(each, query, moreColumns));
    });
  }

  handOver(runId: number, owner: string): Promise<void> {
    return this.c.transaction(async (q) => {
      const [run] = await q.rows<{ account_id: number }>('SELECT account_id FROM runs WHERE id = $1', [runId]);
      if (!run) throw noSuchRun(runId);
      await q.run('UPDATE accounts SET owner = $1 WHERE id = $2', [owner, run.account_id]);
    });
  }

  dueActionItems(query: AgendaQuery): Promise<ActionEntry[]> {
    return this.c.read((q) => v2.dueActionItems(q, query, query.owner === undefined ? undefined : ownerMatcher(query.owner)));
  }

  actionItems(query: ActionQuery): Promise<ActionEntry[]> {
    return this.c.read((q) => v2.actionItems(q, query, query.owner === undefined ? undefined : ownerMatcher(query.owner)));
  }

  report(query: ReportQuery): Promise<BookReport> {
    const wanted = query.ownerKeys ?? query.owner;
    return this.c.transaction((q) => report.bookReport(q, query, wanted === undefined ? undefined : ownerMatcher(wanted)));
  }

  shiftDueDates(runId: number, record: ShiftRecord): Promise<void> {
    return this.c.transaction((q) => report.shiftDueDates(q, runId, record, now()));
  }

  undoShift(runIds: readonly number[]): Promise<UndoneShift | undefined> {
    return this.c.transaction((q) => report.undoLastShift(q, runIds, now()));
  }

  importBook(rows: readonly BookRow[], options: ImportOptions = {}): Promise<ImportOutcome> {
    return this.c.transaction(async (q) => {
      if (options.dryRun) await q.run('SET TRANSACTION READ ONLY');
      else await q.run('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const lookup = await bookLookup(q, rows);
      const plan = planImport(rows, lookup, options);
      if (options.dryRun || plan.problems.length > 0) return outcomeOf(plan);
      const stamp = now();
      const ids = new Map<string, number>();
      if (plan.newAccounts.length > 0) {
        const fresh = (await q.rows<{ id: number }>("SELECT nextval(pg_get_serial_sequence('accounts', 'id'))::integer AS id FROM generate_series(1, $1)", [plan.newAccounts.length])).map((row) => row.id);
        plan.newAccounts.forEach((account, index) => ids.set(account.key, fresh[index]!));
        await q.run(
          `INSERT INTO accounts (id, name, name_key, owner, fields, created_at)
           SELECT id, name, name_key, owner, fields, $6 FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, name, name_key, owner, fields)`,
          [fresh, plan.newAccounts.map((a) => a.name), plan.newAccounts.map((a) => a.key), plan.newAccounts.map((a) => a.owner), plan.newAccounts.map((a) => JSON.stringify(a.fields)), stamp],
        );
      }
      for (const change of plan.changedAccounts) await q.run('UPDATE accounts SET owner = $1, fields = $2 WHERE id = $3', [change.owner, JSON.stringify(change.fields), change.id]);
      const total = plan.runs.length;
      const cache: runs.PgSnapshotCache = new Map();
      // a few statements whatever the size, yet about ten progress steps for a bar to show
      const CHUNK = Math.min(2000, Math.max(100, Math.ceil(total / 10)));
      for (let start = 0; start < total; start += CHUNK) {
        const chunk = plan.runs.slice(start, start + CHUNK);
        await runs.insertRuns(this.c, q, chunk.map((run) => ({ accountId: run.accountId ?? ids.get(run.key)!, playbook: run.row.playbook, startDate: run.row.startDate, owner: run.owner, accountFields: run.accountFields })), stamp, this.c.calendar, cache);
        options.onProgress?.(Math.min(total, start + CHUNK), total);
      }
      return outcomeOf(plan);
    });
  }

  async check(): Promise<DatabaseCheck> {
    return this.c.read(async (q) => {
      const count = async (sql: string) => (await q.rows<{ n: number }>(sql))[0]!.n;
      const problems: Said[] = [];
      const orphans = await count('SELECT count(*)::integer AS n FROM runs r WHERE NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.id = r.snapshot_id)');
      if (orphans > 0) problems.push(said('db.check.orphanRuns', { count: orphans }));
      const drifted = await count(`SELECT n::integer AS n FROM (${DRIFTED_SUMMARIES_SQL}) d`);
      if (drifted > 0) problems.push(said('db.check.driftedSummaries', { count: drifted }));
      return {
        problems,
        schemaVersion: await schemaVersion(q),
        accounts: await count('SELECT count(*)::integer AS n FROM accounts'),
        runs: await count('SELECT count(*)::integer AS n FROM runs'),
        openRuns: await count("SELECT count(*)::integer AS n FROM runs WHERE status = 'open'"),
        answers: await count('SELECT count(*)::integer AS n FROM answers'),
      };
    });
  }

  async backup(destination: string): Promise<void> {
    const { copyDatabase } = await import('../copy.js');
    const { openSqliteStore } = await import('../sqlite/open.js');
    const target = openSqliteStore(destination);
    try {
      await copyDatabase(this, target, { force: false });
    } finally {
      await target.close();
    }
  }

  /** Every row of a table, in key order (db copy). One snapshot of the database for all tables. */
  async readTables(): Promise<TableRows> {
    return this.c.transaction(async (q) => {
      await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const tables: TableRows = new Map();
      for (const table of TABLES) tables.set(table.name, await q.rows(`SELECT ${table.columns.map(columnSql).join(', ')} FROM ${table.name} ORDER BY ${table.key.join(', ')}`));
      return tables;
    });
  }

  /** Replaces everything with `tables` in one transaction (db copy; the caller checked it may). */
  async writeTables(tables: TableRows): Promise<void> {
    await this.c.transaction(async (q) => {
      await q.run(`TRUNCATE ${[...TABLES].reverse().map((table) => table.name).join(', ')}`);
      for (const table of TABLES) {
        const rows = tables.get(table.name) ?? [];
        const columns = table.name === 'snapshots' ? [...table.columns, 'body_hash'] : table.columns;
        const CHUNK = 5000;
        for (let start = 0; start < rows.length; start += CHUNK) {
          const chunk = rows.slice(start, start + CHUNK);
          const arrays = columns.map((column) => chunk.map((row) => (column === 'body_hash' ? runs.bodyHash(row.body as string) : row[column] ?? null)));
          const types = columns.map((column) => `$${columns.indexOf(column) + 1}::${INTEGER_COLUMNS.has(column) ? 'integer' : 'text'}[]`);
          await q.run(`INSERT INTO ${table.name} (${columns.map(columnSql).join(', ')}) SELECT * FROM unnest(${types.join(', ')})`, arrays);
        }
      }
      for (const table of ['accounts', 'runs', 'snapshots', 'shifts', 'commits', 'people']) {
        await q.run(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT max(id) FROM ${table}), 0) + 1, false)`);
      }
    });
  }

  async isEmpty(): Promise<boolean> {
    return (await this.c.rows<{ n: number }>('SELECT count(*)::integer AS n FROM accounts'))[0]!.n === 0;
  }

  setActor(by: string | undefined, today?: string): void {
    this.c.actor = by ?? null;
    this.c.actingDay = today;
  }

  listPeople(): Promise<TeamMember[]> {
    return this.c.read((q) => people.listPeople(q));
  }

  addPerson(member: NewMember): Promise<TeamMember> {
    return this.c.transaction((q) => people.addPerson(q, member));
  }

  updatePerson(handle: string, changes: MemberChanges): Promise<TeamMember> {
    return this.c.transaction((q) => people.updatePerson(q, handle, changes));
  }

  history(runId: number): Promise<CommitRecord[]> {
    return this.c.read((q) => people.history(q, runId));
  }

  close(): Promise<void> {
    return this.c.close();
  }
}

const INTEGER_COLUMNS = new Set(['id', 'account_id', 'run_id', 'playbook_version', 'snapshot_id', 'position', 'version', 'due_revision', 'shift_id', 'applicable', 'n', 'done', 'skipped', 'open', 'not_applicable', 'next_position']);

type AccountLookupRow = { id: number; name: string; name_key: string; owner: string | null; fields: string };

function storedAccount(row: AccountLookupRow): StoredAccount {
  return { id: row.id, name: row.name, owner: row.owner, fields: JSON.parse(row.fields) as Record<string, string> };
}

/**
 * What the plan looks up, read once for the whole book (a server is asked once, not per row): the
 * accounts by name key, those holding the rows' CRM record ids (per record column), and their runs.
 */
async function bookLookup(q: Queryable, rows: readonly BookRow[]): Promise<BookLookup> {
  const keys = [...new Set(rows.map((row) => row.key))];
  const accounts = new Map<string, StoredAccount>();
  const byId = new Map<number, StoredAccount>();
  for (const row of await q.rows<AccountLookupRow>('SELECT id, name, name_key, owner, fields FROM accounts WHERE name_key = ANY($1::text[])', [keys])) {
    const account = storedAccount(row);
    accounts.set(row.name_key, account);
    byId.set(account.id, account);
  }
  const records = new Map<string, Set<string>>();
  for (const row of rows) if (row.record) (records.get(row.record.column) ?? records.set(row.record.column, new Set()).get(row.record.column)!).add(row.record.value);
  const byRecord = new Map<string, StoredAccount>();
  for (const [column, values] of records) {
    const found = await q.rows<AccountLookupRow & { record: string }>(
      'SELECT id, name, name_key, owner, fields, fields::jsonb ->> $1 AS record FROM accounts WHERE fields::jsonb ->> $1 = ANY($2::text[]) ORDER BY id',
      [column, [...values]],
    );
    for (const row of found) {
      const account = byId.get(row.id) ?? storedAccount(row);
      byId.set(account.id, account);
      byRecord.set(`${column}\u0000${row.record}`, account);
    }
  }
  const runsOf = new Map<string, StoredRun[]>();
  const ids = [...byId.keys()];
  if (ids.length > 0) {
    for (const row of await q.rows<{ id: number; account_id: number; playbook_id: string; start_date: string; status: 'open' | 'finished' }>(
      'SELECT id, account_id, playbook_id, start_date, status FROM runs WHERE account_id = ANY($1::integer[]) ORDER BY id',
      [ids],
    )) {
      const key = `${row.account_id}\u0000${row.playbook_id}`;
      (runsOf.get(key) ?? runsOf.set(key, []).get(key)!).push({ id: row.id, startDate: row.start_date, status: row.status });
    }
  }
  return {
    account: (key) => accounts.get(key),
    accountByRecord: (column, value) => byRecord.get(`${column}\u0000${value}`),
    runs: (accountId, playbookId) => runsOf.get(`${accountId}\u0000${playbookId}`) ?? [],
  };
}
