/**
 * Walking a run: shows each step, asks its questions through the Ui, and commits every answer the
 * moment it is given. The engine decides what is allowed; the store keeps it; this file only
 * connects them to the person (or to an answers file).
 */
import { CsError, EXIT, inputError } from '../errors.js';
import { answerProblem, isAnswered } from '../engine/answers.js';
import { today } from '../engine/dates.js';
import { apply, firstOpenIndex, missingRequired, progress, viewStep } from '../engine/run.js';
import type { RunEvent, RunState, StepView } from '../engine/run.js';
import { scriptGaps } from '../engine/script.js';
import type { Script, ScriptedStep } from '../engine/script.js';
import type { AnswerValue, FieldDef } from '../playbook/types.js';
import type { LoadedRun, Store } from '../store/index.js';
import { reflow, wrap } from '../ui/layout.js';
import type { Ui } from '../ui/ui.js';
import { describeDue, formatAnswer, resumeCommand } from './format.js';
import { offerToRender } from './produce.js';

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
  throw inputError(`step ${first.stepId}, field ${first.fieldId}: a required answer is missing${gaps.length > 1 ? ` (${gaps.length} in all)` : ''}; nothing was written`, {
    details: gaps.map((gap) => `${gap.stepId}.${gap.fieldId}: ${gap.prompt}`),
    hint: `Add ${gaps.length === 1 ? 'it' : 'them'} to the --answers file (${first.stepId}: {${first.fieldId}: …}), skip a step with _skip: "reason", or answer in a terminal without --no-input.`,
  });
}

export class Walk {
  private state: RunState;
  private readonly runId: number;
  private readonly now: string;

  constructor(
    private readonly ui: Ui,
    private readonly store: Store,
    private readonly loaded: LoadedRun,
    private readonly options: WalkOptions,
  ) {
    this.state = loaded.state;
    this.runId = loaded.run.id;
    this.now = today(options.env);
  }

  /** The one way state moves: the engine checks the event, the store commits it, then we advance. */
  private commit(event: RunEvent): void {
    const next = apply(this.state, event);
    this.store.commit(this.runId, event, next);
    this.state = next;
    // CS_TRACE=commits acknowledges each write once it is durable (used by the kill tests)
    if (this.options.env.CS_TRACE === 'commits' && event.type !== 'back') this.ui.err(`saved ${JSON.stringify(event)}`);
  }

