/** The store's agenda and account summaries: one indexed query each, no snapshot read. */
import { describe, expect, it } from 'vitest';
import { agendaDays } from '../../src/engine/agenda.js';
import { apply } from '../../src/engine/run.js';
import type { RunEvent } from '../../src/engine/run.js';
import type { AgendaQuery, LoadedRun, Store } from '../../src/store/store.js';
import { freshStores, testPlaybook } from './helpers.js';

const fresh = freshStores();

async function commitAll(store: Store, loaded: LoadedRun, events: RunEvent[]): Promise<void> {
  let state = loaded.state;
  for (const event of events) {
    state = apply(state, event);
    await store.commit(loaded.run.id, event);
  }
}

async function agenda(store: Store, query: AgendaQuery) {
  return [...(await store.agenda(query))].map((entry) => `${entry.due} ${entry.account} ${entry.stepId}`);
}

describe('store.agenda', () => {
  it('lists open steps of open runs due by the day asked, soonest first, with titles from steps.title', async () => {
    const { store } = fresh();
    await store.createRun(await store.ensureAccount('Zeta'), testPlaybook(), { startDate: '2026-11-20' }); // 22, 27, Dec 20
    await store.createRun(await store.ensureAccount('Alpha'), testPlaybook(), { startDate: '2026-11-25' }); // 27, Dec 2, Dec 25
    const listed = await agenda(store, { until: '2026-12-03' });
    expect(listed).toEqual([...listed].sort((a, b) => a.slice(0, 10).localeCompare(b.slice(0, 10)))); // by due date
    expect(new Set(listed)).toEqual(new Set(['2026-11-22 Zeta kickoff', '2026-11-27 Zeta setup', '2026-11-27 Alpha kickoff', '2026-12-02 Alpha setup']));
    const [first] = await store.agenda({ until: '2026-11-22' });
    expect(first).toEqual({
      due: '2026-11-22',
      account: 'Zeta',
      runId: 1,
      playbookId: 'test-onboarding',
      playbookTitle: 'Thử nghiệm',
      stepId: 'kickoff',
      step: 'Cuộc gọi khởi động',
      phase: 'week-1',
      position: 0,
      owner: null,
    });
  });

  it('leaves out done and skipped steps and finished runs', async () => {
    const { store } = fresh();
    const done = await store.createRun(await store.ensureAccount('Done Co'), testPlaybook(), { startDate: '2026-11-01' });
    await commitAll(store, done, [
      { type: 'complete', stepId: 'kickoff' },
      { type: 'skip', stepId: 'setup', reason: 'không cần' },
    ]);
    const finished = await store.createRun(await store.ensureAccount('Finished Co'), testPlaybook(), { startDate: '2026-11-01' });
    await commitAll(store, finished, [
      { type: 'complete', stepId: 'kickoff' },
      { type: 'complete', stepId: 'setup' },
      { type: 'complete', stepId: 'handover' },
      { type: 'finish' },
    ]);
    expect(await agenda(store, { until: '2026-12-31' })).toEqual(['2026-12-01 Done Co handover']);
  });

  it("filters by owner (the run's, else the account's), in any case and Unicode normalisation", async () => {
    const { store } = fresh();
    const thao = 'Thảo';
    await store.createRun(await store.ensureAccount('Own Account', thao), testPlaybook(), { startDate: '2026-11-25' });
    await store.createRun(await store.ensureAccount('Run Owner', 'minh'), testPlaybook(), { startDate: '2026-11-25', owner: thao });
    await store.createRun(await store.ensureAccount('Other', 'minh'), testPlaybook(), { startDate: '2026-11-25' });
    const owned = async (owner: string) => [...new Set([...(await store.agenda({ until: '2026-12-31', owner }))].map((entry) => entry.account))].sort();
    expect(await owned(thao)).toEqual(['Own Account', 'Run Owner']);
    expect(await owned(thao.normalize('NFD').toUpperCase())).toEqual(['Own Account', 'Run Owner']);
    expect(await owned('  minh ')).toEqual(['Other']);
    expect(await owned('nobody')).toEqual([]);
  });

  it('filters by account', async () => {
    const { store } = fresh();
    const wanted = await store.ensureAccount('Wanted');
    await store.createRun(wanted, testPlaybook(), { startDate: '2026-11-25' });
    await store.createRun(await store.ensureAccount('Unwanted'), testPlaybook(), { startDate: '2026-11-25' });
    expect(new Set([...(await store.agenda({ until: '2026-12-31', accountId: wanted.id }))].map((entry) => entry.account))).toEqual(new Set(['Wanted']));
  });
});

describe('agendaDays', () => {
  const item = (due: string, account: string, runId = 1, position = 0) => ({ due, account, playbookId: 'p', runId, position });

  it('groups by day and sorts names with Vietnamese collation within a day', async () => {
    const days = [
      ...agendaDays(
        [
          item('2026-11-20', 'Zeta'),
          item('2026-11-20', 'Ánh Dương'),
          item('2026-11-20', 'Bình Minh'),
          item('2026-11-20', 'An Phát'),
          item('2026-11-20', 'Đại Việt'),
          item('2026-11-20', 'Dương Anh'),
          item('2026-11-26', 'Khách 10'),
          item('2026-11-26', 'Khách 2'),
          item('2026-11-29', 'Acme'),
        ],
        '2026-11-26',
      ),
    ];
    expect(days.map((day) => [day.due, day.daysOverdue])).toEqual([
      ['2026-11-20', 6],
      ['2026-11-26', 0],
      ['2026-11-29', 0],
    ]);
    // Á sorts with A (not after Z); Đ is its own letter, after D
    expect(days[0]!.items.map((entry) => entry.account)).toEqual(['An Phát', 'Ánh Dương', 'Bình Minh', 'Dương Anh', 'Đại Việt', 'Zeta']);
    expect(days[1]!.items.map((entry) => entry.account)).toEqual(['Khách 2', 'Khách 10']);
  });

  it('keeps steps of one run in playbook order', async () => {
    const [day] = [...agendaDays([item('2026-11-20', 'A', 1, 2), item('2026-11-20', 'A', 1, 0), item('2026-11-20', 'A', 1, 1)], '2026-11-20')];
    expect(day!.items.map((entry) => entry.position)).toEqual([0, 1, 2]);
  });
});

describe('store.accountSummaries', () => {
  it('counts open runs, the next due date and overdue steps per account in one query', async () => {
    const { store } = fresh();
    const busy = await store.ensureAccount('Busy', 'lan');
    await store.createRun(busy, testPlaybook(), { startDate: '2026-11-01' }); // Nov 3, Nov 8, Dec 1
    await store.createRun(busy, testPlaybook('second', 'Second'), { startDate: '2026-11-25' }); // Nov 27, Dec 2, Dec 25
    await store.ensureAccount('Idle', 'minh');
    const summaries = Object.fromEntries((await store.accountSummaries('2026-11-26')).map((summary) => [summary.name, summary]));
    expect(summaries.Busy).toMatchObject({ owner: 'lan', openRuns: 2, nextDue: '2026-11-03', overdue: 2 });
    expect(summaries.Idle).toMatchObject({ owner: 'minh', openRuns: 0, nextDue: null, overdue: 0 });
    expect((await store.accountSummaries('2026-11-26', 'LAN')).map((summary) => summary.name)).toEqual(['Busy']);
  });
});
