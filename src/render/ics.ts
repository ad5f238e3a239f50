/**
 * The agenda as an iCalendar file (`cs agenda --ics`): one all-day VEVENT per open step (Google
 * Calendar and Outlook ignore VTODO). A step's UID is made of the database's identity, the run and
 * the step, so importing a later export updates the events instead of duplicating them; SEQUENCE is
 * how many times the step's due date moved, so calendars take the new date. Written by
 * ical-generator (loaded only by this module), except for the folding of long lines: its folder
 * allocates a TextEncoder per character, which took 30 s for the 38,000 events of a large book.
 */
import { ICalCalendar, ICalEvent } from 'ical-generator';
import { addOffset } from '../engine/dates.js';
import type { Lang } from '../i18n/lang.js';
import type { CalendarExport, CalendarEntry } from '../store/store.js';

/** Control characters other than newline and tab have no place in a calendar's text. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

export function eventUid(databaseId: string, entry: Pick<CalendarEntry, 'runId' | 'stepId'>): string {
  return `cs-${entry.runId}-${entry.stepId}@${databaseId}`;
}

const MAX_OCTETS = 75;

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * RFC 5545, 3.1: a content line longer than 75 octets goes on in lines that start with a space,
 * never inside a character's UTF-8 bytes.
 */
export function foldLine(line: string): string {
  if (line.length <= MAX_OCTETS / 4 || Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  let folded = '';
  let octets = 0;
  let start = 0;
  let index = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!);
    if (octets + size > MAX_OCTETS) {
      folded += `${line.slice(start, index)}\r\n `;
      start = index;
      octets = 1; // the space that starts the continuation line
    }
    octets += size;
    index += char.length;
  }
  return folded + line.slice(start);
}

function foldLines(text: string): string {
  return text
    .split('\r\n')
    .map(foldLine)
    .join('\r\n');
}

export interface IcsOptions {
  /** The description's last line: what to type to go on, e.g. `cs resume "Acme" --run 3`, said in `lang`. */
  resumeLine: (entry: CalendarEntry) => string;
  /** The language the events' text is in (the interface's: the calendar is the user's own). */
  lang?: Lang;
  /** DTSTAMP of every event (the export's moment). */
  stamp?: Date;
}

/** The day after `date` (an all-day event's DTEND is exclusive), worked out once per date. */
function dayAfter(cache: Map<string, string>, date: string): string {
  let next = cache.get(date);
  if (next === undefined) cache.set(date, (next = addOffset(date, '1d')));
  return next;
}

/** Events per chunk of agendaIcs: a whole book's plan (130,000 events) is never one string. */
const EVENTS_PER_CHUNK = 1_000;

/** The calendar file, in chunks to be written one after the other. */
export function* agendaIcs(calendar: CalendarExport, options: IcsOptions): Generator<string> {
  const stamp = options.stamp ?? new Date();
  const ends = new Map<string, string>();
  const file = new ICalCalendar({ name: 'cs agenda', prodId: { company: 'cs', product: 'agenda', language: (options.lang ?? 'en').toUpperCase() } });
  // the calendar's own lines, with the events written one by one into it (see foldLine)
  const frame = file.toString();
  const end = frame.lastIndexOf('END:VCALENDAR');
  yield frame.slice(0, end);
  let events: string[] = [];
  for (const entry of calendar.entries) {
    const description = [entry.guide?.trim(), options.resumeLine(entry)].filter(Boolean).join('\n\n');
    const event = new ICalEvent({
      id: eventUid(calendar.databaseId, entry),
      sequence: entry.sequence,
      stamp,
      // dates as text: a Date would be turned into the UTC day, a day early east of Greenwich
      start: entry.due,
      end: dayAfter(ends, entry.due),
      allDay: true,
      summary: clean(`${entry.account} — ${entry.step}`),
      description: clean(description),
      categories: [{ name: clean(entry.playbookTitle) }],
    }, file);
    events.push(foldLines(event.toString()));
    if (events.length === EVENTS_PER_CHUNK) {
      yield events.join('');
      events = [];
    }
  }
  yield `${events.join('')}${frame.slice(end)}\r\n`;
}