  async run(): Promise<RunState> {
    if (this.options.noInput) refuseIncompleteScript(this.state, this.options.script);
    try {
      await this.header();
      while (this.state.cursor < this.state.steps.length) {
        const view = viewStep(this.state, this.state.cursor)!;
        const scripted = this.options.script?.get(view.def.id);
        if (scripted && view.state.status === 'open') {
          await this.fromScript(view, scripted);
        } else if (this.options.noInput) {
          this.withoutInput(view);
        } else if ((await this.interactiveStep(view)) === 'stop') {
          this.ui.out(`Saved. Continue with: ${resumeCommand(this.loaded.run.accountName, this.options.env)}`);
          return this.state;
        }
      }
      this.finish();
      return this.state;
    } catch (error) {
      if (error instanceof CsError && error.exitCode === EXIT.interrupted) {
        throw new CsError('Stopped.', { exitCode: EXIT.interrupted, hint: `Continue with: ${resumeCommand(this.loaded.run.accountName, this.options.env)}` });
      }
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
    await this.say(
      `${style.bold(run.accountName)} ${style.dim('·')} ${run.playbookTitle} ${style.dim(`(${run.playbookId} v${run.playbookVersion}, run #${run.id}, day 0 ${run.startDate})`)}`,
      '  ',
    );
    if (counts.done + counts.skipped > 0) {
      this.ui.out(style.dim(`${counts.done} done, ${counts.skipped} skipped, ${counts.open} to go.`));
    }
  }

  private finish(): void {
    if (this.state.status === 'open') this.commit({ type: 'finish' });
    const counts = progress(this.state, this.now);
    this.ui.out(
      this.ui.style.green(`✓ ${this.loaded.run.playbookTitle} finished for ${this.loaded.run.accountName}: ${counts.done} done, ${counts.skipped} skipped.`),
    );
  }

  private label(view: StepView): string {
    return `step ${view.state.index + 1} of ${this.state.steps.length}`;
  }

  private async showStep(view: StepView): Promise<void> {
    const { style } = this.ui;
    const due = describeDue(view.state.due, this.now);
    const overdue = view.state.status === 'open' && view.state.due < this.now;
    this.ui.out();
    await this.say(`${style.cyan(view.phase.title)} ${style.dim('·')} ${this.label(view)} ${style.dim('·')} ${overdue ? style.red(due) : style.dim(due)}`, '  ');
    const closed = view.state.status === 'skipped' ? `skipped: ${view.state.skipReason}` : view.state.status;
    await this.say(style.bold(view.def.title) + (view.state.status === 'open' ? '' : style.dim(` (${closed})`)), '  ');
    // the guide re-wrapped to the terminal's width, at word boundaries
    if (view.def.guide) this.ui.out(await reflow(view.def.guide.trimEnd().replace(/^/gm, '  '), this.ui.columns));
    const kept = (view.def.fields ?? []).filter((field) => isAnswered(view.state.answers[field.id]));
    if (kept.length > 0) {
      this.ui.out(style.dim('  Saved so far:'));
      for (const field of kept) {
        const answer = formatAnswer(view.state.answers[field.id]).replace(/\n/g, '\n      ');
        await this.say(`  ${style.dim('•')} ${field.prompt}\n      ${style.green(answer)}`, '      ');
      }
    }
    if (view.state.note) await this.say(`  ${style.dim('Note:')} ${view.state.note.replace(/\n/g, '\n        ')}`, '        ');
  }

  private async interactiveStep(view: StepView): Promise<'stop' | 'moved'> {
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
          const reason = await this.ui.text({ message: 'Why skip this step?', required: true });
          this.commit({ type: 'skip', stepId: view.def.id, reason });
          this.ui.out(this.ui.style.yellow(`↷ Skipped: ${view.def.title}`));
          return 'moved';
        }
        case 'note': {
          const text = await this.ui.longtext({ message: 'Note for this step', default: view.state.note });
          this.commit({ type: 'note', stepId: view.def.id, text });
          this.ui.out(this.ui.style.dim('Note saved.'));
          view = viewStep(this.state, view.state.index)!;
          break;
        }
        case 'back': {
          const target = await this.chooseEarlierStep(view);
          if (target === undefined) break;
          this.commit({ type: 'back', stepId: target });
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
      ? [{ value: 'work', name: started ? 'Continue this step' : 'Work on this step' }]
      : [
          { value: 'work', name: 'Change the answers' },
          { value: 'continue', name: 'Keep it as it is and go on' },
        ];
    if (open) choices.push({ value: 'skip', name: 'Skip it (give a reason)' });
    choices.push({ value: 'note', name: view.state.note ? 'Edit the note' : 'Add a note' });
    if (this.state.steps.some((step) => step.index !== view.state.index && step.index < this.firstOpenOrEnd())) {
      choices.push({ value: 'back', name: 'Go back to an earlier step' });
    }
    choices.push({ value: 'stop', name: 'Stop here (everything is saved)' });
    return this.ui.select({ message: 'What now?', choices });
  }

  private firstOpenOrEnd(): number {
    return Math.max(this.firstOpen(), this.state.cursor);
  }

  private async chooseEarlierStep(view: StepView): Promise<string | undefined> {
    const candidates = this.state.steps.filter((step) => step.index < this.firstOpenOrEnd() && step.index !== view.state.index);
    const choices = candidates.map((step) => {
      const def = viewStep(this.state, step.index)!.def;
      const mark = step.status === 'done' ? '✓' : step.status === 'skipped' ? '↷' : '○';
      return { value: step.id, name: `${mark} ${step.index + 1}. ${def.title}` };
    });
    choices.push({ value: '', name: 'Cancel' });
    const chosen = await this.ui.select({ message: 'Go back to which step?', choices, default: choices[choices.length - 2]?.value });
    return chosen === '' ? undefined : chosen;
  }

  /** Ticks the checklist and asks the fields. `revisit`: the step was closed and is being changed. */
  private async workOn(view: StepView, revisit: boolean, askChecklist = false): Promise<void> {
    const stepId = view.def.id;
    const started = Object.keys(view.state.answers).length > 0;
    const items = view.def.checklist ?? [];
    if (items.length > 0 && (revisit || !started || askChecklist)) {
      this.ui.out(this.ui.style.dim(`  Checklist (${items.length} item${items.length === 1 ? '' : 's'}):`));
      for (const [item, text] of items.entries()) {
        const wasChecked = this.state.steps[view.state.index]!.checked.includes(item);
        if (!revisit && wasChecked) continue;
        const checked = await this.ui.confirm({ message: `Done: ${text}?`, default: wasChecked });
        if (checked !== wasChecked) this.commit({ type: 'tick', stepId, item, checked });
      }
    }
    for (const field of view.def.fields ?? []) {
      const existing = this.state.steps[view.state.index]!.answers[field.id];
      if (!revisit && isAnswered(existing)) continue; // resumed mid-step: kept answers are not asked again
      const value = await this.ask(field, existing);
      if (value !== undefined) this.commit({ type: 'answer', stepId, fieldId: field.id, value });
      else if (existing !== undefined && !field.required) this.commit({ type: 'clear', stepId, fieldId: field.id });
    }
    this.commit({ type: 'complete', stepId });
    this.ui.out(this.ui.style.green(`✓ ${view.def.title}`));
    await this.offerDocument(view, true);
  }

  /** The prompt that matches a field's type; undefined when an optional field is left (or made) empty. */
  private async ask(field: FieldDef, existing: AnswerValue | undefined): Promise<AnswerValue | undefined> {
    const current = existing ?? field.default;
    const base = { message: field.prompt, required: field.required, help: field.help };
    switch (field.type) {
      case 'text': {
        const value = await this.ui.text({ ...base, default: current === undefined ? undefined : String(current) });
        return value.trim() === '' ? undefined : value.trim();
      }
      case 'longtext': {
        const value = await this.ui.longtext({ ...base, default: current === undefined ? undefined : String(current) });
        return value.trim() === '' ? undefined : value.trimEnd();
      }
      case 'date': {
        const value = await this.ui.date({ ...base, default: typeof current === 'string' ? current : undefined });
        return value === '' ? undefined : value;
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
          choices: (field.choices ?? []).map((choice) => ({ value: choice, name: choice })),
          default: typeof current === 'string' ? current : undefined,
        });
      case 'multiselect': {
        const chosen = Array.isArray(current) ? current : [];
        return this.checked(field, () =>
          this.ui.multiselect({
            message: field.prompt,
            required: field.required,
            exclusive: field.exclusive,
            choices: (field.choices ?? []).map((choice) => ({ value: choice, name: choice, checked: chosen.includes(choice) })),
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
      this.ui.err(this.ui.style.red(`${field.prompt}: ${problem}`));
    }
  }

  /** A step that produces a document offers it right away (or, without a terminal, says how). */
  private async offerDocument(view: StepView, ask: boolean): Promise<void> {
    await offerToRender({ ui: this.ui, store: this.store, env: this.options.env, runId: this.runId, step: view.def, ask });
  }

  private async fromScript(view: StepView, scripted: ScriptedStep): Promise<void> {
    const stepId = view.def.id;
    for (const item of scripted.checklist) this.commit({ type: 'tick', stepId, item, checked: true });
    for (const [fieldId, value] of Object.entries(scripted.answers)) this.commit({ type: 'answer', stepId, fieldId, value });
    if (scripted.note !== undefined) this.commit({ type: 'note', stepId, text: scripted.note });
    if (scripted.skip !== undefined) {
      this.commit({ type: 'skip', stepId, reason: scripted.skip });
      return;
    }
    const missing = missingRequired(this.state, stepId);
    if (missing.length > 0 && !this.options.noInput) {
      // the file answered part of the step: ask the rest, and the checklist unless the file ticked it
      await this.workOn(viewStep(this.state, view.state.index)!, false, scripted.checklist.length === 0);
      return;
    }
    this.completeOrFail(view);
    await this.offerDocument(view, false);
  }

  private withoutInput(view: StepView): void {
    if (view.state.status !== 'open') {
      this.toFirstOpen();
      return;
    }
    this.completeOrFail(view);
  }

  private completeOrFail(view: StepView): void {
    const missing = missingRequired(this.state, view.def.id);
    if (missing.length > 0) {
      const field = missing[0]!;
      throw inputError(`step ${view.def.id} (${view.def.title}), field ${field.id}: a required answer is missing`, {
        details: missing.map((each) => `${view.def.id}.${each.id}: ${each.prompt}`),
        hint: `Add it to the --answers file under ${view.def.id}: ${field.id}: …, or run without --no-input in a terminal. Everything before it is saved: ${resumeCommand(this.loaded.run.accountName, this.options.env)}`,
      });
    }
    this.commit({ type: 'complete', stepId: view.def.id });
  }
}
