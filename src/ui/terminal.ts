/** The real terminal: chalk for colour, @inquirer/prompts (loaded on the first prompt only) for questions. */
import { interrupted } from '../errors.js';
import { exclusiveConflict, notWhole } from '../engine/answers.js';
import { addOffset, isIsoDate, today } from '../engine/dates.js';
import { isTerminal, writeErr, writeOut } from './output.js';
import type { Choice, MultiselectPrompt, NumberPrompt, Style, TextPrompt, Ui } from './ui.js';
import { plainStyle } from './ui.js';

type Inquirer = typeof import('@inquirer/prompts');

export interface TerminalOptions {
  /** --no-color given. */
  noColor?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Colour only on a terminal, and never under NO_COLOR or --no-color (https://no-color.org). */
export function colourWanted(options: TerminalOptions): boolean {
  const env = options.env ?? process.env;
  if (options.noColor || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTerminal(1) && env.TERM !== 'dumb';
}

/** chalk is loaded only when colour is wanted: piped output and NO_COLOR users never pay for it. */
async function chalkStyle(): Promise<Style> {
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return {
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    red: (text) => chalk.red(text),
    green: (text) => chalk.green(text),
    yellow: (text) => chalk.yellow(text),
    cyan: (text) => chalk.cyan(text),
    magenta: (text) => chalk.magenta(text),
  };
}

/** `today`, `tomorrow`, `+3d`, `+2w`, `+1m` are accepted where a date is asked, and stored as YYYY-MM-DD. */
export function resolveDateInput(input: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = input.trim().toLowerCase();
  if (isIsoDate(value)) return value;
  if (value === 'today') return today(env);
  if (value === 'tomorrow') return addOffset(today(env), '1d');
  const relative = /^\+(\d{1,4}[dwm])$/.exec(value);
  return relative ? addOffset(today(env), relative[1]!) : undefined;
}

/** A rule's wording ("expected a whole number…") as a prompt shows it: a capital first. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class TerminalUi implements Ui {
  readonly style: Style;
  private readonly env: NodeJS.ProcessEnv;
  private inquirer?: Promise<Inquirer>;
  private terminal?: boolean;

  static async create(options: TerminalOptions = {}): Promise<TerminalUi> {
    return new TerminalUi(options, colourWanted(options) ? await chalkStyle() : plainStyle);
  }

  private constructor(options: TerminalOptions, style: Style) {
    this.env = options.env ?? process.env;
    this.style = style;
  }

  /** Asked only by commands that prompt: finding out loads Node's tty module. */
  get interactive(): boolean {
    this.terminal ??= isTerminal(0) && isTerminal(1);
    return this.terminal;
  }

  out(text = ''): void {
    writeOut(`${text}\n`);
  }

  err(text: string): void {
    writeErr(`${text}\n`);
  }

  /** Loads the prompt library once, and turns Ctrl-C inside any prompt into our exit 130. */
  private async ask<T>(run: (inquirer: Inquirer) => Promise<T>): Promise<T> {
    this.inquirer ??= import('@inquirer/prompts');
    try {
      return await run(await this.inquirer);
    } catch (error) {
      if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError') throw interrupted();
      throw error;
    }
  }

  private message(options: { message: string; help?: string }): string {
    return options.help ? `${options.message} ${this.style.dim(`(${options.help})`)}` : options.message;
  }

  text(options: TextPrompt): Promise<string> {
    return this.ask((inquirer) =>
      inquirer.input({
        message: this.message(options),
        default: options.default,
        required: options.required,
        validate: (value) => !options.required || value.trim() !== '' || 'An answer is required.',
      }),
    );
  }

  async longtext(options: TextPrompt): Promise<string> {
    if (this.env.VISUAL || this.env.EDITOR) {
      return this.ask((inquirer) =>
        inquirer.editor({
          message: this.message(options),
          default: options.default,
          waitForUserInput: true,
          validate: (value) => !options.required || value.trim() !== '' || 'An answer is required.',
        }),
      );
    }
    if (options.default) {
      this.out(this.style.dim(options.default.replace(/^/gm, '  │ ')));
    }
    const hint = options.default ? 'an empty line keeps the text above' : 'several lines; an empty line ends';
    const lines: string[] = [];
    for (;;) {
      const first = lines.length === 0;
      const line = await this.ask((inquirer) =>
        inquirer.input({
          message: first ? `${this.message(options)} ${this.style.dim(`(${hint})`)}` : this.style.dim('  next line (empty to finish)'),
          // a validate function answers true or an error message: never return the text itself
          validate: (value) => !first || !options.required || Boolean(options.default) || value.trim() !== '' || 'An answer is required.',
        }),
      );
      if (line === '') break;
      lines.push(line);
    }
    return lines.length === 0 ? (options.default ?? '') : lines.join('\n');
  }

  async date(options: TextPrompt): Promise<string> {
    const typed = await this.ask((inquirer) =>
      inquirer.input({
        message: `${this.message(options)} ${this.style.dim('(YYYY-MM-DD, today, +3d, +2w)')}`,
        default: options.default,
        validate: (value) => {
          if (value.trim() === '') return options.required ? 'A date is required.' : true;
          return resolveDateInput(value, this.env) ? true : 'Write a real date as YYYY-MM-DD (or today, tomorrow, +3d, +2w, +1m).';
        },
      }),
    );
    return typed.trim() === '' ? '' : resolveDateInput(typed, this.env)!;
  }

  number(options: NumberPrompt): Promise<number | undefined> {
    return this.ask((inquirer) =>
      inquirer.number({
        message: this.message(options),
        default: options.default,
        required: options.required,
        min: options.min,
        max: options.max,
        step: 'any',
        validate: (value) => !options.integer || value === undefined || Number.isInteger(value) || `${sentence(notWhole(value))}.`,
      }),
    );
  }

  confirm(options: { message: string; default?: boolean }): Promise<boolean> {
    return this.ask((inquirer) => inquirer.confirm(options));
  }

  select<T extends string>(options: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
    return this.ask((inquirer) => inquirer.select<T>({ ...options, pageSize: 12, loop: false }));
  }

  multiselect({ exclusive, ...options }: MultiselectPrompt): Promise<string[]> {
    return this.ask((inquirer) =>
      inquirer.checkbox({
        ...options,
        pageSize: 12,
        loop: false,
        validate: (chosen) => {
          const conflict = exclusiveConflict(exclusive, chosen.map((choice) => choice.value));
          return conflict === undefined || `${sentence(conflict)}.`;
        },
      }),
    );
  }
}
