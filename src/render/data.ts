/**
 * What a template sees (PRODUCT.md, "Templates"): account, run, answers.<step>.<field>, chosen,
 * steps, phases, produced, producedStep, today, owner. Built from one run as the store keeps it;
 * pure, so the same run always gives the same data.
 */
import { inputError } from '../errors.js';
import { isAnswered } from '../engine/answers.js';
import { dayOf } from '../engine/dates.js';
import { describeCondition } from '../engine/conditions.js';
import { flattenSteps, progress } from '../engine/run.js';
import type { StepState } from '../engine/run.js';
import { choiceLabel } from '../playbook/choices.js';
import { didYouMean } from '../playbook/problems.js';
import type { ActionItem, AnswerValue, FieldDef, StepDef } from '../playbook/types.js';
import type { Account, LoadedRun } from '../store/store.js';
import { personText, resolvePerson } from '../people/person.js';
import type { CommitRecord } from '../store/store.js';
import type { Directory, Person } from '../people/person.js';
import { slug } from './slug.js';
import { formatDate, formatLongDate, formatNumber, formatWeekday, formatYesNo } from '../i18n/formats.js';
import type { Lang } from '../i18n/lang.js';
import { said, sayIn } from '../i18n/messages.js';

// A person (an owner, the signature) is src/people's; re-exported for the render modules.
export { parsePerson } from '../people/person.js';
export type { Person } from '../people/person.js';

/**
 * A multiselect answer: a list for `{{#x}}- {{.}}{{/x}}`, and "a, b" for `{{x}}` (mustache prints a
 * value with String(), which on a plain array gives "a,b").
 */
function listValue(items: readonly string[]): string[] {
  const list = [...items];
  Object.defineProperty(list, 'toString', { value: () => items.join(', '), enumerable: false });
  return list;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date answer: `{{x}}` prints it as stored (2026-11-10); `{{x.weekday}}` (Tuesday) and `{{x.long}}`
 * (Tuesday, 10 November 2026) say it the way an email to a customer does; `{{x.iso}}` as stored.
 */
function dateValue(iso: string, lang: Lang): unknown {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  // English as cs always wrote it; another language as Intl writes it (vi: Thứ Sáu, 08/01/2027)
  const weekday = lang === 'en' ? WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]! : formatWeekday(iso, lang);
  const long = lang === 'en' ? `${weekday}, ${day} ${MONTHS[month - 1]} ${year}` : formatLongDate(iso, lang);
  const value = { iso, weekday, long };
  const shown = formatDate(iso, lang);
  Object.defineProperty(value, 'toString', { value: () => shown, enumerable: false });
  return value;
}

/**
 * The words a document adds of its own, in each language (documents speak the account's language,
 * whatever the interface's; like yes/no in src/i18n/formats.ts, not the interface's catalogue).
 */
const DOCUMENT_WORDS: Record<Lang, { actionsHead: string; conditionFails: (condition: string) => string }> = {
  en: { actionsHead: '| # | What | Who | Due | Done |', conditionFails: (condition) => `${condition} does not hold` },
  vi: { actionsHead: '| # | Việc cần làm | Người phụ trách | Hạn | Xong |', conditionFails: (condition) => `không áp dụng vì ${condition} không đúng` },
};

/** A cell of a Markdown table: one line, its pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/**
 * Action items: a list for `{{#x}}{{what}} — {{who}}{{/x}}` (each with its number `n`, and `open`),
 * and a Markdown table for `{{x}}` (md keeps it, html turns it into a <table>), in the document's language.
 */
export function actionList(items: readonly ActionItem[], lang: Lang = 'en'): unknown[] {
  const list = items.map((item, index) => ({ n: index + 1, what: item.what, who: item.who, due: item.due && lang !== 'en' ? formatDate(item.due, lang) : item.due, done: item.done === true, open: item.done !== true }));
  const table = () =>
    [DOCUMENT_WORDS[lang].actionsHead, '|---|---|---|---|---|', ...list.map((item) => `| ${item.n} | ${cell(item.what)} | ${cell(item.who ?? '')} | ${item.due ?? ''} | ${formatYesNo(item.done, lang)} |`)].join('\n');
  Object.defineProperty(list, 'toString', { value: table, enumerable: false });
  return list;
}

function isActionList(value: AnswerValue): value is ActionItem[] {
  return Array.isArray(value) && value.some((item) => typeof item === 'object');
}

/**
 * An answer as templates see it, in the document's language: dates as above; numbers as the
 * language writes them (vi 1.000,5); a choice by its label (the run stores its value: templates
 * branch on chosen.*); action items as a list and a table; booleans stay booleans (yes/no, Có/Không, in text).
 */
