/**
 * The journey report's figures on a small hand-made book, each expected value worked out by hand
 * (see the comments) from the definitions in README, "How the report counts".
 */
import Database from 'better-sqlite3';
import { rawSql, sqlLiteral } from '../support/backend.js';
import { describe, expect, it } from 'vitest';
import { daysSince, runHealth, stuckDaysSetting } from '../../src/engine/report.js';
import type { BookReport, StepFigures } from '../../src/engine/report.js';
import type { Store } from '../../src/store/store.js';
import { freshStores, testPlaybook } from '../agenda/helpers.js';

const fresh = freshStores();
const TODAY = '2026-12-10';

type StepPlan = ['done' | 'skipped', string, string?] | 'open';

/**
 * Starts a run of testPlaybook (kickoff due day 0 + 2d, setup + 1w, handover + 1m) and writes its
 * steps as `plan` says ([status, day, reason]) and its last commit, straight into the file.
 */
async function run(store: Store, path: string, account: string, start: string, lastCommit: string, plan: Record<string, StepPlan>, owner = 'lan'): Promise<number> {
  const { run } = await store.createRun(await store.ensureAccount(account, owner), testPlaybook(), { startDate: start });
  const statements = Object.entries(plan).flatMap(([stepId, step]) =>
    step === 'open'
      ? []
      : [`UPDATE steps SET status = ${sqlLiteral(step[0])}, completed_at = ${sqlLiteral(`${step[1]}T09:00:00.000Z`)}, skip_reason = ${sqlLiteral(step[2] ?? null)} WHERE run_id = ${run.id} AND step_id = ${sqlLiteral(stepId)};`],
  );
  const finished = Object.values(plan).every((step) => step !== 'open') && Object.keys(plan).length === 3;
  statements.push(`UPDATE runs SET updated_at = ${sqlLiteral(`${lastCommit}T09:00:00.000Z`)}, status = ${sqlLiteral(finished ? 'finished' : 'open')} WHERE id = ${run.id};`);
  rawSql(path, statements.join('\n'));
  return run.id;
}

/** The book: all start 2026-11-01 (kickoff due 11-03, setup 11-08, handover 12-01) except F and G. */
async function book(): Promise<Store> {
  const { store, path } = fresh();
  await run(store, path, 'A', '2026-11-01', '2026-11-30', { kickoff: ['done', '2026-11-02'], setup: ['done', '2026-11-08'], handover: ['done', '2026-11-30'] });
  await run(store, path, 'B', '2026-11-01', '2026-12-05', { kickoff: ['done', '2026-11-05'], setup: ['skipped', '2026-11-06', 'not needed'], handover: ['done', '2026-12-05'] });
  await run(store, path, 'C', '2026-11-01', '2026-11-20', { kickoff: ['done', '2026-11-03'], setup: ['done', '2026-11-20'], handover: 'open' });
  await run(store, path, 'D', '2026-11-01', '2026-12-01', { kickoff: ['done', '2026-11-10'], setup: 'open', handover: 'open' }, 'minh');
  await run(store, path, 'E', '2026-11-01', '2026-12-05', { kickoff: 'open', setup: 'open', handover: 'open' });
  await run(store, path, 'F', '2026-12-08', '2026-12-08', { kickoff: 'open' }); // kickoff due 12-10: not overdue today
  await run(store, path, 'G', '2026-12-20', '2026-12-08', { kickoff: 'open' }); // starts later: not waiting yet
  await run(store, path, 'H', '2026-11-01', '2026-11-02', { kickoff: ['skipped', '2026-11-02', 'not needed'], setup: ['skipped', '2026-11-02', 'customer declined'], handover: 'open' });
  return store;
}

function step(report: BookReport, stepId: string): StepFigures {
  return report.playbooks[0]!.steps.find((each) => each.stepId === stepId)!;
}

