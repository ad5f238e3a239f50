/**
 * What a CRM export's columns mean. HubSpot, Salesforce, Pipedrive and Zoho are recognised by their
 * headers; cs's own `name,owner,playbook,start` likewise; `--map role=Column,…` names the columns of
 * anything else (or corrects a recognised shape). And how a spreadsheet saved the text: its
 * delimiter (`,` `;` or tab, or Excel's `sep=` first line), a BOM, CR-only line ends. Pure: no I/O.
 */
import { inputError } from '../errors.js';
import { said } from '../i18n/messages.js';
import { DATE_FORMATS, dayMonthParts } from './dates.js';
import type { DateFormat } from './dates.js';

/** What a column can mean to an import; any other column is kept as an account field. */
export const ROLES = ['name', 'owner', 'playbook', 'start', 'id'] as const;
export type Role = (typeof ROLES)[number];

export interface CrmShape {
  id: 'cs' | 'hubspot' | 'salesforce' | 'pipedrive' | 'zoho';
  title: string;
  /** Headers an export of this shape always has (any case); all must be present. */
  signature: string[];
  /** The headers each role is read from, first found wins (any case). */
  columns: Partial<Record<Role, string[]>>;
}

/**
 * The exports as each CRM writes them: HubSpot's companies export, a Salesforce accounts report,
 * Pipedrive's organizations export, Zoho CRM's accounts export. The start date is the record's
 * creation date (a customer being onboarded was created in the CRM when the deal closed); `--map
 * start=` starts every run today instead, `--map start=Close Date` reads another column.
 */
export const CRM_SHAPES: readonly CrmShape[] = [
  {
    id: 'hubspot',
    title: 'HubSpot',
    signature: ['Record ID', 'Company name'],
    columns: { id: ['Record ID'], name: ['Company name'], owner: ['Company owner', 'HubSpot Owner'], start: ['Create Date'] },
  },
  {
    id: 'zoho',
    title: 'Zoho CRM',
    signature: ['Record Id', 'Account Name'],
    columns: { id: ['Record Id'], name: ['Account Name'], owner: ['Account Owner'], start: ['Created Time'] },
  },
  {
    id: 'salesforce',
    title: 'Salesforce',
    signature: ['Account Name', 'Account ID'],
    columns: { id: ['Account ID', 'Account ID (18)'], name: ['Account Name'], owner: ['Account Owner'], start: ['Created Date'] },
  },
  {
    id: 'pipedrive',
    title: 'Pipedrive',
    signature: ['Organization - ID', 'Organization - Name'],
    columns: {
      id: ['Organization - ID'],
      name: ['Organization - Name'],
      owner: ['Organization - Owner'],
      start: ['Organization - Organization created', 'Organization - Add time'],
    },
  },
  {
    id: 'cs',
    title: 'cs',
    signature: ['name'],
    columns: { name: ['name'], owner: ['owner'], playbook: ['playbook'], start: ['start'], id: ['id'] },
  },
];

/** `--map` as given: a column for each role it names; null where it says `role=` (no column). */
export type ColumnMap = Partial<Record<Role, string | null>>;

/** A header cell as it is matched: NFC, trimmed, any case. */
export function headerKey(cell: string): string {
  return cell.normalize('NFC').trim().toLowerCase();
}

/** Parses `--map 'name=Company name,owner=Company owner,start=Close Date'`; refuses (exit 2) what it cannot read. */
export function parseColumnMap(spec: string): ColumnMap {
  const map: ColumnMap = {};
  const example = "--map 'name=Company name,owner=Company owner,start=Close Date'";
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    const role = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase() as Role;
    if (equals < 0) throw inputError(said('crm.mapNoEquals', { part: part.trim() }), { hint: said('crm.mapExample', { example }) });
    if (!ROLES.includes(role)) {
      throw inputError(said('crm.mapUnknownRole', { role: part.slice(0, equals).trim(), roles: ROLES.join(', ') }), {
        hint: said('crm.mapUnknownRoleHint', { example }),
      });
    }
    if (role in map) throw inputError(said('crm.mapTwice', { role }));
    const column = part.slice(equals + 1).normalize('NFC').trim();
    map[role] = column === '' ? null : column;
  }
  if (Object.keys(map).length === 0) throw inputError(said('crm.mapEmpty'), { hint: said('crm.mapExample', { example }) });
  return map;
}

/** What each column of a file means, and where that came from (for the dry run). */
export interface ColumnPlan {
  /** The recognised shape, or undefined when --map alone named the columns. */
  shape: CrmShape | undefined;
  /** The header as written (trimmed, NFC). */
  header: string[];
  /** Index in the row of each role's column. */
  roles: Partial<Record<Role, number>>;
  /** Roles --map named (the others come from the shape). */
  mapped: Role[];
  /** Columns kept as account fields (the record id's among them, under its header). */
  fields: { index: number; name: string }[];
  /** Columns with an empty header (a value under one is a bad row). */
  unnamed: number[];
}

/** The first shape whose signature headers are all present. */
export function recogniseShape(header: readonly string[]): CrmShape | undefined {
  const keys = new Set(header.map(headerKey));
  return CRM_SHAPES.find((shape) => shape.signature.every((column) => keys.has(headerKey(column))));
}

/**
 * Reads the header of `file`: which column is the name, owner, playbook, start date and record id,
 * by the recognised shape and `map`; the rest are fields. Refuses a header naming a column twice, a
 * --map column the header lacks, and a header with no column for the account name.
 */
