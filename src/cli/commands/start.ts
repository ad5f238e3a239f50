/** `cs onboard|churn|winback start`, `cs run`, `cs resume`: pick or start a run, then walk it. */
import { parse as parseYaml } from 'yaml';
import { inputError } from '../../errors.js';
import { LIMITS, readText } from '../../files/input.js';
import { parseDate, today } from '../../engine/dates.js';
import { cleanAccountName, cleanOwner } from '../../engine/names.js';
import { progress, startRun } from '../../engine/run.js';
import { scriptFromData } from '../../engine/script.js';
import type { Script } from '../../engine/script.js';
import { requireDefault, requirePlaybook } from '../../playbook/catalog.js';
import { upgradeRun } from '../../engine/upgrade.js';
import type { LoadedPlaybook, Playbook, PlaybookKind } from '../../playbook/types.js';
import type { Account, LoadedRun, Run, Store } from '../../store/index.js';
import { LANG_NAMES } from '../../i18n/lang.js';
import { say, t, uiLang } from '../../i18n/messages.js';
import { formatDate } from '../../i18n/formats.js';
import { titlesInUserLanguage } from '../titles.js';
import { translatePlaybook } from '../../playbook/translate.js';
import type { Context } from '../context.js';
import { actingUser } from '../../people/acting.js';
import { personText } from '../../people/person.js';
import { requireAccount } from '../lookup.js';
import { loadPlaybooks, playbookCatalog } from '../playbooks-found.js';
import { csCommand, resumeCommand, shellArgument } from '../format.js';
import { refuseIncompleteScript, Walk } from '../walk.js';
import { scheduleWinback } from '../winback.js';

export interface WalkFlags {
  start?: string;
  owner?: string;
  playbook?: string;
  answers?: string;
  /** commander's negated --no-input: false when given. */
  input?: boolean;
  run?: string;
  /** commander's negated --no-winback: false when given. */
  winback?: boolean;
  /** resume: move the run to the current version of its playbook first. */
  upgrade?: boolean;
}

/** Refuses, before anything is written, a walk that would need a terminal it does not have. */
function checkCanAnswer(context: Context, flags: WalkFlags): void {
  if (flags.input === false || flags.answers || context.ui.interactive) return;
  throw inputError(t('start.notInteractive'), { hint: t('start.notInteractiveHint') });
}

export function readScript(path: string | undefined, playbook: Playbook, now: string): Script | undefined {
  if (!path) return undefined;
  // far more than any run's answers: a bigger file is a mistake, and parsing it would cost seconds
  const text = readText(path, { what: t('start.theAnswersFile'), limit: LIMITS.answers, whyLimit: t('start.answersSmaller') });
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    const position = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    // the yaml library lets a stack overflow through on absurd nesting
    const first = (error as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const reason = /call stack/i.test(first) ? t('start.nestedTooDeeply') : first;
    throw inputError(t('start.answersNotYaml', { where: `${path}${position ? `:${position.line}:${position.col}` : ''}`, reason }));
  }
  return scriptFromData(data, playbook, path, now);
}

async function describeRun(run: Run, loaded: LoadedRun | undefined, now: string, env: NodeJS.ProcessEnv): Promise<string> {
  const counts = loaded ? progress(loaded.state, now) : undefined;
  const params = { run: run.id, playbook: run.playbookId, start: formatDate(run.startDate, uiLang()) };
  if (!counts?.next) return t('start.run', params);
  const titles = await titlesInUserLanguage(env, [run.playbookId]);
  return t('start.runAt', { ...params, n: counts.next.state.index + 1, total: counts.total, step: titles.step(run.playbookId, counts.next.def.id, counts.next.def.title) });
}

/** The run with its playbook's text in the user's language (what the run stores is unchanged). */
async function inUserLanguage(context: Context, loaded: LoadedRun): Promise<LoadedRun> {
  const lang = uiLang();
  const { playbook, fallback } = await translatePlaybook(loaded.state.playbook, lang, context.env);
  if (fallback) context.ui.err(context.ui.style.yellow(t('render.playbookFallback', { playbook: loaded.run.playbookId, lang: LANG_NAMES[lang] })));
  return playbook === loaded.state.playbook ? loaded : { ...loaded, state: { ...loaded.state, playbook } };
}

