/**
 * Walking a run: shows each step, asks its questions through the Ui, and commits every answer the
 * moment it is given. The engine decides what is allowed; the store keeps it; this file only
 * connects them to the person (or to an answers file).
 */
import { CsError, inputError, isStop, runtimeError, withStopHint } from '../errors.js';
import { answerProblem, isAnswered, normalActionItems } from '../engine/answers.js';
import { DATE_FORMS, readDate, today } from '../engine/dates.js';
import type { ChangeTarget, Conflict, TargetValue } from '../engine/merge.js';
import { apply, askedFields, fieldDef, firstOpenIndex, missingRequired, progress, stepDef, viewStep, waitingOn } from '../engine/run.js';
import type { RunEvent, RunState, StepView } from '../engine/run.js';
import { scriptGaps } from '../engine/script.js';
import type { Script, ScriptedStep } from '../engine/script.js';
import type { ActionItem, AnswerValue, FieldDef } from '../playbook/types.js';
import { choiceLabel, choiceValue } from '../playbook/choices.js';
import { NOTE_DRAFT } from '../store/store.js';
import type { CommitOutcome, LoadedRun, SeenStep, Store } from '../store/store.js';
import type { Handover } from '../store/store.js';
import { roleName } from './role-names.js';
import { formatDate, formatMoment } from '../i18n/formats.js';
import { say, t, uiLang } from '../i18n/messages.js';
import { reflow, wrap } from '../ui/layout.js';
import type { TextPrompt, Ui } from '../ui/ui.js';
import { actionLine, csCommand, describeDue, formatAnswer, resumeCommand, shellArgument } from './format.js';
import { offerToRender } from './produce.js';
import { handOverIfDone } from './handover.js';

export interface WalkOptions {
  script?: Script;
  /** Never prompt (--no-input, or no terminal): a missing required answer is an error. */
  noInput: boolean;
  env: NodeJS.ProcessEnv;
}

type StepAction = 'work' | 'continue' | 'skip' | 'note' | 'back' | 'stop';


/** Without prompts, every required answer must be at hand before the first one is written. */
export function refuseIncompleteScript(state: RunState, script: Script | undefined): void {
  const gaps = scriptGaps(state, script);
  if (gaps.length === 0) return;
  const first = gaps[0]!;
  const params = { step: first.stepId, field: first.fieldId, count: gaps.length };
  throw inputError(t('walk.scriptMissing', params), {
    details: gaps.map((gap) => `${gap.stepId}.${gap.fieldId}: ${gap.prompt}`),
    hint: t('walk.scriptMissingHint', params),
  });
}

/** What an event saves, in words: "the tick of "Shared the timeline" on step Kickoff call". */
export function describeEvent(state: RunState, event: RunEvent): string {
  if (event.type === 'finish') return t('event.finish');
  const def = stepDef(state, event.stepId);
  const step = def.title;
  switch (event.type) {
    case 'answer':
      return t('event.answer', { prompt: fieldDef(def, event.fieldId).prompt, step });
    case 'clear':
      return t('event.clear', { prompt: fieldDef(def, event.fieldId).prompt, step });
    case 'tick': {
      const item = def.checklist?.[event.item] ?? t('event.item', { n: event.item + 1 });
      return t(event.checked ? 'event.tick' : 'event.untick', { item, step });
    }
    case 'complete':
      return t('event.complete', { step });
    case 'skip':
      return t('event.skip', { step });
    case 'note':
      return t('event.note', { step });
    case 'back':
      return t('event.back', { step });
    case 'action':
      return t(event.done ? 'event.actionDone' : 'event.actionNotDone', { n: event.n, prompt: fieldDef(def, event.fieldId).prompt, step });
  }
}

function describeTargetValue(target: ChangeTarget, value: TargetValue): string {
  switch (target.kind) {
    case 'answer':
      return value === undefined ? t('conflict.noAnswer') : formatAnswer(value as AnswerValue, uiLang());
    case 'tick':
      return t(value ? 'conflict.ticked' : 'conflict.notTicked');
    case 'status': {
      const status = value as { status: string; skipReason?: string };
      return status.status === 'skipped' ? t('status.stepSkipped', { reason: status.skipReason ?? '' }) : status.status === 'done' ? t('status.stepDone') : t('conflict.stepOpen');
    }
    case 'note':
      return value === undefined ? t('conflict.noNote') : String(value);
  }
}

