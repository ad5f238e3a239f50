/**
 * `cs accounts list | import <file.csv> | show <name> | rename <old> <new>`. The CSV parser, the
 * playbook catalog (with the YAML parser) and the account lookup are imported by the subcommands
 * that use them, so `cs accounts list` starts without them.
 */
import { CsError, inputError } from '../../errors.js';
import { formatBytes, LIMITS, readTextChunks } from '../../files/input.js';
import { EMPTY_BOOK_LOOKUP, outcomeOf, planImport } from '../../engine/book.js';
import type { BookRow, ImportOutcome, LineProblem, OwnerDifference, RowPlan } from '../../engine/book.js';
import type { Book, BookOptions } from '../../engine/book-csv.js';
import { delimiterName, ROLE_LABELS, ROLES } from '../../engine/crm.js';
import { dayOf, today } from '../../engine/dates.js';
import { cleanAccountName, cleanOwner, compareNames } from '../../engine/names.js';
import { writeJsonLines } from '../json-array.js';
import { plural } from '../../engine/words.js';
import { actingUser } from '../../people/acting.js';
import { ownerLabeller, ownerQueryKeys, personText } from '../../people/person.js';
import { PLAYBOOK_KINDS } from '../../playbook/types.js';
import type { Playbook, PlaybookKind } from '../../playbook/types.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import { databaseExists } from '../../store/location.js';
import type { Context } from '../context.js';
import { csCommand, describeDue, shownDay } from '../format.js';
import { displayPath } from '../../paths.js';
import { ACCOUNT_LANG, LANG_NAMES, parseLangOption } from '../../i18n/lang.js';
import { t, uiLang } from '../../i18n/messages.js';
import { ROLES as ACCOUNT_ROLES } from '../../playbook/types.js';
import { peopleOf, requireMember } from '../team.js';
import { roleName } from '../role-names.js';
import { formatDate } from '../../i18n/formats.js';

export interface ListFlags {
  owner?: string;
  json?: boolean;
}

export async function list(context: Context, flags: ListFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  if (flags.owner !== undefined) cleanOwner(flags.owner); // an empty or invisible --owner is a mistake, not a filter
  const now = today(context.env);
  const store = context.readStore();
  const { directory: people } = await peopleOf(context, store);
  const owner = flags.owner === undefined ? undefined : ownerQueryKeys(flags.owner, people);
  const accounts = (await store.accountSummaries(now, owner)).sort((a, b) => compareNames(a.name, b.name));
  if (flags.json) {
    // one account a line (src/cli/json-array.ts): at 100,000 accounts one pretty-printed string of
    // the whole array was ~1 s of stringifying and the command's peak memory (360 MiB)
    await writeJsonLines(
      ui,
      (function* () {
        for (const account of accounts) yield JSON.stringify({ name: account.name, owner: account.owner, openRuns: account.openRuns, nextDue: account.nextDue, overdue: account.overdue, fields: account.fields });
      })(),
    );
    return;
  }
  if (accounts.length === 0) {
    ui.out(
      flags.owner === undefined
        ? t('accounts.none', { import: `${csCommand(context.env)} accounts import FILE.csv`, start: `${csCommand(context.env)} onboard start "<account>"` })
        : t('accounts.noneOwned', { owner: flags.owner.trim() }),
    );
    return;
  }
  const rows = [[t('accounts.col.account'), t('accounts.col.owner'), t('accounts.col.openRuns'), t('accounts.col.nextDue'), t('accounts.col.overdue')].map((cell) => style.bold(cell))];
  const labelOf = ownerLabeller(people);
  for (const account of accounts) {
    rows.push([
      account.name,
      labelOf(account.owner) ?? style.dim('—'),
      String(account.openRuns),
      account.nextDue ? (account.nextDue < now ? style.red(shownDay(account.nextDue)) : shownDay(account.nextDue)) : style.dim('—'),
      account.overdue > 0 ? style.red(String(account.overdue)) : '0',
    ]);
  }
  for (const line of await table(rows, { width: ui.columns, keep: [2, 3, 4] })) ui.out(line);
}

export interface ImportFlags {
  dryRun?: boolean;
  /** --map 'name=Company name,owner=Company owner,start=Close Date' */
  map?: string;
  /** --date-format dd/mm/yyyy | mm/dd/yyyy | yyyy-mm-dd */
  dateFormat?: string;
  /** --playbook: the playbook of rows with an empty playbook cell (or no playbook column). */
  playbook?: string;
  /** --kind: else the default playbook of this kind (onboarding). */
  kind?: string;
  updateOwners?: boolean;
}

