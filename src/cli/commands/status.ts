/** `cs status [account] [--json]`: where each run stands. */
import { dayOf, today } from '../../engine/dates.js';
import { compareNames } from '../../engine/names.js';
import { stuckDaysSetting } from '../../engine/report.js';
import { flattenSteps } from '../../engine/run.js';
import type { Lang } from '../../i18n/lang.js';
import type { Playbook } from '../../playbook/types.js';
import { translatePlaybook } from '../../playbook/translate.js';
import type { LoadedRun } from '../../store/index.js';
import { ownerLabel } from '../../people/person.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { requireAccount } from '../lookup.js';
import { csCommand, describeDue, formatAnswer, shellArgument } from '../format.js';
import { writeJsonLines } from '../json-array.js';
import { runJson, runSummary } from './status-json.js';
import { formatDate } from '../../i18n/formats.js';
import { t, uiLang } from '../../i18n/messages.js';

export interface StatusFlags {
  json?: boolean;
  stuckDays?: string;
}

/**
 * Shows each run's playbook in the user's language (the stored snapshot is unchanged). One
 * translation per playbook version: a snapshot with other steps (edited without a new version) is
 * translated on its own, so titles never land on the wrong step.
 */
export function inLanguage(lang: Lang, env: NodeJS.ProcessEnv): (run: LoadedRun) => Promise<LoadedRun> {
  const done = new Map<string, { steps: string; playbook: Playbook }>();
  return async (each) => {
    const base = each.state.playbook;
    const steps = flattenSteps(base).map(({ def }) => def.id).join('\0');
    const key = `${base.id}@${base.version}`;
    let found = done.get(key);
    if (!found || found.steps !== steps) {
      found = { steps, playbook: (await translatePlaybook(base, lang, env)).playbook };
      if (!done.has(key)) done.set(key, found);
    }
    return { ...each, state: { ...each.state, playbook: found.playbook } };
  };
}

/** How many runs `cs status` loads at once: few enough to hold, many enough that a server is asked seldom. */
const RUNS_PER_PAGE = 250;

export async function status(context: Context, accountName: string | undefined, flags: StatusFlags): Promise<void> {
  const store = context.readStore();
  const { ui } = context;
  const { style } = ui;
  const now = today(context.env);
  const stuckDays = stuckDaysSetting(flags.stuckDays, context.env);
  const lang = uiLang();
  const account = accountName === undefined ? undefined : await requireAccount(store, accountName);
  // accounts in Vietnamese order (Ánh Sao among the A's, Đại Việt after the D's), each one's runs oldest first
  const runs = (await store.listRuns(account ? { accountId: account.id } : {}))
    .sort((a, b) => compareNames(a.accountName, b.accountName) || a.accountId - b.accountId || a.id - b.id);
  // a page of runs loaded at a time (one round of queries on a server), printed, and let go: a whole
  // book never sits in memory
  const loadedRuns = async function* () {
    for (let start = 0; start < runs.length; start += RUNS_PER_PAGE) yield* await store.loadRuns(runs.slice(start, start + RUNS_PER_PAGE).map((run) => run.id));
  };
  if (flags.json) {
    await writeJsonLines(
      ui,
      (async function* () {
        for await (const loaded of loadedRuns()) yield runJson(loaded, now, stuckDays, 'en', await store.history(loaded.run.id));
      })(),
    );
    return;
  }
  if (runs.length === 0) {
    const start = `${csCommand(context.env)} onboard start`;
    ui.out(account ? t('status.noRunsFor', { account: account.name, command: `${start} ${shellArgument(account.name)}` }) : t('status.noRuns', { command: `${start} "${t('status.accountPlaceholder')}"` }));
    return;
  }
  const shown = lang === 'en' ? undefined : inLanguage(lang, context.env);
  // on a terminal, each line wraps at a word, going on under where its text starts
  const say = async (text: string, indent?: string) => ui.out(await wrap(text, ui.columns, indent));
  let lastAccount = '';
  for await (const stored of loadedRuns()) {
    const each = shown ? await shown(stored) : stored;
    const summary = runSummary(each, now, stuckDays, lang);
    if (summary.account !== lastAccount) {
      if (lastAccount !== '') ui.out();
      await say(style.bold(summary.account) + (summary.owner ? style.dim(t('status.owner', { owner: ownerLabel(summary.owner) ?? summary.owner })) : ''), '  ');
      lastAccount = summary.account;
    }
    const state = summary.status === 'finished' ? style.green(t('status.finished', { date: summary.finishedAt ? formatDate(dayOf(summary.finishedAt), lang) : '' })) : summary.phase?.title ?? '';
    const identity = style.dim(`(${summary.playbook.id} v${summary.playbook.version})`);
    await say(`  ${t('status.run', { run: summary.id, playbook: each.state.playbook.title, identity, start: formatDate(summary.startDate, lang), state })}`, '     ');
    const { steps } = summary;
    const overdueText = t('status.overdue', { count: steps.overdue });
    const overdue = steps.overdue > 0 ? style.red(overdueText) : overdueText;
    const health =
      summary.health === 'stuck'
        ? style.red(t('status.stuck', { count: summary.daysSinceCommit ?? 0 }))
        : summary.health === 'behind'
          ? style.yellow(t('status.behind'))
          : summary.health === 'on track'
            ? style.green(t('status.onTrack'))
            : '';
    const notApplicable = steps.notApplicable ? style.dim(` · ${t('status.notApplicableCount', { count: steps.notApplicable })}`) : '';
    await say(`     ${t('status.counts', { done: steps.done, skipped: steps.skipped, open: steps.open, overdue })}${notApplicable}${health ? ` · ${health}` : ''}`);
    if (summary.next) {
      await say(`     ${t('status.next', { title: summary.next.title, due: describeDue(summary.next.due, now, lang, summary.next.waiting ?? undefined) })}`, '       ');
    }
    if (account) {
      const rows = summary.stepList.map((step) => {
        if (!step.applicable) return [`     ${style.dim('–')}`, style.dim(step.title), style.dim(t('status.notApplicable', { condition: step.condition ?? '' }))];
        const mark = step.status === 'done' ? style.green('✓') : step.status === 'skipped' ? style.yellow('↷') : step.overdue ? style.red('!') : '○';
        const dueText = describeDue(step.due ?? '', now, lang, step.waiting ?? undefined);
        const due = step.status === 'open' ? (step.overdue ? style.red(dueText) : style.dim(dueText)) : style.dim(step.status === 'skipped' ? t('status.stepSkipped', { reason: step.skipReason ?? '' }) : t('status.stepDone'));
        return [`     ${mark}`, step.title, due];
      });
      for (const line of await table(rows, { width: ui.columns, keep: [0] })) ui.out(line);
      // an answer as the user sees it: a choice's label, a date and a number in their language (--json keeps the values)
      const fieldsOf = new Map(flattenSteps(each.state.playbook).map(({ def }) => [def.id, new Map((def.fields ?? []).map((field) => [field.id, field]))]));
      for (const step of summary.stepList) {
        const answered = Object.entries(step.answers);
        if (answered.length === 0 && !step.note) continue;
        await say(style.dim(`     ${step.title}:`), '       ');
        for (const [field, value] of answered) await say(`       ${field}: ${formatAnswer(value, lang, fieldsOf.get(step.id)?.get(field)).replace(/\n/g, '\n         ')}`, '         ');
        if (step.note) await say(`       ${style.dim(t('status.noteLabel'))} ${step.note.replace(/\n/g, '\n         ')}`, '         ');
      }
    }
  }
}