export class Walk {
  private state: RunState;
  private versions: Readonly<Record<string, number>>;
  private readonly runId: number;
  private readonly now: string;

  constructor(
    private readonly ui: Ui,
    private readonly store: Store,
    private readonly loaded: LoadedRun,
    private readonly options: WalkOptions,
  ) {
    this.state = loaded.state;
    this.versions = loaded.versions;
    this.runId = loaded.run.id;
    this.now = today(options.env);
  }

  /**
   * The one way state moves: the engine checks the event against what this walk knows, the store
   * applies it to what is stored now (another walk of the same run may have committed since), and
   * the walk goes on from what is stored. Returns false when a conflict was settled by taking the
   * stored value (this event was not written).
   */
  private async commit(event: RunEvent): Promise<boolean> {
    const local = apply(this.state, event);
    if (event.type === 'back') {
      this.state = local;
      return true;
    }
    let seen = this.seen(event);
    for (;;) {
      let outcome: CommitOutcome;
      try {
        outcome = await this.store.commit(this.runId, event, seen);
      } catch (error) {
        throw this.notSaved(event, error);
      }
      if (!outcome.conflict) {
        // the handover: to the account's CSM of the team (done by the commit itself), else to the CSM the step's answer names
        const csm = outcome.handover?.to ? undefined : await handOverIfDone(this.store, outcome.loaded, event);
        if (csm !== undefined) this.ui.out(this.ui.style.green(t('walk.handedOver', { csm, account: outcome.loaded.run.accountName })));
        else if (outcome.handover) await this.sayHandover(outcome.handover, outcome.loaded.run.accountName);
        this.refresh(outcome.loaded, event);
        // CS_TRACE=commits acknowledges each write once it is durable (used by the kill tests)
        if (this.options.env.CS_TRACE === 'commits') this.ui.err(`saved ${JSON.stringify(event)}`);
        return true;
      }
      if (!(await this.keepMine(outcome.conflict, event))) {
        this.refresh(outcome.loaded, event);
        return false;
      }
      // keep mine: commit again, against the step as it is stored now
      const stored = outcome.loaded.state.steps.find((step) => step.id === outcome.conflict!.stepId)!;
      seen = { version: outcome.loaded.versions[stored.id] ?? 0, state: stored };
    }
  }

  /** A `handover:` step done: whose the account is now, or how to give it someone. */
  private async sayHandover(handover: Handover, account: string): Promise<void> {
    const role = roleName(handover.role);
    const team = await this.store.listPeople();
    const to = handover.to && (team.find((member) => member.handle === handover.to)?.name ?? handover.to);
    if (to) this.ui.out(this.ui.style.green(t('walk.handedOverRole', { account, role, to })));
    // without a team (one person's cs) there is nobody to hand over to, and nothing to say
    else if (team.length > 0) this.ui.err(this.ui.style.yellow(t('walk.noHandover', { account, role, command: `${csCommand(this.options.env)} accounts set ${shellArgument(account)} --${handover.role} <handle>` })));
  }

  /** The step an event changes, as this walk last read it. */
  private seen(event: RunEvent): SeenStep | undefined {
    if (!('stepId' in event)) return undefined;
    const state = this.state.steps.find((step) => step.id === event.stepId);
    return state && { version: this.versions[event.stepId] ?? 0, state };
  }

  /** Goes on from what is stored; the cursor stays the walk's own, unless the event moves it. */
  private refresh(loaded: LoadedRun, event?: RunEvent): void {
    const moves = event?.type === 'complete' || event?.type === 'skip' || event?.type === 'finish';
    // the playbook as this walk shows it (in the user's language), unless the run moved to another version
    const same = loaded.state.playbook.id === this.state.playbook.id && loaded.state.playbook.version === this.state.playbook.version;
    const playbook = same ? this.state.playbook : loaded.state.playbook;
    this.state = { ...loaded.state, playbook, cursor: moves ? loaded.state.cursor : this.state.cursor };
    this.versions = loaded.versions;
  }

  /** Reads the run again before a step is shown: what other walks committed meanwhile shows. */
  private async reload(): Promise<void> {
    const loaded = await this.store.loadRun(this.runId);
    if (loaded) this.refresh(loaded);
  }

