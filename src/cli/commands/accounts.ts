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
import { ROLES } from '../../engine/crm.js';
import type { Role } from '../../engine/crm.js';
import { dayOf, today } from '../../engine/dates.js';
import { cleanAccountName, cleanOwner, compareNames } from '../../engine/names.js';
import { writeJsonLines } from '../json-array.js';
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
import { say, t, uiLang } from '../../i18n/messages.js';
import type { MessageKey } from '../../i18n/messages.js';
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
    what: t('import.theCsvFile'),
    shown,
    limit: LIMITS.csv,
    whyLimit: t('import.splitIt', { size: formatBytes(LIMITS.csv) }),
    encodingHint: t('import.saveAsUtf8'),
  });
}

function describeOutcome(outcome: ImportOutcome, dryRun: boolean): string {
  const { accountsCreated, accountsUpdated, runsStarted, unchanged } = outcome;
  if (accountsCreated === 0 && accountsUpdated === 0 && runsStarted === 0) return t(dryRun ? 'import.nothingWould' : 'import.nothing', { count: unchanged });
  const updated = accountsUpdated > 0 ? t(dryRun ? 'import.wouldUpdate' : 'import.updated', { count: accountsUpdated }) : '';
  const counts = { accounts: t('count.account', { count: accountsCreated }), runs: t('count.run', { count: runsStarted }), unchanged, updated };
  return t(dryRun ? 'import.dryRun' : 'import.imported', counts);
}

/** An owner in the file that is not the stored one: said on stderr, whether or not it was taken. */
function describeOwnerDifference(difference: OwnerDifference, file: string, dryRun: boolean): string {
  const { line, account, stored, file: inFile, updated } = difference;
  const key: MessageKey = updated ? (dryRun ? 'import.ownerWouldBecome' : 'import.ownerIsNow') : dryRun ? 'import.ownerWouldStay' : 'import.ownerStays';
  return t(key, { where: `${file}:${line}`, account, stored, file: inFile });
}

/** Each role's name in the dry run's mapping. */
const ROLE_LABELS: Record<Role, MessageKey> = {
  name: 'import.role.name',
  owner: 'import.role.owner',
  playbook: 'import.role.playbook',
  start: 'import.role.start',
  id: 'import.role.id',
};

/** The dry run's account of a row. */
function describeRow(row: RowPlan, style: Context['ui']['style']): string {
  const parts: string[] = [];
  if (row.createsAccount) parts.push(t('import.row.create'));
  else if (row.updatesAccount) parts.push(t('import.row.update'));
  if (row.nameInFile) parts.push(t('import.row.byRecordId', { name: JSON.stringify(row.nameInFile) }));
  if (row.ownerDiffers) {
    const { stored, file, updated } = row.ownerDiffers;
    parts.push(style.yellow(t(updated ? 'import.row.ownerTaken' : 'import.row.ownerKept', { stored, file })));
  }
  const { outcome } = row;
  if (outcome.kind === 'start') parts.push(t('import.row.start', { playbook: row.playbook, date: formatDate(row.startDate, uiLang()) }));
  else if (outcome.kind === 'unchanged') parts.push(style.dim(t('import.row.unchanged', { run: outcome.runId, playbook: row.playbook, date: formatDate(row.startDate, uiLang()) })));
  else parts.push(style.red(say(outcome.message)));
  return parts.join(' · ');
}