export function planColumns(rawHeader: readonly string[], map: ColumnMap, file: string): ColumnPlan {
  const header = rawHeader.map((cell) => cell.normalize('NFC').trim());
  const index = new Map<string, number>();
  header.forEach((name, position) => {
    if (name === '') return;
    const twin = index.get(headerKey(name));
    if (twin !== undefined) throw inputError(said('crm.headerTwice', { file, name, first: twin + 1, second: position + 1 }));
    index.set(headerKey(name), position);
  });
  const shape = recogniseShape(header);
  const roles: Partial<Record<Role, number>> = {};
  for (const role of ROLES) {
    const found = shape?.columns[role]?.map((column) => index.get(headerKey(column))).find((position) => position !== undefined);
    if (found !== undefined) roles[role] = found;
  }
  const mapped = Object.keys(map) as Role[];
  for (const role of mapped) {
    const column = map[role];
    if (column === null || column === undefined) {
      delete roles[role];
      continue;
    }
    const position = index.get(headerKey(column));
    if (position === undefined) {
      throw inputError(said('crm.mapNoColumn', { role, column, file }), { details: [said('crm.itsColumns', { columns: header.filter(Boolean).map((cell) => JSON.stringify(cell)).join(', ') })] });
    }
    roles[role] = position;
  }
  const used = new Map<number, Role>();
  for (const role of ROLES) {
    const position = roles[role];
    if (position === undefined) continue;
    const other = used.get(position);
    if (other) throw inputError(said('crm.mappedTwice', { file, column: header[position]!, first: other, second: role }));
    used.set(position, role);
  }
  if (roles.name === undefined) {
    throw inputError(said('crm.noNameColumn', { file }), {
      details: [said('crm.found', { cells: rawHeader.map((cell) => JSON.stringify(cell)).join(', ') })],
      hint: said('crm.noNameColumnHint'),
    });
  }
  // The record id is kept as a field too: `cs accounts show` lists it, the next import matches by it.
  const fields = header.flatMap((name, position) => (name !== '' && (!used.has(position) || used.get(position) === 'id') ? [{ index: position, name }] : []));
  const unnamed = header.flatMap((name, position) => (name === '' && !used.has(position) ? [position] : []));
  return { shape, header, roles, mapped, fields, unnamed };
}

/** How a spreadsheet saved the text, and the text in one convention (LF, no BOM, no sep= line). */
export interface PreparedText {
  text: string;
  delimiter: ',' | ';' | '\t';
  /** Lines taken off the top (Excel's `sep=` line), added back to every line number. */
  linesBefore: number;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter most used in the header, outside quotes (a comma when none is). */
function headerDelimiter(text: string): PreparedText['delimiter'] {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') break;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: PreparedText['delimiter'] = ',';
  for (const delimiter of DELIMITERS) if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/**
 * Takes off a BOM, turns CRLF and lone CR into LF (one convention, so that line numbers and values
 * with line breaks are the same whatever system exported the file), reads and drops Excel's
 * `sep=;` line, and otherwise picks the delimiter the header uses most.
 */
export function prepareText(raw: string): PreparedText {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const sep = /^"?sep=(.)"?[,;\t]*(?:\n|$)/i.exec(text);
  if (sep) {
    const char = sep[1] === '\t' ? '\t' : sep[1]!;
    if (!(DELIMITERS as readonly string[]).includes(char)) throw inputError(said('crm.badSep', { char }));
    return { text: text.slice(sep[0].length), delimiter: char as PreparedText['delimiter'], linesBefore: 1 };
  }
  return { text, delimiter: headerDelimiter(text), linesBefore: 0 };
}

/**
 * How a start-date column writes its dates, decided from all of its values. ISO dates are read as
 * they are. Dates with slashes are day first (dd/mm/yyyy, as Vietnamese and European settings save
 * them) when a value settles it (a first number over 12, as in 20/11/2026). A value that can only
 * be month first (11/20/2026) makes the column month first, which is refused unless
 * `--date-format mm/dd/yyyy` says so; and when no value settles the order (03/04/2026 and the
 * like, every number 12 or under), neither order is guessed: `--date-format` must say which.
 */
export type DateOrder =
  | { kind: 'settled'; format: DateFormat; line?: number; value?: string }
  | { kind: 'month-first'; line: number; value: string }
  | { kind: 'ambiguous' };

export function settleDateOrder(values: Iterable<{ line: number; value: string }>, declared?: DateFormat): DateOrder {
  if (declared) return { kind: 'settled', format: declared };
  let dayFirst: { line: number; value: string } | undefined;
  let monthFirst: { line: number; value: string } | undefined;
  let slashed = false;
  for (const cell of values) {
    const parts = dayMonthParts(cell.value);
    if (!parts) continue;
    slashed = true;
    if (parts[0] > 12 && parts[1] <= 12) dayFirst ??= cell;
    else if (parts[1] > 12 && parts[0] <= 12) monthFirst ??= cell;
  }
  if (dayFirst) return { kind: 'settled', format: 'dd/mm/yyyy', ...dayFirst };
  if (monthFirst) return { kind: 'month-first', ...monthFirst };
  return slashed ? { kind: 'ambiguous' } : { kind: 'settled', format: 'yyyy-mm-dd' };
}

/** Reads `--date-format`: one of DATE_FORMATS, any case. */
export function parseDateFormat(value: string): DateFormat {
  const format = value.trim().toLowerCase() as DateFormat;
  if (!DATE_FORMATS.includes(format)) throw inputError(said('crm.badDateFormat', { formats: DATE_FORMATS.join(', '), value: JSON.stringify(value) }));
  return format;
}