  /** Someone else changed what this event changes: show both, and let the user choose. */
  private async keepMine(conflict: Conflict, event: RunEvent): Promise<boolean> {
    const what = describeEvent(this.state, event);
    const shown = (value: TargetValue) => describeTargetValue(conflict.target, value);
    if (this.options.noInput || !this.ui.interactive) {
      throw runtimeError(t('walk.conflictNotSaved', { what }), {
        details: [`${t('walk.storedNow')} ${shown(conflict.stored)}`, `${t('walk.yours')} ${shown(conflict.mine)}`],
        hint: t('walk.conflictHint', { command: resumeCommand(this.loaded.run.accountName, this.options.env) }),
      });
    }
    const { style } = this.ui;
    this.ui.out(style.yellow(t('walk.changedMeanwhile', { what })));
    this.ui.out(`    ${t('walk.storedNow')} ${style.bold(shown(conflict.stored).replace(/\n/g, '\n                '))}`);
    this.ui.out(`    ${t('walk.yours')} ${style.bold(shown(conflict.mine).replace(/\n/g, '\n                '))}`);
    const choice = await this.ui.select({
      message: t('walk.whichKept'),
      choices: [
        { value: 'mine', name: t('walk.keepMine') },
        { value: 'stored', name: t('walk.takeStored') },
      ],
    });
    return choice === 'mine';
  }

  /** A commit that failed: say exactly what was not saved, and how to go on. */
  private notSaved(event: RunEvent, error: unknown): unknown {
    if (!(error instanceof CsError)) return error;
    return new CsError(t('walk.notSaved', { what: describeEvent(this.state, event), message: error.message }), {
      exitCode: error.exitCode,
      details: error.details,
      hint: `${error.hint ? `${error.hint} ` : ''}${t('walk.notSavedHint', { command: resumeCommand(this.loaded.run.accountName, this.options.env) })}`,
    });
  }

  async run(): Promise<RunState> {
    if (this.options.noInput) refuseIncompleteScript(this.state, this.options.script);
    try {
      await this.header();
      while (this.state.cursor < this.state.steps.length) {
        const view = viewStep(this.state, this.state.cursor)!;
        if (view.state.applicable === false) {
          // a step whose condition does not hold is not walked (status shows it as not applicable)
          this.state = { ...this.state, cursor: nextPending(this.state, view.state.index) };
          continue;
        }
        const scripted = this.options.script?.get(view.def.id);
        if (scripted && view.state.status === 'open') {
          await this.fromScript(view, scripted);
        } else if (this.options.noInput) {
          await this.withoutInput(view);
        } else if ((await this.interactiveStep(view)) === 'stop') {
          this.ui.out(t('walk.saved', { command: resumeCommand(this.loaded.run.accountName, this.options.env) }));
          return this.state;
        }
      }
      await this.finish();
      return this.state;
    } catch (error) {
      if (isStop(error)) throw withStopHint(error as CsError, t('walk.continueWith', { command: resumeCommand(this.loaded.run.accountName, this.options.env) }));
      throw error;
    }
  }

  /** A line (or lines) wrapped to the terminal's width at word boundaries, going on after `indent`. */
  private async say(text: string, indent?: string): Promise<void> {
    this.ui.out(await wrap(text, this.ui.columns, indent));
  }

  private async header(): Promise<void> {
    const { run } = this.loaded;
    const { style } = this.ui;
    const counts = progress(this.state, this.now);
    const identity = t('walk.runInfo', { id: run.playbookId, version: run.playbookVersion, run: run.id, start: formatDate(run.startDate, uiLang()) });
    await this.say(`${style.bold(run.accountName)} ${style.dim('·')} ${this.state.playbook.title} ${style.dim(identity)}`, '  ');
    if (counts.done + counts.skipped > 0) {
      this.ui.out(style.dim(t('walk.progress', { done: counts.done, skipped: counts.skipped, open: counts.open })));
    }
  }

  private async finish(): Promise<void> {
    if (this.state.status === 'open') await this.commit({ type: 'finish', on: this.now });
    const counts = progress(this.state, this.now);
    this.ui.out(
      this.ui.style.green(t('walk.finished', { playbook: this.state.playbook.title, account: this.loaded.run.accountName, done: counts.done, skipped: counts.skipped })),
    );
  }

