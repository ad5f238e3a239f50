/** The SQLite backend of the Store interface (../store.ts): each concern in its own file of this folder. */
import type { BookRow, ImportOutcome } from '../../engine/book.js';
import type { RunEvent, RunState } from '../../engine/run.js';
import type { Playbook } from '../../playbook/types.js';
import type {
  Account,
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
  NewRun,
  OwnerQuery,
  Run,
  RunFilter,
  SeenStep,
  ShiftRecord,
  Store,
  UndoneShift,
} from '../store.js';
import type { BookReport, ReportQuery } from '../../engine/report.js';
import * as accounts from './accounts.js';
import { agenda } from './agenda.js';
import { backup, check } from './check.js';
import type { Connection } from './connection.js';
import { importBook } from './import.js';
import { bookReport, calendarExport, shiftDueDates, undoLastShift } from './report.js';
import * as runs from './runs.js';
import { now } from './connection.js';
import * as v2 from './v2.js';
import { handOver } from './handover.js';

export class SqliteStore implements Store {
  constructor(private readonly c: Connection) {}

  get path(): string {
    return this.c.path;
  }

  findAccount(name: string): Account | undefined {
    return accounts.findAccount(this.c, name);
  }

  ensureAccount(name: string, owner?: string): Account {
    return accounts.ensureAccount(this.c, name, owner);
  }

  listAccounts(): Account[] {
    return accounts.listAccounts(this.c);
  }

  accountNames(): string[] {
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

  renameAccount(accountId: number, newName: string): Account {
    return accounts.renameAccount(this.c, accountId, newName);
  }

  setAccountField(accountId: number, key: string, value: string | undefined): Account {
    return accounts.setAccountField(this.c, accountId, key, value);
  }

  accountSummaries(today: string, owner?: OwnerQuery): AccountSummary[] {
    return accounts.accountSummaries(this.c, today, owner);
  }

  createRun(account: Account, playbook: Playbook, options: NewRun): LoadedRun {
    return runs.createRun(this.c, account, playbook, options);
  }

  listRuns(filter?: RunFilter): Run[] {
    return runs.listRuns(this.c, filter);
  }

  loadRun(runId: number): LoadedRun | undefined {
    return runs.loadRun(this.c, runId);
  }

  commit(runId: number, event: RunEvent, seen?: SeenStep): CommitOutcome {
    return runs.commit(this.c, runId, event, seen);
  }

  saveDraft(runId: number, stepId: string, fieldId: string, text: string): void {
    runs.saveDraft(this.c, runId, stepId, fieldId, text);
  }

  drafts(runId: number): Draft[] {
    return runs.drafts(this.c, runId);
  }

  upgradeRun(runId: number, state: RunState): void {
    runs.upgradeRun(this.c, runId, state);
  }

  agenda(query: AgendaQuery): Iterable<AgendaEntry> {
    return agenda(this.c, query);
  }

  handOver(runId: number, owner: string): void {
    handOver(this.c, runId, owner);
  }

  dueActionItems(query: AgendaQuery): ActionEntry[] {
    return v2.dueActionItems(this.c, query);
  }

  actionItems(query: ActionQuery): ActionEntry[] {
    return v2.actionItems(this.c, query);
  }

  importBook(rows: readonly BookRow[], options?: ImportOptions): ImportOutcome {
    return importBook(this.c, rows, options);
  }

  check(): DatabaseCheck {
    return check(this.c);
  }

  backup(destination: string): Promise<void> {
    return backup(this.c, destination);
  }

  close(): void {
    this.c.db.close();
  }
}
