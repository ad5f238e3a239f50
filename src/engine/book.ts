/**
 * Importing a book of business: the rows read from a CRM export (see book-csv.ts), and the plan of
 * what importing them changes given what is stored. Pure: the store runs `planImport` inside its
 * transaction with lookups of its own. Kept apart from the CSV parser so that opening the store
 * never loads it.
 */
import type { Playbook } from '../playbook/types.js';
import { accountKey } from './names.js';

export interface BookRow {
  /** Line in the file where the row starts (1 is the header). */
  line: number;
  name: string;
  /** accountKey(name): the same customer in any spelling. */
  key: string;
  owner: string | null;
  playbook: Playbook;
  startDate: string;
  /** False when the start cell was empty (or there is no start column): the run starts today. */
  startGiven: boolean;
  /** Values of the extra columns, empty ones left out (the record id's among them). */
  fields: Record<string, string>;
  /** The CRM's id of the record: the column it is in, and its value. Matched on re-import. */
  record: { column: string; value: string } | null;
}

export interface LineProblem {
  line: number;
  message: string;
}

/** What the store knows of an account, as a plan needs it. */
export interface StoredAccount {
  id: number;
  name: string;
  owner: string | null;
  fields: Record<string, string>;
}

export interface StoredRun {
  id: number;
  startDate: string;
  status: 'open' | 'finished';
}

export interface BookLookup {
  account(key: string): StoredAccount | undefined;
  /** The account whose field `column` holds `value` (the CRM's record id). */
  accountByRecord(column: string, value: string): StoredAccount | undefined;
  runs(accountId: number, playbookId: string): StoredRun[];
}

export interface PlanOptions {
  /** Give an account the file's owner when it differs from the stored one (else it is kept, and reported). */
  updateOwners?: boolean;
}

export interface NewAccount {
  key: string;
  name: string;
  owner: string | null;
  fields: Record<string, string>;
}

/** An existing account's owner and fields after the import. */
export interface AccountChange {
  id: number;
  owner: string | null;
  fields: Record<string, string>;
}

export interface RunToStart {
  row: BookRow;
  /** The stored account's id; undefined for one of `newAccounts`, found by `key`. */
  accountId: number | undefined;
  key: string;
  /** The row's owner, else the account's. */
  owner: string | null;
  /** The account's fields as the import leaves them: what `account.NAME` conditions and due dates of its run read. */
  accountFields?: Record<string, string>;
}

/** An owner in the file that is not the one stored for the account. */
export interface OwnerDifference {
  line: number;
  account: string;
  stored: string;
  file: string;
  /** True with --update-owners: the file's owner was taken. */
  updated: boolean;
}

/** What importing one row does: the dry run prints one line per row from these. */
export interface RowPlan {
  line: number;
  /** The account as it is (or will be) stored. */
  account: string;
  /** The name in the file, when the account was matched by record id under another name. */
  nameInFile?: string;
  createsAccount: boolean;
  /** New or changed field values (or owner) for an existing account. */
  updatesAccount: boolean;
  playbook: string;
  startDate: string;
  outcome: { kind: 'start' } | { kind: 'unchanged'; runId: number } | { kind: 'problem'; message: string };
  ownerDiffers?: OwnerDifference;
}

export interface ImportPlan {
  newAccounts: NewAccount[];
  changedAccounts: AccountChange[];
  runs: RunToStart[];
  /** Rows whose run already exists (same account, playbook and start date). */
  unchanged: number;
  ownersDiffer: OwnerDifference[];
  rowPlans: RowPlan[];
  problems: LineProblem[];
}

/** What an import did (or, for a dry run or with problems, would do). */
export interface ImportOutcome {
  accountsCreated: number;
  /** Existing accounts that got an owner or new field values. */
  accountsUpdated: number;
  runsStarted: number;
  /** Rows whose run (same account, playbook and start date) already exists. */
  unchanged: number;
  /** Owners in the file that differ from the stored ones (kept unless --update-owners). */
  ownersDiffer: OwnerDifference[];
  /** Row by row, in the file's order. */
  rowPlans: RowPlan[];
  /** Rows that conflict with what is stored; when any, nothing is written. */
  problems: LineProblem[];
}

export function outcomeOf(plan: ImportPlan): ImportOutcome {
  return {
    accountsCreated: plan.newAccounts.length,
    accountsUpdated: plan.changedAccounts.length,
    runsStarted: plan.runs.length,
    unchanged: plan.unchanged,
    ownersDiffer: plan.ownersDiffer,
    rowPlans: plan.rowPlans,
    problems: plan.problems,
  };
}