async function walk(context: Context, loaded: LoadedRun, flags: WalkFlags, script = readScript(flags.answers, loaded.state.playbook, today(context.env))): Promise<void> {
  const noInput = flags.input === false || !context.ui.interactive;
  context.interruptHint = t('walk.continueWith', { command: resumeCommand(loaded.run.accountName, context.env) });
  const finished = await new Walk(context.ui, context.store(), await inUserLanguage(context, loaded), { script, noInput, env: context.env }).run();
  await scheduleWinback(context, loaded, finished, { ask: !noInput, declined: flags.winback === false });
}

async function startWith(context: Context, chosen: LoadedPlaybook, accountName: string, flags: WalkFlags): Promise<void> {
  const name = cleanAccountName(accountName);
  // Without --owner the run is the acting user's (cs config set user.name …), as git signs commits.
  const me = flags.owner === undefined ? actingUser(context.env) : undefined;
  if (flags.owner !== undefined) flags = { ...flags, owner: cleanOwner(flags.owner) };
  else if (me) flags = { ...flags, owner: personText(me) };
  const now = today(context.env);
  const startDate = flags.start !== undefined ? parseDate(flags.start, '--start', now) : now;
  checkCanAnswer(context, flags);
  // Every problem in the answers is reported before anything is written.
  const script = readScript(flags.answers, chosen.playbook, now);
  if (flags.input === false || !context.ui.interactive) refuseIncompleteScript(startRun(chosen.playbook, startDate), script);
  const store = context.store();
  const existing = await store.findAccount(name);
  if (existing) {
    const open = await store.listRuns({ accountId: existing.id, status: 'open', playbookId: chosen.playbook.id });
    if (open.length > 0 && !(await confirmSecondRun(context, store, existing, open[0]!))) return;
  }
  const account = existing ?? await store.ensureAccount(name, flags.owner);
  const loaded = await store.createRun(account, chosen.playbook, { startDate, owner: flags.owner });
  await walk(context, loaded, flags, script);
}

/** A second open run of the same playbook is rarely meant: ask, or refuse when we cannot ask. */
async function confirmSecondRun(context: Context, store: Store, account: Account, open: Run): Promise<boolean> {
  const description = await describeRun(open, await store.loadRun(open.id), today(context.env), context.env);
  context.interruptHint = t('start.continueOpen', { command: resumeCommand(account.name, context.env) });
  if (!context.ui.interactive) {
    throw inputError(t('start.alreadyOpen', { account: account.name, run: description }), {
      hint: t('start.continueIt', { command: `${resumeCommand(account.name, context.env)}${open ? ` --run ${open.id}` : ''}` }),
    });
  }
  const choice = await context.ui.select({
    message: t('start.alreadyOpenAsk', { account: account.name, run: description }),
    choices: [
      { value: 'resume', name: t('start.continueRun', { run: open.id }) },
      { value: 'new', name: t('start.secondRun') },
      { value: 'cancel', name: t('walk.cancel') },
    ],
  });
  if (choice === 'resume') {
    await walk(context, (await store.loadRun(open.id))!, { input: true });
    return false;
  }
  return choice === 'new';
}

/** `cs onboard start` and its siblings: the default playbook of a kind, or --playbook. */
export function startOfKind(kind: PlaybookKind) {
  return async (context: Context, account: string, flags: WalkFlags): Promise<void> => {
    const catalog = loadPlaybooks(context.ui, context.env);
    const chosen = flags.playbook ? requirePlaybook(catalog, flags.playbook) : requireDefault(catalog, kind);
    await startWith(context, chosen, account, flags);
  };
}

export async function runPlaybook(context: Context, playbookId: string, account: string, flags: WalkFlags): Promise<void> {
  await startWith(context, requirePlaybook(loadPlaybooks(context.ui, context.env), playbookId), account, flags);
}

