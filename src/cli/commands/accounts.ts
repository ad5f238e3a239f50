/**
 * `cs accounts list | import <file.csv> | show <name> | rename <old> <new>`. The CSV parser, the
 * playbook catalog (with the YAML parser) and the account lookup are imported by the subcommands
 * that use them, so `cs accounts list` starts without them.
 */
import { CsError, inputError } from '../../errors.js';
import { formatBytes, LIMITS, readTextChunks } from '../../files/input.js';
import { EMPTY_BOOK_LOOKUP, outcomeOf, planImport } from '../../engine/book.js';
import type { BookRow, ImportOutcome, LineProblem } from '../../engine/book.js';
import type { BookOptions } from '../../engine/book-csv.js';
import { dayOf, formatDay, today } from '../../engine/dates.js';
import { cleanAccountName, cleanOwner, compareNames } from '../../engine/names.js';
import { plural } from '../../engine/words.js';
import { actingUser, directory } from '../../people/acting.js';
import { ownerLabel, ownerQueryKeys, personText } from '../../people/person.js';
import type { Playbook } from '../../playbook/types.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import { databaseExists } from '../../store/location.js';
import type { Context } from '../context.js';
import { csCommand, describeDue } from '../format.js';
import { displayPath } from '../../paths.js';

export interface ListFlags {
  owner?: string;
  json?: boolean;
}

export async function list(context: Context, flags: ListFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  if (flags.owner !== undefined) cleanOwner(flags.owner); // an empty or invisible --owner is a mistake, not a filter
  const now = today(context.env);
  const people = directory(context.env);
  const owner = flags.owner === undefined ? undefined : ownerQueryKeys(flags.owner, people);
  const accounts = (await context.readStore().accountSummaries(now, owner)).sort((a, b) => compareNames(a.name, b.name));
  if (flags.json) {
    ui.out(
      JSON.stringify(
        accounts.map((account) => ({
          name: account.name,
          owner: account.owner,
          openRuns: account.openRuns,
          nextDue: account.nextDue,
          overdue: account.overdue,
          fields: account.fields,
        })),
        null,
        2,
      ),
    );
    return;
  }
  if (accounts.length === 0) {
    ui.out(
      flags.owner === undefined
        ? `No accounts yet. Import a book of business with: ${csCommand(context.env)} accounts import FILE.csv (or start one with ${csCommand(context.env)} onboard start "<account>")`
        : `No accounts owned by ${flags.owner.trim()}.`,
    );
    return;
  }
  const rows = [['ACCOUNT', 'OWNER', 'OPEN RUNS', 'NEXT DUE', 'OVERDUE'].map((cell) => style.bold(cell))];
  for (const account of accounts) {
    rows.push([
      account.name,
      ownerLabel(account.owner, people) ?? style.dim('—'),
      String(account.openRuns),
      account.nextDue ? (account.nextDue < now ? style.red(formatDay(account.nextDue)) : formatDay(account.nextDue)) : style.dim('—'),
      account.overdue > 0 ? style.red(String(account.overdue)) : '0',
    ]);
  }
  for (const line of await table(rows, { width: ui.columns, keep: [2, 3, 4] })) ui.out(line);
}

export interface ImportFlags {
  dryRun?: boolean;
}

/** Where the progress bar goes: stderr, drawn only on a terminal. */
export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Long imports show a bar; short ones, and anything not on a terminal, stay silent. */
export const PROGRESS_MIN_ROWS = 500;

function progressBar(sink: ProgressSink, rows: number): ((done: number, total: number) => void) & { clear(): void } {
  const draw = (done: number, total: number) => {
    const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - 40));
    const filled = total === 0 ? width : Math.round((done / total) * width);
    sink.write(`\r\u001b[KStarting runs ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done.toLocaleString('en')}/${total.toLocaleString('en')}`);
  };
  const active = Boolean(sink.isTTY) && rows > PROGRESS_MIN_ROWS;
  return Object.assign(active ? draw : () => {}, { clear: () => active && sink.write('\r\u001b[K') });
}