/** Long imports show a bar (on a terminal); short ones stay silent. */
export const PROGRESS_MIN_ROWS = 500;

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
  if (accountsCreated === 0 && accountsUpdated === 0 && runsStarted === 0) {
    return `Nothing ${dryRun ? 'would change' : 'changed'}: ${unchanged === 1 ? 'the row is' : `all ${unchanged.toLocaleString('en')} rows are`} already imported.${dryRun ? ' Nothing was written.' : ''}`;
  }
  const updated = accountsUpdated > 0 ? `; ${dryRun ? 'would update' : 'updated'} the owner or fields of ${plural(accountsUpdated, 'existing account')}` : '';
  if (dryRun) {
    return `Dry run: would import ${plural(accountsCreated, 'account')} and start ${plural(runsStarted, 'run')} (${unchanged} unchanged)${updated}. Nothing was written.`;
  }
  return `Imported ${plural(accountsCreated, 'account')}, started ${plural(runsStarted, 'run')} (${unchanged} unchanged)${updated}.`;
}

/** An owner in the file that is not the stored one: said on stderr, whether or not it was taken. */
function describeOwnerDifference(difference: OwnerDifference, file: string, dryRun: boolean): string {
  const { line, account, stored, file: inFile, updated } = difference;
  const verb = updated ? (dryRun ? 'would become' : 'is now') : dryRun ? 'would stay' : 'stays';
  return `${file}:${line}: ${account} is owned by ${stored}, the file says ${inFile}: ${verb} ${updated ? inFile : stored}'s`;
}

/** The dry run's account of a row. */
function describeRow(row: RowPlan, style: Context['ui']['style']): string {
  const parts: string[] = [];
  if (row.createsAccount) parts.push('create account');
  else if (row.updatesAccount) parts.push('update account');
  if (row.nameInFile) parts.push(`matched by record id (named ${JSON.stringify(row.nameInFile)} in the file)`);
  if (row.ownerDiffers) parts.push(style.yellow(`owner differs (stored ${row.ownerDiffers.stored}, file ${row.ownerDiffers.file}${row.ownerDiffers.updated ? '; takes the file\'s' : '; kept'})`));
  const { outcome } = row;
  if (outcome.kind === 'start') parts.push(`start ${row.playbook} on ${row.startDate}`);
  else if (outcome.kind === 'unchanged') parts.push(style.dim(`unchanged (run #${outcome.runId} of ${row.playbook}, started ${row.startDate})`));
  else parts.push(style.red(outcome.message));
  return parts.join(' · ');
}

/** The dry run's mapping: which column is which, how the file was saved. */
function describeMapping(book: Book, defaultPlaybook: string, style: Context['ui']['style']): string[][] {
  const { columns } = book;
  const shape = columns.shape;
  const source = columns.mapped.length > 0 ? `${shape ? `${shape.title} columns` : 'columns'} with --map` : `${shape!.title}${shape!.id === 'cs' ? "'s own columns" : ' export'}`;
  const dates = book.dateOrder.kind === 'settled' ? book.dateOrder.format : book.dateOrder.kind === 'ambiguous' ? 'ambiguous (see --date-format)' : 'month first (see --date-format)';
  const rows: string[][] = [
    [style.dim('read as'), source],
    [style.dim('delimiter'), delimiterName(book.delimiter)],
  ];
  for (const role of ROLES) {
    const index = columns.roles[role];
    const fallback = role === 'start' ? 'every run starts today' : role === 'playbook' ? defaultPlaybook : role === 'id' ? 'accounts matched by name' : 'none';
    const value = index === undefined ? style.dim(`(no column: ${fallback})`) : JSON.stringify(columns.header[index]);
    rows.push([style.dim(ROLE_LABELS[role]), role === 'start' && index !== undefined ? `${value} (${dates})` : role === 'playbook' && index !== undefined ? `${value} (an empty cell: ${defaultPlaybook})` : value]);
  }
  const fields = columns.fields.map((field) => JSON.stringify(field.name));
  rows.push([style.dim('fields'), fields.length > 0 ? fields.join(', ') : style.dim('—')]);
  return rows;
}