  private label(view: StepView): string {
    return t('walk.stepOf', { n: view.state.index + 1, total: this.state.steps.length });
  }

  private async showStep(view: StepView): Promise<void> {
    const { style } = this.ui;
    const due = describeDue(view.state.due, this.now, uiLang(), waitingOn(this.state, view.state.index, uiLang()));
    const overdue = view.state.status === 'open' && view.state.due !== '' && view.state.due < this.now;
    this.ui.out();
    await this.say(`${style.cyan(view.phase.title)} ${style.dim('·')} ${this.label(view)} ${style.dim('·')} ${overdue ? style.red(due) : style.dim(due)}`, '  ');
    const closed = view.state.status === 'skipped' ? t('walk.skippedBecause', { reason: view.state.skipReason ?? '' }) : t('walk.status.done');
    await this.say(style.bold(view.def.title) + (view.state.status === 'open' ? '' : style.dim(` (${closed})`)), '  ');
    // the guide re-wrapped to the terminal's width, at word boundaries
    if (view.def.guide) this.ui.out(await reflow(view.def.guide.trimEnd().replace(/^/gm, '  '), this.ui.columns));
    const kept = (view.def.fields ?? []).filter((field) => isAnswered(view.state.answers[field.id]));
    const ticked = (view.def.checklist ?? []).filter((_item, index) => view.state.checked.includes(index));
    if (kept.length > 0 || ticked.length > 0) {
      this.ui.out(style.dim(`  ${t('walk.savedSoFar')}`));
      for (const item of ticked) await this.say(`  ${style.green('✔')} ${item}`, '    ');
      for (const field of kept) {
        const answer = formatAnswer(view.state.answers[field.id], uiLang(), field).replace(/\n/g, '\n      ');
        await this.say(`  ${style.dim('•')} ${field.prompt}\n      ${style.green(answer)}`, '      ');
      }
    }
    if (view.state.note) await this.say(`  ${style.dim(t('walk.note'))} ${view.state.note.replace(/\n/g, '\n        ')}`, '        ');
  }

  private async interactiveStep(view: StepView): Promise<'stop' | 'moved'> {
    await this.reload();
    view = viewStep(this.state, view.state.index)!;
    await this.showStep(view);
    for (;;) {
      const action = await this.chooseAction(view);
      switch (action) {
        case 'stop':
          return 'stop';
        case 'work':
          await this.workOn(view, view.state.status !== 'open');
          return 'moved';
        case 'continue':
          this.toFirstOpen();
          return 'moved';
        case 'skip': {
          const reason = await this.ui.text({ message: t('walk.whySkip'), required: true });
          if (await this.commit({ type: 'skip', stepId: view.def.id, reason, on: this.now })) this.ui.out(this.ui.style.yellow(t('walk.skipped', { title: view.def.title })));
          return 'moved';
        }
        case 'note': {
          const text = await this.askLongtext(view.def.id, NOTE_DRAFT, { message: t('walk.noteFor'), default: view.state.note });
          if (await this.commit({ type: 'note', stepId: view.def.id, text })) this.ui.out(this.ui.style.dim(t('walk.noteSaved')));
          view = viewStep(this.state, view.state.index)!;
          break;
        }
        case 'back': {
          const target = await this.chooseEarlierStep(view);
          if (target === undefined) break;
          await this.commit({ type: 'back', stepId: target });
          return 'moved';
        }
      }
    }
  }

  private firstOpen(): number {
    return firstOpenIndex(this.state.steps);
  }

  /** Leaves a revisited step as it is: the walk goes on where it would resume. Nothing to commit. */
  private toFirstOpen(): void {
    this.state = { ...this.state, cursor: this.firstOpen() };
  }

