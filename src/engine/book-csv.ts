/**
 * A book of business from a CRM export: CSV text → rows ready to start runs, every bad row reported
 * with the line it starts on. Pure: no I/O. The text may come in pieces, parsed as they come, so
 * that a large file is never held whole, as text or as records.
 */
import { ACCOUNT_LANG, LANGS, langOf } from '../i18n/lang.js';
import { parse } from 'csv-parse';
import { CsError, inputError } from '../errors.js';
import type { Playbook } from '../playbook/types.js';
import type { BookRow, LineProblem } from './book.js';
import { planColumns, prepareText, settleDateOrder } from './crm.js';
import type { ColumnMap, ColumnPlan, DateOrder, PreparedText, Role } from './crm.js';
import { dayMonthParts, readCellDate, readDate } from './dates.js';
import type { DateFormat } from './dates.js';
import { cleanAccountName, hasControlCharacters, nameKey, ownerProblem } from './names.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

export interface BookOptions {
  /** The run's day 0 when the start column is empty. */
  today: string;
  playbook(id: string): Playbook | undefined;
  /** What to say about an id `playbook` does not know (with a "did you mean", ideally). */
  unknownPlaybook(id: string): string;
  /** What an empty playbook cell (or no playbook column) means: a playbook, or why there is none. */
  defaultPlaybook(): Playbook | string;
  /** How the file is named in messages. */
  file: string;
  /** --map: columns for roles the header's shape does not give (or gives wrongly). */
  map?: ColumnMap;
  /** --date-format: how the start column writes its dates, when its values do not settle it. */
  dateFormat?: DateFormat;
  /** How the start column writes its dates, when already worked out (a second read of the same file). */
  dateOrder?: DateOrder;
  /**
   * For a file of any size: keep at most `maxRows` rows, and none once a row has a problem. The rows
   * not kept are handed to `check` in batches (to find their conflicts with what is stored, so that
   * every problem is listed at once) and let go; the book is then not `complete`, and a caller that
   * needs its rows reads the file again. Without it every good row is kept.
   */
  hold?: { maxRows: number; check(rows: BookRow[]): LineProblem[] };
}

/**
 * The text of a book: whole, or in pieces that can be read more than once (the start column's date
 * order is decided from all of its values before any row is read).
 */
export type BookText = string | readonly string[] | (() => Iterable<string>);

export interface Book {
  /** What each column means, and how the text was saved (for the dry run). */
  columns: ColumnPlan;
  delimiter: PreparedText['delimiter'];
  dateOrder: DateOrder;
  rows: BookRow[];
  problems: LineProblem[];
  /** False when rows were let go (see BookOptions.hold). */
  complete: boolean;
}

/** Rows handed to BookOptions.hold.check at a time. */
const CHECK_BATCH = 5_000;

function cleanCell(value: string): string {
  return value.normalize('NFC').trim();
}

/** csv-parse's own words, minus its internals, with the line it stopped on. */
function explainCsvError(error: unknown, file: string, linesBefore: number): CsError {
  const { code, message } = error as { code?: string; message?: string };
  const lines = (error as { lines?: number }).lines === undefined ? undefined : (error as { lines: number }).lines + linesBefore;
  const reasons: Record<string, Said> = {
    CSV_QUOTE_NOT_CLOSED: said('csv.quoteNotClosed'),
    CSV_INVALID_CLOSING_QUOTE: said('csv.closingQuote'),
    CSV_INVALID_OPENING_QUOTE: said('csv.openingQuote'),
  };
  const reason = (code && reasons[code]) ?? (message ?? String(error)).split('\n')[0]!;
  return inputError(said('csv.invalid', { where: `${file}${lines ? `:${lines}` : ''}`, reason }), { hint: said('csv.invalidHint') });
}

