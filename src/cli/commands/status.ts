/** `cs status [account] [--json]`: where each run stands. */
import { dayOf, today } from '../../engine/dates.js';
import { compareNames } from '../../engine/names.js';
import { progress, viewStep } from '../../engine/run.js';
import type { LoadedRun } from '../../store/index.js';
import { ownerLabel } from '../../people/person.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { requireAccount } from '../lookup.js';
import { csCommand, describeDue, formatAnswer, shellArgument } from '../format.js';
import { writeJsonArray } from '../json-array.js';

export interface StatusFlags {
  json?: boolean;
}

/** The data of one run, as --json prints it (stable keys). */
export function runSummary(loaded: LoadedRun, now: string) {
  const { run, state } = loaded;
  const counts = progress(state, now);
  const current = counts.next ?? viewStep(state, state.steps.length - 1);
  return {
    id: run.id,
    account: run.accountName,
    playbook: { id: run.playbookId, title: run.playbookTitle, version: run.playbookVersion, kind: run.kind },
    owner: run.owner,
    status: run.status,
    startDate: run.startDate,
    finishedAt: run.finishedAt,
    phase: current ? { id: current.phase.id, title: current.phase.title } : null,
    steps: { total: counts.total, done: counts.done, skipped: counts.skipped, open: counts.open, overdue: counts.overdue },
    next: counts.next ? { id: counts.next.def.id, title: counts.next.def.title, due: counts.next.state.due } : null,
    stepList: state.steps.map((step) => {
      const view = viewStep(state, step.index)!;
      return {
        id: step.id,
        title: view.def.title,
        phase: step.phaseId,
        status: step.status,
        due: step.due,
        overdue: step.status === 'open' && step.due < now,
        skipReason: step.skipReason ?? null,
        note: step.note ?? null,
        checklist: (view.def.checklist ?? []).map((item, index) => ({ item, checked: step.checked.includes(index) })),
        answers: step.answers,
      };
    }),
    answers: Object.fromEntries(state.steps.filter((step) => Object.keys(step.answers).length > 0).map((step) => [step.id, step.answers])),
  };
}

export async function status(context: Context, accountName: string | undefined, flags: StatusFlags): Promise<void> {
  const store = context.readStore();
  const { ui } = context;
  const { style } = ui;
  const now = today(context.env);
  const account = accountName === undefined ? undefined : await requireAccount(store, accountName);
  // accounts in Vietnamese order (Ánh Sao among the A's, Đại Việt after the D's), each one's runs oldest first
  const runs = (await store.listRuns(account ? { accountId: account.id } : {}))
    .sort((a, b) => compareNames(a.accountName, b.accountName) || a.accountId - b.accountId || a.id - b.id);
  // one run loaded at a time, printed, and let go: a whole book never sits in memory
  const loadedRuns = async function* () {
    for (const run of runs) {
      const loaded = await store.loadRun(run.id);
      if (loaded) yield loaded;
    }
  };
  if (flags.json) {
    const summaries: ReturnType<typeof runSummary>[] = [];
    for await (const loaded of loadedRuns()) summaries.push(runSummary(loaded, now));
    writeJsonArray(ui, summaries, (summary) => summary);
    return;
  }
  if (runs.length === 0) {
    const start = `${csCommand(context.env)} onboard start`;
    ui.out(account ? `${account.name} has no runs yet. Start one with: ${start} ${shellArgument(account.name)}` : `No runs yet. Start one with: ${start} "<account>"`);
    return;
  }
  // on a terminal, each line wraps at a word, going on under where its text starts
  const say = async (text: string, indent?: string) => ui.out(await wrap(text, ui.columns, indent));
  let lastAccount = '';
  for await (const each of loadedRuns()) {
    const summary = runSummary(each, now);
    if (summary.account !== lastAccount) {
      if (lastAccount !== '') ui.out();
      await say(style.bold(summary.account) + (summary.owner ? style.dim(` · owner ${ownerLabel(summary.owner)}`) : ''), '  ');
      lastAccount = summary.account;
    }
    const state = summary.status === 'finished' ? style.green(`finished ${summary.finishedAt ? dayOf(summary.finishedAt) : ''}`) : summary.phase?.title ?? '';
    await say(`  #${summary.id} ${summary.playbook.title} ${style.dim(`(${summary.playbook.id} v${summary.playbook.version})`)} · started ${summary.startDate} · ${state}`, '     ');
    const { steps } = summary;
    const overdue = steps.overdue > 0 ? style.red(`${steps.overdue} overdue`) : '0 overdue';
    await say(`     ${steps.done} done · ${steps.skipped} skipped · ${steps.open} open · ${overdue}`);
    if (summary.next) {
      await say(`     next: ${summary.next.title} — ${describeDue(summary.next.due, now)}`, '       ');
    }
    if (account) {
      const rows = summary.stepList.map((step) => {
        const mark = step.status === 'done' ? style.green('✓') : step.status === 'skipped' ? style.yellow('↷') : step.overdue ? style.red('!') : '○';
        const due = step.status === 'open' ? (step.overdue ? style.red(describeDue(step.due, now)) : style.dim(describeDue(step.due, now))) : style.dim(step.status === 'skipped' ? `skipped: ${step.skipReason}` : 'done');
        return [`     ${mark}`, step.title, due];
      });
      for (const line of await table(rows, { width: ui.columns, keep: [0] })) ui.out(line);
      for (const step of summary.stepList) {
        const answered = Object.entries(step.answers);
        if (answered.length === 0 && !step.note) continue;
        await say(style.dim(`     ${step.title}:`), '       ');
        for (const [field, value] of answered) await say(`       ${field}: ${formatAnswer(value).replace(/\n/g, '\n         ')}`, '         ');
        if (step.note) await say(`       ${style.dim('note:')} ${step.note.replace(/\n/g, '\n         ')}`, '         ');
      }
    }
  }
}
