/**
 * The SQLite backend of the Store interface (../store.ts): each concern in its own file of this
 * folder. better-sqlite3 is synchronous: each method does its work at once and returns a settled
 * promise (no thread pool, no extra turn of the event loop per row).
 */
import type { BookRow, ImportOutcome } from '../../engine/book.js';
import type { RunEvent, RunState } from '../../engine/run.js';
import type { Playbook } from '../../playbook/types.js';
import type {
  Account,
  CommitRecord,
  MemberChanges,
  NewMember,
  TeamMember,
  AccountSummary,
  ActionEntry,
  ActionQuery,
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
  UndoneShift,
} from '../store.js';
import type { BookReport, ReportQuery } from '../../engine/report.js';
import * as accounts from './accounts.js';
import { agenda } from './agenda.js';
import type { TableRows } from '../copy.js';
import { backup, check, isEmpty, readTables, writeTables } from './check.js';
import type { Connection } from './connection.js';
import { importBook } from './import.js';
import { bookReport, calendarExport, shiftDueDates, undoLastShift } from './report.js';
import * as runs from './runs.js';
import * as people from './people.js';
import { now } from './connection.js';
import * as v2 from './v2.js';
import { handOver } from './handover.js';

export class SqliteStore implements Store {
  constructor(private readonly c: Connection) {}

  get path(): string {
    return this.c.path;
  }

  async findAccount(name: string): Promise<Account | undefined> {
    return accounts.findAccount(this.c, name);
  }

  async ensureAccount(name: string, owner?: string): Promise<Account> {
    return accounts.ensureAccount(this.c, name, owner);
  }

  async listAccounts(): Promise<Account[]> {
    return accounts.listAccounts(this.c);
  }

  async accountNames(): Promise<string[]> {
    return accounts.accountNames(this.c);
  }

  async report(query: ReportQuery): Promise<BookReport> {
    return this.c.read(() => bookReport(this.c, query));
  }

  async calendar(query: AgendaQuery): Promise<CalendarExport> {
    return this.c.read(() => calendarExport(this.c, query));
  }

  async shiftDueDates(runId: number, record: ShiftRecord): Promise<void> {
    this.c.write(() => shiftDueDates(this.c, runId, record, now()));
  }

  async undoShift(runIds: readonly number[]): Promise<UndoneShift | undefined> {
    return this.c.write(() => undoLastShift(this.c, runIds, now()));
  }

  async renameAccount(accountId: number, newName: string): Promise<Account> {
    return accounts.renameAccount(this.c, accountId, newName);
  }

  async setAccountField(accountId: number, key: string, value: string | undefined): Promise<Account> {
    return accounts.setAccountField(this.c, accountId, key, value);
  }

  async accountSummaries(today: string, owner?: OwnerQuery): Promise<AccountSummary[]> {
    return accounts.accountSummaries(this.c, today, owner);
  }

  async createRun(account: Account, playbook: Playbook, options: NewRun): Promise<LoadedRun> {
    return runs.createRun(this.c, account, playbook, options);
  }

  async listRuns(filter?: RunFilter): Promise<Run[]> {
    return runs.listRuns(this.c, filter);
  }

  async loadRun(runId: number): Promise<LoadedRun | undefined> {
    return runs.loadRun(this.c, runId);
  }

  async loadRuns(runIds: readonly number[], options: LoadOptions = {}): Promise<LoadedRun[]> {
    const load = () => runIds.map((runId) => runs.loadRun(this.c, runId)).filter((each): each is LoadedRun => each !== undefined);
    if (!options.history) return load();
    // the runs and their commits in one snapshot
    return this.c.readSnapshot(() => {
      const histories = people.histories(this.c, runIds);
      return load().map((each) => ({ ...each, history: histories.get(each.run.id) ?? [] }));
    });
  }

  async runStandings(today: string, filter?: RunFilter): Promise<RunStanding[]> {
    return runs.runStandings(this.c, today, filter);
  }

  async commit(runId: number, event: RunEvent, seen?: SeenStep): Promise<CommitOutcome> {
    return runs.commit(this.c, runId, event, seen);
  }

  async saveDraft(runId: number, stepId: string, fieldId: string, text: string): Promise<void> {
    runs.saveDraft(this.c, runId, stepId, fieldId, text);
  }

  async drafts(runId: number): Promise<Draft[]> {
    return runs.drafts(this.c, runId);
  }

  async upgradeRun(runId: number, state: RunState): Promise<void> {
    runs.upgradeRun(this.c, runId, state);
  }

  async agenda(query: AgendaQuery): Promise<Iterable<AgendaEntry>> {
    return agenda(this.c, query);
  }

  async handOver(runId: number, owner: string): Promise<void> {
    handOver(this.c, runId, owner);
  }

  async dueActionItems(query: AgendaQuery): Promise<ActionEntry[]> {
    return v2.dueActionItems(this.c, query);
  }

  async actionItems(query: ActionQuery): Promise<ActionEntry[]> {
    return v2.actionItems(this.c, query);
  }

  async importBook(rows: readonly BookRow[], options?: ImportOptions): Promise<ImportOutcome> {
    return importBook(this.c, rows, options);
  }

  async check(): Promise<DatabaseCheck> {
    return check(this.c);
  }

  backup(destination: string): Promise<void> {
    return backup(this.c, destination);
  }

  setActor(by: string | undefined, today?: string): void {
    this.c.actor = by ?? null;
    this.c.actingDay = today;
  }

  async listPeople(): Promise<TeamMember[]> {
    return people.listPeople(this.c);
  }

  async addPerson(member: NewMember): Promise<TeamMember> {
    return people.addPerson(this.c, member);
  }

  async updatePerson(handle: string, changes: MemberChanges): Promise<TeamMember> {
    return people.updatePerson(this.c, handle, changes);
  }

  async history(runId: number): Promise<CommitRecord[]> {
    return people.history(this.c, runId);
  }

  async readTables(): Promise<TableRows> {
    return readTables(this.c);
  }

  async writeTables(tables: TableRows): Promise<void> {
    writeTables(this.c, tables);
  }

  async isEmpty(): Promise<boolean> {
    return isEmpty(this.c);
  }

  async close(): Promise<void> {
    this.c.db.close();
  }
}