/** Why a start cell could not be read, given how the column writes its dates. */
function startProblem(value: string, order: DateOrder, declared: DateFormat | undefined): Said {
  const got = JSON.stringify(value);
  const slashed = dayMonthParts(value) !== undefined;
  if (slashed && order.kind === 'ambiguous') {
    return said('book.startAmbiguous', { got });
  }
  if (slashed && order.kind === 'month-first') {
    return said('book.startMonthFirst', { got, value: JSON.stringify(order.value), line: order.line, month: dayMonthParts(order.value)![1]! });
  }
  const format = order.kind === 'settled' ? order.format : 'yyyy-mm-dd';
  const forms = declared ? declared.toUpperCase() : format === 'yyyy-mm-dd' ? said('book.formsEither', { first: 'YYYY-MM-DD', second: 'DD/MM/YYYY' }) : said('book.formsEither', { first: format.toUpperCase(), second: 'YYYY-MM-DD' });
  if (order.kind === 'settled' && order.line !== undefined && slashed) return said('book.startNotDateDayFirst', { forms, value: JSON.stringify(order.value), line: order.line, got });
  return said('book.startNotDate', { forms, got });
}

/** A start cell read with the column's date order: the day, or what to say. */
function readStart(start: string, order: DateOrder, options: BookOptions): { date: string } | { problem: Said } {
  if (start === '') return { date: options.today };
  if (dayMonthParts(start) !== undefined) {
    const date = order.kind === 'settled' ? readCellDate(start, order.format) : undefined;
    return date === undefined ? { problem: startProblem(start, order, options.dateFormat) } : { date };
  }
  // ISO (a CRM's time of day after it ignored), or what the one date parser reads (today, +3d…)
  const iso = readCellDate(start, 'yyyy-mm-dd'); // ISO is never ambiguous, whatever --date-format says
  if (iso !== undefined) return { date: iso };
  const reading = readDate(start, options.today);
  if (reading.problem !== undefined) return { problem: said('book.start', { problem: reading.problem }) };
  return reading.date === undefined ? { problem: startProblem(start, order, options.dateFormat) } : { date: reading.date };
}

