/**
 * Seed 002: after a churn, CS and Sales call the customer again in 1–2 months. When a churn run
 * finishes, cs schedules that follow-up as a run of the default win-back playbook whose day 0 is
 * the day the customer left (the churn run's churn date), so its call — due 30 days after day 0 —
 * falls 1 to 2 months after the churn, however long the churn run took. Asked in a terminal; done
 * without one unless --no-winback.
 */
import { t, uiLang } from '../i18n/messages.js';
import { formatDate } from '../i18n/formats.js';
import { translatePlaybook } from '../playbook/translate.js';
import { isIsoDate, today } from '../engine/dates.js';
import { flattenSteps, progress } from '../engine/run.js';
import type { RunState } from '../engine/run.js';
import type { LoadedRun } from '../store/index.js';
import type { Context } from './context.js';
import { csCommand, describeDue, shellArgument, shownDay } from './format.js';
import { loadPlaybooks } from './playbooks-found.js';

/** The answers that say when the customer left, most precise first (step.field of the churn run). */
const CHURN_DATES = ['last-support.churn-date', 'churn-notice.leaving-on', 'churn-notice.notice-date'];

/** The day the customer left, as the churn run knows it; today when it does not. */
export function churnDate(finished: RunState, now: string): string {
  for (const key of CHURN_DATES) {
    const [stepId, fieldId] = key.split('.') as [string, string];
    const value = finished.steps.find((step) => step.id === stepId)?.answers[fieldId];
    if (typeof value === 'string' && isIsoDate(value)) return value;
  }
  return now;
}

export async function scheduleWinback(context: Context, churn: LoadedRun, finished: RunState, options: { ask: boolean; declined: boolean }): Promise<void> {
  if (finished.status !== 'finished' || churn.run.kind !== 'churn' || options.declined) return;
  const { ui } = context;
  const store = context.store();
  const winback = loadPlaybooks(ui).defaults.get('winback');
  if (!winback) {
    ui.err(ui.style.yellow(t('winback.noPlaybook')));
    return;
  }
  const account = (await store.findAccount(churn.run.accountName))!;
  const open = await store.listRuns({ accountId: account.id, status: 'open', playbookId: winback.playbook.id });
  if (open.length > 0) {
    ui.out(ui.style.dim(t('winback.alreadyOpen', { playbook: winback.playbook.id, run: open[0]!.id, account: account.name })));
    return;
  }
  const now = today(context.env);
  const startDate = churnDate(finished, now);
  // the titles in the user's language; the run itself stores the playbook as it is
  const shown = (await translatePlaybook(winback.playbook, uiLang(), context.env)).playbook;
  const question = t('winback.ask', { title: shown.title, account: account.name, date: shownDay(startDate) });
  const later = t('winback.later', { command: `${csCommand(context.env)} run ${winback.playbook.id} ${shellArgument(account.name)} --start ${startDate}` });
  context.interruptHint = later; // Ctrl-C at the question: the churn run is finished and saved; say how to schedule
  if (options.ask && !(await ui.confirm({ message: question, default: true }))) {
    ui.out(ui.style.dim(later));
    return;
  }
  const created = await store.createRun(account, winback.playbook, { startDate, owner: churn.run.owner ?? undefined });
  const next = progress(created.state, now).next;
  const params = { run: created.run.id, playbook: winback.playbook.id, account: account.name, start: formatDate(startDate, uiLang()), agenda: `${csCommand(context.env)} agenda` };
  const stepTitle = next && flattenSteps(shown).find(({ def }) => def.id === next.def.id)?.def.title;
  ui.out(next ? t('winback.scheduledStep', { ...params, step: stepTitle ?? next.def.title, due: describeDue(next.state.due, now) }) : t('winback.scheduled', params));
}
