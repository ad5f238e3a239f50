/** `cs agenda --ics FILE|-`: the agenda as an iCalendar file (see src/render/ics.ts). */
import { checkOutput, writeOutput } from '../../files/output.js';
import { isIsoDate } from '../../engine/dates.js';
import { plural } from '../../engine/words.js';
import { agendaIcs } from '../../render/ics.js';
import type { AgendaQuery, Store } from '../../store/store.js';
import type { Context } from '../context.js';
import { csCommand, shellArgument } from '../format.js';

export async function exportIcs(context: Context, store: Store, query: AgendaQuery, target: string, force: boolean | undefined): Promise<void> {
  const toStdout = target === '-';
  const outOptions = { force, protect: [store.path] };
  if (!toStdout) checkOutput(target, outOptions);
  const found = await store.calendar(query);
  // a due date that is no date (written by an older cs from an impossible start) has no day to go on
  const unreadable = found.entries.filter((entry) => !isIsoDate(entry.due));
  const calendar = unreadable.length === 0 ? found : { ...found, entries: found.entries.filter((entry) => isIsoDate(entry.due)) };
  if (unreadable.length > 0) {
    const runs = [...new Set(unreadable.map((entry) => `${entry.account} (run #${entry.runId}, due ${entry.due})`))];
    context.ui.err(context.ui.style.yellow(`warning: left out ${plural(unreadable.length, 'step')} whose due date is not a date: ${runs.join(', ')}`));
  }
  const cs = csCommand(context.env);
  const ics = agendaIcs(calendar, { resumeLine: (entry) => `${cs} resume ${shellArgument(entry.account)} --run ${entry.runId}` });
  if (toStdout) {
    for (const chunk of ics) context.ui.document(chunk);
    return;
  }
  writeOutput(target, ics, outOptions);
  context.ui.out(`${context.ui.style.green('✓')} Wrote ${target} (${plural(calendar.entries.length, 'event')}, all-day; importing it again updates them)`);
}
