/** The SQLite backend of the store: all SQL of cs lives in this folder. */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { CsError, inputError, runtimeError } from '../errors.js';
import { outcomeOf, planImport } from '../engine/book.js';
import type { BookLookup, BookRow, ImportOutcome, StoredRun } from '../engine/book.js';
import { accountKey, cleanAccountName } from '../engine/names.js';
import { ownerKeysOf } from '../people/person.js';
import { flattenSteps, restoreRun, startRun } from '../engine/run.js';
import type { RunEvent, RunState, StepState } from '../engine/run.js';
import type { AnswerValue, Playbook } from '../playbook/types.js';
import { packageRoot } from '../paths.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type {
  Account,
  AccountSummary,
  AgendaEntry,
  AgendaQuery,
  DatabaseCheck,
  ImportOptions,
  LoadedRun,
  NewRun,
  OwnerQuery,
  Run,
  RunFilter,
  Store,
} from './store.js';

/**
 * The compiled SQLite addon, named directly: better-sqlite3's own search for it (the `bindings`
 * package walks the call stack and tries a dozen paths) costs ~4 ms of every start. Looked for as
 * Node looks for a package: in cs's node_modules, then in each parent folder's (an install that
 * hoisted better-sqlite3 above cs).
 */
function sqliteAddon(): string {
  const inPackage = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  for (let folder = packageRoot(); ; folder = dirname(folder)) {
    const addon = join(folder, inPackage);
    if (existsSync(addon)) return addon;
    if (dirname(folder) === folder) break;
  }
  throw runtimeError(`the SQLite addon is not built: no ${inPackage} in ${packageRoot()} or a folder above it`, {
    hint: 'Run `npm rebuild better-sqlite3` in the folder cs is installed in.',
  });
}

const SQLITE_HEADER = 'SQLite format 3\u0000';
const BUSY_TIMEOUT_MS = 10_000;

interface AccountRow {
  id: number;
  name: string;
  owner: string | null;
  fields: string;
  created_at: string;
}

