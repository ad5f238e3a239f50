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
import { DATE_FORMS, readDate } from './dates.js';
import { accountKey, cleanAccountName, ownerProblem } from './names.js';
import { plural } from './words.js';

/** Columns with a meaning; any other column is kept as an account field. */
export const BOOK_COLUMNS = ['name', 'owner', 'playbook', 'start'] as const;
const REQUIRED_COLUMNS = ['name', 'playbook'] as const;

export interface BookOptions {
  /** The run's day 0 when the start column is empty. */
  today: string;
  playbook(id: string): Playbook | undefined;
  /** What to say about an id `playbook` does not know (with a "did you mean", ideally). */
  unknownPlaybook(id: string): string;
  /** How the file is named in messages. */
  file: string;
  /**
   * For a file of any size: keep at most `maxRows` rows, and none once a row has a problem. The rows
   * not kept are handed to `check` in batches (to find their conflicts with what is stored, so that
   * every problem is listed at once) and let go; the book is then not `complete`, and a caller that
   * needs its rows reads the file again. Without it every good row is kept.
   */
  hold?: { maxRows: number; check(rows: BookRow[]): LineProblem[] };
}

export interface Book {
  /** The header as written (trimmed, NFC). */
  columns: string[];
  rows: BookRow[];
  problems: LineProblem[];
  /** False when rows were let go (see BookOptions.hold). */
  complete: boolean;
}

/** Rows handed to BookOptions.hold.check at a time. */
const CHECK_BATCH = 5_000;

type Column = { kind: 'known'; name: (typeof BOOK_COLUMNS)[number] } | { kind: 'field'; name: string } | { kind: 'unnamed' };

function cleanCell(value: string): string {
  return value.normalize('NFC').trim();
}

function readHeader(header: string[], file: string): Column[] {
  const seen = new Map<string, number>();
  const columns = header.map((raw, index): Column => {
    const name = cleanCell(raw);
    if (name === '') return { kind: 'unnamed' };
    const folded = name.toLowerCase();
    const twin = seen.get(folded);
    if (twin !== undefined) throw inputError(`${file}:1: the header names the column "${name}" twice (columns ${twin + 1} and ${index + 1})`);
    seen.set(folded, index);
    const known = BOOK_COLUMNS.find((column) => column === folded);
    return known ? { kind: 'known', name: known } : { kind: 'field', name };
  });
  const missing = REQUIRED_COLUMNS.filter((required) => !seen.has(required));
  if (missing.length > 0) {
    throw inputError(`${file}:1: the first row must be a header with the columns ${BOOK_COLUMNS.join(',')}; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing`, {
      details: [`found: ${header.map((cell) => JSON.stringify(cell)).join(', ')}`],
      hint: `name and playbook are required; owner and start (${DATE_FORMS}; empty for today) are optional; any other column is kept as an account field.`,
    });
  }
  return columns;
}

/** csv-parse's own words, minus its internals, with the line it stopped on. */
function explainCsvError(error: unknown, file: string): CsError {
  const { code, lines, message } = error as { code?: string; lines?: number; message?: string };
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed (a " is missing)',
    CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than a comma or the end of the line',
    CSV_INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted value',
  };
  const reason = (code && reasons[code]) ?? (message ?? String(error)).split('\n')[0];
  return inputError(`${file}${lines ? `:${lines}` : ''}: not valid CSV: ${reason}`, {
    hint: 'Values with commas, quotes or line breaks must be wrapped in double quotes, and a " inside them doubled ("").',
  });
}

/** csv-parse's incremental parser: what its stream and its sync parse are both built on. */
interface CsvApi {
  parse(data: Buffer | undefined, end: boolean, push: (record: CsvRecord) => void, close: () => void): Error | undefined;
}
type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * The records of `pieces`, parsed as the pieces come. One line-ending convention, so line numbers
 * and values with line breaks are the same whatever system exported the file (CRLF from Excel, LF,
 * or a lone CR); a CR ending one piece may pair with an LF starting the next.
 */
