/**
 * `cs actions list [account] [--owner NAME] [--json]` and `cs actions done <account> <n>`: the action
 * items of `type: actions` fields. An item is numbered within its account (the order `list` shows),
 * and marking it done is an answer like any other: the engine checks it, the store commits it.
 */
import { inputError } from '../../errors.js';
import { today } from '../../engine/dates.js';
import { directory } from '../../people/acting.js';
import { ownerKeysOf, ownerQueryKeys } from '../../people/person.js';
import { apply } from '../../engine/run.js';
import type { ActionEntry, Store } from '../../store/store.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { requireAccount } from '../lookup.js';
import { csCommand, shellArgument } from '../format.js';
import { t, uiLang } from '../../i18n/messages.js';
import { formatDate } from '../../i18n/formats.js';
import { titlesInUserLanguage } from '../titles.js';

export interface ActionsFlags {
  owner?: string;
  json?: boolean;
  all?: boolean;
}

/** The items as `list` numbers them: per account, open and done alike, in step order. */
function numbered(items: readonly ActionEntry[]): (ActionEntry & { number: number })[] {
  const counters = new Map<string, number>();
  return items.map((item) => {
    const number = (counters.get(item.account) ?? 0) + 1;
    counters.set(item.account, number);
    return { ...item, number };
  });
}

export async function list(context: Context, accountName: string | undefined, flags: ActionsFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  if (flags.owner !== undefined && flags.owner.trim() === '') throw inputError(t('report.ownerEmpty'));
  const store = context.readStore();
  const account = accountName === undefined ? undefined : await requireAccount(store, accountName, context.env);
  const all = numbered(await store.actionItems({ accountId: account?.id }));
  const owner = flags.owner?.trim();
  // numbers stay those of the whole account, so `actions done` takes what any listing shows
  // "lan", "Nguyễn Thị Lan" or lan@…: whichever is typed finds the person, as on the agenda
  const keys = owner === undefined ? [] : ownerQueryKeys(owner, directory(context.env));
  const wanted = owner === undefined ? all : all.filter((item) => ownerKeysOf(item.who ?? item.owner ?? '').some((key) => keys.includes(key)));
  const shown = flags.all || flags.json ? wanted : wanted.filter((item) => !item.done);
  if (flags.json) {
    ui.out(JSON.stringify(shown.map((item) => ({ account: item.account, n: item.number, what: item.what, who: item.who, due: item.due, done: item.done, runId: item.runId, playbook: item.playbookId, stepId: item.stepId, step: item.step, fieldId: item.fieldId })), null, 2));
    return;
  }
  if (shown.length === 0) {
    ui.out(t('actions.none', { scope: `${owner ? t('agenda.forOwner', { owner }) : ''}${account ? t('agenda.forAccount', { account: account.name }) : ''}` }));
    return;
  }
  const now = today(context.env);
  const lang = uiLang();
  const titles = await titlesInUserLanguage(context.env, new Set(shown.map((item) => item.playbookId)));
  const rows = [[t('accounts.col.account'), '#', t('actions.col.what'), t('actions.col.who'), t('actions.col.due'), t('actions.col.step')].map((cell) => style.bold(cell))];
  for (const item of shown) {
    const due = item.due === null ? '—' : formatDate(item.due, lang);
    const late = !item.done && item.due !== null && item.due < now;
    rows.push([item.account, String(item.number), item.done ? style.dim(`☑ ${item.what}`) : item.what, item.who ?? style.dim('—'), late ? style.red(due) : due, style.dim(titles.step(item.playbookId, item.stepId, item.step))]);
  }
  for (const line of await table(rows, { width: ui.columns, keep: [1, 4] })) ui.out(line);
  const first = shown.find((item) => !item.done);
  if (first) ui.out(style.dim(t('actions.markOne', { command: `${csCommand(context.env)} actions done ${shellArgument(first.account)} ${first.number}` })));
}

export async function done(context: Context, accountName: string, numberText: string): Promise<void> {
  const { ui } = context;
  const number = Number(numberText.trim().replace(/^#/, ''));
  if (!Number.isInteger(number) || number < 1) throw inputError(t('actions.badNumber', { value: JSON.stringify(numberText) }));
  const store = context.store();
  const account = await requireAccount(store, accountName, context.env);
  const items = numbered(await store.actionItems({ accountId: account.id }));
  const item = items.find((candidate) => candidate.number === number);
  if (!item) {
    throw inputError(items.length === 0 ? t('actions.noneFor', { account: account.name }) : t('actions.noSuch', { account: account.name, n: number, count: items.length }), {
      hint: t('actions.seeThem', { command: `${csCommand(context.env)} actions list ${shellArgument(account.name)}` }),
    });
  }
  if (item.done) {
    ui.out(t('actions.alreadyDone', { what: item.what }));
    return;
  }
  await markDone(store, item);
  const titles = await titlesInUserLanguage(context.env, [item.playbookId]);
  ui.out(ui.style.green(`✓ ${t('actions.done', { what: item.what })}`) + ui.style.dim(` (${account.name}, ${titles.step(item.playbookId, item.stepId, item.step)})`));
}

async function markDone(store: Store, item: ActionEntry): Promise<void> {
  const loaded = await store.loadRun(item.runId);
  if (!loaded) throw inputError(t('actions.runGone', { run: item.runId }));
  // allowed on a finished run too: a post-mortem's proposals are carried out after it
  const event = { type: 'action' as const, stepId: item.stepId, fieldId: item.fieldId, n: item.n, done: true };
  apply(loaded.state, event); // refused here (exit 2) before anything is written
  await store.commit(item.runId, event);
}
