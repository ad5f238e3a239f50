/**
 * The handover to the CSM (seed 000): once the note is done, the CSM it names owns the account. The
 * onboarding run keeps its owner (the COS who walks it, signs its documents and holds the meeting
 * that introduces the CSM); the account's later runs start as the CSM's. A store method of its own,
 * so a team-aware version (roles, `cs accounts set --csm`) can replace it without touching the run's events.
 */
import { noSuchRun } from '../refusals.js';
import type { Connection } from './connection.js';

/** Makes `owner` the owner of the account of run `runId`. */
export function handOver(c: Connection, runId: number, owner: string): void {
  c.write(() => {
    const run = c.sql('SELECT account_id FROM runs WHERE id = ?').get(runId) as { account_id: number } | undefined;
    if (!run) throw noSuchRun(runId);
    c.sql('UPDATE accounts SET owner = ? WHERE id = ?').run(owner, run.account_id);
  });
}