/** Rows of a book held while it is read; a longer book is read twice (see importAccounts). */
const HELD_ROWS = 50_000;

/** The file as text, in pieces, refusing (exit 2) what is not a regular file, too large or not UTF-8. */
function csvText(path: string, shown: string): Iterable<string> {
  return readTextChunks(path, {
    what: 'the CSV file',
    shown,
    limit: LIMITS.csv,
    whyLimit: `split it into files of up to ${formatBytes(LIMITS.csv)} and import each`,
    encodingHint: 'Save it as "CSV UTF-8" (in Excel: File › Save As › CSV UTF-8) and import it again.',
  });
}

function describeOutcome(outcome: ImportOutcome, dryRun: boolean): string {
  const { accountsCreated, accountsUpdated, runsStarted, unchanged } = outcome;
  const updated = accountsUpdated > 0 ? `; ${dryRun ? 'would update' : 'updated'} the owner or fields of ${plural(accountsUpdated, 'existing account')}` : '';
  if (dryRun) {
    return `Dry run: would import ${plural(accountsCreated, 'account')} and start ${plural(runsStarted, 'run')} (${unchanged} unchanged)${updated}. Nothing was written.`;
  }
  return `Imported ${plural(accountsCreated, 'account')}, started ${plural(runsStarted, 'run')} (${unchanged} unchanged)${updated}.`;
}

export async function importAccounts(context: Context, file: string, flags: ImportFlags, stderr: ProgressSink = process.stderr): Promise<void> {
  const [{ parseBook }, { requirePlaybook }, { loadPlaybooks }] = await Promise.all([
    import('../../engine/book-csv.js'),
    import('../../playbook/catalog.js'),
    import('../playbooks-found.js'),
  ]);
  const shown = displayPath(file);
  const text = csvText(file, shown);
  const catalog = loadPlaybooks(context.ui, context.env);
  // Each id is looked up once, with the same rules as cs run (a user's broken copy of a playbook is
  // refused, not silently replaced): a playbook, or what to say about the rows naming it.
  const found = new Map<string, Playbook | string>();
  const playbook = (id: string): Playbook | string => {
    let known = found.get(id);
    if (known === undefined) {
      try {
        known = requirePlaybook(catalog, id).playbook;
      } catch (error) {
        if (!(error instanceof CsError)) throw error;
        const fromBrokenFile = error.details.length > 0 && error.message.startsWith('unknown playbook');
        known = fromBrokenFile ? `${error.message}; a file meant to define it has problems (see cs playbooks validate)` : error.message;
      }
      found.set(id, known);
    }
    return known;
  };
  const options: BookOptions = {
    file: shown,
    today: today(context.env),
    playbook: (id) => {
      const known = playbook(id);
      return typeof known === 'string' ? undefined : known;
    },
    unknownPlaybook: (id) => playbook(id) as string,
  };
  // A large file is read twice rather than held whole while it may still turn out to be bad: its
  // rows are checked in batches and let go, then read again once it is known to be good.
  // (the store answers with a promise: each batch's problems are gathered once the file is read)
  const pending: Promise<LineProblem[]>[] = [];
  const checkStored = (rows: BookRow[]) => {
    if (databaseExists(context.dbPath)) pending.push(context.store().importBook(rows, { dryRun: true }).then((outcome) => outcome.problems));
    return [];
  };
  let book = parseBook(text, { ...options, hold: { maxRows: HELD_ROWS, check: checkStored } });
  const storedProblems = (await Promise.all(pending)).flat();
  if (storedProblems.length > 0) book = { ...book, problems: [...book.problems, ...storedProblems] };
  if (!book.complete && book.problems.length === 0) book = parseBook(csvText(file, shown), options);
  // A row with an empty owner cell is the acting user's (cs config set user.name …), as a run started without --owner is.
  const me = actingUser(context.env);
  if (me) for (const row of book.rows) row.owner ??= personText(me); // in place: a book may hold many rows
  // With bad rows the good ones are still checked against the database, so every problem is listed
  // at once; nothing is written. A dry run against a database that does not exist creates none.
  const planOnly = flags.dryRun === true || book.problems.length > 0;
  let outcome: ImportOutcome;
  if (planOnly && !databaseExists(context.dbPath)) {
    outcome = outcomeOf(planImport(book.rows, EMPTY_BOOK_LOOKUP));
  } else {
    const progress = progressBar(stderr, book.rows.length);
    try {
      outcome = await context.store().importBook(book.rows, { dryRun: planOnly, onProgress: progress });
    } finally {
      progress.clear();
    }
  }
  const problems: LineProblem[] = [...book.problems, ...outcome.problems].sort((a, b) => a.line - b.line);
  if (problems.length > 0) {
    const badRows = new Set(problems.map((problem) => problem.line)).size;
    const unknown = problems.some((problem) => problem.message.startsWith('unknown playbook'));
    const ids = catalog.playbooks.map((loaded) => loaded.playbook.id);
    throw inputError(`${shown}: ${plural(badRows, 'bad row')}; nothing was imported`, {
      details: problems.map((problem) => `${shown}:${problem.line}: ${problem.message}`),
      hint: unknown ? `Playbooks found: ${ids.join(', ')}. See cs playbooks list.` : 'Fix or remove these rows, then import the file again.',
    });
  }
  context.ui.out(describeOutcome(outcome, flags.dryRun === true));
}