export async function importAccounts(context: Context, file: string, flags: ImportFlags): Promise<void> {
  const [{ parseBook }, { parseColumnMap, parseDateFormat }, { requireDefault, requirePlaybook }, { loadPlaybooks }] = await Promise.all([
    import('../../engine/book-csv.js'),
    import('../../engine/crm.js'),
    import('../../playbook/catalog.js'),
    import('../playbooks-found.js'),
  ]);
  const map = flags.map === undefined ? undefined : parseColumnMap(flags.map);
  const dateFormat = flags.dateFormat === undefined ? undefined : parseDateFormat(flags.dateFormat);
  const kind = (flags.kind ?? 'onboarding').trim().toLowerCase() as PlaybookKind;
  if (!PLAYBOOK_KINDS.includes(kind)) throw inputError(`--kind must be one of ${PLAYBOOK_KINDS.join(', ')}; got ${JSON.stringify(flags.kind)}`);
  const shown = displayPath(file);
  const text = () => csvText(file, shown); // read afresh by each pass over the file
  const catalog = loadPlaybooks(context.ui, context.env);
  const described = (error: unknown): string => {
    if (!(error instanceof CsError)) throw error;
    const fromBrokenFile = error.details.length > 0 && error.message.startsWith('unknown playbook');
    return fromBrokenFile ? `${error.message}; a file meant to define it has problems (see cs playbooks validate)` : error.message;
  };
  // Each id is looked up once, with the same rules as cs run (a user's broken copy of a playbook is
  // refused, not silently replaced): a playbook, or what to say about the rows naming it. A cell
  // naming a kind ("churn") means that kind's default playbook.
  const found = new Map<string, Playbook | string>();
  const playbook = (id: string): Playbook | string => {
    let known = found.get(id);
    if (known === undefined) {
      const asKind = id.toLowerCase() as PlaybookKind;
      try {
        known =
          PLAYBOOK_KINDS.includes(asKind) && !catalog.playbooks.some((loaded) => loaded.playbook.id === id)
            ? requireDefault(catalog, asKind).playbook
            : requirePlaybook(catalog, id).playbook;
      } catch (error) {
        known = described(error);
      }
      found.set(id, known);
    }
    return known;
  };
  let fallback: Playbook | string | undefined;
  const defaultPlaybook = (): Playbook | string => {
    if (fallback === undefined) {
      try {
        fallback = flags.playbook !== undefined ? requirePlaybook(catalog, flags.playbook).playbook : requireDefault(catalog, kind).playbook;
      } catch (error) {
        fallback = `the playbook is empty and ${described(error)}`;
      }
    }
    return fallback;
  };
  const options: BookOptions = {
    file: shown,
    today: today(context.env),
    map,
    dateFormat,
    playbook: (id) => {
      const known = playbook(id);
      return typeof known === 'string' ? undefined : known;
    },
    unknownPlaybook: (id) => playbook(id) as string,
    defaultPlaybook,
  };
  const planOptions = { updateOwners: flags.updateOwners === true };
  // A large file is read twice rather than held whole while it may still turn out to be bad: its
  // rows are checked in batches and let go, then read again once it is known to be good (its date
  // order already known). The store answers with a promise: each batch's problems are gathered once
  // the file is read.
  const pending: Promise<LineProblem[]>[] = [];
  const checkStored = (rows: BookRow[]) => {
    if (databaseExists(context.dbPath)) pending.push(context.store().importBook(rows, { ...planOptions, dryRun: true }).then((outcome) => outcome.problems));
    return [];
  };
  let book: Book = parseBook(text, { ...options, hold: { maxRows: HELD_ROWS, check: checkStored } });
  const storedProblems = (await Promise.all(pending)).flat();
  if (storedProblems.length > 0) book = { ...book, problems: [...book.problems, ...storedProblems] };
  if (!book.complete && book.problems.length === 0) book = parseBook(text, { ...options, dateOrder: book.dateOrder });
  // A row with an empty owner cell is the acting user's (cs config set user.name …), as a run started without --owner is.
  const me = actingUser(context.env);
  if (me) for (const row of book.rows) row.owner ??= personText(me); // in place: a book may hold many rows
  // With bad rows the good ones are still checked against the database, so every problem is listed
  // at once; nothing is written. A dry run against a database that does not exist creates none.
  const planOnly = flags.dryRun === true || book.problems.length > 0;
  let outcome: ImportOutcome;
  if (planOnly && !databaseExists(context.dbPath)) {
    outcome = outcomeOf(planImport(book.rows, EMPTY_BOOK_LOOKUP, planOptions));
  } else {
    const progress = !planOnly && book.rows.length > PROGRESS_MIN_ROWS ? context.ui.progress('Starting runs') : undefined;
    try {
      outcome = await context.store().importBook(book.rows, { ...planOptions, dryRun: planOnly, onProgress: progress && ((done, total) => progress.update(done, total)) });
    } finally {
      progress?.clear();
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
  const dryRun = flags.dryRun === true;
  if (dryRun) {
    const { style } = context.ui;
    const fallbackPlaybook = defaultPlaybook();
    const fallbackName = typeof fallbackPlaybook === 'string' ? 'none' : `${fallbackPlaybook.id}${flags.playbook === undefined ? `, the default ${kind} playbook` : ''}`;
    context.ui.out(`${shown}:`);
    for (const line of await table(describeMapping(book, fallbackName, style), { gap: '  ', width: context.ui.columns, keep: [0] })) context.ui.out(`  ${line}`);
    context.ui.out();
    const rows = [['LINE', 'ACCOUNT', 'WOULD'].map((cell) => style.bold(cell)), ...outcome.rowPlans.map((row) => [String(row.line), row.account, describeRow(row, style)])];
    for (const line of await table(rows, { width: context.ui.columns, keep: [0] })) context.ui.out(line);
    context.ui.out();
  }
  for (const difference of outcome.ownersDiffer) context.ui.err(describeOwnerDifference(difference, shown, dryRun));
  const kept = outcome.ownersDiffer.filter((difference) => !difference.updated).length;
  if (kept > 0) {
    const one = kept === 1;
    context.ui.err(`${plural(kept, 'owner')} in the file ${one ? 'differs' : 'differ'} from the stored ${one ? 'one' : 'ones'} and ${one ? 'was' : 'were'} kept as stored; --update-owners takes the file's.`);
  }
  context.ui.out(describeOutcome(outcome, dryRun));
}

export async function show(context: Context, name: string, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const [{ requireAccount }, { runSummary }, { stuckDaysSetting }] = await Promise.all([import('../lookup.js'), import('./status-json.js'), import('../../engine/report.js')]);
  const store = context.readStore();
  const account = await requireAccount(store, name);
  const now = today(context.env);
  const stuckDays = stuckDaysSetting(undefined, context.env);
  const runs: ReturnType<typeof runSummary>[] = [];
  for (const run of await store.listRuns({ accountId: account.id })) runs.push(runSummary((await store.loadRun(run.id))!, now, stuckDays));
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
    ui.out(t('status.noRuns', { command: `${csCommand(context.env)} onboard start ${JSON.stringify(account.name)}` }));
    return;
  }
  for (const run of runs) {
    const lang = uiLang();
    const state = run.status === 'finished' ? style.green(t('status.finished', { date: run.finishedAt ? formatDate(dayOf(run.finishedAt), lang) : '' })) : (run.phase?.title ?? t('accounts.open'));
    const identity = style.dim(`(${run.playbook.id} v${run.playbook.version})`);
    ui.out(await wrap(t('status.run', { run: run.id, playbook: run.playbook.title, identity, start: formatDate(run.startDate, lang), state }), ui.columns, '   '));
    const { steps } = run;
    const overdueText = t('status.overdue', { count: steps.overdue });
    const overdue = steps.overdue > 0 ? style.red(overdueText) : overdueText;
    ui.out(`   ${t('status.counts', { done: steps.done, skipped: steps.skipped, open: steps.open, overdue })}`);
    if (run.next) ui.out(await wrap(`   ${t('status.next', { title: run.next.title, due: describeDue(run.next.due, now) })}`, ui.columns, '     '));
  }
}

export async function rename(context: Context, oldName: string, newName: string): Promise<void> {
  const { requireAccount } = await import('../lookup.js');
  const store = context.store();
  const account = await requireAccount(store, oldName);
  const clean = cleanAccountName(newName);
  if (clean === account.name) {
    context.ui.out(t('accounts.sameName', { account: account.name }));
    return;
  }
  const renamed = await store.renameAccount(account.id, clean);
  context.ui.out(t('accounts.renamed', { from: JSON.stringify(account.name), to: JSON.stringify(renamed.name) }));
}

export interface SetFlags {
  lang?: string;
  cos?: string;
  csm?: string;
  lead?: string;
  sales?: string;
}

/**
 * `cs accounts set <name> --lang vi --csm minh`: an account's details: the language its documents
 * are rendered in, and its team (the person of each role, whose the steps naming that role are).
 */
export async function set(context: Context, name: string, flags: SetFlags): Promise<void> {
  const { requireAccount } = await import('../lookup.js');
  const roles = ACCOUNT_ROLES.filter((role) => flags[role] !== undefined);
  if (flags.lang === undefined && roles.length === 0) throw inputError(t('accounts.setNothing'), { hint: 'cs accounts set "Công ty Ánh Dương" --lang vi --csm minh' });
  const lang = flags.lang === undefined ? undefined : parseLangOption(flags.lang, '--lang');
  const store = context.store();
  const account = await requireAccount(store, name);
  const team = roles.length > 0 ? await store.listPeople() : [];
  // every person is found before anything is written: a typo changes nothing
  const people = roles.map((role) => {
    const typed = flags[role]!;
    return { role, member: typed.trim() === '' ? undefined : requireMember(team, typed) };
  });
  if (lang !== undefined) {
    await store.setAccountField(account.id, ACCOUNT_LANG, lang);
    context.ui.out(t('accounts.langSet', { account: account.name, lang: LANG_NAMES[lang] }));
  }
  for (const { role, member } of people) {
    await store.setAccountField(account.id, role, member?.handle);
    context.ui.out(member ? t('accounts.roleSet', { account: account.name, role: roleName(role), name: member.name, handle: member.handle }) : t('accounts.roleRemoved', { account: account.name, role: roleName(role) }));
  }
}