/** The dry run's mapping: which column is which, how the file was saved. */
function describeMapping(book: Book, defaultPlaybook: string, style: Context['ui']['style']): string[][] {
  const { columns } = book;
  const shape = columns.shape;
  const source =
    columns.mapped.length > 0
      ? shape
        ? t('import.map.shapeWithMap', { crm: shape.title })
        : t('import.map.withMap')
      : shape!.id === 'cs'
        ? t('import.map.csColumns')
        : t('import.map.export', { crm: shape!.title });
  const dates = book.dateOrder.kind === 'settled' ? book.dateOrder.format : t(book.dateOrder.kind === 'ambiguous' ? 'import.map.datesAmbiguous' : 'import.map.monthFirst');
  const rows: string[][] = [
    [style.dim(t('import.map.readAs')), source],
    [style.dim(t('import.map.delimiter')), book.delimiter === '\t' ? t('import.map.tab') : `"${book.delimiter}"`],
  ];
  for (const role of ROLES) {
    const index = columns.roles[role];
    const fallback = role === 'start' ? t('import.map.startsToday') : role === 'playbook' ? defaultPlaybook : role === 'id' ? t('import.map.byName') : t('import.map.none');
    const value = index === undefined ? style.dim(t('import.map.noColumn', { fallback })) : JSON.stringify(columns.header[index]);
    const shown = role === 'start' && index !== undefined ? `${value} (${dates})` : role === 'playbook' && index !== undefined ? t('import.map.emptyCell', { value, playbook: defaultPlaybook }) : value;
    rows.push([style.dim(t(ROLE_LABELS[role])), shown]);
  }
  const fields = columns.fields.map((field) => JSON.stringify(field.name));
  rows.push([style.dim(t('import.map.fields')), fields.length > 0 ? fields.join(', ') : style.dim('—')]);
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
  if (!PLAYBOOK_KINDS.includes(kind)) throw inputError(t('import.badKind', { kinds: PLAYBOOK_KINDS.join(', '), value: JSON.stringify(flags.kind) }));
  const shown = displayPath(file);
  const text = () => csvText(file, shown); // read afresh by each pass over the file
  const catalog = loadPlaybooks(context.ui, context.env);
  let unknownPlaybook = false;
  const described = (error: unknown): string => {
    if (!(error instanceof CsError)) throw error;
    const unknown = error.said?.key === 'playbook.unknown' || error.said?.key === 'playbook.unknownGuess';
    unknownPlaybook ||= unknown;
    return unknown && error.details.length > 0 ? t('import.brokenDefinition', { message: error.message }) : error.message;
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
        fallback = t('import.emptyPlaybook', { message: described(error) });
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
    const progress = !planOnly && book.rows.length > PROGRESS_MIN_ROWS ? context.ui.progress(t('import.progress')) : undefined;
    try {
      outcome = await context.store().importBook(book.rows, { ...planOptions, dryRun: planOnly, onProgress: progress && ((done, total) => progress.update(done, total)) });
    } finally {
      progress?.clear();
    }
  }
  const problems: LineProblem[] = [...book.problems, ...outcome.problems].sort((a, b) => a.line - b.line);
  if (problems.length > 0) {
    const badRows = new Set(problems.map((problem) => problem.line)).size;
    const ids = catalog.playbooks.map((loaded) => loaded.playbook.id);
    throw inputError(t('import.badRows', { file: shown, count: badRows }), {
      details: problems.map((problem) => `${shown}:${problem.line}: ${say(problem.message)}`),
      hint: unknownPlaybook ? t('playbook.found', { ids: ids.join(', ') }) : t('import.fixRows'),
    });
  }
  const dryRun = flags.dryRun === true;
  if (dryRun) {
    const { style } = context.ui;
    const fallbackPlaybook = defaultPlaybook();
    const fallbackName = typeof fallbackPlaybook === 'string' ? t('import.map.none') : flags.playbook === undefined ? t('import.map.defaultOfKind', { id: fallbackPlaybook.id, kind }) : fallbackPlaybook.id;
    context.ui.out(`${shown}:`);
    for (const line of await table(describeMapping(book, fallbackName, style), { gap: '  ', width: context.ui.columns, keep: [0] })) context.ui.out(`  ${line}`);
    context.ui.out();
    const headers: MessageKey[] = ['import.col.line', 'accounts.col.account', 'import.col.would'];
    const rows = [headers.map((key) => style.bold(t(key))), ...outcome.rowPlans.map((row) => [String(row.line), row.account, describeRow(row, style)])];
    for (const line of await table(rows, { width: context.ui.columns, keep: [0] })) context.ui.out(line);
    context.ui.out();
  }
  for (const difference of outcome.ownersDiffer) context.ui.err(describeOwnerDifference(difference, shown, dryRun));
  const kept = outcome.ownersDiffer.filter((difference) => !difference.updated).length;
  if (kept > 0) {
    context.ui.err(t('import.ownersKept', { count: kept }));
  }
  context.ui.out(describeOutcome(outcome, dryRun));
}

export async function show(context: Context, name: string, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const [{ requireAccount }, { inLanguage }, { runSummary }, { stuckDaysSetting }] = await Promise.all([import('../lookup.js'), import('./status.js'), import('./status-json.js'), import('../../engine/report.js')]);
  const store = context.readStore();
  const account = await requireAccount(store, name);
  const now = today(context.env);
  const stuckDays = stuckDaysSetting(undefined, context.env);
  const loadedRuns = [];
  for (const run of await store.listRuns({ accountId: account.id })) loadedRuns.push((await store.loadRun(run.id))!);
  if (flags.json) {
    const runs = loadedRuns.map((loaded) => runSummary(loaded, now, stuckDays));
    ui.out(JSON.stringify({ name: account.name, owner: account.owner, fields: account.fields, createdAt: account.createdAt, runs }, null, 2));
    return;
  }
  // the runs' playbooks in the interface's language (what they store is unchanged)
  const translated = inLanguage(uiLang(), context.env);
  const runs = await Promise.all(loadedRuns.map(async (loaded) => runSummary(await translated(loaded), now, stuckDays, uiLang())));
  ui.out(style.bold(account.name));
  const facts = [[t('accounts.owner'), account.owner ?? style.dim('—')], ...Object.entries(account.fields)].map(([key, value]) => [
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
    if (run.next) ui.out(await wrap(`   ${t('status.next', { title: run.next.title, due: describeDue(run.next.due, now, uiLang(), run.next.waiting ?? undefined) })}`, ui.columns, '     '));
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
