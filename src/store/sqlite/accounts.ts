/** Accounts: finding, creating, renaming, and the figures `cs accounts list` shows. */
import { nameTaken, noSuchAccount } from '../refusals.js';
import { accountKey, cleanAccountName, compareNames } from '../../engine/names.js';
import type { Account, AccountSummary, OwnerQuery } from '../store.js';
import type { Connection } from './connection.js';
import { now, ownerQuery } from './connection.js';
import type { AccountRow } from '../rows.js';
import { toAccount } from '../rows.js';
import { accountFiguresSql, overdueByAccountSql } from '../summaries.js';

export function findAccount(c: Connection, name: string): Account | undefined {
  // Look-alikes that were two accounts before schema 4 keep a suffixed key (`key\0#id`): the one
  // spelled exactly as asked wins, else the oldest.
  const row = c.read(
    () =>
      c.sql(
        `SELECT * FROM accounts WHERE name_key = @key OR (name_key > @key || char(0) AND name_key < @key || char(1))
         ORDER BY name = @name DESC, id LIMIT 1`,
      ).get({ key: accountKey(name), name: cleanAccountName(name) }) as AccountRow | undefined,
  );
  return row && toAccount(row);
}

export function ensureAccount(c: Connection, name: string, owner?: string): Account {
  const clean = cleanAccountName(name);
  return c.write(() => {
    c.sql('INSERT INTO accounts (name, name_key, owner, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING').run(
      clean,
      accountKey(clean),
      owner ?? null,
      now(),
    );
    if (owner) c.sql('UPDATE accounts SET owner = ? WHERE name_key = ? AND owner IS NULL').run(owner, accountKey(clean));
    return toAccount(c.sql('SELECT * FROM accounts WHERE name_key = ?').get(accountKey(clean)) as AccountRow);
  });
}

export function accountNames(c: Connection): string[] {
  return c.read(() => c.sql('SELECT name FROM accounts').pluck().all() as string[]);
}

export function listAccounts(c: Connection): Account[] {
  const rows = c.read(() => c.sql('SELECT * FROM accounts').all() as AccountRow[]);
  return rows.map(toAccount).sort((a, b) => compareNames(a.name, b.name));
}

export function renameAccount(c: Connection, accountId: number, newName: string): Account {
  const name = cleanAccountName(newName);
  const key = accountKey(name);
  return c.write(() => {
    const holder = c.sql('SELECT id, name FROM accounts WHERE name_key = ?').get(key) as Pick<AccountRow, 'id' | 'name'> | undefined;
    if (holder && holder.id !== accountId) {
      throw nameTaken(holder.name);
    }
    c.sql('UPDATE accounts SET name = ?, name_key = ? WHERE id = ?').run(name, key, accountId);
    const row = c.sql('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRow | undefined;
    if (!row) throw noSuchAccount(accountId);
    return toAccount(row);
  });
}

/** Sets (or, with undefined, removes) one of an account's fields, in one immediate transaction. */
export function setAccountField(c: Connection, accountId: number, key: string, value: string | undefined): Account {
  return c.write(() => {
    const row = c.sql('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRow | undefined;
    if (!row) throw noSuchAccount(accountId);
    // read and written in the same transaction: a field another process set meanwhile is kept
    const { [key]: _old, ...others } = toAccount(row).fields;
    const fields = value === undefined ? others : { ...others, [key]: value };
    c.sql('UPDATE accounts SET fields = ? WHERE id = ?').run(JSON.stringify(fields), accountId);
    return toAccount(c.sql('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRow);
  });
}

export function accountSummaries(c: Connection, today: string, owner?: OwnerQuery): AccountSummary[] {
  if (owner !== undefined) c.foldFunction();
  // the accounts with their runs' kept figures, and the overdue steps from the agenda's index, in one snapshot
  const [rows, overdue] = c.readSnapshot(
    () =>
      [
        c.sql(accountFiguresSql(owner === undefined ? '' : 'WHERE cs_owner_is(a.owner, @owner) = 1')).all(owner === undefined ? {} : { owner: ownerQuery(owner) }) as (AccountRow & { open_runs: number; next_due: string | null })[],
        new Map(c.sql(overdueByAccountSql('?')).raw().all(today) as [number, number][]),
      ] as const,
  );
  return rows.map((row) => ({ id: row.id, name: row.name, owner: row.owner, fields: JSON.parse(row.fields) as Record<string, string>, createdAt: row.created_at, openRuns: row.open_runs, nextDue: row.next_due, overdue: overdue.get(row.id) ?? 0 }));
}