function present(value: AnswerValue, field: FieldDef | undefined, lang: Lang): unknown {
  if (field?.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return dateValue(value, lang);
  if (typeof value === 'number') return lang === 'en' ? value : formatNumber(value, lang);
  if (isActionList(value)) return actionList(value, lang);
  const label = (choice: string) => (field ? choiceLabel(field, choice) : choice);
  if (Array.isArray(value)) return listValue((value as string[]).map(label));
  return typeof value === 'string' && field?.type === 'select' ? label(value) : value;
}

function answersOf(step: StepState, fields: readonly FieldDef[], lang: Lang): Record<string, unknown> {
  const byId = new Map(fields.map((field) => [field.id, field]));
  return Object.fromEntries(Object.entries(step.answers).filter(([, value]) => isAnswered(value)).map(([id, value]) => [id, present(value, byId.get(id), lang)]));
}

/** `chosen.<step>.<field>.<choice>`: true for each choice picked (or value computed), so templates can branch on it. */
function chosenOf(step: StepState, fields: readonly FieldDef[]): Record<string, Record<string, true>> {
  const chosen: Record<string, Record<string, true>> = {};
  for (const field of fields) {
    const value = step.answers[field.id];
    // a computed value is chosen like a select's: chosen.nps-survey.band.promoter
    if (field.type !== 'select' && field.type !== 'multiselect' && field.type !== 'computed') continue;
    const picked = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
    chosen[field.id] = Object.fromEntries(picked.map((choice) => [slug(choice), true as const]));
  }
  return chosen;
}

function labelsOf(step: StepState, fields: readonly FieldDef[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const field of fields) {
    const value = step.answers[field.id];
    if (field.type !== 'select' && field.type !== 'multiselect') continue;
    if (typeof value === 'string') labels[field.id] = choiceLabel(field, value);
    else if (Array.isArray(value) && value.length > 0) labels[field.id] = (value as string[]).map((each) => choiceLabel(field, each)).join(', ');
  }
  return labels;
}

/**
 * The step whose answers are `produced`: the one named, else the latest done step (playbook order)
 * that produces the template, else the latest one with answers, else the first one. So the
 * onboarding review of onboarding-90d renders the month just reviewed.
 */
export function producingStep(loaded: LoadedRun, templateId: string, stepId?: string): { def: StepDef; state: StepState } | undefined {
  const steps = flattenSteps(loaded.state.playbook).map(({ def }, index) => ({ def, state: loaded.state.steps[index]! }));
  if (stepId !== undefined) {
    const named = steps.find((step) => step.def.id === stepId);
    if (named) return named;
    const guess = didYouMean(stepId, steps.map((step) => step.def.id));
    const where = { run: loaded.run.id, playbook: loaded.run.playbookId, step: stepId };
    const producers = steps.filter((step) => step.def.produces === templateId).map((step) => step.def.id).join(', ');
    throw inputError(guess ? said('render.noStepGuess', { ...where, guess }) : said('render.noStep', where), {
      hint: producers ? said('render.producingSteps', { template: templateId, steps: producers }) : said('render.producingNone', { template: templateId }),
    });
  }
  const producing = steps.filter((step) => step.def.produces === templateId);
  const latest = (candidates: typeof producing) => candidates[candidates.length - 1];
  return (
    latest(producing.filter((step) => step.state.status === 'done')) ??
    latest(producing.filter((step) => Object.values(step.state.answers).some(isAnswered))) ??
    producing[0]
  );
}

export interface DataInput {
  account: Account;
  loaded: LoadedRun;
  templateId: string;
  /** --step: whose answers are `produced`. */
  stepId?: string;
  today: string;
  /** CS_FROM, the owner's fallback. */
  from?: string;
  /** The people an owner is looked up in (the acting user): `lan` signs as "Nguyễn Thị Lan". */
  people?: Directory;
  /** Who is rendering: the owner of a run that has none. */
  actingUser?: Person;
  /** The document's language (dates, numbers, choice labels); English when not given. */
  lang?: Lang;
  /** The run's commits (who did what, when): each step's `by`, the timeline's, and `commits`. */
  history?: readonly CommitRecord[];
}

/** What `commits` lists: the run's start, each step done or skipped, handovers, the finish. */
const TIMELINE_EVENTS = new Set(['start', 'complete', 'skip', 'handover', 'finish']);

export function templateData(input: DataInput): Record<string, unknown> {
  const { account, loaded, templateId, today } = input;
  const lang = input.lang ?? 'en';
  // a day cs itself writes (day 0, a due date, today): as stored in English, else as the language writes it
  const shownDate = (iso: string): unknown => (lang === 'en' ? iso : dateValue(iso, lang));
  const { run, state } = loaded;
  const flat = flattenSteps(state.playbook);
  const counts = progress(state, today);
  // who: the name of the person the directory knows by the recorded handle or address, else as recorded
  const who = (by: string | null | undefined) => (by ? (resolvePerson(by, input.people)?.name ?? by) : undefined);
  const history = input.history ?? [];
  const doneBy = new Map(history.filter((record) => record.stepId !== null && (record.event === 'complete' || record.event === 'skip')).map((record) => [record.stepId!, record.by]));
  const steps = state.steps.map((step, index) => {
    const { def, phase } = flat[index]!;
    return {
      id: step.id,
      title: def.title,
      phase: phase.title,
      phaseId: phase.id,
      status: step.applicable === false ? 'not applicable' : step.status,
      done: step.status === 'done',
      skipped: step.status === 'skipped',
      open: step.status === 'open' && step.applicable !== false,
      applicable: step.applicable !== false,
      doneOn: step.doneOn ? shownDate(step.doneOn) : step.doneOn,
      due: step.due ? shownDate(step.due) : step.due,
      note: step.note,
      skipReason: step.skipReason,
      by: step.status === 'open' ? undefined : who(doneBy.get(step.id)),
      answers: (def.fields ?? [])
        .filter((field) => isAnswered(step.answers[field.id]))
        .map((field) => ({ id: field.id, prompt: field.prompt, value: present(step.answers[field.id]!, field, lang) })),
    };
  });
  // the run's own log, for minutes that tell the case as it unfolded (a timeline of each step)
  const runOwner = run.owner ? resolvePerson(run.owner, input.people) : undefined;
  const timeline = steps.map((step, index) => {
    const def = flat[index]!.def;
    const notApplicable = !step.applicable;
    return {
      id: step.id,
      title: step.title,
      phase: step.phase,
      on: step.status === 'open' ? undefined : (step.doneOn || undefined),
      // who did or skipped it, as its commit recorded; the run's owner for a run from before commits were kept
      by: step.status === 'open' || notApplicable ? undefined : (who(doneBy.get(step.id)) ?? runOwner),
      done: step.done && !notApplicable,
      skipped: step.skipped && !notApplicable,
      open: step.open,
      notApplicable,
      why: step.skipped ? step.skipReason : notApplicable && def.when ? DOCUMENT_WORDS[lang].conditionFails(sayIn(lang, describeCondition(def.when, def.id))) : undefined,
      due: step.due || undefined,
    };
  });
  const phases = state.playbook.phases.map((phase) => ({
    id: phase.id,
    title: phase.title,
    steps: steps.filter((step) => step.phaseId === phase.id),
  }));
  const producer = producingStep(loaded, templateId, input.stepId);
  const producers = flat.filter(({ def }) => def.produces === templateId);
  return {
    account: { ...account.fields, name: account.name, owner: account.owner ?? undefined },
    run: {
      id: run.id,
      playbook: { id: run.playbookId, title: lang === 'en' ? run.playbookTitle : state.playbook.title, version: run.playbookVersion, kind: run.kind },
      startDate: shownDate(run.startDate),
      status: run.status,
      finished: run.status === 'finished',
      finishedAt: run.finishedAt ? shownDate(dayOf(run.finishedAt)) : undefined,
      progress: { total: counts.total, done: counts.done, skipped: counts.skipped, open: counts.open, overdue: counts.overdue, notApplicable: counts.notApplicable },
      dueDates: Object.fromEntries(state.steps.map((step) => [step.id, step.due])),
    },
    answers: Object.fromEntries(state.steps.map((step, index) => [step.id, answersOf(step, flat[index]!.def.fields ?? [], lang)])),
    chosen: Object.fromEntries(state.steps.map((step, index) => [step.id, chosenOf(step, flat[index]!.def.fields ?? [])])),
    // `labels.<step>.<field>`: a choice as people read it ({ value, label }), a list's labels joined
    labels: Object.fromEntries(state.steps.map((step, index) => [step.id, labelsOf(step, flat[index]!.def.fields ?? [])])),
    steps,
    timeline,
    phases,
    produced: producer ? answersOf(producer.state, producer.def.fields ?? [], lang) : {},
    producedStep: producer && {
      ...steps[producer.state.index],
      // the last step of the playbook that produces this template: the final review, say
      final: producers[producers.length - 1]?.def.id === producer.def.id,
    },
    // every commit that moved the run on, with who made it (`commits`: the timeline's step by step story in time order)
    commits: history
      .filter((record) => TIMELINE_EVENTS.has(record.event))
      .map((record) => {
        const step = record.stepId === null ? undefined : steps.find((each) => each.id === record.stepId);
        return { date: shownDate(dayOf(record.at)), by: who(record.by), event: record.event, [record.event]: true, step: step?.title, to: record.event === 'handover' ? who(record.detail) : undefined };
      }),
    today: shownDate(today),
    owner: resolvePerson(run.owner ?? account.owner ?? (input.actingUser && personText(input.actingUser)) ?? input.from, input.people),
  };
}
