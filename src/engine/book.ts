/**
 * Importing a book of business: the rows read from a CRM export (see book-csv.ts), and the plan of
 * what importing them changes given what is stored. Pure: the store runs `planImport` inside its
 * transaction with lookups of its own. Kept apart from the CSV parser so that opening the store
 * never loads it.
 */
import type { Playbook } from '../playbook/types.js';

export interface BookRow {
  /** Line in the file where the row starts (1 is the header). */
  line: number;
  name: string;
  /** accountKey(name): the same customer in any spelling. */
  key: string;
  owner: string | null;
  playbook: Playbook;
  startDate: string;
  /** Values of the extra columns, empty ones left out. */
  fields: Record<string, string>;
}

export interface LineProblem {
  line: number;
  message: string;
}

/** What the store knows of an account, as a plan needs it. */
export interface StoredAccount {
  id: number;
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
  runs(accountId: number, playbookId: string): StoredRun[];
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
}

export interface ImportPlan {
  newAccounts: NewAccount[];
  changedAccounts: AccountChange[];
  runs: RunToStart[];
  /** Rows whose run already exists (same account, playbook and start date). */
  unchanged: number;
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
  /** Rows that conflict with what is stored; when any, nothing is written. */
  problems: LineProblem[];
}

export function outcomeOf(plan: ImportPlan): ImportOutcome {
  return {
    accountsCreated: plan.newAccounts.length,
    accountsUpdated: plan.changedAccounts.length,
    runsStarted: plan.runs.length,
    unchanged: plan.unchanged,
    problems: plan.problems,
  };
}

/** A lookup for a database that does not exist yet: every account is new. */
export const EMPTY_BOOK_LOOKUP: BookLookup = { account: () => undefined, runs: () => [] };

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * What importing `rows` changes. An account gets an owner only when it has none (the first row's
 * that names one); field values from the file replace stored ones. A row whose run exists with the
 * same start date is unchanged; one whose account has another open run of that playbook is a problem.
 */
export function planImport(rows: readonly BookRow[], lookup: BookLookup): ImportPlan {
  const created = new Map<string, NewAccount>();
  const existing = new Map<string, { stored: StoredAccount; owner: string | null; fields: Record<string, string> }>();
  const runs: RunToStart[] = [];
  const problems: LineProblem[] = [];
  let unchanged = 0;
  const ownerOf = (key: string) => (created.get(key) ?? existing.get(key))!.owner;
  for (const row of rows) {
    let account = created.get(row.key) ?? existing.get(row.key);
    if (!account) {
      const stored = lookup.account(row.key);
      if (stored) existing.set(row.key, (account = { stored, owner: stored.owner, fields: { ...stored.fields } }));
      else created.set(row.key, (account = { key: row.key, name: row.name, owner: null, fields: {} }));
    }
    account.owner ??= row.owner;
    Object.assign(account.fields, row.fields);
    const stored = existing.get(row.key)?.stored;
    const before = stored ? lookup.runs(stored.id, row.playbook.id) : [];
    if (before.some((run) => run.startDate === row.startDate)) {
      unchanged += 1;
      continue;
    }
    const open = before.find((run) => run.status === 'open');
    if (open) {
      problems.push({
        line: row.line,
        message: `${JSON.stringify(row.name)} already has an open run #${open.id} of ${row.playbook.id} (started ${open.startDate})`,
      });
      continue;
    }
    runs.push({ row, accountId: stored?.id, key: row.key, owner: row.owner });
  }
  for (const run of runs) run.owner ??= ownerOf(run.key);
  const changedAccounts = [...existing.values()]
    .filter(({ stored, owner, fields }) => owner !== stored.owner || !sameFields(fields, stored.fields))
    .map(({ stored, owner, fields }) => ({ id: stored.id, owner, fields }));
  return { newAccounts: [...created.values()], changedAccounts, runs, unchanged, problems };
}