describe('cs report figures, by hand', () => {
  it('kickoff: reached 7 (4 done, 1 skipped, E and F waiting; G has not started), days [1,2,4,9], on time 2 of 4, late [2,7], waiting [39,2]', async () => {
    const report = await (await book()).report({ today: TODAY, stuckDays: 14 });
    expect(step(report, 'kickoff')).toEqual({
      stepId: 'kickoff',
      title: 'Cuộc gọi khởi động',
      position: 0,
      reached: 7,
      done: 4,
      skipped: 1,
      skipReasons: [{ reason: 'not needed', count: 1 }],
      days: { count: 4, median: 3, p90: 9 }, // (2 + 4) / 2; rank ceil(0.9 × 4) = 4
      onTime: 2,
      onTimeRate: 0.5,
      daysLate: { count: 2, median: 4.5, p90: 7 },
      waiting: { count: 2, median: 20.5, p90: 39 },
    });
  });

  it('setup: days from the kickoff (6 and 17), a skipped step counts as reached but not in days or on-time, D waits 30 days', async () => {
    const report = await (await book()).report({ today: TODAY, stuckDays: 14 });
    expect(step(report, 'setup')).toMatchObject({
      reached: 5,
      done: 2,
      skipped: 2,
      skipReasons: [{ reason: 'customer declined', count: 1 }, { reason: 'not needed', count: 1 }],
      days: { count: 2, median: 11.5, p90: 17 },
      onTime: 1,
      onTimeRate: 0.5,
      daysLate: { count: 1, median: 12, p90: 12 },
      waiting: { count: 1, median: 30, p90: 30 },
    });
  });

  it('handover: days from the latest earlier step done or skipped (B: from the skip on 11-06), C and H waiting 20 and 38 days', async () => {
    const report = await (await book()).report({ today: TODAY, stuckDays: 14 });
    expect(step(report, 'handover')).toMatchObject({
      reached: 4,
      done: 2,
      skipped: 0,
      skipReasons: [],
      days: { count: 2, median: 25.5, p90: 29 },
      onTimeRate: 0.5,
      daysLate: { count: 1, median: 4, p90: 4 },
      waiting: { count: 2, median: 29, p90: 38 },
    });
  });

  it('per playbook: runs, open, finished, health counts, and the stall (a tie goes to the earlier step)', async () => {
    const report = await (await book()).report({ today: TODAY, stuckDays: 14 });
    const [playbook] = report.playbooks;
    expect(playbook).toMatchObject({ playbookId: 'test-onboarding', runs: 8, open: 6, finished: 2, health: { 'on track': 2, behind: 2, stuck: 2 } });
    expect(playbook!.steps.map((each) => each.stepId)).toEqual(['kickoff', 'setup', 'handover']);
    expect(playbook!.stall).toEqual({ stepId: 'kickoff', title: 'Cuộc gọi khởi động', runs: 2, medianDays: 20.5 });
  });

  it('each open run: stuck ones first, longest without a commit first', async () => {
    const report = await (await book()).report({ today: TODAY, stuckDays: 14 });
    expect(report.runs.map((each) => [each.account, each.health, each.overdue, each.oldestDue, each.daysSinceCommit, each.waitingAt?.stepId ?? null])).toEqual([
      ['H', 'stuck', 1, '2026-12-01', 38, 'handover'],
      ['C', 'stuck', 1, '2026-12-01', 20, 'handover'],
      ['D', 'behind', 2, '2026-11-08', 9, 'setup'],
      ['E', 'behind', 3, '2026-11-03', 5, 'kickoff'],
      ['F', 'on track', 0, null, 2, 'kickoff'],
      ['G', 'on track', 0, null, 2, null],
    ]);
  });

  it('N days: with --stuck-days 21, C (20 days) is behind; with 5, E (5 days) is stuck too', async () => {
    const store = await book();
    const health = async (stuckDays: number) => Object.fromEntries((await store.report({ today: TODAY, stuckDays })).runs.map((each) => [each.account, each.health]));
    expect(await health(21)).toMatchObject({ H: 'stuck', C: 'behind', D: 'behind', E: 'behind' });
    expect(await health(5)).toMatchObject({ H: 'stuck', C: 'stuck', D: 'stuck', E: 'stuck', F: 'on track' });
  });

  it('filters: --owner, --since and --playbook narrow the runs every figure counts', async () => {
    const store = await book();
    const minh = await store.report({ today: TODAY, stuckDays: 14, owner: 'MINH' });
    expect(minh.playbooks[0]).toMatchObject({ runs: 1, open: 1 });
    expect(minh.runs.map((each) => each.account)).toEqual(['D']);
    const since = await store.report({ today: TODAY, stuckDays: 14, since: '2026-12-01' });
    expect(since.runs.map((each) => each.account)).toEqual(['F', 'G']);
    expect(step(since, 'kickoff')).toMatchObject({ reached: 1, done: 0, days: null, onTimeRate: null, waiting: { count: 1, median: 2, p90: 2 } });
    expect((await store.report({ today: TODAY, stuckDays: 14, playbookId: 'other' })).playbooks).toEqual([]);
  });

  it('runHealth and the stuck-days setting', () => {
    expect(runHealth(0, 300, 14)).toBe('on track');
    expect(runHealth(1, daysSince('2026-11-27T23:59:00.000Z', TODAY), 14)).toBe('behind'); // 13 days
    expect(runHealth(1, daysSince('2026-11-26T00:00:00.000Z', TODAY), 14)).toBe('stuck'); // 14 days
    expect(daysSince('2026-12-11T08:00:00.000Z', TODAY)).toBe(0);
    expect(stuckDaysSetting(undefined, {})).toBe(14);
    expect(stuckDaysSetting(undefined, { CS_STUCK_DAYS: '30' })).toBe(30);
    expect(stuckDaysSetting('7', { CS_STUCK_DAYS: '30' })).toBe(7);
    for (const bad of ['0', '-3', 'two', '1.5', '']) expect(() => stuckDaysSetting(bad, {})).toThrow(/--stuck-days must be a whole number/);
    expect(() => stuckDaysSetting(undefined, { CS_STUCK_DAYS: 'x' })).toThrow(/CS_STUCK_DAYS/);
  });
});

