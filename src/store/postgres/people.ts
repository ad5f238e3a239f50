/** People on PostgreSQL: the team, who made each commit, and the handover of an account (see ../sqlite/people.ts). */
import { inputError } from '../../errors.js';
import { localDay, localTimestamp } from '../../engine/dates.js';
import { said } from '../../i18n/messages.js';
import type { Role } from '../../playbook/types.js';
import { handleKey } from '../../people/person.js';
import type { CommitRecord, Handover, MemberChanges, NewMember, TeamMember } from '../store.js';
import type { PgConnection, Queryable } from './connection.js';
import { PERSON_COLUMNS, toMember } from '../rows.js';
import type { PersonRow } from '../rows.js';
import { now } from './runs.js';

export async function listPeople(q: Queryable): Promise<TeamMember[]> {
  return (await q.rows<PersonRow & Record<string, unknown>>(`SELECT ${PERSON_COLUMNS} FROM people ORDER BY handle_key COLLATE "C"`)).map(toMember);
}

async function refuseTaken(q: Queryable, handle: string | undefined, email: string | null | undefined, except?: string): Promise<void> {
  if (handle !== undefined) {
    const [holder] = await q.rows<{ handle: string }>('SELECT handle FROM people WHERE handle_key = $1', [handleKey(handle)]);
    if (holder && holder.handle !== except) throw inputError(said('team.handleTaken', { handle: holder.handle }), { hint: said('team.handleTakenHint') });
  }
  if (email) {
    const [holder] = await q.rows<{ handle: string }>('SELECT handle FROM people WHERE lower(email) = lower($1)', [email]);
    if (holder && holder.handle !== except) throw inputError(said('team.emailTaken', { email, handle: holder.handle }));
  }
}

/** Both run inside a transaction that holds the team's lock: two adds of one handle never both pass the check. */
const TEAM_LOCK = 0x63735f70; // "cs_p"

export async function addPerson(q: Queryable, member: NewMember): Promise<TeamMember> {
  await q.run('SELECT pg_advisory_xact_lock($1)', [TEAM_LOCK]);
  await refuseTaken(q, member.handle, member.email);
  const stamp = now();
  const [row] = await q.rows<PersonRow & Record<string, unknown>>(
    `INSERT INTO people (handle, handle_key, name, email, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${PERSON_COLUMNS}`,
    [member.handle, handleKey(member.handle), member.name, member.email ?? null, member.role ?? null, stamp],
  );
  return toMember(row!);
}

export async function updatePerson(q: Queryable, handle: string, changes: MemberChanges): Promise<TeamMember> {
  await q.run('SELECT pg_advisory_xact_lock($1)', [TEAM_LOCK]);
  const [row] = await q.rows<PersonRow & Record<string, unknown>>(`SELECT ${PERSON_COLUMNS} FROM people WHERE handle_key = $1`, [handleKey(handle)]);
  if (!row) throw inputError(said('team.unknown', { who: handle }), { hint: said('team.unknownHint') });
  await refuseTaken(q, changes.handle, changes.email, row.handle);
  const next = { ...row, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) } as PersonRow;
  const [updated] = await q.rows<PersonRow & Record<string, unknown>>(
    `UPDATE people SET handle = $1, handle_key = $2, name = $3, email = $4, role = $5, updated_at = $6 WHERE handle_key = $7 RETURNING ${PERSON_COLUMNS}`,
    [next.handle, handleKey(next.handle), next.name, next.email, next.role, now(), handleKey(handle)],
  );
  return toMember(updated!);
}

/** When a commit is dated: a local time on the acting day (CS_TODAY when pinned), as on SQLite. */
export function commitStamp(c: PgConnection): string {
  return localTimestamp(c.actingDay ?? localDay());
}

export async function recordCommit(c: PgConnection, q: Queryable, runId: number, event: string, stepId: string | null, detail: string | null): Promise<void> {
  await q.run('INSERT INTO commits (run_id, event, step_id, detail, made_by, made_at) VALUES ($1, $2, $3, $4, $5, $6)', [runId, event, stepId, detail, c.actor, commitStamp(c)]);
}

/** The commits of each of these runs, oldest first, in one query (cs status --full, a page of runs at a time). */
export async function histories(q: Queryable, runIds: readonly number[]): Promise<Map<number, CommitRecord[]>> {
  const byRun = new Map<number, CommitRecord[]>(runIds.map((runId) => [runId, []]));
  const rows = await q.rows<CommitRecord & { runId: number }>('SELECT run_id AS "runId", made_at AS at, made_by AS by, event, step_id AS "stepId", detail FROM commits WHERE run_id = ANY($1::integer[]) ORDER BY id', [[...runIds]]);
  for (const { runId, ...record } of rows) byRun.get(runId)?.push(record);
  return byRun;
}

export async function history(q: Queryable, runId: number): Promise<CommitRecord[]> {
  return q.rows<CommitRecord & Record<string, unknown>>('SELECT made_at AS at, made_by AS by, event, step_id AS "stepId", detail FROM commits WHERE run_id = $1 ORDER BY id', [runId]);
}

/** See ../sqlite/people.ts handOver: the account and its other open runs of the previous owner (or nobody) go to its person of `role`. */
export async function handOverToRole(c: PgConnection, q: Queryable, runId: number, role: Role, stepId: string): Promise<Handover> {
  const [row] = await q.rows<{ id: number; account_owner: string | null; run_owner: string | null; fields: string }>(
    'SELECT a.id, a.owner AS account_owner, r.owner AS run_owner, a.fields FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = $1 FOR UPDATE OF a',
    [runId],
  );
  const to = row ? ((JSON.parse(row.fields) as Record<string, string>)[role] ?? null) : null;
  if (!row || !to) return { role, to: null };
  const previous = [row.run_owner, row.account_owner].filter((owner): owner is string => owner !== null);
  // the run handing over stays with whoever walks it (the COS signs its documents and holds the introduction)
  await q.run("UPDATE runs SET owner = $1 WHERE account_id = $2 AND id <> $3 AND status = 'open' AND (owner IS NULL OR owner = ANY($4::text[]))", [to, row.id, runId, previous]);
  await q.run('UPDATE accounts SET owner = $1 WHERE id = $2', [to, row.id]);
  await recordCommit(c, q, runId, 'handover', stepId, to);
  return { role, to };
}
