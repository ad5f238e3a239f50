/** People: the team (cs team), who made each commit (the commits table), and the handover of an account. */
import { inputError } from '../../errors.js';
import type { Role } from '../../playbook/types.js';
import type { CommitRecord, Handover, MemberChanges, NewMember, TeamMember } from '../store.js';
import type { Connection } from './connection.js';
import { PERSON_COLUMNS, toMember } from '../rows.js';
import type { PersonRow } from '../rows.js';
import { now } from './connection.js';
import { localDay, localTimestamp } from '../../engine/dates.js';
import { said } from '../../i18n/messages.js';
import { handleKey } from '../../people/person.js';

export function listPeople(c: Connection): TeamMember[] {
  return c.read(() => (c.sql(`SELECT ${PERSON_COLUMNS} FROM people ORDER BY handle_key`).all() as PersonRow[]).map(toMember));
}

/** Refuses a handle or an address another person of the team has (`except`: the person being changed). */
function refuseTaken(c: Connection, handle: string | undefined, email: string | null | undefined, except?: string): void {
  if (handle !== undefined) {
    const holder = c.sql('SELECT handle FROM people WHERE handle_key = ?').get(handleKey(handle)) as { handle: string } | undefined;
    if (holder && holder.handle !== except) throw inputError(said('team.handleTaken', { handle: holder.handle }), { hint: said('team.handleTakenHint') });
  }
  if (email) {
    const holder = c.sql('SELECT handle FROM people WHERE lower(email) = lower(?)').get(email) as { handle: string } | undefined;
    if (holder && holder.handle !== except) throw inputError(said('team.emailTaken', { email, handle: holder.handle }));
  }
}

export function addPerson(c: Connection, member: NewMember): TeamMember {
  return c.write(() => {
    refuseTaken(c, member.handle, member.email);
    const stamp = now();
    c.sql('INSERT INTO people (handle, handle_key, name, email, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      member.handle,
      handleKey(member.handle),
      member.name,
      member.email ?? null,
      member.role ?? null,
      stamp,
      stamp,
    );
    return toMember(c.sql(`SELECT ${PERSON_COLUMNS} FROM people WHERE handle_key = ?`).get(handleKey(member.handle)) as PersonRow);
  });
}

export function updatePerson(c: Connection, handle: string, changes: MemberChanges): TeamMember {
  return c.write(() => {
    const row = c.sql(`SELECT ${PERSON_COLUMNS} FROM people WHERE handle_key = ?`).get(handleKey(handle)) as PersonRow | undefined;
    if (!row) throw inputError(said('team.unknown', { who: handle }), { hint: said('team.unknownHint') });
    refuseTaken(c, changes.handle, changes.email, row.handle);
    const next = { ...row, ...definedOf(changes) };
    c.sql('UPDATE people SET handle = ?, handle_key = ?, name = ?, email = ?, role = ?, updated_at = ? WHERE handle_key = ?').run(
      next.handle,
      handleKey(next.handle),
      next.name,
      next.email,
      next.role,
      now(),
      handleKey(handle),
    );
    return toMember(c.sql(`SELECT ${PERSON_COLUMNS} FROM people WHERE handle_key = ?`).get(handleKey(next.handle)) as PersonRow);
  });
}

function definedOf(changes: MemberChanges): Partial<PersonRow> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<PersonRow>;
}

/** Keeps who made a commit, and when (a local time, on the acting day); the caller holds the transaction. */
export function recordCommit(c: Connection, runId: number, event: string, stepId: string | null, detail: string | null): void {
  c.sql('INSERT INTO commits (run_id, event, step_id, detail, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?)').run(runId, event, stepId, detail, c.actor, commitTime(c));
}

/** When a commit made now is recorded as made (the acting day's, Store.setActor). */
export function commitTime(c: Connection): string {
  return localTimestamp(c.actingDay ?? localDay());
}

/** The commits of each of these runs, oldest first, in one query (cs status --full, a page of runs at a time). */
export function histories(c: Connection, runIds: readonly number[]): Map<number, CommitRecord[]> {
  const byRun = new Map<number, CommitRecord[]>(runIds.map((runId) => [runId, []]));
  const rows = c.sql('SELECT run_id AS runId, made_at AS at, made_by AS by, event, step_id AS stepId, detail FROM commits WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(runIds)) as (CommitRecord & { runId: number })[];
  for (const { runId, ...record } of rows) byRun.get(runId)?.push(record);
  return byRun;
}

export function history(c: Connection, runId: number): CommitRecord[] {
  return c.read(
    () => c.sql('SELECT made_at AS at, made_by AS by, event, step_id AS stepId, detail FROM commits WHERE run_id = ? ORDER BY id').all(runId) as CommitRecord[],
  );
}

/**
 * The account of `runId` goes to its person of `role` (accounts.fields[role]): it becomes the
 * account's owner, and so do its other open runs that were the previous owner's (or nobody's). The caller
 * holds the transaction; nothing changes when the account has nobody in that role.
 */
export function handOverToRole(c: Connection, runId: number, role: Role, stepId: string): Handover {
  const row = c.sql('SELECT a.id, a.owner AS account_owner, r.owner AS run_owner, a.fields FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?').get(runId) as
    | { id: number; account_owner: string | null; run_owner: string | null; fields: string }
    | undefined;
  const to = row ? ((JSON.parse(row.fields) as Record<string, string>)[role] ?? null) : null;
  if (!row || !to) return { role, to: null };
  const previous = [row.run_owner, row.account_owner].filter((owner): owner is string => owner !== null);
  // the run handing over stays with whoever walks it (the COS signs its documents and holds the introduction)
  c.sql(`UPDATE runs SET owner = ? WHERE account_id = ? AND id <> ? AND status = 'open' AND (owner IS NULL OR owner IN (SELECT value FROM json_each(?)))`).run(to, row.id, runId, JSON.stringify(previous));
  c.sql('UPDATE accounts SET owner = ? WHERE id = ?').run(to, row.id);
  recordCommit(c, runId, 'handover', stepId, to);
  return { role, to };
}
