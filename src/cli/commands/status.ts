/** `cs status [account] [--json]`: where each run stands. */
import { dayOf, today } from '../../engine/dates.js';
import { compareNames } from '../../engine/names.js';
import { stuckDaysSetting } from '../../engine/report.js';
import { flattenSteps } from '../../engine/run.js';
import type { Lang } from '../../i18n/lang.js';
import type { Playbook } from '../../playbook/types.js';
import { translatePlaybook } from '../../playbook/translate.js';
import type { LoadedRun } from '../../store/index.js';
import type { Account, Run } from '../../store/store.js';
import { ownerLabel } from '../../people/person.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { requireAccount } from '../lookup.js';
import { csCommand, describeDue, formatAnswer, shellArgument } from '../format.js';
import { linesOut, writeJsonLines } from '../json-array.js';
import type { LinesOut } from '../json-array.js';
import { runJson, runStanding, runSummary } from './status-json.js';
import { formatDate } from '../../i18n/formats.js';
import { t, uiLang } from '../../i18n/messages.js';

export interface StatusFlags {
  json?: boolean;
  /** Book-level: every step, answer and commit of every run (for export), not only where each stands. */
  full?: boolean;
  stuckDays?: string;
}

/**
 * Shows each run's playbook in the user's language (the stored snapshot is unchanged). One
 * translation per playbook version: a snapshot with other steps (edited without a new version) is
 * translated on its own, so titles never land on the wrong step.
 */
export function inLanguage(lang: Lang, env: NodeJS.ProcessEnv): (run: LoadedRun) => Promise<LoadedRun> {
  const translate = playbookIn(lang, env);
  return async (each) => ({ ...each, state: { ...each.state, playbook: await translate(each.state.playbook) } });
}

/** A playbook in `lang`, translated once per playbook version (see inLanguage). */
function playbookIn(lang: Lang, env: NodeJS.ProcessEnv): (playbook: Playbook) => Promise<Playbook> {
  const done = new Map<string, { steps: string; playbook: Playbook }>();
  return async (base) => {
    const steps = flattenSteps(base).map(({ def }) => def.id).join('\0');
    const key = `${base.id}@${base.version}`;
    let found = done.get(key);
    if (!found || found.steps !== steps) {
      found = { steps, playbook: (await translatePlaybook(base, lang, env)).playbook };
      if (!done.has(key)) done.set(key, found);
    }
    return found.playbook;
  };
}

/** How many runs `cs status` loads at once: few enough to hold, many enough that a server is asked seldom. */
const RUNS_PER_PAGE = 250;

/** Accounts in Vietnamese order (Ánh Sao among the A's, Đại Việt after the D's), each one's runs oldest first. */
function byAccountThenRun(a: Run, b: Run): number {
  return compareNames(a.accountName, b.accountName) || a.accountId - b.accountId || a.id - b.id;
}

export async function status(context: Context, accountName: string | undefined, flags: StatusFlags): Promise<void> {
  const store = context.readStore();
  const { ui } = context;
  const now = today(context.env);
  const stuckDays = stuckDaysSetting(flags.stuckDays, context.env);
  const lang = uiLang();
  const account = accountName === undefined ? undefined : await requireAccount(store, accountName);
  // the book as a whole: where each run stands, from the figures kept per run (no step read)
  if (!account && !flags.full) {
    const standings = (await store.runStandings(now)).sort((a, b) => byAccountThenRun(a.run, b.run));
    if (flags.json) return writeJsonLines(ui, (function* () {
      for (const standing of standings) yield JSON.stringify(runStanding(standing, now, stuckDays, 'en'));
    })());
    if (standings.length === 0) return noRuns(context, undefined);
    const translate = lang === 'en' ? undefined : playbookIn(lang, context.env);
    const out = linesOut(ui);
    const say = sayer(out, ui.columns);
    const words = wordsOf(now, lang);
    let lastAccount = '';
    for (const standing of standings) {
      const playbook = translate ? await translate(standing.playbook) : standing.playbook;
      lastAccount = await sayHeading(out, say, ui.style, runStanding({ ...standing, playbook }, now, stuckDays, lang), playbook.title, lastAccount, words);
    }
    out.flush();
    return;
  }
  const runs = (await store.listRuns(account ? { accountId: account.id } : {})).sort(byAccountThenRun);
  // a page of runs loaded at a time (one round of queries on a server, the commits too for --json),
  // printed, and let go: a whole book never sits in memory
  const loadedRuns = async function* () {
    for (let start = 0; start < runs.length; start += RUNS_PER_PAGE) yield* await store.loadRuns(runs.slice(start, start + RUNS_PER_PAGE).map((run) => run.id), { history: flags.json });
  };
  if (flags.json) {
    await writeJsonLines(
      ui,
      (async function* () {
        for await (const loaded of loadedRuns()) yield runJson(loaded, now, stuckDays, 'en', loaded.history ?? []);
      })(),
    );
    return;
  }
  if (runs.length === 0) return noRuns(context, account);
  const shown = lang === 'en' ? undefined : inLanguage(lang, context.env);
  const out = linesOut(ui);
  const say = sayer(out, ui.columns);
  const words = wordsOf(now, lang);
  let lastAccount = '';
  for await (const stored of loadedRuns()) {
    const each = shown ? await shown(stored) : stored;
    const summary = runSummary(each, now, stuckDays, lang);
    lastAccount = await sayHeading(out, say, ui.style, summary, each.state.playbook.title, lastAccount, words);
    await saySteps(out, say, ui, summary, each.state.playbook, now, lang);
    out.flush(); // a page of runs at a time
  }
}