interface RunRow {
  id: number;
  account_id: number;
  account_name: string;
  playbook_id: string;
  playbook_version: number;
  playbook_title: string;
  kind: string;
  owner: string | null;
  start_date: string;
  status: 'open' | 'finished';
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

interface StepRow {
  step_id: string;
  due_date: string;
  status: StepState['status'];
  skip_reason: string | null;
  note: string | null;
  checked: string;
}

interface AnswerRow {
  step_id: string;
  field_id: string;
  value: string;
}

const RUN_COLUMNS = `r.id, r.account_id, a.name AS account_name, r.playbook_id, r.playbook_version, r.playbook_title,
  r.kind, r.owner, r.start_date, r.status, r.created_at, r.updated_at, r.finished_at`;

/**
 * Per write: each playbook's shared snapshot row, its step titles, and its steps' due dates by start
 * date (an import of 10,000 rows has a few hundred distinct start dates), each worked out once.
 */
type SnapshotCache = Map<Playbook, { snapshotId: number; titles: Map<string, string>; steps: Map<string, StepState[]> }>;

/**
 * The agenda: open steps of open runs due by a day. It walks the partial index steps_open_by_due
 * (open steps by due date, already in order, holding every column of a step it needs) and joins
 * each step to its run and account by primary key; no snapshot is read. `conditions` narrow it
 * further (by account, by owner).
 */
export function agendaSql(conditions: string[] = []): string {
  return `SELECT s.due_date AS due, a.name AS account, s.run_id AS runId, r.playbook_id AS playbookId,
      r.playbook_title AS playbookTitle, s.step_id AS stepId, s.title AS step, s.phase_id AS phase,
      s.position AS position, COALESCE(r.owner, a.owner) AS owner
    FROM steps s JOIN runs r ON r.id = s.run_id JOIN accounts a ON a.id = r.account_id
    WHERE s.status = 'open' AND s.due_date <= @until AND r.status = 'open'${conditions.map((condition) => ` AND ${condition}`).join('')}
    ORDER BY s.due_date`;
}

/** An owner query as the SQL function takes it: the keys to match, one a line. */
function ownerQuery(owner: OwnerQuery): string {
  return (typeof owner === 'string' ? ownerKeysOf(owner) : owner).join('\n');
}

function now(): string {
  return new Date().toISOString();
}

/** Turns what SQLite says into a message a person can act on, naming the file. */
export function explainSqliteError(path: string, error: unknown): CsError {
  if (error instanceof CsError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (code === 'SQLITE_FULL') {
    return runtimeError(`the disk holding ${path} is full; nothing after the last saved answer was written`, {
      hint: 'Free some space, then continue with cs resume.',
    });
  }
  if (/^SQLITE_IOERR_(SHMSIZE|SHMOPEN|SHMMAP|WRITE|FSYNC|TRUNCATE|DIR_FSYNC)$/.test(code)) {
    // what a full disk (or a file size limit) looks like when SQLite is growing a file other than the database
    return runtimeError(`cannot write to ${path} or its journal: the disk is full, or a file size limit was reached (${code})`, {
      hint: 'Free some space, then run the command again. What was saved before is intact.',
    });
  }
  if (code === 'SQLITE_NOTADB') return notCsDatabase(path, 'it is not an SQLite database');
  if (code.startsWith('SQLITE_CORRUPT')) {
    return runtimeError(`the database ${path} is damaged (${message})`, {
      hint: 'Restore it from a backup, or point --db at another file. The file was left as it is.',
    });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return inputError(`cannot write to the database ${path}: it is read-only`, {
      hint: 'Check the file\'s permissions, or point --db (or CS_DB) at a writable file.',
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return inputError(`cannot open the database ${path}`, { hint: 'Check the path given with --db or CS_DB.' });
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return runtimeError(`the database ${path} stayed locked by another cs process for ${BUSY_TIMEOUT_MS / 1000} s`);
  }
  return runtimeError(`database error in ${path}: ${message}${code ? ` (${code})` : ''}`, { cause: error });
}

function notCsDatabase(path: string, why: string): CsError {
  return inputError(`${path} is not a cs database: ${why}`, {
    hint: 'The file was left untouched. Point --db (or CS_DB) at another file.',
  });
}

/** Refuses, before SQLite touches it, a path that is a folder or a file that is not SQLite. */
function checkPathBeforeOpening(path: string): boolean {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw inputError(`the database path ${path} is a folder`, { hint: 'Give a file name, e.g. --db ~/cs.db' });
    size = stats.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false; // not there yet: creating its folder says what is wrong
    if (error instanceof CsError) throw error;
    throw inputError(`cannot read the database ${path}: ${(error as Error).message}`);
  }
  if (size === 0) return true;
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, header, 0, 16, 0);
  } catch (error) {
    throw inputError(`cannot read the database ${path}: ${(error as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) throw notCsDatabase(path, 'it is not an SQLite database');
  return true;
}

/**
 * Creates the database's folder one level at a time (mode 0700). Node's recursive mkdir can loop
 * forever under pseudo file systems such as /proc; one level at a time fails at once instead.
 */
function createParentFolder(path: string): void {
  const folder = dirname(path);
  const missing: string[] = [];
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  try {
    if (!statSync(existing).isDirectory()) throw new Error(`${existing} is a file, not a folder`);
    for (const level of missing) {
      try {
        mkdirSync(level, { mode: 0o700 });
      } catch (error) {
        // another cs starting at the same moment made it first: that is fine
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory()) throw error;
      }
    }
  } catch (error) {
    throw inputError(`cannot create the folder ${folder} for the database: ${(error as Error).message}`, {
      hint: 'Point --db (or CS_DB) at a file in a folder you can write to.',
    });
  }
}

/** `:memory:` gives an empty store that lives as long as the process (see Context.readStore). */
export function openSqliteStore(path: string): Store {
  const inMemory = path === ':memory:';
  const existed = inMemory || checkPathBeforeOpening(path);
  if (!existed) createParentFolder(path);
  let db: Db;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS, nativeBinding: sqliteAddon() });
  } catch (error) {
    throw explainSqliteError(path, error);
  }
  try {
    if (!existed) chmodSync(path, 0o600); // answers about customers: readable by their owner only
    checkIdentity(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
  } catch (error) {
    db.close();
    throw explainSqliteError(path, error);
  }
  return new SqliteStore(db, path);
}

/** Reads only: a file that is someone else's SQLite database must not be changed at all. */
function checkIdentity(db: Db, path: string): void {
  // One read transaction, so the three readings come from one moment: another cs creating this very
  // file commits its whole schema at once, and must not look half-made (and so foreign) to us.
  const { applicationId, version, tables } = db
    .transaction(() => ({
      applicationId: db.pragma('application_id', { simple: true }) as number,
      version: db.pragma('user_version', { simple: true }) as number,
      tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
    }))
    .deferred();
  if (applicationId === 0 && version === 0) {
    if (tables > 0) throw notCsDatabase(path, 'it is an SQLite database of another program');
    return;
  }
  if (applicationId !== APPLICATION_ID) throw notCsDatabase(path, 'it is an SQLite database of another program');
  if (version > SCHEMA_VERSION) {
    throw runtimeError(`${path} was written by a newer cs (schema ${version}; this cs knows ${SCHEMA_VERSION})`, {
      hint: 'Update cs to open it.',
    });
  }
}

function migrate(db: Db, path: string): void {
  // The common case, an up-to-date file, needs no write lock at all.
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw runtimeError(`${path} was written by a newer cs`);
    for (let next = version + 1; next <= SCHEMA_VERSION; next += 1) db.exec(MIGRATIONS[next - 1]!);
    if (version !== SCHEMA_VERSION) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
  }).immediate();
}

function toAccount(row: AccountRow): Account {
  return { id: row.id, name: row.name, owner: row.owner, fields: JSON.parse(row.fields), createdAt: row.created_at };
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    playbookId: row.playbook_id,
    playbookVersion: row.playbook_version,
    playbookTitle: row.playbook_title,
    kind: row.kind,
    owner: row.owner,
    startDate: row.start_date,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

class SqliteStore implements Store {
  private readonly statements = new Map<string, Statement>();
  private readonly parsedSnapshots = new Map<number, Playbook>();
  private folding = false;

  constructor(
    private readonly db: Db,
    readonly path: string,
  ) {}

  /** Prepared once per process, reused for every call. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Every write goes through here: IMMEDIATE (waits its turn under WAL), errors explained. */
  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw explainSqliteError(this.path, error);
    }
  }

  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw explainSqliteError(this.path, error);
    }
  }

  findAccount(name: string): Account | undefined {
    const row = this.read(() => this.sql('SELECT * FROM accounts WHERE name_key = ?').get(accountKey(name)) as AccountRow | undefined);
    return row && toAccount(row);
  }

  ensureAccount(name: string, owner?: string): Account {
    const clean = cleanAccountName(name);
    return this.write(() => {
      this.sql('INSERT INTO accounts (name, name_key, owner, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING').run(
        clean,
        accountKey(clean),
        owner ?? null,
        now(),
      );
      if (owner) this.sql('UPDATE accounts SET owner = ? WHERE name_key = ? AND owner IS NULL').run(owner, accountKey(clean));
      return toAccount(this.sql('SELECT * FROM accounts WHERE name_key = ?').get(accountKey(clean)) as AccountRow);
    });
  }

  accountNames(): string[] {
    return this.read(() => this.sql('SELECT name FROM accounts').pluck().all() as string[]);
  }

  listAccounts(): Account[] {
    const rows = this.read(() => this.sql('SELECT * FROM accounts ORDER BY name').all() as AccountRow[]);
    return rows.map(toAccount);
  }

  createRun(account: Account, playbook: Playbook, options: NewRun): LoadedRun {
    const runId = this.write(() =>
      this.insertRun(account.id, playbook, options.startDate, options.owner ?? account.owner ?? null, now(), new Map()),
    );
    const loaded = this.loadRun(runId);
    if (!loaded) throw runtimeError(`run ${runId} vanished right after it was created`);
    return loaded;
  }

  /** The playbook's snapshot row (one per distinct playbook content, shared by its runs). */
  private snapshotOf(playbook: Playbook, cache: SnapshotCache) {
    let known = cache.get(playbook);
    if (!known) {
      const body = JSON.stringify(playbook);
      this.sql('INSERT INTO snapshots (body) VALUES (?) ON CONFLICT (body) DO NOTHING').run(body);
      const { id } = this.sql('SELECT id FROM snapshots WHERE body = ?').get(body) as { id: number };
      known = { snapshotId: id, titles: new Map(flattenSteps(playbook).map(({ def }) => [def.id, def.title])), steps: new Map<string, StepState[]>() };
      cache.set(playbook, known);
    }
    return known;
  }

  /** The one way a run and its steps are written (createRun, importBook); the caller holds the transaction. */
  private insertRun(accountId: number, playbook: Playbook, startDate: string, owner: string | null, stamp: string, cache: SnapshotCache): number {
    const { snapshotId, titles, steps } = this.snapshotOf(playbook, cache);
    let fresh = steps.get(startDate);
    if (!fresh) steps.set(startDate, (fresh = startRun(playbook, startDate).steps));
    const result = this.sql(
      `INSERT INTO runs (account_id, playbook_id, playbook_version, playbook_title, kind, snapshot, snapshot_id, owner, start_date, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)`,
    ).run(accountId, playbook.id, playbook.version, playbook.title, playbook.kind, snapshotId, owner, startDate, stamp, stamp);
    const id = Number(result.lastInsertRowid);
    const insertStep = this.sql('INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date) VALUES (?, ?, ?, ?, ?, ?)');
    for (const step of fresh) insertStep.run(id, step.id, step.index, step.phaseId, titles.get(step.id) ?? step.id, step.due);
    return id;
  }

  listRuns(filter: RunFilter = {}): Run[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.accountId !== undefined) {
      where.push('r.account_id = ?');
      params.push(filter.accountId);
    }
    if (filter.status) {
      where.push('r.status = ?');
      params.push(filter.status);
    }
    if (filter.playbookId) {
      where.push('r.playbook_id = ?');
      params.push(filter.playbookId);
    }
    const sql = `SELECT ${RUN_COLUMNS} FROM runs r JOIN accounts a ON a.id = r.account_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.name, r.id`;
    return this.read(() => (this.sql(sql).all(...params) as RunRow[]).map(toRun));
  }

  /**
   * A snapshot is read and parsed once per process: `cs status` over a book of business loads
   * thousands of runs sharing a handful of snapshots of ~20 KB each. Safe to share, since the
   * engine never mutates a playbook.
   */
  private playbookOf(row: { snapshot_id: number | null; snapshot: string | null }): Playbook {
    if (row.snapshot_id === null) return JSON.parse(row.snapshot!) as Playbook;
    let playbook = this.parsedSnapshots.get(row.snapshot_id);
    if (!playbook) {
      const { body } = this.sql('SELECT body FROM snapshots WHERE id = ?').get(row.snapshot_id) as { body: string };
      this.parsedSnapshots.set(row.snapshot_id, (playbook = JSON.parse(body) as Playbook));
    }
    return playbook;
  }

  loadRun(runId: number): LoadedRun | undefined {
    return this.read(() => {
      // every run has a shared snapshot since schema 2; its own copy (schema 1) is only a fallback
      const row = this.sql(
        `SELECT ${RUN_COLUMNS}, r.snapshot_id, CASE WHEN r.snapshot_id IS NULL THEN r.snapshot END AS snapshot
         FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?`,
      ).get(runId) as (RunRow & { snapshot_id: number | null; snapshot: string | null }) | undefined;
      if (!row) return undefined;
      const steps = this.sql('SELECT step_id, due_date, status, skip_reason, note, checked FROM steps WHERE run_id = ?').all(
        runId,
      ) as StepRow[];
      const answers = this.sql('SELECT step_id, field_id, value FROM answers WHERE run_id = ?').all(runId) as AnswerRow[];
      const byStep = new Map<string, Record<string, AnswerValue>>();
      for (const answer of answers) {
        const forStep = byStep.get(answer.step_id) ?? {};
        forStep[answer.field_id] = JSON.parse(answer.value) as AnswerValue;
        byStep.set(answer.step_id, forStep);
      }
      const saved = new Map(
        steps.map((step) => [
          step.step_id,
          {
            due: step.due_date,
            status: step.status,
            skipReason: step.skip_reason ?? undefined,
            note: step.note ?? undefined,
            checked: JSON.parse(step.checked) as number[],
            answers: byStep.get(step.step_id) ?? {},
          },
        ]),
      );
      const state = restoreRun(this.playbookOf(row), row.start_date, row.status, saved);
      return { run: toRun(row), state };
    });
  }

  commit(runId: number, event: RunEvent, next: RunState): void {
    if (event.type === 'back') return; // moving the cursor changes nothing that is kept
    this.write(() => {
      const stamp = now();
      const step = 'stepId' in event ? next.steps.find((candidate) => candidate.id === event.stepId) : undefined;
      switch (event.type) {
        case 'answer':
          this.sql(
            `INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at`,
          ).run(runId, event.stepId, event.fieldId, JSON.stringify(event.value), stamp);
          break;
        case 'clear':
          this.sql('DELETE FROM answers WHERE run_id = ? AND step_id = ? AND field_id = ?').run(runId, event.stepId, event.fieldId);
          break;
        case 'tick':
          this.sql('UPDATE steps SET checked = ? WHERE run_id = ? AND step_id = ?').run(JSON.stringify(step?.checked ?? []), runId, event.stepId);
          break;
        case 'complete':
        case 'skip':
          this.sql('UPDATE steps SET status = ?, skip_reason = ? WHERE run_id = ? AND step_id = ?').run(
            step?.status,
            step?.skipReason ?? null,
            runId,
            event.stepId,
          );
          break;
        case 'note':
          this.sql('UPDATE steps SET note = ? WHERE run_id = ? AND step_id = ?').run(step?.note ?? null, runId, event.stepId);
          break;
        case 'finish':
          this.sql("UPDATE runs SET status = 'finished', finished_at = ? WHERE id = ?").run(stamp, runId);
          break;
      }
      if (step) this.sql('UPDATE steps SET updated_at = ? WHERE run_id = ? AND step_id = ?').run(stamp, runId, step.id);
      this.sql('UPDATE runs SET updated_at = ? WHERE id = ?').run(stamp, runId);
    });
  }

  /**
   * `cs_owner_is(owner, keys)` as an SQL function, registered on first use: 1 when the stored owner
   * ("Nguyễn Thị Lan <lan@…>", "lan") shares a key (name, address, handle; see src/people) with
   * the query's keys, one a line.
   */
  private foldFunction(): void {
    if (this.folding) return;
    let lastKeys = '';
    let wanted = new Set<string>();
    this.db.function('cs_owner_is', { deterministic: true }, (owner: unknown, keys: unknown) => {
      if (typeof owner !== 'string' || typeof keys !== 'string') return 0;
      if (keys !== lastKeys) [lastKeys, wanted] = [keys, new Set(keys.split('\n'))];
      return ownerKeysOf(owner).some((key) => wanted.has(key)) ? 1 : 0;
    });
    this.folding = true;
  }

  agenda(query: AgendaQuery): Iterable<AgendaEntry> {
    const conditions: string[] = [];
    const params: Record<string, string | number> = { until: query.until };
    if (query.accountId !== undefined) {
      conditions.push('r.account_id = @accountId');
      params.accountId = query.accountId;
    }
    if (query.owner !== undefined) {
      this.foldFunction();
      conditions.push('cs_owner_is(COALESCE(r.owner, a.owner), @owner) = 1');
      params.owner = ownerQuery(query.owner);
    }
    const statement = this.sql(agendaSql(conditions));
    const path = this.path;
    // Rows stream from SQLite: a long agenda is never held in memory whole.
    return (function* () {
      try {
        yield* statement.iterate(params) as IterableIterator<AgendaEntry>;
      } catch (error) {
        throw explainSqliteError(path, error);
      }
    })();
  }

  accountSummaries(today: string, owner?: OwnerQuery): AccountSummary[] {
    if (owner !== undefined) this.foldFunction();
    const rows = this.read(
      () =>
        this.sql(
          `SELECT a.*, count(DISTINCT r.id) AS open_runs, min(s.due_date) AS next_due,
             count(CASE WHEN s.due_date < @today THEN 1 END) AS overdue
           FROM accounts a
           LEFT JOIN runs r ON r.account_id = a.id AND r.status = 'open'
           LEFT JOIN steps s ON s.run_id = r.id AND s.status = 'open'
           ${owner === undefined ? '' : 'WHERE cs_owner_is(a.owner, @owner) = 1'}
           GROUP BY a.id`,
        ).all(owner === undefined ? { today } : { today, owner: ownerQuery(owner) }) as (AccountRow & { open_runs: number; next_due: string | null; overdue: number })[],
    );
    return rows.map((row) => ({ ...toAccount(row), openRuns: row.open_runs, nextDue: row.next_due, overdue: row.overdue }));
  }

  importBook(rows: readonly BookRow[], options: ImportOptions = {}): ImportOutcome {
    const lookup: BookLookup = {
      account: (key) => {
        const row = this.sql('SELECT id, owner, fields FROM accounts WHERE name_key = ?').get(key) as Pick<AccountRow, 'id' | 'owner' | 'fields'> | undefined;
        return row && { id: row.id, owner: row.owner, fields: JSON.parse(row.fields) as Record<string, string> };
      },
      runs: (accountId, playbookId) =>
        this.sql('SELECT id, start_date AS startDate, status FROM runs WHERE account_id = ? AND playbook_id = ?').all(accountId, playbookId) as StoredRun[],
    };
    if (options.dryRun) return this.read(() => outcomeOf(this.db.transaction(() => planImport(rows, lookup)).deferred()));
    return this.write(() => {
      const plan = planImport(rows, lookup);
      if (plan.problems.length > 0) return outcomeOf(plan);
      const stamp = now();
      const ids = new Map<string, number>();
      const insertAccount = this.sql('INSERT INTO accounts (name, name_key, owner, fields, created_at) VALUES (?, ?, ?, ?, ?)');
      for (const account of plan.newAccounts) {
        ids.set(account.key, Number(insertAccount.run(account.name, account.key, account.owner, JSON.stringify(account.fields), stamp).lastInsertRowid));
      }
      const updateAccount = this.sql('UPDATE accounts SET owner = ?, fields = ? WHERE id = ?');
      for (const change of plan.changedAccounts) updateAccount.run(change.owner, JSON.stringify(change.fields), change.id);
      const cache: SnapshotCache = new Map();
      const total = plan.runs.length;
      const every = Math.max(1, Math.floor(total / 100));
      plan.runs.forEach((run, index) => {
        this.insertRun(run.accountId ?? ids.get(run.key)!, run.row.playbook, run.row.startDate, run.owner, stamp, cache);
        if ((index + 1) % every === 0 || index + 1 === total) options.onProgress?.(index + 1, total);
      });
      return outcomeOf(plan);
    });
  }

  renameAccount(accountId: number, newName: string): Account {
    const name = cleanAccountName(newName);
    const key = accountKey(name);
    return this.write(() => {
      const holder = this.sql('SELECT id, name FROM accounts WHERE name_key = ?').get(key) as Pick<AccountRow, 'id' | 'name'> | undefined;
      if (holder && holder.id !== accountId) {
        throw inputError(`another account is already named ${JSON.stringify(holder.name)}`, {
          hint: 'Names are compared ignoring case, spacing and Unicode normalisation (NFC/NFD); pick one no other account has.',
        });
      }
      this.sql('UPDATE accounts SET name = ?, name_key = ? WHERE id = ?').run(name, key, accountId);
      const row = this.sql('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRow | undefined;
      if (!row) throw inputError(`account #${accountId} does not exist`);
      return toAccount(row);
    });
  }

