/** `cs agenda --team`: everyone's steps, one section a person (team members by name, then other owners, then steps nobody owns). */
import { summariseAgenda } from '../../engine/agenda.js';
import type { AgendaDay } from '../../engine/agenda.js';
import { compareNames } from '../../engine/names.js';
import { t } from '../../i18n/messages.js';
import { identityKeys, ownerLabel, parsePerson } from '../../people/person.js';
import type { Directory, Person } from '../../people/person.js';
import type { AgendaEntry } from '../../store/store.js';
import type { Context } from '../context.js';
import type { TextOptions } from './agenda.js';

interface Section {
  label: string;
  /** 0: a person of the team (or the acting user), 1: an owner cs knows only by name, 2: nobody. */
  rank: number;
  days: AgendaDay<AgendaEntry>[];
}

interface Printers {
  /** The terminal's height, or undefined for every step (a pipe, --all). */
  screen: number | undefined;
  steps(context: Context, days: Iterable<AgendaDay<AgendaEntry>>, options: TextOptions): Promise<void>;
  summary(context: Context, summed: ReturnType<typeof summariseAgenda>, options: TextOptions): Promise<void>;
}

/** Who a stored owner is, as a section: the directory's person it means, else the owner as written. */
function sectionOf(owner: string | null, directory: Directory, known: Map<string, Person>): { key: string; label: string; rank: number } {
  if (owner === null) return { key: '', label: t('agenda.nobody'), rank: 2 };
  const typed = parsePerson(owner);
  const keys = typed ? identityKeys(typed) : [];
  for (const key of keys) {
    const person = known.get(key);
    if (person) return { key: `0${person.handle ?? person.name}`, label: person.handle && person.handle !== person.name ? `${person.name} (${person.handle})` : person.name, rank: 0 };
  }
  const label = ownerLabel(owner, directory) ?? owner;
  return { key: `1${keys[0] ?? owner}`, label, rank: 1 };
}

export async function agendaByPerson(context: Context, grouped: Iterable<AgendaDay<AgendaEntry>>, options: TextOptions, printers: Printers): Promise<void> {
  const { ui } = context;
  const known = new Map<string, Person>();
  for (const person of options.people) for (const key of identityKeys(person)) known.set(key, person);
  const sections = new Map<string, Section>();
  const byOwner = new Map<string | null, Section>();
  for (const day of grouped) {
    for (const entry of day.items) {
      let section = byOwner.get(entry.owner);
      if (!section) {
        const { key, label, rank } = sectionOf(entry.owner, options.people, known);
        section = sections.get(key) ?? { label, rank, days: [] };
        sections.set(key, section);
        byOwner.set(entry.owner, section);
      }
      const last = section.days[section.days.length - 1];
      if (last?.due === day.due) last.items.push(entry);
      else section.days.push({ due: day.due, daysOverdue: day.daysOverdue, items: [entry] });
    }
  }
  if (sections.size === 0) {
    ui.out(t('agenda.nothing', { window: options.days === 0 ? t('agenda.today') : t('agenda.window', { count: options.days }), scope: options.scope }));
    return;
  }
  const ordered = [...sections.values()].sort((a, b) => a.rank - b.rank || compareNames(a.label, b.label));
  // the same rule as one person's agenda: longer than the terminal, each person's is summed up
  const lines = ordered.reduce((count, section) => count + 2 + section.days.reduce((sum, day) => sum + day.items.length + 2, 1), 0);
  const summed = printers.screen !== undefined && lines > printers.screen;
  for (const [index, section] of ordered.entries()) {
    if (index > 0) ui.out();
    ui.out(ui.style.bold(ui.style.cyan(section.label)));
    const scope = `${t('agenda.forOwner', { owner: section.label })}${options.scope}`;
    if (summed) await printers.summary(context, summariseAgenda(section.days), { ...options, scope });
    else await printers.steps(context, section.days, { ...options, scope });
  }
}
