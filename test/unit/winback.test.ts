/** In a terminal, the win-back follow-up after a churn response is asked for, and can be declined. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { scheduleWinback } from '../../src/cli/winback.js';
import { apply } from '../../src/engine/run.js';
import type { RunState } from '../../src/engine/run.js';
import { loadCatalog } from '../../src/playbook/catalog.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { ScriptedUi } from '../support/scripted-ui.js';
import { tempDir } from '../support/tmp.js';

const ENV = { CS_TODAY: '2026-11-26' };

async function churnedAccount(ui: ScriptedUi) {
  const path = join(tempDir(), 'cs.db');
  const store: Store = openStore(path);
  const context: Context = { ui, env: ENV, dbPath: path, dbName: path, store: () => store, readStore: () => store, close: () => store.close() };
  const churn = loadCatalog().playbooks.find((loaded) => loaded.playbook.id === 'churn-response')!.playbook;
  const run = await store.createRun(await store.ensureAccount('Công ty Viễn thông Bình Minh'), churn, { startDate: '2026-11-20', owner: 'Lan' });
  // a finished state is all scheduleWinback looks at
  let state: RunState = run.state;
  for (const step of state.steps) if (step.applicable) state = apply(state, { type: 'skip', stepId: step.id, reason: 'kiểm thử' });
  state = apply(state, { type: 'finish' });
  return { context, store, run, state };
}

describe('scheduleWinback in a terminal', () => {
  it('asks, and on yes starts the win-back run from the churn date with the churn run’s owner', async () => {
    const ui = new ScriptedUi([{ confirm: true, message: 'from the churn date Thu 2026-11-26' }]);
    const { context, store, run, state } = await churnedAccount(ui);
    await scheduleWinback(context, run, state, { ask: true, declined: false });
    const runs = await store.listRuns({ accountId: run.run.accountId });
    expect(runs.map((each) => [each.playbookId, each.startDate, each.owner])).toEqual([
      ['churn-response', '2026-11-20', 'Lan'],
      ['winback-followup', '2026-11-26', 'Lan'],
    ]);
    expect(ui.printed).toContain('Scheduled run #2 of winback-followup');
    await context.close();
  });

  it('on no, starts nothing and says how to do it later', async () => {
    const ui = new ScriptedUi([{ confirm: false }]);
    const { context, store, run, state } = await churnedAccount(ui);
    await scheduleWinback(context, run, state, { ask: true, declined: false });
    expect(await store.listRuns({ accountId: run.run.accountId })).toHaveLength(1);
    expect(ui.printed).toContain('cs run winback-followup "Công ty Viễn thông Bình Minh" --start 2026-11-26');
    await context.close();
  });

  it('day 0 of the win-back is the day the customer left, whenever the churn run finishes', async () => {
    const ui = new ScriptedUi([{ confirm: true, message: 'from the churn date Sat 2026-10-31' }]);
    const { context, store, run } = await churnedAccount(ui);
    let state: RunState = run.state;
    state = apply(state, { type: 'answer', stepId: 'last-support', fieldId: 'churn-date', value: '2026-10-31' });
    for (const step of state.steps) if (step.applicable) state = apply(state, { type: 'skip', stepId: step.id, reason: 'kiểm thử' });
    state = apply(state, { type: 'finish' });
    await scheduleWinback(context, run, state, { ask: true, declined: false });
    const winback = (await store.listRuns({ accountId: run.run.accountId })).find((each) => each.playbookId === 'winback-followup')!;
    expect(winback.startDate).toBe('2026-10-31');
    const call = (await store.loadRun(winback.id))!.state.steps.find((step) => step.id === 'winback-call')!;
    expect(call.due).toBe('2026-11-30'); // 30 days after the churn: within 1 to 2 months
    await context.close();
  });

  it('does nothing for a run that is not finished', async () => {
    const ui = new ScriptedUi([]);
    const { context, store, run } = await churnedAccount(ui);
    await scheduleWinback(context, run, run.state, { ask: true, declined: false });
    expect(await store.listRuns({ accountId: run.run.accountId })).toHaveLength(1);
    await context.close();
  });
});
