/**
 * A scripted fake of the Ui interface (src/ui/ui.ts): it is handed the prompts it should see, in
 * order, with the answer to give each, and fails loudly on anything else. Everything printed is
 * recorded, so a test can assert on what a person would have read.
 *
 *   const ui = new ScriptedUi([{ select: 'work' }, { confirm: true }, { longtext: 'Khách hàng cần…' }]);
 *
 * An entry may carry `message`: a substring the prompt's message must contain. `{ interrupt: true }`
 * throws the same exit-130 CsError the terminal throws on Ctrl-C (optionally only for one prompt
 * kind: `{ interrupt: true, at: 'date' }`). `{ …, during: () => … }` runs code while the prompt waits
 * (another process committing meanwhile).
 */
import { interrupted } from '../../src/errors.js';
import type { Choice, ConfirmPrompt, LongtextPrompt, NumberPrompt, Progress, Style, TextPrompt, Ui } from '../../src/ui/ui.js';
import { plainStyle } from '../../src/ui/ui.js';
import { progressLine } from '../../src/ui/progress.js';

export type PromptKind = 'text' | 'longtext' | 'date' | 'number' | 'confirm' | 'select' | 'multiselect';

/**
 * `message`: a substring the prompt's message must contain. `during`: run while the prompt waits for
 * its answer (e.g. another walk of the same run commits something meanwhile).
 */
type WithMessage = { message?: string; during?: () => unknown };

export type Expected =
  | ({ text: string } & WithMessage)
  | ({ longtext: string } & WithMessage)
  | ({ date: string } & WithMessage)
  | ({ number: number | undefined } & WithMessage)
  | ({ confirm: boolean } & WithMessage)
  | ({ select: string } & WithMessage)
  | ({ multiselect: string[] } & WithMessage)
  | ({ interrupt: true; at?: PromptKind } & WithMessage);

/** One prompt as the code under test asked it. */
export interface AskedPrompt {
  kind: PromptKind;
  message: string;
  /** The options object the prompt got (choices, default, required, min, max…). */
  options: Record<string, unknown>;
}

const KINDS: PromptKind[] = ['text', 'longtext', 'date', 'number', 'confirm', 'select', 'multiselect'];

/** Thrown on any surprise: never a CsError, so no code under test can mistake it for a user error. */
export class ScriptMismatch extends Error {
  override name = 'ScriptMismatch';
}

function kindOf(entry: Expected): PromptKind | 'interrupt' {
  if ('interrupt' in entry) return 'interrupt';
  const kind = KINDS.find((candidate) => candidate in entry);
  if (!kind) throw new ScriptMismatch(`a script entry names no prompt kind: ${JSON.stringify(entry)}`);
  return kind;
}

export class ScriptedUi implements Ui {
  readonly interactive = true;
  readonly style: Style = plainStyle;
  /** Like a pipe: no width, so nothing is shortened (a test may set one). */
  columns: number | undefined = undefined;
  /** Like a pipe: no height, so the agenda is never summed up (a test may set one). */
  rows: number | undefined = undefined;
  /** Every line given to out(), in order (a multi-line text is one entry). */
  readonly output: string[] = [];
  /** Every line given to err(). */
  readonly errors: string[] = [];
  /** Whether stderr is a terminal, so that progress bars are drawn (into `drawn`). */
  progressTerminal = false;
  /** Every progress bar drawn: its lines, '' where it was cleared. */
  readonly drawn: string[] = [];
  /** Every prompt asked, in order, whether or not it matched the script. */
  readonly asked: AskedPrompt[] = [];
  private readonly queue: Expected[];

  constructor(script: Expected[]) {
    this.queue = [...script];
  }

  progress(label: string): Progress {
    if (!this.progressTerminal) return { update: () => {}, clear: () => {} };
    return { update: (done, total) => this.drawn.push(progressLine(label, done, total, this.columns)), clear: () => this.drawn.push('') };
  }

  /** What was printed on stdout, as one text. */
  get printed(): string {
    return this.output.join('\n');
  }

  /** Entries not consumed yet. */
  get remaining(): readonly Expected[] {
    return this.queue;
  }

