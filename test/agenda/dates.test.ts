/** Due dates: day 0 + the step's `due`, else its phase's; months are calendar months; kept in steps.due_date. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addOffset } from '../../src/engine/dates.js';
import { dueDate } from '../../src/engine/run.js';
import { freshStores, testPlaybook } from './helpers.js';

const fresh = freshStores();

/** The due dates SQLite keeps for a run of the test playbook started on `start`. */
async function storedDueDates(start: string): Promise<Record<string, string>> {
  const { store, path } = fresh();
  const { run } = await store.createRun(await store.ensureAccount('Công ty Ánh Dương'), testPlaybook(), { startDate: start });
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT step_id, due_date FROM steps WHERE run_id = ?').all(run.id) as { step_id: string; due_date: string }[];
    return Object.fromEntries(rows.map((row) => [row.step_id, row.due_date]));
  } finally {
    db.close();
  }
}

describe('calendar months at month ends and in leap years', () => {
  it.each([
    ['2026-01-31', '1m', '2026-02-28'], // no Feb 31: the last day of February
    ['2028-01-31', '1m', '2028-02-29'], // leap year
    ['2026-03-31', '1m', '2026-04-30'],
    ['2026-05-31', '1m', '2026-06-30'],
    ['2026-01-30', '1m', '2026-02-28'],
    ['2026-01-29', '1m', '2026-02-28'],
    ['2028-01-29', '1m', '2028-02-29'],
    ['2026-02-28', '1m', '2026-03-28'], // the day is kept, not "the last day" again
    ['2028-02-29', '1m', '2028-03-29'],
    ['2026-12-31', '2m', '2027-02-28'], // across the year end
    ['2026-11-30', '3m', '2027-02-28'],
    ['2027-11-30', '3m', '2028-02-29'],
    ['2099-12-31', '2m', '2100-02-28'], // 2100 is not a leap year
    ['1999-12-31', '2m', '2000-02-29'], // 2000 is
    ['2026-08-31', '6m', '2027-02-28'],
    ['2026-01-31', '12m', '2027-01-31'],
  ])('%s + %s = %s', (start, offset, expected) => {
    expect(addOffset(start, offset)).toBe(expected);
  });

  it.each([
    ['2028-02-28', '1d', '2028-02-29'],
    ['2028-02-29', '1d', '2028-03-01'],
    ['2027-02-28', '1d', '2027-03-01'],
    ['2028-02-22', '1w', '2028-02-29'],
    ['2026-12-29', '1w', '2027-01-05'],
    ['2028-01-01', '366d', '2029-01-01'],
  ])('%s + %s = %s (days and weeks run through leap days)', (start, offset, expected) => {
    expect(addOffset(start, offset)).toBe(expected);
  });
});

describe("a step's due date", () => {
  it("is the step's own offset, else its phase's", async () => {
    const playbook = testPlaybook();
    const [week, month] = playbook.phases;
    expect(dueDate('2026-11-26', week!.steps[0]!, week!.due)).toBe('2026-11-28');
    expect(dueDate('2026-11-26', week!.steps[1]!, week!.due)).toBe('2026-12-03');
    expect(dueDate('2026-11-26', month!.steps[0]!, month!.due)).toBe('2026-12-26');
  });

  it('is day 0 when neither the step nor its phase has one', async () => {
    expect(dueDate('2026-11-26', { id: 'x', title: 'X' }, undefined)).toBe('2026-11-26');
  });

  it.each([
    ['2026-01-31', { kickoff: '2026-02-02', setup: '2026-02-07', handover: '2026-02-28' }],
    ['2028-01-31', { kickoff: '2028-02-02', setup: '2028-02-07', handover: '2028-02-29' }],
    ['2028-02-27', { kickoff: '2028-02-29', setup: '2028-03-05', handover: '2028-03-27' }],
    ['2026-12-31', { kickoff: '2027-01-02', setup: '2027-01-07', handover: '2027-01-31' }],
  ])('is stored in steps.due_date when a run starting %s is created', async (start, expected) => {
    expect(await storedDueDates(start)).toEqual(expected);
  });

  it('comes back unchanged when the run is loaded', async () => {
    const { store } = fresh();
    const { run } = await store.createRun(await store.ensureAccount('Acme'), testPlaybook(), { startDate: '2028-01-31' });
    expect((await store.loadRun(run.id))!.state.steps.map((step) => step.due)).toEqual(['2028-02-02', '2028-02-07', '2028-02-29']);
  });
});