describe('migration 5: what the report, the calendar and shift need', () => {
  it('backfills when each step was done or skipped from its last change, and gives the database an identity', async () => {
    const { join } = await import('node:path');
    const { tempDir } = await import('../support/tmp.js');
    const { MIGRATIONS, APPLICATION_ID } = await import('../../src/store/migrations.js');
    const { openStore } = await import('../../src/store/index.js');
    const path = join(tempDir('cs-migrate-'), 'cs.db');
    const db = new Database(path);
    db.function('cs_name_key', { deterministic: true }, (value: unknown) => String(value).toLowerCase());
    for (const migration of MIGRATIONS.slice(0, 4)) db.exec(migration);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 4');
    db.exec(`INSERT INTO accounts (id, name, name_key, created_at) VALUES (1, 'A', 'a', '2026-11-01T00:00:00.000Z');
      INSERT INTO snapshots (id, body) VALUES (1, '${JSON.stringify(testPlaybook())}');
      INSERT INTO runs (id, account_id, playbook_id, playbook_version, playbook_title, kind, snapshot, snapshot_id, start_date, created_at, updated_at)
        VALUES (1, 1, 'test-onboarding', 1, 'T', 'onboarding', '', 1, '2026-11-01', '2026-11-01T00:00:00.000Z', '2026-11-20T00:00:00.000Z');
      INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, status, updated_at) VALUES
        (1, 'kickoff', 0, 'week-1', 'K', '2026-11-03', 'done', '2026-11-04T10:00:00.000Z'),
        (1, 'setup', 1, 'week-1', 'S', '2026-11-08', 'skipped', NULL),
        (1, 'handover', 2, 'month-1', 'H', '2026-12-01', 'open', '2026-11-05T10:00:00.000Z');`);
    db.close();
    const store = openStore(path);
    await store.close();
    const after = new Database(path, { readonly: true });
    try {
      expect(after.prepare('SELECT step_id, completed_at, due_revision FROM steps ORDER BY position').all()).toEqual([
        { step_id: 'kickoff', completed_at: '2026-11-04T10:00:00.000Z', due_revision: 0 },
        { step_id: 'setup', completed_at: '2026-11-20T00:00:00.000Z', due_revision: 0 }, // no change of its own: the run's
        { step_id: 'handover', completed_at: null, due_revision: 0 },
      ]);
      expect(after.prepare("SELECT value FROM meta WHERE key = 'database_id'").pluck().get()).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      after.close();
    }
  });
});