  upgradeRun(runId: number, state: RunState): void {
    const { playbook } = state;
    this.write(() => {
      const stamp = now();
      const { snapshotId, titles } = this.snapshotOf(playbook, new Map());
      this.sql(
        "UPDATE runs SET playbook_version = ?, playbook_title = ?, kind = ?, snapshot = '', snapshot_id = ?, updated_at = ? WHERE id = ? AND status = 'open'",
      ).run(playbook.version, playbook.title, playbook.kind, snapshotId, stamp, runId);
      this.sql('DELETE FROM answers WHERE run_id = ?').run(runId);
      this.sql('DELETE FROM steps WHERE run_id = ?').run(runId);
      const insertStep = this.sql(
        'INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, status, skip_reason, note, checked, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const insertAnswer = this.sql('INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (?, ?, ?, ?, ?)');
      for (const step of state.steps) {
        insertStep.run(runId, step.id, step.index, step.phaseId, titles.get(step.id) ?? step.id, step.due, step.status, step.skipReason ?? null, step.note ?? null, JSON.stringify(step.checked), stamp);
        for (const [fieldId, value] of Object.entries(step.answers)) insertAnswer.run(runId, step.id, fieldId, JSON.stringify(value), stamp);
      }
    });
  }

  check(): DatabaseCheck {
    return this.read(() => {
      const problems = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).filter((line) => line !== 'ok');
      problems.push(...(this.db.pragma('foreign_key_check') as { table: string; rowid: number }[]).map((row) => `${row.table} row ${row.rowid} points at nothing`));
      const count = (sql: string) => this.sql(sql).pluck().get() as number;
      return {
        problems,
        schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
        accounts: count('SELECT count(*) FROM accounts'),
        runs: count('SELECT count(*) FROM runs'),
        openRuns: count("SELECT count(*) FROM runs WHERE status = 'open'"),
        answers: count('SELECT count(*) FROM answers'),
      };
    });
  }

  async backup(destination: string): Promise<void> {
    try {
      await this.db.backup(destination);
      chmodSync(destination, 0o600);
    } catch (error) {
      throw explainSqliteError(destination, error);
    }
  }

  close(): void {
    this.db.close();
  }
}