/** A lookup for a database that does not exist yet: every account is new. */
export const EMPTY_BOOK_LOOKUP: BookLookup = { account: () => undefined, accountByRecord: () => undefined, runs: () => [] };

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function samePerson(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

type Existing = { stored: StoredAccount; owner: string | null; fields: Record<string, string> };

/**
 * What importing `rows` changes. A row is matched to a stored account by its CRM record id, else by
 * name (a name stored with another record id is a problem: two CRM records, one name). An account
 * with no owner gets the row's; one whose owner differs keeps it, and the difference is reported
 * (--update-owners takes the file's). Field values from the file replace stored ones. A row whose
 * run exists with the same start date, or (when the row gives no start) whose account has an open
 * run of the playbook, is unchanged: importing the same export twice changes nothing. Another open
 * run of the playbook is a problem.
 */
export function planImport(rows: readonly BookRow[], lookup: BookLookup, options: PlanOptions = {}): ImportPlan {
  const created = new Map<string, NewAccount>();
  const existing = new Map<number, Existing>();
  const existingByKey = new Map<string, Existing>();
  const runs: RunToStart[] = [];
  const problems: LineProblem[] = [];
  const ownersDiffer: OwnerDifference[] = [];
  const rowPlans: RowPlan[] = [];
  let unchanged = 0;
  const remember = (stored: StoredAccount): Existing => {
    let known = existing.get(stored.id);
    if (!known) existing.set(stored.id, (known = { stored, owner: stored.owner, fields: { ...stored.fields } }));
    existingByKey.set(accountKey(stored.name), known);
    return known;
  };
  for (const row of rows) {
    const plan: RowPlan = { line: row.line, account: row.name, createsAccount: false, updatesAccount: false, playbook: row.playbook.id, startDate: row.startDate, outcome: { kind: 'start' } };
    rowPlans.push(plan);
    const refuse = (message: string) => {
      problems.push({ line: row.line, message });
      plan.outcome = { kind: 'problem', message };
    };
    let account: Existing | undefined = existingByKey.get(row.key);
    let fresh = created.get(row.key);
    if (row.record && !fresh) {
      const byRecord = lookup.accountByRecord(row.record.column, row.record.value);
      if (byRecord) account = existing.get(byRecord.id) ?? remember(byRecord);
    }
    if (!account && !fresh) {
      const stored = lookup.account(row.key);
      if (stored) account = existing.get(stored.id) ?? remember(stored);
    }
    if (account && row.record) {
      const storedRecord = account.stored.fields[row.record.column];
      if (storedRecord !== undefined && storedRecord !== row.record.value) {
        refuse(`${JSON.stringify(account.stored.name)} is stored with ${row.record.column} ${storedRecord}, not ${row.record.value}: two CRM records with one name? Rename one (cs accounts rename) and import again`);
        continue;
      }
    }
    if (!account && !fresh) created.set(row.key, (fresh = { key: row.key, name: row.name, owner: null, fields: {} }));
    if (fresh) {
      plan.createsAccount = true;
      fresh.owner ??= row.owner;
      Object.assign(fresh.fields, row.fields);
      runs.push({ row, accountId: undefined, key: row.key, owner: row.owner });
      continue;
    }
    const known = account!;
    plan.account = known.stored.name;
    if (accountKey(known.stored.name) !== row.key) plan.nameInFile = row.name;
    if (row.owner !== null) {
      if (known.owner === null) known.owner = row.owner;
      else if (!samePerson(known.owner, row.owner)) {
        const difference = { line: row.line, account: known.stored.name, stored: known.owner, file: row.owner, updated: options.updateOwners === true };
        ownersDiffer.push(difference);
        plan.ownerDiffers = difference;
        if (options.updateOwners) known.owner = row.owner;
      }
    }
    Object.assign(known.fields, row.fields);
    plan.updatesAccount = known.owner !== known.stored.owner || !sameFields(known.fields, known.stored.fields);
    const before = lookup.runs(known.stored.id, row.playbook.id);
    const same = before.find((run) => run.startDate === row.startDate) ?? (row.startGiven ? undefined : before.find((run) => run.status === 'open'));
    if (same) {
      unchanged += 1;
      plan.outcome = { kind: 'unchanged', runId: same.id };
      plan.startDate = same.startDate;
      continue;
    }
    const open = before.find((run) => run.status === 'open');
    if (open) {
      refuse(`${JSON.stringify(row.name)} already has an open run #${open.id} of ${row.playbook.id} (started ${open.startDate})`);
      continue;
    }
    runs.push({ row, accountId: known.stored.id, key: row.key, owner: row.owner });
  }
  // A run is owned by its row's owner, else its account's; an owner the account kept wins over a differing row's.
  for (const run of runs) {
    const account = run.accountId === undefined ? created.get(run.key)! : existing.get(run.accountId)!;
    run.owner = run.accountId !== undefined && run.owner !== null && account.owner !== null && !samePerson(run.owner, account.owner) ? account.owner : (run.owner ?? account.owner);
    run.accountFields = account.fields;
  }
  const changedAccounts = [...existing.values()]
    .filter(({ stored, owner, fields }) => owner !== stored.owner || !sameFields(fields, stored.fields))
    .map(({ stored, owner, fields }) => ({ id: stored.id, owner, fields }));
  return { newAccounts: [...created.values()], changedAccounts, runs, unchanged, ownersDiffer, rowPlans, problems };
}
