/**
 * `cs shift <account> <OFFSET> [--run ID] [--from STEP] [--dry-run]` and `cs shift --undo <account>`:
 * moves the open due dates of a run (src/engine/shift.ts works out the new dates; the store moves
 * them and keeps the shift in one transaction) and says what moved, with weekdays.
 */
import { inputError } from '../../errors.js';
import { parseShiftOffset, planShift } from '../../engine/shift.js';
import type { DueMove } from '../../engine/shift.js';
import { formatDate } from '../../i18n/formats.js';
import { t, uiLang } from '../../i18n/messages.js';
import type { Account, Run, Store } from '../../store/store.js';
import { table } from '../../ui/table.js';
import { workCalendar } from '../calendar.js';
import { titlesInUserLanguage } from '../titles.js';
import type { Context } from '../context.js';
import { csCommand, shellArgument, shownDay } from '../format.js';
import { requireAccount } from '../lookup.js';

export interface ShiftFlags {
  run?: string;
  from?: string;
  undo?: boolean;
  dryRun?: boolean;
}

function parseRunId(text: string): number {
  const id = Number(text.trim().replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw inputError(t('shift.badRun', { value: JSON.stringify(text) }));
  return id;
}

/** The run to shift: --run's, else the account's one open run. */
async function chooseRun(context: Context, store: Store, account: Account, runFlag: string | undefined): Promise<Run> {
  const open = await store.listRuns({ accountId: account.id, status: 'open' });
  const list = () => open.map((run) => t('shift.openRun', { run: run.id, playbook: run.playbookId, start: formatDate(run.startDate, uiLang()) })).join(', ');
  if (runFlag !== undefined) {
    const id = parseRunId(runFlag);
    const chosen = open.find((run) => run.id === id);
    const hint = open.length > 0 ? t('shift.openRuns', { runs: list() }) : t('shift.seeStatus', { command: `${csCommand(context.env)} status ${shellArgument(account.name)}` });
    if (!chosen) throw inputError(t('shift.noSuchRun', { account: account.name, run: id }), { hint });
    return chosen;
  }
  if (open.length === 0) throw inputError(t('shift.noOpenRun', { account: account.name }));
  if (open.length > 1) throw inputError(t('shift.severalOpen', { account: account.name, count: open.length }), { hint: t('shift.openRuns', { runs: list() }) });
  return open[0]!;
}

async function printMoves(context: Context, moves: readonly DueMove[]): Promise<void> {
  // the arrow is added after the table: dates with weekdays are all as wide, and an arrow in a cell
  // would make the table measure every cell's width the slow way
  const lines = await table(moves.map((move) => [move.title, shownDay(move.from)]));
  lines.forEach((line, index) => context.ui.out(`  ${line}  →  ${shownDay(moves[index]!.to)}`));
}

/** Words that were meant as options: allowUnknownOption lets every dash word through, offsets included. */
function refuseUnknownOptions(words: (string | undefined)[]): void {
  const unknown = words.find((word) => word !== undefined && /^--?[a-z]/i.test(word) && !/^-\d/.test(word));
  if (unknown) throw inputError(t('usage.unknownOption', { name: unknown }), { hint: t('shift.seeHelp') });
}

export async function shift(context: Context, accountName: string, offsetText: string | undefined, ...rest: unknown[]): Promise<void> {
  const flags = (rest.find((each) => typeof each === 'object' && each !== null) ?? {}) as ShiftFlags;
  const extra = rest.filter((each): each is string => typeof each === 'string');
  refuseUnknownOptions([accountName, offsetText, ...extra]);
  if (extra.length > 0) throw inputError(t('shift.tooMany', { words: extra.map((word) => JSON.stringify(word)).join(' ') }), { hint: t('shift.quoteName') });
  const { ui } = context;
  const cs = csCommand(context.env);
  if (flags.undo) {
    if (offsetText !== undefined) throw inputError(t('shift.undoNoOffset'));
    if (flags.from !== undefined) throw inputError(t('shift.undoNoFrom'));
    const account = await requireAccount(context.readStore(), accountName);
    const store = context.store();
    const runs = flags.run !== undefined ? [await chooseRun(context, store, account, flags.run)] : await store.listRuns({ accountId: account.id, status: 'open' });
    if (flags.dryRun) throw inputError(t('shift.undoDryRun'));
    const undone = await store.undoShift(runs.map((run) => run.id));
    if (!undone) {
      ui.out(t('shift.nothingToUndo', { account: account.name }));
      return;
    }
    // the steps as the run stored them (English), said in the interface's language
    const playbookId = runs.find((run) => run.id === undone.runId)!.playbookId;
    const titles = await titlesInUserLanguage(context.env, [playbookId]);
    const inUserLanguage = (moves: readonly DueMove[]) => moves.map((move) => ({ ...move, title: titles.step(playbookId, move.stepId, move.title) }));
    const time = `${formatDate(undone.shiftedAt.slice(0, 10), uiLang())} ${undone.shiftedAt.slice(11, 16)}`;
    ui.out(t('shift.undid', { account: account.name, run: undone.runId, offset: undone.offset, time }));
    await printMoves(context, inUserLanguage(undone.restored));
    if (undone.kept.length > 0) {
      ui.out(ui.style.dim(t('shift.leftAsTheyAre', { steps: inUserLanguage(undone.kept).map((move) => move.title).join(', ') })));
    }
    ui.out(ui.style.dim(t('shift.putBack', { count: undone.restored.length })));
    return;
  }
  if (offsetText === undefined) throw inputError(t('shift.missingOffset'), { hint: t('shift.orUndo', { command: `${cs} shift --undo ${shellArgument(accountName)}` }) });
  let offset;
  try {
    offset = parseShiftOffset(offsetText);
  } catch (error) {
    // `cs shift +5d Acme`: the two were given the other way round
    if (/^[+-]?\d+(bd|d|w)$/i.test(accountName.trim())) throw inputError(t('shift.accountFirst', { command: `${cs} shift ${shellArgument(offsetText)} ${accountName}` }));
    throw error;
  }
  const account = await requireAccount(context.readStore(), accountName);
  const store = flags.dryRun ? context.readStore() : context.store();
  const run = await chooseRun(context, store, account, flags.run);
  const loaded = (await store.loadRun(run.id))!;
  const calendar = offset.unit === 'bd' ? workCalendar(context.env) : undefined;
  const titles = await titlesInUserLanguage(context.env, [run.playbookId]);
  const moves = planShift(loaded.state, offset, flags.from?.trim(), calendar).map((move) => ({ ...move, title: titles.step(run.playbookId, move.stepId, move.title) }));
  const which = { account: account.name, run: run.id, playbook: titles.playbook(run.playbookId, run.playbookTitle), offset: offset.text };
  if (moves.length === 0) {
    ui.out(flags.from ? t('shift.nothingFrom', { ...which, step: flags.from.trim() }) : t('shift.nothing', which));
    return;
  }
  if (flags.dryRun) {
    ui.out(t('shift.wouldMove', which));
    await printMoves(context, moves);
    ui.out(ui.style.dim(t('shift.dryRun', { count: moves.length })));
    return;
  }
  await store.shiftDueDates(run.id, { offset: offset.text, fromStep: flags.from?.trim(), moves });
  ui.out(t('shift.moved', which));
  await printMoves(context, moves);
  ui.out(ui.style.dim(t('shift.movedCount', { count: moves.length, command: `${cs} shift --undo ${shellArgument(account.name)}` })));
}
