/**
 * The agenda as an iCalendar file (`cs agenda --ics`): one all-day VEVENT per open step (Google
 * Calendar and Outlook ignore VTODO). A step's UID is made of the database's identity, the run and
 * the step, so importing a later export updates the events instead of duplicating them; SEQUENCE is
 * how many times the step's due date moved, so calendars take the new date. Written by
 * ical-generator (loaded only by this module).
 */
import { ICalCalendar } from 'ical-generator';
import { addOffset } from '../engine/dates.js';
import type { CalendarExport, CalendarEntry } from '../store/store.js';

/** Control characters other than newline and tab have no place in a calendar's text. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

export function eventUid(databaseId: string, entry: Pick<CalendarEntry, 'runId' | 'stepId'>): string {
  return `cs-${entry.runId}-${entry.stepId}@${databaseId}`;
}

export interface IcsOptions {
  /** What the description's last line tells the user to type, e.g. `cs resume "Acme" --run 3`. */
  resumeLine: (entry: CalendarEntry) => string;
  /** DTSTAMP of every event (the export's moment). */
  stamp?: Date;
}

export function agendaIcs(calendar: CalendarExport, options: IcsOptions): string {
  const stamp = options.stamp ?? new Date();
  const file = new ICalCalendar({ name: 'cs agenda', prodId: { company: 'cs', product: 'agenda', language: 'EN' } });
  for (const entry of calendar.entries) {
    const description = [entry.guide?.trim(), options.resumeLine(entry)].filter(Boolean).join('\n\n');
    file.createEvent({
      id: eventUid(calendar.databaseId, entry),
      sequence: entry.sequence,
      stamp,
      // dates as text: a Date would be turned into the UTC day, a day early east of Greenwich
      start: entry.due,
      end: addOffset(entry.due, '1d'),
      allDay: true,
      summary: clean(`${entry.account} — ${entry.step}`),
      description: clean(description),
      categories: [{ name: clean(entry.playbookTitle) }],
    });
  }
  return file.toString();
}