  private chooseAction(view: StepView): Promise<StepAction> {
    const open = view.state.status === 'open';
    const started = Object.keys(view.state.answers).length > 0 || view.state.checked.length > 0;
    const choices: { value: StepAction; name: string }[] = open
      ? [{ value: 'work', name: t(started ? 'walk.action.continueStep' : 'walk.action.work') }]
      : [
          { value: 'work', name: t('walk.action.change') },
          { value: 'continue', name: t('walk.action.keep') },
        ];
    if (open) choices.push({ value: 'skip', name: t('walk.action.skip') });
    choices.push({ value: 'note', name: t(view.state.note ? 'walk.action.editNote' : 'walk.action.addNote') });
    if (this.state.steps.some((step) => step.index !== view.state.index && step.index < this.firstOpenOrEnd())) {
      choices.push({ value: 'back', name: t('walk.action.back') });
    }
    choices.push({ value: 'stop', name: t('walk.action.stop') });
    return this.ui.select({ message: t('walk.whatNow'), choices });
  }

  private firstOpenOrEnd(): number {
    return Math.max(this.firstOpen(), this.state.cursor);
  }

  private async chooseEarlierStep(view: StepView): Promise<string | undefined> {
    const candidates = this.state.steps.filter((step) => step.index < this.firstOpenOrEnd() && step.index !== view.state.index && step.applicable !== false);
    const choices = candidates.map((step) => {
      const def = viewStep(this.state, step.index)!.def;
      const mark = step.status === 'done' ? '✓' : step.status === 'skipped' ? '↷' : '○';
      return { value: step.id, name: `${mark} ${step.index + 1}. ${def.title}` };
    });
    choices.push({ value: '', name: t('walk.cancel') });
    const chosen = await this.ui.select({ message: t('walk.backWhich'), choices, default: choices[choices.length - 2]?.value });
    return chosen === '' ? undefined : chosen;
  }

  /** Ticks the checklist and asks the fields. `revisit`: the step was closed and is being changed. */
  private async workOn(view: StepView, revisit: boolean, askChecklist = false): Promise<void> {
    const stepId = view.def.id;
    const started = Object.keys(view.state.answers).length > 0;
    const items = view.def.checklist ?? [];
    if (items.length > 0 && (revisit || !started || askChecklist)) {
      this.ui.out(this.ui.style.dim(`  ${t('walk.checklist', { count: items.length })}`));
      for (const [item, text] of items.entries()) {
        const wasChecked = this.state.steps[view.state.index]!.checked.includes(item);
        if (!revisit && wasChecked) continue;
        const message = t('walk.checkDone', { item: text });
        const checked = await this.ui.confirm({ message, default: wasChecked, clearOnDone: true });
        // the answer is shown (✔) once it is saved: a tick the database refused is never shown as done
        if (checked === wasChecked || (await this.commit({ type: 'tick', stepId, item, checked }))) {
          this.ui.out(`${this.ui.style.green('✔')} ${this.ui.style.bold(message)} ${this.ui.style.cyan(t(checked ? 'walk.yes' : 'walk.no'))}`);
        }
      }
    }
    for (const field of view.def.fields ?? []) {
      // asked in order, each field's condition evaluated on the answers just given; computed ones never asked
      if (!askedFields(this.state, stepId).includes(field)) continue;
      const existing = this.state.steps[view.state.index]!.answers[field.id];
      if (!revisit && isAnswered(existing)) continue; // resumed mid-step: kept answers are not asked again
      const value = await this.ask(stepId, field, existing);
      if (value !== undefined) await this.commit({ type: 'answer', stepId, fieldId: field.id, value });
      else if (existing !== undefined && !field.required) await this.commit({ type: 'clear', stepId, fieldId: field.id });
    }
    if (!(await this.commit({ type: 'complete', stepId, on: this.now }))) return;
    this.ui.out(this.ui.style.green(`✓ ${view.def.title}`));
    await this.showComputed(view);
    await this.offerDocument(view, true);
  }

  /** Computed fields are shown, never asked: "Band: promoter (from score)". */
  private async showComputed(view: StepView): Promise<void> {
    const answers = this.state.steps[view.state.index]!.answers;
    for (const field of view.def.fields ?? []) {
      if (field.type !== 'computed' || !isAnswered(answers[field.id])) continue;
      await this.say(this.ui.style.dim(`  ${t('walk.computed', { prompt: field.prompt ?? field.id, value: formatAnswer(answers[field.id], uiLang(), field), from: field.from ?? '' })}`), '    ');
    }
  }

