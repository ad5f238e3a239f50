/**
 * `cs playbooks upgrade <id> [--dry-run]`: every open run that follows an older version of the
 * playbook, and for each what `cs resume --upgrade` keeps and drops. Without --dry-run, each run is
 * moved, as resume --upgrade would.
 */
import { upgradeRun } from '../../engine/upgrade.js';
import { requirePlaybook } from '../../playbook/catalog.js';
import type { Context } from '../context.js';
import { loadPlaybooks } from '../playbooks-found.js';

export interface UpgradeFlags {
  dryRun?: boolean;
  json?: boolean;
}

export async function upgrade(context: Context, id: string, flags: UpgradeFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const current = requirePlaybook(loadPlaybooks(ui, context.env), id);
  const store = flags.dryRun ? context.readStore() : context.store();
  const runs = await store.listRuns({ playbookId: id, status: 'open' });
  const plans = (await store.loadRuns(runs.map((run) => run.id)))
    .filter((loaded) => loaded && JSON.stringify(loaded.state.playbook) !== JSON.stringify(current.playbook))
    .map((loaded) => {
      const { state, dropped } = upgradeRun(loaded.state, current.playbook);
      const answers = (steps: typeof state.steps) => steps.reduce((sum, step) => sum + Object.keys(step.answers).length, 0);
      const closedBefore = loaded.state.steps.filter((step) => step.status !== 'open').map((step) => step.id);
      const reopened = closedBefore.filter((stepId) => state.steps.find((step) => step.id === stepId)?.status === 'open');
      return {
        loaded,
        state,
        summary: {
          runId: loaded.run.id,
          account: loaded.run.accountName,
          from: loaded.run.playbookVersion,
          to: current.playbook.version,
          keptAnswers: answers(state.steps),
          keptSteps: state.steps.filter((step) => step.status !== 'open').length,
          reopened,
          newSteps: state.steps.filter((step) => !loaded.state.steps.some((old) => old.id === step.id)).map((step) => step.id),
          notApplicable: state.steps.filter((step) => step.applicable === false).map((step) => step.id),
          dropped: dropped.map((each) => ({ step: each.stepId, field: each.fieldId ?? null, why: each.why })),
        },
      };
    });
  if (!flags.dryRun) for (const plan of plans) await store.upgradeRun(plan.loaded.run.id, plan.state);
  if (flags.json) {
    ui.out(JSON.stringify({ playbook: id, version: current.playbook.version, dryRun: flags.dryRun === true, runs: plans.map((plan) => plan.summary) }, null, 2));
    return;
  }
  if (plans.length === 0) {
    ui.out(`No open run of ${id} follows another version than ${current.file} (v${current.playbook.version}).`);
    return;
  }
  const verb = flags.dryRun ? 'would move' : 'moved';
  ui.out(`${plans.length} open run${plans.length === 1 ? '' : 's'} of ${id} ${verb} to v${current.playbook.version}${flags.dryRun ? ' (dry run: nothing changed)' : ''}:`);
  for (const { summary } of plans) {
    ui.out();
    ui.out(`${style.bold(summary.account)} ${style.dim(`run #${summary.runId}, v${summary.from} → v${summary.to}`)}`);
    ui.out(`  keeps ${summary.keptAnswers} answer${summary.keptAnswers === 1 ? '' : 's'} and ${summary.keptSteps} step${summary.keptSteps === 1 ? '' : 's'} done or skipped`);
    if (summary.newSteps.length > 0) ui.out(`  new steps: ${summary.newSteps.join(', ')}`);
    if (summary.reopened.length > 0) ui.out(style.yellow(`  open again (a required answer is missing): ${summary.reopened.join(', ')}`));
    if (summary.notApplicable.length > 0) ui.out(style.dim(`  not applicable: ${summary.notApplicable.join(', ')}`));
    if (summary.dropped.length === 0) ui.out(style.green('  drops nothing'));
    else {
      ui.out(style.yellow(`  drops ${summary.dropped.length}:`));
      for (const each of summary.dropped) ui.out(`    ${each.step}${each.field ? `.${each.field}` : ''}: ${each.why}`);
    }
  }
  if (flags.dryRun) ui.out(style.dim(`\nMove them with: cs playbooks upgrade ${id} (or one at a time: cs resume <account> --upgrade)`));
}
