/**
 * A book of business from a CRM export: CSV text → rows ready to start runs, every bad row reported
 * with the line it starts on. Pure: no I/O.
 */
import { parse } from 'csv-parse/sync';
import { CsError, inputError } from '../errors.js';
import type { Playbook } from '../playbook/types.js';
import type { BookRow, LineProblem } from './book.js';
import { planColumns, prepareText, settleDateOrder } from './crm.js';
import type { ColumnMap, ColumnPlan, DateOrder, PreparedText, Role } from './crm.js';
import { dayMonthParts, readCellDate, readDate } from './dates.js';
import type { DateFormat } from './dates.js';
import { accountKey, cleanAccountName, hasControlCharacters, ownerProblem } from './names.js';
import { plural } from './words.js';

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
}

export interface Book {
  /** What each column means, and how the text was saved (for the dry run). */
  columns: ColumnPlan;
  delimiter: PreparedText['delimiter'];
  dateOrder: DateOrder;
  rows: BookRow[];
  problems: LineProblem[];
}

function cleanCell(value: string): string {
  return value.normalize('NFC').trim();
}

/** csv-parse's own words, minus its internals, with the line it stopped on. */
function explainCsvError(error: unknown, file: string, linesBefore: number): CsError {
  const { code, message } = error as { code?: string; message?: string };
  const lines = (error as { lines?: number }).lines === undefined ? undefined : (error as { lines: number }).lines + linesBefore;
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed (a " is missing)',
    CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than the delimiter or the end of the line',
    CSV_INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted value',
  };
  const reason = (code && reasons[code]) ?? (message ?? String(error)).split('\n')[0];
  return inputError(`${file}${lines ? `:${lines}` : ''}: not valid CSV: ${reason}`, {
    hint: 'Values with commas, quotes or line breaks must be wrapped in double quotes, and a " inside them doubled ("").',
  });
}

/** Why a start cell could not be read, given how the column writes its dates. */
function startProblem(value: string, order: DateOrder, declared: DateFormat | undefined): string {
  const got = JSON.stringify(value);
  const slashed = dayMonthParts(value) !== undefined;
  if (slashed && order.kind === 'ambiguous') {
    return `start ${got} could be day/month or month/day, and no other date in the column settles it; say which with --date-format dd/mm/yyyy (or mm/dd/yyyy)`;
  }
  if (slashed && order.kind === 'month-first') {
    return `start ${got}: the column writes the month first (${JSON.stringify(order.value)} on line ${order.line} has no month ${dayMonthParts(order.value)![1]}); if that is meant, say so with --date-format mm/dd/yyyy`;
  }
  const format = order.kind === 'settled' ? order.format : 'yyyy-mm-dd';
  const forms = declared ? declared.toUpperCase() : format === 'yyyy-mm-dd' ? 'YYYY-MM-DD or DD/MM/YYYY' : `${format.toUpperCase()} or YYYY-MM-DD`;
  const because = order.kind === 'settled' && order.line !== undefined && slashed ? ` (the column's dates are day first: ${JSON.stringify(order.value)} on line ${order.line})` : '';
  return `start must be a real date written ${forms}${because}; got ${got}`;
}

/** A row read and checked, its start date not yet (that needs the whole column). */
type PendingRow = Omit<BookRow, 'startDate' | 'startGiven'> & { start: string };

/**
 * Parses a book of business. The header row is required; what its columns mean comes from the
 * recognised CRM shape and --map (see crm.ts). Empty lines and rows of empty values are skipped.
 * Every bad row is in `problems`, with its line.
 */