  /**
   * Action items: each kept one can be kept, marked done or removed; then new ones, each with what
   * is to be done, who does it and by when, until an empty "what".
   */
  private async askActions(field: FieldDef, existing: AnswerValue | undefined): Promise<ActionItem[] | undefined> {
    const items: ActionItem[] = [];
    const kept = Array.isArray(existing) ? (existing as ActionItem[]).filter((item) => typeof item === 'object') : [];
    this.ui.out(this.ui.style.dim(`  ${field.prompt}`));
    for (const item of kept) {
      const choice = await this.ui.select({
        message: actionLine(item, uiLang()),
        choices: [
          { value: 'keep', name: t('walk.actionKeep') },
          { value: item.done ? 'reopen' : 'done', name: item.done ? t('walk.actionReopen') : t('walk.actionDone') },
          { value: 'remove', name: t('walk.actionRemove') },
        ],
      });
      if (choice === 'keep') items.push(item);
      else if (choice === 'done') items.push({ ...item, done: true });
      else if (choice === 'reopen') items.push({ ...item, done: false });
    }
    for (;;) {
      const what = (await this.ui.text({ message: t('walk.actionWhat', { n: items.length + 1 }), help: field.help })).trim();
      if (what === '') break;
      const who = (await this.ui.text({ message: t('walk.actionWho') })).trim();
      const due = await this.ui.date({ message: t('walk.actionDue') });
      items.push({ what, ...(who ? { who } : {}), ...(due ? { due } : {}) });
    }
    if (items.length === 0) return field.required ? this.askActions(field, undefined) : undefined;
    return normalActionItems(items);
  }

  /** The prompt that matches a field's type; undefined when an optional field is left (or made) empty. */
  private async ask(stepId: string, field: FieldDef, existing: AnswerValue | undefined): Promise<AnswerValue | undefined> {
    const current = existing ?? field.default;
    const base = { message: field.prompt, required: field.required, help: field.help };
    switch (field.type) {
      case 'computed':
        return undefined;
      case 'actions':
        return this.askActions(field, existing);
      case 'text': {
        const value = await this.ui.text({ ...base, default: current === undefined ? undefined : String(current) });
        return value.trim() === '' ? undefined : value.trim();
      }
      case 'longtext': {
        const value = await this.askLongtext(stepId, field.id, { ...base, default: current === undefined ? undefined : String(current) });
        return value.trim() === '' ? undefined : value.trimEnd();
      }
      case 'date': {
        const value = await this.ui.date({ ...base, default: typeof current === 'string' ? current : undefined });
        if (value.trim() === '') return undefined;
        // the one date parser again: whatever a Ui hands back is stored only as a date in range
        const reading = readDate(value, this.now);
        if (reading.problem !== undefined) throw inputError(t('walk.fieldProblem', { prompt: field.prompt, problem: reading.problem }), { hint: t('walk.dateForms', { forms: DATE_FORMS }) });
        return reading.date;
      }
      case 'number':
        return this.checked(field, () =>
          this.ui.number({ ...base, default: typeof current === 'number' ? current : undefined, min: field.min, max: field.max, integer: field.integer }),
        );
      case 'confirm':
        return this.ui.confirm({ message: field.prompt, default: typeof current === 'boolean' ? current : undefined });
      case 'select':
        return this.ui.select({
          message: field.prompt,
          choices: (field.choices ?? []).map((choice) => ({ value: choiceValue(choice), name: choiceLabel(field, choiceValue(choice)) })),
          default: typeof current === 'string' ? current : undefined,
        });
      case 'multiselect': {
        const chosen = Array.isArray(current) ? current : [];
        return this.checked(field, () =>
          this.ui.multiselect({
            message: field.prompt,
            required: field.required,
            exclusive: field.exclusive,
            choices: (field.choices ?? []).map((choice) => ({ value: choiceValue(choice), name: choiceLabel(field, choiceValue(choice)), checked: (chosen as unknown[]).includes(choiceValue(choice)) })),
          }),
        );
      }
    }
  }

  /** Asks again while the answer breaks a rule of the field (the terminal's prompts refuse it already). */
  private async checked<T extends AnswerValue | undefined>(field: FieldDef, prompt: () => Promise<T>): Promise<T> {
    for (;;) {
      const value = await prompt();
      const problem = value === undefined ? undefined : answerProblem({ ...field, required: false }, value);
      if (problem === undefined) return value;
      this.ui.err(this.ui.style.red(t('walk.fieldProblem', { prompt: field.prompt, problem: say(problem) })));
    }
  }