  /** Fails when the script was not played to its end (the code under test asked fewer prompts). */
  assertDone(): void {
    if (this.queue.length > 0) {
      throw new ScriptMismatch(`${this.queue.length} scripted prompt(s) never came: ${JSON.stringify(this.queue)}\n${this.transcript()}`);
    }
  }

  out(text = ''): void {
    this.output.push(text);
  }

  err(text: string): void {
    this.errors.push(text);
  }

  /** A document is recorded like any other output, without its last line break. */
  document(text: string): void {
    this.output.push(text.replace(/\r?\n$/, ''));
  }

  private transcript(): string {
    const asked = this.asked.map((prompt, index) => `  ${index + 1}. ${prompt.kind}: ${prompt.message}`).join('\n');
    return `Prompts asked so far:\n${asked || '  (none)'}\nPrinted so far:\n${this.printed}`;
  }

  /** Takes the next entry, checking it expects this kind of prompt (and message). */
  private async next(kind: PromptKind, options: { message: string }): Promise<Expected> {
    this.asked.push({ kind, message: options.message, options: { ...options } });
    const entry = this.queue.shift();
    if (!entry) {
      throw new ScriptMismatch(`unexpected ${kind} prompt "${options.message}": the script has run out\n${this.transcript()}`);
    }
    const expected = kindOf(entry);
    if (expected === 'interrupt') {
      const at = (entry as { at?: PromptKind }).at;
      if (at !== undefined && at !== kind) {
        throw new ScriptMismatch(`expected a ${at} prompt to interrupt; got a ${kind} prompt "${options.message}"\n${this.transcript()}`);
      }
    } else if (expected !== kind) {
      throw new ScriptMismatch(
        `expected a ${expected} prompt (${JSON.stringify(entry)}); got a ${kind} prompt "${options.message}"\n${this.transcript()}`,
      );
    }
    if (entry.message !== undefined && !options.message.includes(entry.message)) {
      throw new ScriptMismatch(`expected a ${kind} prompt containing "${entry.message}"; got "${options.message}"\n${this.transcript()}`);
    }
    // another walk's commit (a promise on a server): over before this prompt answers
    await entry.during?.();
    if (expected === 'interrupt') throw interrupted();
    return entry;
  }

  private checkChoices(kind: PromptKind, message: string, choices: Choice[], wanted: string[]): void {
    const offered = choices.filter((choice) => !choice.disabled).map((choice) => choice.value);
    const missing = wanted.filter((value) => !offered.includes(value));
    if (missing.length > 0) {
      throw new ScriptMismatch(
        `the ${kind} prompt "${message}" offers ${offered.map((value) => JSON.stringify(value)).join(', ')}; the script wants ${missing.map((value) => JSON.stringify(value)).join(', ')}\n${this.transcript()}`,
      );
    }
  }

  async text(options: TextPrompt): Promise<string> {
    return ((await this.next('text', options)) as { text: string }).text;
  }

  async longtext(options: LongtextPrompt): Promise<string> {
    return ((await this.next('longtext', options)) as { longtext: string }).longtext;
  }

  async date(options: TextPrompt): Promise<string> {
    return ((await this.next('date', options)) as { date: string }).date;
  }

  async number(options: NumberPrompt): Promise<number | undefined> {
    return ((await this.next('number', options)) as { number: number | undefined }).number;
  }

  async confirm(options: ConfirmPrompt): Promise<boolean> {
    return ((await this.next('confirm', options)) as { confirm: boolean }).confirm;
  }

  async select<T extends string>(options: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
    const value = ((await this.next('select', options)) as { select: string }).select;
    this.checkChoices('select', options.message, options.choices, [value]);
    return value as T;
  }

  async multiselect(options: { message: string; choices: Choice[]; required?: boolean }): Promise<string[]> {
    const values = ((await this.next('multiselect', options)) as { multiselect: string[] }).multiselect;
    this.checkChoices('multiselect', options.message, options.choices, values);
    return values;
  }

  /** The choices offered by the n-th prompt asked (0-based), by value. */
  choicesOf(index: number): string[] {
    const choices = this.asked[index]?.options.choices as Choice[] | undefined;
    return (choices ?? []).map((choice) => choice.value);
  }
}