/** A run's dates and due dates in words, each worked out once (a book's runs share a few hundred days). */
interface Words {
  date(day: string): string;
  due(due: string, waiting: string | undefined): string;
}

function wordsOf(now: string, lang: Lang): Words {
  const dates = new Map<string, string>();
  const dues = new Map<string, string>();
  return {
    date: (day) => dates.get(day) ?? (dates.set(day, formatDate(day, lang)).get(day)!),
    due: (due, waiting) => {
      const key = `${due}\0${waiting ?? ''}`;
      return dues.get(key) ?? (dues.set(key, describeDue(due, now, lang, waiting)).get(key)!);
    },
  };
}

function noRuns(context: Context, account: Account | undefined): void {
  const start = `${csCommand(context.env)} onboard start`;
  context.ui.out(account ? t('status.noRunsFor', { account: account.name, command: `${start} ${shellArgument(account.name)}` }) : t('status.noRuns', { command: `${start} "${t('status.accountPlaceholder')}"` }));
}

type Say = (text: string, indent?: string) => Promise<void>;

/** On a terminal, each line wraps at a word, going on under where its text starts. */
function sayer(out: LinesOut, columns: number | undefined): Say {
  return async (text, indent) => out.out(await wrap(text, columns, indent));
}

/** A run's lines (its account's name first when it is another account's than the run before): returns the account it printed under. */
async function sayHeading(out: LinesOut, say: Say, style: Context['ui']['style'], summary: ReturnType<typeof runStanding>, playbookTitle: string, lastAccount: string, words: Words): Promise<string> {
  if (summary.account !== lastAccount) {
    if (lastAccount !== '') out.out();
    await say(style.bold(summary.account) + (summary.owner ? style.dim(t('status.owner', { owner: ownerLabel(summary.owner) ?? summary.owner })) : ''), '  ');
  }
  const state = summary.status === 'finished' ? style.green(t('status.finished', { date: summary.finishedAt ? words.date(dayOf(summary.finishedAt)) : '' })) : summary.phase?.title ?? '';
  const identity = style.dim(`(${summary.playbook.id} v${summary.playbook.version})`);
  await say(`  ${t('status.run', { run: summary.id, playbook: playbookTitle, identity, start: words.date(summary.startDate), state })}`, '     ');
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
    await say(`     ${t('status.next', { title: summary.next.title, due: words.due(summary.next.due, summary.next.waiting ?? undefined) })}`, '       ');
  }
  return summary.account;
}

/** Every step of a run, and the answers and notes given (one account's status, or --full). */
async function saySteps(out: LinesOut, say: Say, ui: Context['ui'], summary: ReturnType<typeof runSummary>, playbook: Playbook, now: string, lang: Lang): Promise<void> {
  const { style } = ui;
  const rows = summary.stepList.map((step) => {
    if (!step.applicable) return [`     ${style.dim('–')}`, style.dim(step.title), style.dim(t('status.notApplicable', { condition: step.condition ?? '' }))];
    const mark = step.status === 'done' ? style.green('✓') : step.status === 'skipped' ? style.yellow('↷') : step.overdue ? style.red('!') : '○';
    const dueText = describeDue(step.due ?? '', now, lang, step.waiting ?? undefined);
    const due = step.status === 'open' ? (step.overdue ? style.red(dueText) : style.dim(dueText)) : style.dim(step.status === 'skipped' ? t('status.stepSkipped', { reason: step.skipReason ?? '' }) : t('status.stepDone'));
    return [`     ${mark}`, step.title, due];
  });
  for (const line of await table(rows, { width: ui.columns, keep: [0] })) out.out(line);
  // an answer as the user sees it: a choice's label, a date and a number in their language (--json keeps the values)
  const fieldsOf = new Map(flattenSteps(playbook).map(({ def }) => [def.id, new Map((def.fields ?? []).map((field) => [field.id, field]))]));
  for (const step of summary.stepList) {
    const answered = Object.entries(step.answers);
    if (answered.length === 0 && !step.note) continue;
    await say(style.dim(`     ${step.title}:`), '       ');
    for (const [field, value] of answered) await say(`       ${field}: ${formatAnswer(value, lang, fieldsOf.get(step.id)?.get(field)).replace(/\n/g, '\n         ')}`, '         ');
    if (step.note) await say(`       ${style.dim(t('status.noteLabel'))} ${step.note.replace(/\n/g, '\n         ')}`, '         ');
  }
}