export async function show(context: Context, name: string, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const [{ requireAccount }, { runSummary }] = await Promise.all([import('../lookup.js'), import('./status.js')]);
  const store = context.readStore();
  const account = await requireAccount(store, name);
  const now = today(context.env);
  const runs: ReturnType<typeof runSummary>[] = [];
  for (const run of await store.listRuns({ accountId: account.id })) runs.push(runSummary((await store.loadRun(run.id))!, now));
  if (flags.json) {
    ui.out(JSON.stringify({ name: account.name, owner: account.owner, fields: account.fields, createdAt: account.createdAt, runs }, null, 2));
    return;
  }
  ui.out(style.bold(account.name));
  const facts = [['owner', account.owner ?? style.dim('—')], ...Object.entries(account.fields)].map(([key, value]) => [
    `  ${style.dim(`${key}:`)}`,
    value!.replace(/\n/g, ' ⏎ '),
  ]);
  for (const line of await table(facts, { gap: ' ', width: ui.columns, keep: [0] })) ui.out(line);
  ui.out();
  if (runs.length === 0) {
    ui.out(`No runs yet. Start one with: ${csCommand(context.env)} onboard start ${JSON.stringify(account.name)}`);
    return;
  }
  for (const run of runs) {
    const state = run.status === 'finished' ? style.green(`finished ${run.finishedAt ? dayOf(run.finishedAt) : ''}`) : (run.phase?.title ?? 'open');
    ui.out(await wrap(`#${run.id} ${run.playbook.title} ${style.dim(`(${run.playbook.id} v${run.playbook.version})`)} · started ${run.startDate} · ${state}`, ui.columns, '   '));
    const { steps } = run;
    const overdue = steps.overdue > 0 ? style.red(`${steps.overdue} overdue`) : '0 overdue';
    ui.out(`   ${steps.done} done · ${steps.skipped} skipped · ${steps.open} open · ${overdue}`);
    if (run.next) ui.out(await wrap(`   next: ${run.next.title} — ${describeDue(run.next.due, now)}`, ui.columns, '     '));
  }
}

export async function rename(context: Context, oldName: string, newName: string): Promise<void> {
  const { requireAccount } = await import('../lookup.js');
  const store = context.store();
  const account = await requireAccount(store, oldName);
  const clean = cleanAccountName(newName);
  if (clean === account.name) {
    context.ui.out(`${account.name} already has that name; nothing changed.`);
    return;
  }
  const renamed = await store.renameAccount(account.id, clean);
  context.ui.out(`Renamed ${JSON.stringify(account.name)} to ${JSON.stringify(renamed.name)}.`);
}