export function parseBook(raw: string, options: BookOptions): Book {
  const prepared = prepareText(raw);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(prepared.text, { delimiter: prepared.delimiter, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    throw explainCsvError(error, options.file, prepared.linesBefore);
  }
  const first = records[0];
  if (!first) throw inputError(`${options.file} is empty: expected a header row (name,owner,playbook,start, or a CRM export's) and a row per account`);
  const columns = planColumns(first.record, options.map ?? {}, options.file);
  const { roles } = columns;
  const pending: PendingRow[] = [];
  const problems: LineProblem[] = [];
  const firstLineOf = new Map<string, number>();
  const firstLineOfRecord = new Map<string, number>();
  const cell = (record: string[], role: Role) => (roles[role] === undefined ? '' : cleanCell(record[roles[role]]!));
  for (const { record, info } of records.slice(1)) {
    if (record.every((value) => value.trim() === '')) continue;
    // csv-parse counts the line a record ends on; a quoted value may span several.
    const line = prepared.linesBefore + info.lines - record.reduce((count, value) => count + (value.match(/\n/g)?.length ?? 0), 0);
    const problemsBefore = problems.length;
    const problem = (message: string) => problems.push({ line, message });
    if (record.length !== columns.header.length) {
      problem(`has ${plural(record.length, 'value')} but the header has ${plural(columns.header.length, 'column')}`);
      continue;
    }
    const fields: Record<string, string> = {};
    for (const { index, name } of columns.fields) {
      const value = cleanCell(record[index]!);
      if (value !== '') fields[name] = value;
    }
    for (const index of columns.unnamed) if (cleanCell(record[index]!) !== '') problem(`has a value in column ${index + 1}, which has no name in the header`);
    let name: string | undefined;
    try {
      name = cleanAccountName(cell(record, 'name'));
    } catch (error) {
      problem((error as Error).message);
    }
    const owner = cell(record, 'owner').replace(/\s+/gu, ' ');
    const badOwner = owner === '' ? undefined : ownerProblem(owner);
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
    if (recordId !== '' && hasControlCharacters(recordId)) problem(`the record id ${JSON.stringify(recordId)} contains control characters`);
    if (name === undefined || !playbook) continue;
    const key = accountKey(name);
    const pair = `${playbook.id}\u0000${key}`;
    const earlier = firstLineOf.get(pair);
    if (earlier !== undefined) {
      problem(`${JSON.stringify(name)} already has a row for ${playbook.id} on line ${earlier}; one account gets one run of a playbook`);
      continue;
    }
    firstLineOf.set(pair, line);
    if (recordId !== '') {
      // one record is one account: the same id under two names is a mistake in the file
      const pairOfRecord = `${playbook.id}\u0000${recordId}`;
      const twin = firstLineOfRecord.get(pairOfRecord);
      if (twin !== undefined) {
        problem(`the record id ${JSON.stringify(recordId)} already has a row for ${playbook.id} on line ${twin}`);
        continue;
      }
      firstLineOfRecord.set(pairOfRecord, line);
    }
    if (problems.length > problemsBefore) continue;
    const column = roles.id === undefined ? undefined : columns.header[roles.id]!;
    pending.push({ line, name, key, owner: owner === '' ? null : owner, playbook, start: cell(record, 'start'), fields, record: column && recordId !== '' ? { column, value: recordId } : null });
  }
  const dateOrder = settleDateOrder(
    pending.filter((row) => row.start !== '').map((row) => ({ line: row.line, value: row.start })),
    options.dateFormat,
  );
  const rows: BookRow[] = [];
  for (const { start, ...row } of pending) {
    let startDate: string | undefined;
    let message: string | undefined;
    if (start === '') startDate = options.today;
    else if (dayMonthParts(start) !== undefined) {
      startDate = dateOrder.kind === 'settled' ? readCellDate(start, dateOrder.format) : undefined;
      if (startDate === undefined) message = startProblem(start, dateOrder, options.dateFormat);
    } else {
      // ISO (a CRM's time of day after it ignored), or what the one date parser reads (today, +3d…)
      startDate = readCellDate(start, 'yyyy-mm-dd'); // ISO is never ambiguous, whatever --date-format says
      if (startDate === undefined) {
        const reading = readDate(start, options.today);
        if (reading.problem === undefined) startDate = reading.date;
        else message = `start: ${reading.problem}`;
      }
    }
    if (startDate === undefined) problems.push({ line: row.line, message: message ?? startProblem(start, dateOrder, options.dateFormat) });
    else rows.push({ ...row, startDate, startGiven: start !== '' });
  }
  problems.sort((a, b) => a.line - b.line);
  return { columns, delimiter: prepared.delimiter, dateOrder, rows, problems };
}