export async function resume(context: Context, accountName: string, flags: WalkFlags): Promise<void> {
  const account = await requireAccount(context.readStore(), accountName); // an unknown account creates no database
  const store = context.store();
  let open = await store.listRuns({ accountId: account.id, status: 'open', playbookId: flags.playbook });
  if (flags.run !== undefined) {
    const id = Number(flags.run.replace(/^#/, ''));
    const chosen = open.find((run) => run.id === id);
    if (!chosen) {
      throw inputError(t('shift.noSuchRun', { account: account.name, run: flags.run.replace(/^#/, '') }), {
        hint: open.length > 0 ? t('shift.openRuns', { runs: open.map((run) => `#${run.id} (${run.playbookId})`).join(', ') }) : t('shift.seeStatus', { command: `${csCommand(context.env)} status` }),
      });
    }
    open = [chosen];
  }
  if (open.length === 0) {
    throw inputError(flags.playbook ? t('start.noOpenRunOf', { account: account.name, playbook: flags.playbook }) : t('start.noOpenRun', { account: account.name }), {
      hint: t('start.startOne', { onboard: `${csCommand(context.env)} onboard start ${shellArgument(account.name)}`, run: `${csCommand(context.env)} run <playbook-id> ${shellArgument(account.name)}` }),
    });
  }
  checkCanAnswer(context, flags);
  const now = today(context.env);
  let runId = open[0]!.id;
  if (open.length > 1) {
    if (!context.ui.interactive) {
      throw inputError(t('shift.severalOpen', { account: account.name, count: open.length }), {
        details: await Promise.all(open.map(async (run) => describeRun(run, await store.loadRun(run.id), now, context.env))),
      });
    }
    runId = Number(
      await context.ui.select({
        message: t('start.whichRun', { account: account.name, count: open.length }),
        choices: await Promise.all(open.map(async (run) => ({ value: String(run.id), name: await describeRun(run, await store.loadRun(run.id), now, context.env) }))),
      }),
    );
  }
  const stored = (await store.loadRun(runId))!;
  const loaded = flags.upgrade ? await upgrade(context, store, stored) : stored;
  if (!flags.upgrade) mentionNewerVersion(context, loaded);
  await walk(context, loaded, flags);
}

/**
 * `cs resume --upgrade`: the run moves to the playbook as it is now. Refused (exit 2, nothing
 * changed) when that file is invalid; every answer that cannot follow is listed.
 */
async function upgrade(context: Context, store: Store, loaded: LoadedRun): Promise<LoadedRun> {
  const { ui } = context;
  const current = requirePlaybook(loadPlaybooks(ui), loaded.run.playbookId);
  const before = loaded.state.playbook;
  if (JSON.stringify(current.playbook) === JSON.stringify(before)) {
    ui.out(ui.style.dim(t('start.upToDate', { run: loaded.run.id, file: current.file, version: before.version })));
    return loaded;
  }
  const { state, dropped } = upgradeRun(loaded.state, current.playbook);
  await store.upgradeRun(loaded.run.id, state);
  ui.out(t('start.upgraded', { run: loaded.run.id, id: before.id, from: before.version, to: current.playbook.version, file: current.file }));
  if (dropped.length > 0) {
    ui.out(ui.style.yellow(t('start.notCarried', { count: dropped.length })));
    for (const each of dropped) ui.out(`  ${each.stepId}${each.fieldId ? `.${each.fieldId}` : ''}: ${say(each.why)}`);
  }
  return (await store.loadRun(loaded.run.id))!;
}

/** A run keeps the playbook it started with; say so when the file has moved on since. */
function mentionNewerVersion(context: Context, loaded: LoadedRun): void {
  const found = playbookCatalog(context.env).playbooks.find((each) => each.playbook.id === loaded.run.playbookId);
  if (found && found.playbook.version > loaded.run.playbookVersion) {
    context.ui.err(
      context.ui.style.dim(
        t('start.newerVersion', { file: found.file, version: found.playbook.version, runVersion: loaded.run.playbookVersion, command: `${resumeCommand(loaded.run.accountName, context.env)} --upgrade` }),
      ),
    );
  }
}
