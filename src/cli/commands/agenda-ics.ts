/**
 * `cs agenda --ics FILE|-`: the agenda as an iCalendar file (see src/render/ics.ts). It speaks the
 * interface's language, not the accounts': the file goes to the user's own calendar. Titles and
 * guides come from each playbook's translation, translated once per playbook (titles.ts).
 */
import { checkOutput, writeOutput } from '../../files/output.js';
import { isIsoDate } from '../../engine/dates.js';
import { t, uiLang } from '../../i18n/messages.js';
import { agendaIcs } from '../../render/ics.js';
import type { AgendaQuery, CalendarEntry, Store } from '../../store/store.js';
import type { Context } from '../context.js';
import { csCommand, shellArgument } from '../format.js';
import { titlesInUserLanguage } from '../titles.js';

/** The entries with their playbook's and step's title and the step's guide in the interface's language. */
async function inUserLanguage(context: Context, entries: CalendarEntry[]): Promise<CalendarEntry[]> {
  if (uiLang() === 'en' || entries.length === 0) return entries;
  const titles = await titlesInUserLanguage(context.env, new Set(entries.map((entry) => entry.playbookId)));
  return entries.map((entry) => ({
    ...entry,
    playbookTitle: titles.playbook(entry.playbookId, entry.playbookTitle),
    step: titles.step(entry.playbookId, entry.stepId, entry.step),
    guide: titles.guide(entry.playbookId, entry.stepId, entry.guide),
  }));
}

export async function exportIcs(context: Context, store: Store, query: AgendaQuery, target: string, force: boolean | undefined): Promise<void> {
  const toStdout = target === '-';
  const outOptions = { force, protect: [store.path] };
  if (!toStdout) checkOutput(target, outOptions);
  const found = await store.calendar(query);
  // a due date that is no date (written by an older cs from an impossible start) has no day to go on
  const unreadable = found.entries.filter((entry) => !isIsoDate(entry.due));
  const readable = unreadable.length === 0 ? found.entries : found.entries.filter((entry) => isIsoDate(entry.due));
  const calendar = { ...found, entries: await inUserLanguage(context, readable) };
  if (unreadable.length > 0) {
    const runs = [...new Set(unreadable.map((entry) => t('ics.unreadableRun', { account: entry.account, run: entry.runId, due: entry.due })))];
    context.ui.err(context.ui.style.yellow(t('ics.unreadable', { count: unreadable.length, runs: runs.join(', ') })));
  }
  const cs = csCommand(context.env);
  // the sentence said once, around a marker: each event only puts its command in (a book has 130,000)
  const [before, after] = t('ics.resume', { command: '\u0000' }).split('\u0000') as [string, string];
  const ics = agendaIcs(calendar, { resumeLine: (entry) => `${before}${cs} resume ${shellArgument(entry.account)} --run ${entry.runId}${after}`, lang: uiLang() });
  if (toStdout) {
    for (const chunk of ics) context.ui.document(chunk);
    return;
  }
  writeOutput(target, ics, outOptions);
  context.ui.out(`${context.ui.style.green('✓')} ${t('ics.wrote', { file: target, count: calendar.entries.length })}`);
}