/** csv-parse's incremental parser: what its stream and its sync parse are both built on. */
interface CsvApi {
  parse(data: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  /** Its count of lines so far: what `info: true` copies into every record, with a dozen other figures. */
  info: { lines: number };
}
type CsvRecord = { record: string[]; info: { lines: number } };

/** The pieces of `text`, afresh each time it is called. */
function piecesOf(text: BookText): Iterable<string> {
  return typeof text === 'function' ? text() : typeof text === 'string' ? [text] : text;
}

/**
 * `pieces` in one line-ending convention (LF), without a BOM, so line numbers and values with line
 * breaks are the same whatever system exported the file (CRLF from Excel, LF, or a lone CR); a CR
 * ending one piece may pair with an LF starting the next.
 */
function* normalised(pieces: Iterable<string>): Generator<string> {
  let carriedCr = false;
  let first = true;
  for (let piece of pieces) {
    if (first && piece !== '') {
      piece = piece.replace(/^\uFEFF/, '');
      first = false;
    }
    if (carriedCr) piece = `\r${piece}`;
    carriedCr = piece.endsWith('\r');
    if (carriedCr) piece = piece.slice(0, -1);
    if (piece !== '') yield piece.replace(/\r\n?/g, '\n');
  }
  if (carriedCr) yield '\n';
}

/** What the first lines of a book say about the rest: its delimiter, and lines to add to every line number. */
interface CsvStream {
  delimiter: PreparedText['delimiter'];
  linesBefore: number;
  records: Generator<CsvRecord>;
}

/**
 * The records of `pieces`, parsed as the pieces come. The delimiter (or Excel's `sep=` line) is read
 * from the head of the text only: enough of it to hold the header.
 */
function csvRecords(pieces: Iterable<string>, file: string): CsvStream {
  const text = normalised(pieces)[Symbol.iterator]();
  // the head: up to the header's end (the second line, after a possible sep= line)
  let head = '';
  let ended = false;
  while (!ended && (head.match(/\n/g)?.length ?? 0) < 2) {
    const next = text.next();
    if (next.done) ended = true;
    else head += next.value;
  }
  const prepared = prepareText(head);
  // Without `info: true`: building its object for each record (two spreads of every figure) was a
  // third of the parser's time; the line a record ends on is read from the parser as it is pushed.
  const parser = parse({ delimiter: prepared.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as { api?: CsvApi };
  const api = parser.api;
  if (typeof api?.parse !== 'function' || typeof api.info?.lines !== 'number') throw new Error('csv-parse no longer exposes its incremental parser (api.parse, api.info)');
  const parsed: CsvRecord[] = [];
  const feed = (data: string | undefined, end: boolean) => {
    let failure: Error | undefined;
    try {
      failure = api.parse(data === undefined ? undefined : Buffer.from(data, 'utf8'), end, (record) => parsed.push({ record, info: { lines: api.info.lines } }), () => {});
    } catch (error) {
      failure = error as Error;
    }
    if (failure) throw failure instanceof CsError ? failure : explainCsvError(failure, file, prepared.linesBefore);
  };
  function* records(): Generator<CsvRecord> {
    if (prepared.text !== '') feed(prepared.text, false);
    yield* parsed.splice(0);
    for (let next = text.next(); !next.done; next = text.next()) {
      feed(next.value, false);
      yield* parsed.splice(0);
    }
    feed(undefined, true);
    yield* parsed.splice(0);
  }
  return { delimiter: prepared.delimiter, linesBefore: prepared.linesBefore, records: records() };
}

/** The line a record starts on: csv-parse counts the line it ends on, and a quoted value may span several. */
function startLine(record: CsvRecord, linesBefore: number): number {
  return linesBefore + record.info.lines - record.record.reduce((count, value) => count + (value.includes('\n') ? value.split('\n').length - 1 : 0), 0);
}

function emptyBook(file: string): CsError {
  return inputError(said('csv.empty', { file }));
}

/**
 * How the start column writes its dates, from all of its values: a first read of the text that
 * keeps nothing but the first value settling it.
 */
function dateOrderOf(text: BookText, options: BookOptions): DateOrder {
  if (options.dateOrder) return options.dateOrder;
  if (options.dateFormat) return settleDateOrder([], options.dateFormat);
  const { records, linesBefore } = csvRecords(piecesOf(text), options.file);
  const first = records.next().value;
  if (!first) throw emptyBook(options.file);
  const columns = planColumns(first.record, options.map ?? {}, options.file);
  const index = columns.roles.start;
  if (index === undefined) return settleDateOrder([]);
  function* starts(start: number): Generator<{ line: number; value: string }> {
    for (const record of records) {
      if (record.record.length !== columns.header.length) continue;
      const value = cleanCell(record.record[start]!);
      if (value !== '') yield { line: startLine(record, linesBefore), value };
    }
  }
  return settleDateOrder(starts(index));
}

/**
 * Parses a book of business, given whole or in pieces. The header row is required; what its
 * columns mean comes from the recognised CRM shape and --map (see crm.ts). Empty lines and rows of
 * empty values are skipped. Every bad row is in `problems`, with its line.
 */
export function parseBook(text: BookText, options: BookOptions): Book {
  const dateOrder = dateOrderOf(text, options);
  const { records, delimiter, linesBefore } = csvRecords(piecesOf(text), options.file);
  const first = records.next().value;
  if (!first) throw emptyBook(options.file);
  const columns = planColumns(first.record, options.map ?? {}, options.file);
  const { roles } = columns;
  const rows: BookRow[] = [];
  const problems: LineProblem[] = [];
  // by playbook, then account (or record id): no string per pair, which a book of a million rows would feel
  const firstLineOf = new Map<string, Map<string, number>>();
  const firstLineOfRecord = new Map<string, Map<string, number>>();
  const linesIn = (maps: Map<string, Map<string, number>>, playbookId: string) => {
    let lines = maps.get(playbookId);
    if (!lines) maps.set(playbookId, (lines = new Map()));
    return lines;
  };
  const cell = (record: string[], role: Role) => (roles[role] === undefined ? '' : cleanCell(record[roles[role]]!));
  const idColumn = roles.id === undefined ? undefined : columns.header[roles.id]!;
  // a book has a handful of owners over thousands of rows: each one is checked once
  const ownerProblems = new Map<string, Said | undefined>();
  const ownerProblemOf = (owner: string) => {
    if (!ownerProblems.has(owner)) ownerProblems.set(owner, ownerProblem(owner));
    return ownerProblems.get(owner);
  };
  let complete = true;
  const letGo = (atEnd: boolean) => {
    const { hold } = options;
    if (!hold || (complete && problems.length === 0 && rows.length <= hold.maxRows)) return;
    const wasComplete = complete;
    complete = false;
    if (wasComplete || atEnd || rows.length >= CHECK_BATCH) problems.push(...hold.check(rows.splice(0)));
  };
  for (const parsed of records) {
    letGo(false);
    const { record } = parsed;
    if (record.every((value) => value.trim() === '')) continue;
    const line = startLine(parsed, linesBefore);
    const problemsBefore = problems.length;
    const problem = (message: string | Said) => problems.push({ line, message });
    if (record.length !== columns.header.length) {
      problem(said('csv.rowLength', { values: said('csv.values', { count: record.length }), columns: said('csv.columns', { count: columns.header.length }) }));
      continue;
    }
    const fields: Record<string, string> = {};
    for (const { index, name } of columns.fields) {
      const value = cleanCell(record[index]!);
      if (value === '') continue;
      if (name.toLowerCase() === ACCOUNT_LANG) {
        // the account's language, for its documents: vi, vi_VN, en…, stored as en or vi
        const lang = langOf(value);
        if (lang) fields[ACCOUNT_LANG] = lang;
        else problem(said('csv.badLang', { langs: LANGS.join(', '), value: JSON.stringify(value) }));
      } else fields[name] = value;
    }
    for (const index of columns.unnamed) if (cleanCell(record[index]!) !== '') problem(said('csv.unnamedColumn', { column: index + 1 }));
    let name: string | undefined;
    try {
      name = cleanAccountName(cell(record, 'name'));
    } catch (error) {
      problem((error as CsError).said ?? (error as Error).message);
    }
    const owner = cell(record, 'owner').replace(/\s+/gu, ' ');
    const badOwner = owner === '' ? undefined : ownerProblemOf(owner);
    if (badOwner) problem(badOwner);
    const playbookId = cell(record, 'playbook');
    let playbook: Playbook | undefined;
    if (playbookId === '') {
      const fallback = options.defaultPlaybook();
      if (typeof fallback === 'string') problem(fallback);
      else playbook = fallback;
    } else {
      playbook = options.playbook(playbookId);
      if (!playbook) problem(options.unknownPlaybook(playbookId));
    }
    const recordId = cell(record, 'id');
    if (recordId !== '' && hasControlCharacters(recordId)) problem(said('csv.recordControls', { id: JSON.stringify(recordId) }));
    const start = cell(record, 'start');
    const startDate = readStart(start, dateOrder, options);
    if ('problem' in startDate) problem(startDate.problem);
    if (name === undefined || !playbook) continue;
    const key = nameKey(name); // the name is clean already: accountKey would clean it again
    const linesOf = linesIn(firstLineOf, playbook.id);
    const earlier = linesOf.get(key);
    if (earlier !== undefined) {
      problem(said('csv.twice', { name: JSON.stringify(name), playbook: playbook.id, line: earlier }));
      continue;
    }
    linesOf.set(key, line);
    if (recordId !== '') {
      // one record is one account: the same id under two names is a mistake in the file
      const linesOfRecord = linesIn(firstLineOfRecord, playbook.id);
      const twin = linesOfRecord.get(recordId);
      if (twin !== undefined) {
        problem(said('csv.recordTwice', { id: JSON.stringify(recordId), playbook: playbook.id, line: twin }));
        continue;
      }
      linesOfRecord.set(recordId, line);
    }
    if (problems.length > problemsBefore || 'problem' in startDate) continue;
    rows.push({
      line,
      name,
      key,
      owner: owner === '' ? null : owner,
      playbook,
      startDate: startDate.date,
      startGiven: start !== '',
      fields,
      record: idColumn && recordId !== '' ? { column: idColumn, value: recordId } : null,
    });
  }
  letGo(true);
  problems.sort((a, b) => a.line - b.line);
  return { columns, delimiter, dateOrder, rows, problems, complete };
}