function* csvRecords(pieces: string | Iterable<string>, file: string): Generator<CsvRecord> {
  const parser = parse({ info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as { api?: CsvApi };
  const api = parser.api;
  if (typeof api?.parse !== 'function') throw new Error('csv-parse no longer exposes its incremental parser (api.parse)');
  const parsed: CsvRecord[] = [];
  const feed = (data: Buffer | undefined, end: boolean) => {
    let failure: Error | undefined;
    try {
      failure = api.parse(data, end, (record) => parsed.push(record), () => {});
    } catch (error) {
      failure = error as Error;
    }
    if (failure) throw failure instanceof CsError ? failure : explainCsvError(failure, file);
  };
  let carriedCr = false;
  let first = true;
  for (let piece of typeof pieces === 'string' ? [pieces] : pieces) {
    if (first && piece !== '') {
      piece = piece.replace(/^\uFEFF/, '');
      first = false;
    }
    if (carriedCr) piece = `\r${piece}`;
    carriedCr = piece.endsWith('\r');
    if (carriedCr) piece = piece.slice(0, -1);
    if (piece !== '') feed(Buffer.from(piece.replace(/\r\n?/g, '\n'), 'utf8'), false);
    yield* parsed.splice(0);
  }
  feed(carriedCr ? Buffer.from('\n') : undefined, true);
  yield* parsed.splice(0);
}

/**
 * Parses a book of business, given whole or in pieces. The header row is required; columns are
 * matched by name (any case). Empty lines and rows of empty values are skipped. Every bad row is in
 * `problems`, with its line.
 */
export function parseBook(text: string | Iterable<string>, options: BookOptions): Book {
  const records = csvRecords(text, options.file);
  const first = records.next().value;
  if (!first) throw inputError(`${options.file} is empty: expected a header row ${BOOK_COLUMNS.join(',')} and a row per account`);
  const columns = readHeader(first.record, options.file);
  const rows: BookRow[] = [];
  const problems: LineProblem[] = [];
  // by playbook, then account: no string per pair, which a book of a million rows would feel
  const firstLineOf = new Map<string, Map<string, number>>();
  let complete = true;
  const letGo = (atEnd: boolean) => {
    const { hold } = options;
    if (!hold || (complete && problems.length === 0 && rows.length <= hold.maxRows)) return;
    const wasComplete = complete;
    complete = false;
    if (wasComplete || atEnd || rows.length >= CHECK_BATCH) problems.push(...hold.check(rows.splice(0)));
  };
  for (const { record, info } of records) {
    letGo(false);
    if (record.every((value) => value.trim() === '')) continue;
    // csv-parse counts the line a record ends on; a quoted value may span several.
    const line = info.lines - record.reduce((count, value) => count + (value.includes('\n') ? value.split('\n').length - 1 : 0), 0);
    const problemsBefore = problems.length;
    const problem = (message: string) => problems.push({ line, message });
    if (record.length !== columns.length) {
      problem(`has ${plural(record.length, 'value')} but the header has ${plural(columns.length, 'column')}`);
      continue;
    }
    const known: Partial<Record<(typeof BOOK_COLUMNS)[number], string>> = {};
    const fields: Record<string, string> = {};
    columns.forEach((column, index) => {
      const value = cleanCell(record[index]!);
      if (column.kind === 'known') known[column.name] = value;
      else if (value === '') return;
      else if (column.kind === 'field' && column.name.toLowerCase() === ACCOUNT_LANG) {
        // the account's language, for its documents: vi, vi_VN, en…, stored as en or vi
        const lang = langOf(value);
        if (lang) fields[ACCOUNT_LANG] = lang;
        else problem(`lang must be one of ${LANGS.join(', ')}; got ${JSON.stringify(value)}`);
      } else if (column.kind === 'field') fields[column.name] = value;
      else problem(`has a value in column ${index + 1}, which has no name in the header`);
    });
    let name: string | undefined;
    try {
      name = cleanAccountName(known.name ?? '');
    } catch (error) {
      problem((error as Error).message);
    }
    const owner = (known.owner ?? '').replace(/\s+/gu, ' ');
    const badOwner = owner === '' ? undefined : ownerProblem(owner);
    if (badOwner) problem(badOwner);
    const playbookId = known.playbook ?? '';
    const playbook = playbookId === '' ? undefined : options.playbook(playbookId);
    if (playbookId === '') problem('the playbook is empty');
    else if (!playbook) problem(options.unknownPlaybook(playbookId));
    const start = known.start ?? '';
    const startDate = start === '' ? options.today : readDate(start, options.today);
    if (typeof startDate !== 'string' && startDate.problem !== undefined) problem(`start: ${startDate.problem}`);
    if (name === undefined || !playbook) continue;
    const key = accountKey(name);
    let linesOf = firstLineOf.get(playbook.id);
    if (!linesOf) firstLineOf.set(playbook.id, (linesOf = new Map()));
    const earlier = linesOf.get(key);
    if (earlier !== undefined) {
      problem(`${JSON.stringify(name)} already has a row for ${playbook.id} on line ${earlier}; one account gets one run of a playbook`);
      continue;
    }
    linesOf.set(key, line);
    if (problems.length > problemsBefore) continue;
    rows.push({ line, name, key, owner: owner === '' ? null : owner, playbook, startDate: typeof startDate === 'string' ? startDate : startDate.date!, fields });
  }
  letGo(true);
  return { columns: first.record.map(cleanCell), rows, problems, complete };
}