  /**
   * A long answer (or note). Lines typed are kept as a draft while they are typed, so a stop (Ctrl-C,
   * SIGTERM, SIGHUP, a closed terminal) loses none; a draft left by a stopped walk is offered back.
   */
  private async askLongtext(stepId: string, fieldId: string, prompt: TextPrompt): Promise<string> {
    const draft = (await this.store.drafts(this.runId)).find((each) => each.stepId === stepId && each.fieldId === fieldId);
    let initial: string | undefined;
    if (draft) {
      this.ui.out(this.ui.style.yellow(t('walk.draftStarted', { time: formatMoment(draft.savedAt, uiLang()) })));
      this.ui.out(draft.text.replace(/^/gm, '  │ '));
      const use = await this.ui.select({
        message: t('walk.draftUse', { prompt: prompt.message }),
        choices: [
          { value: 'use', name: t('walk.draft.use') },
          { value: 'edit', name: t('walk.draft.edit') },
          { value: 'discard', name: t('walk.draft.discard') },
        ],
      });
      if (use === 'use') return draft.text;
      if (use === 'edit') initial = draft.text;
      else this.keepDraft(stepId, fieldId, '');
    }
    return this.ui.longtext({ ...prompt, initial, onDraft: (text) => this.keepDraft(stepId, fieldId, text) });
  }

  /** A draft is a convenience: failing to keep one must not stop the answer being typed. */
  private keepDraft(stepId: string, fieldId: string, text: string): void {
    // SQLite keeps it before this returns (its work is synchronous); a network backend as soon as it can
    this.store.saveDraft(this.runId, stepId, fieldId, text).catch(() => {
      // the answer itself is committed (or its failure reported) when it is given
    });
  }

  /** A step that produces a document offers it right away (or, without a terminal, says how). */
  private async offerDocument(view: StepView, ask: boolean): Promise<void> {
    await offerToRender({ ui: this.ui, store: this.store, env: this.options.env, runId: this.runId, step: view.def, ask });
  }

  private async fromScript(view: StepView, scripted: ScriptedStep): Promise<void> {
    const stepId = view.def.id;
    for (const item of scripted.checklist) await this.commit({ type: 'tick', stepId, item, checked: true });
    for (const [fieldId, value] of Object.entries(scripted.answers)) await this.commit({ type: 'answer', stepId, fieldId, value });
    if (scripted.note !== undefined) await this.commit({ type: 'note', stepId, text: scripted.note });
    if (scripted.skip !== undefined) {
      await this.commit({ type: 'skip', stepId, reason: scripted.skip, on: this.now });
      return;
    }
    const missing = missingRequired(this.state, stepId);
    if (missing.length > 0 && !this.options.noInput) {
      // the file answered part of the step: ask the rest, and the checklist unless the file ticked it
      await this.workOn(viewStep(this.state, view.state.index)!, false, scripted.checklist.length === 0);
      return;
    }
    await this.completeOrFail(view);
    await this.offerDocument(view, false);
  }

  private async withoutInput(view: StepView): Promise<void> {
    if (view.state.status !== 'open') {
      this.toFirstOpen();
      return;
    }
    await this.completeOrFail(view);
  }

  private async completeOrFail(view: StepView): Promise<void> {
    const missing = missingRequired(this.state, view.def.id);
    if (missing.length > 0) {
      const field = missing[0]!;
      const params = { step: view.def.id, title: view.def.title, field: field.id, command: resumeCommand(this.loaded.run.accountName, this.options.env) };
      throw inputError(t('walk.missing', params), {
        details: missing.map((each) => `${view.def.id}.${each.id}: ${each.prompt}`),
        hint: t('walk.missingHint', params),
      });
    }
    await this.commit({ type: 'complete', stepId: view.def.id, on: this.now });
  }
}

/** The next step to walk after `index`: the first pending one after it, else the first pending one at all. */
function nextPending(state: RunState, index: number): number {
  const after = state.steps.findIndex((step) => step.index > index && step.status === 'open' && step.applicable !== false);
  return after === -1 ? firstOpenIndex(state.steps) : after;
}
