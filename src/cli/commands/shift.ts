/**
 * `cs shift <account> <OFFSET> [--run ID] [--from STEP] [--dry-run]` and `cs shift --undo <account>`:
 * moves the open due dates of a run (src/engine/shift.ts works out the new dates; the store moves
 * them and keeps the shift in one transaction) and says what moved, with weekdays.
 */
import { inputError } from '../../errors.js';
import { formatDay } from '../../engine/dates.js';
import { parseShiftOffset, planShift } from '../../engine/shift.js';
import type { DueMove } from '../../engine/shift.js';
import { plural } from '../../engine/words.js';
import type { Account, Run, Store } from '../../store/store.js';
import { table } from '../../ui/table.js';
import { workCalendar } from '../calendar.js';
import type { Context } from '../context.js';
import { csCommand, shellArgument } from '../format.js';
import { requireAccount } from '../lookup.js';

export interface ShiftFlags {
  run?: string;
  from?: string;
  undo?: boolean;
  dryRun?: boolean;
}

function parseRunId(text: string): number {
  const id = Number(text.trim().replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw inputError(`--run must be a run number, e.g. --run 12; got ${JSON.stringify(text)}`);
  return id;
}

/** The run to shift: --run's, else the account's one open run. */
async function chooseRun(context: Context, store: Store, account: Account, runFlag: string | undefined): Promise<Run> {
  const open = await store.listRuns({ accountId: account.id, status: 'open' });
  const list = () => open.map((run) => `#${run.id} (${run.playbookId}, started ${run.startDate})`).join(', ');
  if (runFlag !== undefined) {
    const id = parseRunId(runFlag);
    const chosen = open.find((run) => run.id === id);
    if (!chosen) throw inputError(`${account.name} has no open run #${id}`, { hint: open.length > 0 ? `Open runs: ${list()}` : `See ${csCommand(context.env)} status ${shellArgument(account.name)}.` });
    return chosen;
  }
  if (open.length === 0) throw inputError(`${account.name} has no open run: there are no due dates to move`);
  if (open.length > 1) throw inputError(`${account.name} has ${open.length} open runs; say which with --run`, { hint: `Open runs: ${list()}` });
  return open[0]!;
}

async function printMoves(context: Context, moves: readonly DueMove[]): Promise<void> {
  // the arrow is added after the table: dates with weekdays are all as wide, and an arrow in a cell
  // would make the table measure every cell's width the slow way
  const lines = await table(moves.map((move) => [move.title, formatDay(move.from)]));
  lines.forEach((line, index) => context.ui.out(`  ${line}  →  ${formatDay(moves[index]!.to)}`));
}

/** Words that were meant as options: allowUnknownOption lets every dash word through, offsets included. */
function refuseUnknownOptions(words: (string | undefined)[]): void {
  const unknown = words.find((word) => word !== undefined && /^--?[a-z]/i.test(word) && !/^-\d/.test(word));
  if (unknown) throw inputError(`unknown option '${unknown}'`, { hint: 'See cs shift --help.' });
}

export async function shift(context: Context, accountName: string, offsetText: string | undefined, ...rest: unknown[]): Promise<void> {
  const flags = (rest.find((each) => typeof each === 'object' && each !== null) ?? {}) as ShiftFlags;
  const extra = rest.filter((each): each is string => typeof each === 'string');
  refuseUnknownOptions([accountName, offsetText, ...extra]);
  if (extra.length > 0) throw inputError(`too many arguments: ${extra.map((word) => JSON.stringify(word)).join(' ')}`, { hint: 'Quote an account name with spaces: cs shift "Công ty Ánh Dương" +5d' });
  const { ui } = context;
  const cs = csCommand(context.env);
  if (flags.undo) {
    if (offsetText !== undefined) throw inputError('--undo takes no OFFSET: it puts back what the last shift moved');
    if (flags.from !== undefined) throw inputError('--undo takes no --from: it puts back every step the last shift moved');
    const account = await requireAccount(context.readStore(), accountName);
    const store = context.store();
    const runIds = flags.run !== undefined ? [(await chooseRun(context, store, account, flags.run)).id] : (await store.listRuns({ accountId: account.id, status: 'open' })).map((run) => run.id);
    if (flags.dryRun) throw inputError('--dry-run and --undo cannot be used together');
    const undone = await store.undoShift(runIds);
    if (!undone) {
      ui.out(`Nothing to undo: no shift of ${account.name}'s open runs is left to put back.`);
      return;
    }
    ui.out(`Undid the shift of ${account.name}'s run #${undone.runId} by ${undone.offset} (made ${undone.shiftedAt.slice(0, 16).replace('T', ' ')} UTC):`);
    await printMoves(context, undone.restored);
    if (undone.kept.length > 0) {
      ui.out(ui.style.dim(`Left as they are (done, skipped or moved again since): ${undone.kept.map((move) => move.title).join(', ')}`));
    }
    ui.out(ui.style.dim(`${plural(undone.restored.length, 'due date')} put back.`));
    return;
  }
  if (offsetText === undefined) throw inputError('missing OFFSET: how far to move the due dates, e.g. +5d, -2d, +1w, +5bd', { hint: `Or put the last shift back with: ${cs} shift --undo ${shellArgument(accountName)}` });
  let offset;
  try {
    offset = parseShiftOffset(offsetText);
  } catch (error) {
    // `cs shift +5d Acme`: the two were given the other way round
    if (/^[+-]?\d+(bd|d|w)$/i.test(accountName.trim())) throw inputError(`the account comes first, then the offset: ${cs} shift ${shellArgument(offsetText)} ${accountName}`);
    throw error;
  }
  const account = await requireAccount(context.readStore(), accountName);
  const store = flags.dryRun ? context.readStore() : context.store();
  const run = await chooseRun(context, store, account, flags.run);
  const loaded = (await store.loadRun(run.id))!;
  const calendar = offset.unit === 'bd' ? workCalendar(context.env) : undefined;
  const moves = planShift(loaded.state, offset, flags.from?.trim(), calendar);
  const which = `${account.name}'s run #${run.id} (${run.playbookTitle})`;
  if (moves.length === 0) {
    ui.out(`Nothing to move: ${which} has no open step${flags.from ? ` from ${flags.from.trim()} on` : ''}.`);
    return;
  }
  if (flags.dryRun) {
    ui.out(`Would move ${which} by ${offset.text}:`);
    await printMoves(context, moves);
    ui.out(ui.style.dim(`Dry run: nothing changed. Run it without --dry-run to move ${plural(moves.length, 'due date')}.`));
    return;
  }
  await store.shiftDueDates(run.id, { offset: offset.text, fromStep: flags.from?.trim(), moves });
  ui.out(`Moved ${which} by ${offset.text}:`);
  await printMoves(context, moves);
  ui.out(ui.style.dim(`${plural(moves.length, 'due date')} moved. Put them back with: ${cs} shift --undo ${shellArgument(account.name)}`));
}
