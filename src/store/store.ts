/**
 * The store's interface: everything the commands need from persistence, and nothing about SQL.
 * A second backend implements this interface; commands never see the difference.
 */
import type { BookRow, ImportOutcome, PlanOptions } from '../engine/book.js';
import type { Conflict } from '../engine/merge.js';
import type { BookReport, ReportQuery } from '../engine/report.js';
import type { DueMove } from '../engine/shift.js';
import type { RunEvent, RunState, RunStatus, StepState } from '../engine/run.js';
import type { Playbook, Role } from '../playbook/types.js';
import type { WorkCalendar } from '../engine/due.js';
import type { TableRows } from './copy.js';
import type { Said } from '../i18n/messages.js';

export interface Account {
  id: number;
  name: string;
  owner: string | null;
  /** Extra columns from an import, usable in templates as account.<column>. */
  fields: Record<string, string>;
  createdAt: string;
}

export interface Run {
  id: number;
  accountId: number;
  accountName: string;
  playbookId: string;
  playbookVersion: number;
  playbookTitle: string;
  kind: string;
  owner: string | null;
  startDate: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface LoadedRun {
  run: Run;
  state: RunState;
  /** Each step's version, by step id: every write to a step bumps it (a conflict is looked for only when it moved). */
  versions: Readonly<Record<string, number>>;
  /** Every commit made to the run, oldest first: only when loadRuns was asked for it. */
  history?: CommitRecord[];
}

/** Where a run stands, from the figures kept for it (run_summaries, src/store/summaries.ts): book-level `cs status`. */
export interface RunStanding {
  run: Run;
  /** The run's playbook as it started it (its snapshot, shared by its runs). */
  playbook: Playbook;
  done: number;
  skipped: number;
  /** Open steps that apply. */
  open: number;
  notApplicable: number;
  /** Open steps that apply, due before the day asked about. */
  overdue: number;
  /** The first open step that applies, by its index in the playbook's steps; null when none is open. */
  nextIndex: number | null;
  /** That step's due date ('' while it waits on another step). */
  nextDue: string | null;
}

export interface LoadOptions {
  /** Each run's commits too (one query per call, not one per run). */
  history?: boolean;
}

/** The step an event changes, as the committing walk last read it: what a conflict is detected against. */
export interface SeenStep {
  version: number;
  state: StepState;
}

/** A person of the team (`cs team add`): found by handle, name or address. */
export interface TeamMember {
  handle: string;
  name: string;
  email: string | null;
  role: Role | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewMember {
  handle: string;
  name: string;
  email?: string;
  role?: Role;
}

/** What `cs team set` changes: a value to set, null to remove (email, role), absent to keep. */
export interface MemberChanges {
  handle?: string;
  name?: string;
  email?: string | null;
  role?: Role | null;
}

/** One commit to a run, as kept: when, who made it (null when nobody was known), and what it changed. */
export interface CommitRecord {
  at: string;
  by: string | null;
  /** The event's type (answer, tick, complete, …), or `start`, `upgrade`, `handover`. */
  event: string;
  stepId: string | null;
  /** The field answered or cleared, the checklist item ticked, the role handed over to. */
  detail: string | null;
}

/** Doing a step that says `handover: <role>` gave the account to the account's person of that role. */
export interface Handover {
  role: Role;
  /** Whom the account went to; null when the account has nobody in that role (nothing changed). */
  to: string | null;
}

export interface CommitOutcome {
  /**
   * The run as stored once the commit is over: this event applied (unless it conflicted) on top of
   * everything other walks committed.
   */
  loaded: LoadedRun;
  /** The event was not applied: the thing it changes was changed by someone else since it was seen. */
  conflict?: Conflict;
  /** The event did a `handover:` step: the account and its open runs changed hands in the same transaction. */
  handover?: Handover;
}

/** Lines of a long answer typed but not given yet (the walk was stopped): offered back on resume. */
export interface Draft {
  stepId: string;
  /** The field's id, or NOTE_DRAFT for the step's note. */
  fieldId: string;
  text: string;
  savedAt: string;
}

/** The draft of a step's note is kept under this field id (no field id can start with "#"). */
export const NOTE_DRAFT = '#note';

export interface NewRun {
  startDate: string;
  owner?: string;
}

export interface RunFilter {
  accountId?: number;
  status?: RunStatus;
  playbookId?: string;
}

/**
 * Whose: an owner as typed (matched by its name or address, in any case, NFC or NFD), or the keys
 * of a person (src/people's ownerQueryKeys: name, address and handle), any of which matches.
 */
export type OwnerQuery = string | readonly string[];

/** Which open steps `agenda` returns: those due on or before `until` (overdue ones included). */
export interface AgendaQuery {
  until: string;
  /**
   * The step's owner: the account's person of the role the step names, else the run's owner, else
   * the account's (see OwnerQuery).
   */
  owner?: OwnerQuery;
  /** With `owner`: steps that nobody owns are listed too (the acting user's own agenda). */
  orUnowned?: boolean;
  accountId?: number;
}

/** Which step of which run an agenda line or an action item belongs to. */
export interface StepPlace {
  account: string;
  runId: number;
  playbookId: string;
  playbookTitle: string;
  stepId: string;
  step: string;
  phase: string;
  /** The step's position in its playbook's order. */
  position: number;
}

/** One open step of an open run, as the agenda lists it. */
export interface AgendaEntry extends StepPlace {
  due: string;
  owner: string | null;
}

/** One action item as the agenda and `cs actions list` show it. */
export interface ActionEntry extends StepPlace {
  fieldId: string;
  /** Its place in its field's list, 1-based. */
  n: number;
  what: string;
  who: string | null;
  due: string | null;
  done: boolean;
  /** The run's owner, else the account's. */
  owner: string | null;
}

/** Which action items `cs actions list` shows. */
export interface ActionQuery {
  accountId?: number;
  /** Whose: the item's `who`, else the run's owner, else the account's (matched like names). */
  owner?: OwnerQuery;
}

/** An account with the figures `cs accounts list` shows. */
export interface AccountSummary extends Account {
  openRuns: number;
  /** The earliest due date among the open steps of its open runs. */
  nextDue: string | null;
  /** Open steps of open runs due before `today`. */
  overdue: number;
}

export interface ImportOptions extends PlanOptions {
  /** Plan and report only; write nothing. */
  dryRun?: boolean;
  /** Called as rows are written (not during a dry run). */
  onProgress?: (done: number, total: number) => void;
}

export interface DatabaseCheck {
  /** Said in the interface's language; --json prints them in English. */
  problems: Said[];
  schemaVersion: number;
  accounts: number;
  runs: number;
  openRuns: number;
  answers: number;
}

/** One open step as a calendar event needs it (see src/render/ics.ts). */
export interface CalendarEntry extends Omit<AgendaEntry, 'phase' | 'position'> {
  /** How many times the step's due date has moved (shift, undo, upgrade): the event's SEQUENCE. */
  sequence: number;
  guide: string | null;
}

export interface CalendarExport {
  /** This database's own identity: part of every UID, so two databases never share one. */
  databaseId: string;
  entries: CalendarEntry[];
}

/** A shift as `cs shift` worked it out: the offset typed, and each open step's old and new due date. */
export interface ShiftRecord {
  offset: string;
  fromStep?: string;
  moves: DueMove[];
}

export interface UndoneShift {
  runId: number;
  offset: string;
  fromStep: string | null;
  shiftedAt: string;
  /** Steps whose due date went back (from: the shifted date, to: the one before). */
  restored: DueMove[];
  /** Steps done, skipped or moved again since the shift: left as they are. */
  kept: DueMove[];
}

/**
 * Every call returns a promise, so that a backend over the network (PostgreSQL) implements the same
 * interface as the embedded one (SQLite, which does its work synchronously and returns settled
 * promises).
 */
/** How a store is opened (either backend). */
export interface StoreOptions {
  /** The days not worked, for due dates in business days (Nbd). */
  calendar?: WorkCalendar;
}

export interface Store {
  readonly path: string;
  findAccount(name: string): Promise<Account | undefined>;
  /** The account with this name (any Unicode normalisation), created when new. */
  ensureAccount(name: string, owner?: string): Promise<Account>;
  listAccounts(): Promise<Account[]>;
  /** Every account's name, for "did you mean" (lighter than listAccounts). */
  accountNames(): Promise<string[]>;
  createRun(account: Account, playbook: Playbook, options: NewRun): Promise<LoadedRun>;
  listRuns(filter?: RunFilter): Promise<Run[]>;
  loadRun(runId: number): Promise<LoadedRun | undefined>;
  /** These runs, loaded, in the order given (one round of queries on a server); ids of no run are left out. */
  loadRuns(runIds: readonly number[], options?: LoadOptions): Promise<LoadedRun[]>;
  /**
   * Where each run `filter` selects stands, from the figures kept per run (no step row read but the
   * overdue ones, from the agenda's index), in the order of listRuns.
   */
  runStandings(today: string, filter?: RunFilter): Promise<RunStanding[]>;
  /**
   * Applies one event to the run as it is stored now, in one write transaction (engine/merge.ts
   * applyToStored), and bumps the version of the step it changes. A backend reads the run inside its
   * transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: the step rows SELECT … FOR UPDATE), runs
   * applyToStored, and writes only the event's change. With `seen` (the step as the walk
   * last read it), a change to the same answer, item, status or note made meanwhile is returned as
   * a conflict and nothing is written. Never writes anything but this event's own change.
   */
  commit(runId: number, event: RunEvent, seen?: SeenStep): Promise<CommitOutcome>;
  /** Keeps (or, with text '', drops) the draft of a long answer; waits only briefly for a lock. An answer committed to the field drops it too. */
  saveDraft(runId: number, stepId: string, fieldId: string, text: string): Promise<void>;
  drafts(runId: number): Promise<Draft[]>;
  /** Open steps of open runs due on or before `query.until`, soonest first (one indexed query). */
  agenda(query: AgendaQuery): Promise<Iterable<AgendaEntry>>;
  /** The handover is done: `owner` (the CSM it names) becomes the owner of the run's account (the run keeps its own). */
  handOver(runId: number, owner: string): Promise<void>;
  /** Open action items with a due date by `query.until`, soonest first (for the agenda). */
  dueActionItems(query: AgendaQuery): Promise<ActionEntry[]>;
  /** Action items of the runs `query` selects, done ones included, in account and step order. */
  actionItems(query: ActionQuery): Promise<ActionEntry[]>;
  /** Every account (of `owner`, when given) with its open runs, next due date and overdue count. */
  accountSummaries(today: string, owner?: OwnerQuery): Promise<AccountSummary[]>;
  /**
   * Creates the accounts and starts the runs of a book of business in one transaction, or, when any
   * row conflicts with what is stored, writes nothing and returns the problems.
   */
  importBook(rows: readonly BookRow[], options?: ImportOptions): Promise<ImportOutcome>;
  /**
   * Replaces an open run's playbook snapshot, steps and answers with `state` (a run moved to a new
   * version of its playbook), in one transaction.
   */
  upgradeRun(runId: number, state: RunState): Promise<void>;
  /** The backend's integrity check (empty when sound), the schema version, and what the database holds. */
  check(): Promise<DatabaseCheck>;
  /** A consistent copy as an SQLite file (SQLite: its online backup API; PostgreSQL: a copy in one snapshot): safe while other processes write. */
  backup(destination: string): Promise<void>;
  /** The journey report over the runs `query` selects (computed in the database). */
  report(query: ReportQuery): Promise<BookReport>;
  /** Open steps of open runs due by `query.until`, soonest first, with their guides and due-date revisions. */
  calendar(query: AgendaQuery): Promise<CalendarExport>;
  /** Moves an open run's due dates as `record` says and keeps the shift for undo, in one transaction. */
  shiftDueDates(runId: number, record: ShiftRecord): Promise<void>;
  /** Restores the latest shift not yet undone of any of `runIds`; undefined when there is none. */
  undoShift(runIds: readonly number[]): Promise<UndoneShift | undefined>;
  /** Renames an account; exit 2 when another account has the new name (in any normalisation). */
  renameAccount(accountId: number, newName: string): Promise<Account>;
  /** Sets (or, with undefined, removes) one of an account's fields, e.g. its language `lang`. */
  setAccountField(accountId: number, key: string, value: string | undefined): Promise<Account>;
  /** Every row of every table (TABLES in copy.ts), read in one snapshot: `cs db copy`. */
  readTables(): Promise<TableRows>;
  /** Replaces everything in the database with `tables`, in one transaction: `cs db copy`. */
  writeTables(tables: TableRows): Promise<void>;
  /** No accounts (so nothing else either): a copy may go here without --force. */
  isEmpty(): Promise<boolean>;
  /**
   * Who every write from now on is recorded as made by (a handle, or "Name <address>"), and the day
   * its commits are dated (CS_TODAY when pinned, as a run's finish is; else the local day).
   */
  setActor(by: string | undefined, today?: string): void;
  /** The team, by handle. */
  listPeople(): Promise<TeamMember[]>;
  /** Adds a person; exit 2 when the handle (in any case) or the address is someone's already. */
  addPerson(member: NewMember): Promise<TeamMember>;
  /** Changes the person with this handle; exit 2 when a new handle or address is someone else's. */
  updatePerson(handle: string, changes: MemberChanges): Promise<TeamMember>;
  /** Every commit made to a run, oldest first. */
  history(runId: number): Promise<CommitRecord[]>;
  close(): Promise<void>;
}
