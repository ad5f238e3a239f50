/**
 * The real terminal: @inquirer/prompts (loaded on the first prompt only) for questions. What is
 * printed is made safe by writeOut/writeErr (src/ui/output.ts), what a prompt shows by
 * forTerminal() here: both src/ui/visible.ts, so no command can forget it.
 */
import { interrupted } from '../errors.js';
import { exclusiveConflict } from '../engine/answers.js';
import { DATE_FORMS, formatDay, today } from '../engine/dates.js';
import { formatDate, formatNumber } from '../i18n/formats.js';
import { parseNumberInput, readDateIn } from '../i18n/input.js';
import { localeOf } from '../i18n/lang.js';
import { say, t, uiLang } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/messages.js';
import { existsSync } from 'node:fs';
import { editInEditor, editorCommand, readLongtext } from './longtext.js';
import { isTerminal, redrawErr, writeBytes, writeErr, writeOut } from './output.js';
import { progressLine } from './progress.js';
import type { Choice, ConfirmPrompt, LongtextPrompt, MultiselectPrompt, NumberPrompt, Progress, Style, TextPrompt, Ui } from './ui.js';
import { plainStyle } from './ui.js';
import { escapeStyle, forTerminal, markedStyle, stripStyle, visible } from './visible.js';

type Inquirer = typeof import('@inquirer/prompts');

export interface TerminalOptions {
  /** --no-color given. */
  noColor?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The one colour decision, for everything cs prints and for its prompts: never with --no-color or
 * under NO_COLOR (https://no-color.org); FORCE_COLOR=0 (or false) is no colour, any other
 * FORCE_COLOR is colour even on a pipe; otherwise colour on a terminal that is not TERM=dumb.
 */
export function colourWanted(options: TerminalOptions): boolean {
  const env = options.env ?? process.env;
  if (options.noColor || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR.toLowerCase() !== 'false';
  return isTerminal(1) && env.TERM !== 'dumb';
}

/**
 * The terminal's width for tables and wrapped text, or undefined when stdout is not a terminal (a
 * pipe or a file gets whole lines). COLUMNS, when set to a number, is taken over what the terminal
 * reports, as ls and git do.
 */
export function terminalColumns(env: NodeJS.ProcessEnv): number | undefined {
  if (!isTerminal(1)) return undefined;
  const fromEnv = /^\s*(\d{1,5})\s*$/.exec(env.COLUMNS ?? '');
  if (fromEnv && Number(fromEnv[1]) > 0) return Number(fromEnv[1]);
  return process.stdout.columns || 80;
}

/** The terminal's height, like terminalColumns: LINES over what the terminal reports; undefined off a terminal. */
export function terminalRows(env: NodeJS.ProcessEnv): number | undefined {
  if (!isTerminal(1)) return undefined;
  const fromEnv = /^\s*(\d{1,5})\s*$/.exec(env.LINES ?? '');
  if (fromEnv && Number(fromEnv[1]) > 0) return Number(fromEnv[1]);
  return process.stdout.rows || 24;
}

/**
 * The words of inquirer's key help line (`↑↓ navigate • ⏎ select`), in the interface's language:
 * inquirer hands the theme English keys and actions, and prints what the theme returns.
 */
const KEY_WORDS: Record<string, MessageKey> = {
  navigate: 'prompt.keys.navigate',
  select: 'prompt.keys.select',
  submit: 'prompt.keys.submit',
  all: 'prompt.keys.all',
  invert: 'prompt.keys.invert',
  space: 'prompt.keys.space',
};

function keyWord(word: string): string {
  const key = KEY_WORDS[word];
  return key ? t(key) : word;
}

/**
 * @inquirer/prompts' look, made from the same colour decision as the rest of cs: with colour off
 * every style is the identity (inquirer's own defaults would follow only NO_COLOR and the stream,
 * never --no-color). Values inquirer prints as they are — defaults and answers, which may come from
 * the database — are made visible here; messages and choices are made visible before they are
 * handed over.
 */
function promptTheme(colour: boolean) {
  const style = colour ? escapeStyle : { ...plainStyle, blue: (text: string) => text };
  return {
    prefix: { idle: style.blue('?'), done: style.green('✔') },
    spinner: { interval: 80, frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'].map((frame) => style.yellow(frame)) },
    icon: { cursor: '❯', checked: style.green('◉'), unchecked: '◯', disabledChecked: style.green('◎'), disabledUnchecked: '-' },
    style: {
      answer: (text: string) => style.cyan(visible(text)),
      message: (text: string) => style.bold(text),
      error: (text: string) => style.red(`> ${visible(text)}`),
      defaultAnswer: (text: string) => style.dim(`(${visible(text)})`),
      help: (text: string) => style.dim(text),
      highlight: (text: string) => style.cyan(text),
      key: (text: string) => style.cyan(style.bold(`<${text}>`)),
      disabled: (text: string) => style.dim(text),
      description: (text: string) => style.cyan(text),
      keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${style.bold(keyWord(key))} ${style.dim(keyWord(action))}`).join(style.dim(' • ')),
      confirmDefault: (text: string) => {
        const first = text[0] ?? '';
        return first.toLowerCase() === first.toUpperCase() ? style.cyan(text) : first.toUpperCase() + text.slice(1);
      },
    },
  };
}

/** A choice as inquirer shows it: its name and description made visible, its answer line plain. */
function shownChoice<T extends string>(choice: Choice<T>): Choice<T> & { short: string } {
  return {
    ...choice,
    name: forTerminal(choice.name),
    short: visible(stripStyle(choice.name)),
    description: choice.description === undefined ? undefined : forTerminal(choice.description),
    disabled: typeof choice.disabled === 'string' ? forTerminal(choice.disabled) : choice.disabled,
  };
}

/** Words a yes/no question takes in Vietnamese (and the English ones, which everyone types). */
const YES_WORDS = new Set(['c', 'có', 'co', 'y', 'yes']);
const NO_WORDS = new Set(['k', 'không', 'khong', 'n', 'no']);

/** A rule's wording ("expected a whole number…") as a prompt shows it: a capital first. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class TerminalUi implements Ui {
  readonly style: Style;
  private readonly env: NodeJS.ProcessEnv;
  private inquirer?: Promise<Inquirer>;
  private terminal?: boolean;
  private width?: number | null;
  private readonly theme: ReturnType<typeof promptTheme>;

  static async create(options: TerminalOptions = {}): Promise<TerminalUi> {
    return new TerminalUi(options, colourWanted(options));
  }

  private constructor(options: TerminalOptions, colour: boolean) {
    this.env = options.env ?? process.env;
    this.style = colour ? markedStyle : plainStyle;
    this.theme = promptTheme(colour);
  }

  /** What an input prompt echoes as it is typed (a paste may hold control characters) and once answered. */
  private readonly echo = (value: string, { isFinal }: { isFinal: boolean }) => (isFinal ? this.theme.style.answer(value) : visible(value));

  get columns(): number | undefined {
    if (this.width === undefined) this.width = terminalColumns(this.env) ?? null;
    return this.width ?? undefined;
  }

  get rows(): number | undefined {
    return terminalRows(this.env);
  }

  /** Asked only by commands that prompt: finding out loads Node's tty module. */
  get interactive(): boolean {
    this.terminal ??= isTerminal(0) && isTerminal(1);
    return this.terminal;
  }

  out(text = ''): void {
    writeOut(`${text}\n`);
  }

  progress(label: string): Progress {
    if (!isTerminal(2)) return { update: () => {}, clear: () => {} };
    const columns = this.columns ?? (process.stderr.columns || 80);
    return { update: (done, total) => redrawErr(progressLine(label, done, total, columns)), clear: () => redrawErr('') };
  }

  err(text: string): void {
    writeErr(`${text}\n`);
  }

  document(text: string): void {
    if (isTerminal(1)) writeOut(text);
    else writeBytes(text);
  }

  /** Loads the prompt library once, and turns Ctrl-C inside any prompt into our exit 130. */
  private async ask<T>(run: (inquirer: Inquirer, theme: never) => Promise<T>): Promise<T> {
    this.inquirer ??= import('@inquirer/prompts');
    try {
      return await run(await this.inquirer, this.theme as never);
    } catch (error) {
      if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError') throw interrupted();
      throw error;
    }
  }

  /** A prompt's message (with its help), as the prompt library is given it: made visible. */
  private message(options: { message: string; help?: string }, hint?: string): string {
    const help = [options.help, hint].filter(Boolean).map((text) => this.style.dim(`(${text})`));
    return forTerminal([options.message, ...help].join(' '));
  }

  text(options: TextPrompt): Promise<string> {
    return this.ask((inquirer, theme) =>
      inquirer.input({
        transformer: this.echo,
        message: this.message(options),
        theme,
        default: options.default,
        // not inquirer's `required`, whose refusal is English: the same rule, said here
        validate: (value) => !options.required || value.trim() !== '' || t('prompt.required'),
      }),
    );
  }

  /** Line by line on the raw terminal (src/ui/longtext.ts); the editor only on `:e` or Ctrl-E. */
  async longtext(options: LongtextPrompt): Promise<string> {
    if (options.default) this.out(this.style.dim(options.default.replace(/^/gm, '  │ ')));
    const clearable = Boolean(options.default) && !options.required;
    const editor = editorCommand(this.env, existsSync);
    const hint = [
      t(options.default ? 'prompt.longtextKeep' : 'prompt.longtextHint'),
      clearable ? t('prompt.longtextClear') : undefined,
      t('prompt.longtextEditor', { editor }),
    ].filter(Boolean).join(' · ');
    let initial = options.initial === undefined || options.initial === '' ? [] : options.initial.split('\n');
    for (;;) {
      const end = await readLongtext(
        { input: process.stdin, output: process.stdout },
        {
          message: this.theme.style.message(this.message(options, hint)),
          prefix: this.theme.prefix,
          error: (text) => this.theme.style.error(text),
          required: Boolean(options.required),
          hasDefault: Boolean(options.default),
          clearable,
          initial,
          onDraft: options.onDraft,
        },
      );
      if (end.kind === 'stop') throw interrupted();
      if (end.kind === 'clear') return '';
      if (end.kind === 'done') return end.lines.length === 0 ? (options.default ?? '') : end.lines.join('\n');
      const edited = await editInEditor(end.lines.length > 0 ? end.lines.join('\n') : (options.default ?? ''), editor);
      if ('text' in edited && (edited.text.trim() !== '' || !options.required)) {
        this.out(`${this.style.green('✔')} ${this.style.bold(options.message)} ${this.style.dim(t('prompt.fromEditor', { editor }))}`);
        if (edited.text !== '') this.out(edited.text.replace(/^/gm, '  │ '));
        return edited.text;
      }
      this.err('problem' in edited ? t('prompt.editorProblem', { problem: edited.problem }) : t('prompt.requiredGoOn'));
      initial = end.lines;
    }
  }

  /** Any form of the one date parser (src/engine/dates.ts); once answered, the date stored is shown, with its weekday. */
  async date(options: TextPrompt): Promise<string> {
    const now = today(this.env);
    const lang = uiLang();
    const typed = await this.ask((inquirer, theme) =>
      inquirer.input({
        message: this.message(options, t('prompt.dateHint', { forms: DATE_FORMS })),
        theme,
        default: options.default === undefined ? undefined : formatDate(options.default, lang),
        validate: (value) => {
          if (value.trim() === '') return options.required ? t('prompt.dateRequired') : true;
          const reading = readDateIn(value, lang, now);
          return reading.problem === undefined ? true : `${sentence(reading.problem)}.`;
        },
        // once answered, the line shows the date stored, with its weekday, not the words typed
        transformer: (value, state) => {
          const date = state.isFinal && value.trim() !== '' ? readDateIn(value, lang, now).date : undefined;
          return this.echo(date ? formatDay(date, lang === 'en' ? 'en' : localeOf(lang)) : value, state);
        },
      }),
    );
    return typed.trim() === '' ? '' : readDateIn(typed, lang, now).date!;
  }

  /** A number typed the way the user's language writes it (1,000.5 or 1.000,5; see src/i18n/input.ts). */
  async number(options: NumberPrompt): Promise<number | undefined> {
    const lang = uiLang();
    const problem = (value: string): string | undefined => {
      if (value.trim() === '') return options.required ? t('prompt.required') : undefined;
      const parsed = parseNumberInput(value, lang);
      if ('problem' in parsed) return parsed.problem;
      const number = parsed.value;
      if (options.integer && !Number.isInteger(number)) return t('input.whole', { value: formatNumber(number, lang) });
      if (options.min !== undefined && number < options.min) return t('input.atLeast', { min: formatNumber(options.min, lang), value: formatNumber(number, lang) });
      if (options.max !== undefined && number > options.max) return t('input.atMost', { max: formatNumber(options.max, lang), value: formatNumber(number, lang) });
      return undefined;
    };
    const typed = await this.ask((inquirer, theme) =>
      inquirer.input({
        transformer: this.echo,
        message: this.message(options, t('prompt.numberHint')),
        theme,
        default: options.default === undefined ? undefined : formatNumber(options.default, lang),
        validate: (value) => {
          const found = problem(value);
          return found === undefined || `${sentence(found)}.`;
        },
      }),
    );
    if (typed.trim() === '') return undefined;
    const parsed = parseNumberInput(typed, lang);
    return 'value' in parsed ? parsed.value : undefined;
  }

  confirm(options: ConfirmPrompt): Promise<boolean> {
    if (uiLang() === 'en') {
      return this.ask((inquirer, theme) =>
        inquirer.confirm({ message: this.message(options), default: options.default, theme }, { clearPromptOnDone: options.clearOnDone }),
      );
    }
    // inquirer's confirm takes y/n only: in Vietnamese, có/không (c/k) as well
    const hint = options.default === undefined ? 'c/k' : options.default ? 'C/k' : 'c/K';
    const word = (value: string) => value.trim().toLowerCase().normalize('NFC');
    return this.ask(async (inquirer, theme) => {
      const typed = await inquirer.input(
        {
          transformer: this.echo,
          message: `${this.message(options)} ${this.style.dim(`(${hint})`)}`,
          theme,
          validate: (value) => (word(value) === '' && options.default !== undefined) || YES_WORDS.has(word(value)) || NO_WORDS.has(word(value)) || t('prompt.yesNo'),
        },
        { clearPromptOnDone: options.clearOnDone },
      );
      return word(typed) === '' ? options.default! : YES_WORDS.has(word(typed));
    });
  }

  select<T extends string>(options: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
    return this.ask((inquirer, theme) =>
      inquirer.select<T>({
        ...options,
        message: this.message(options),
        choices: options.choices.map(shownChoice),
        pageSize: 12,
        loop: false,
        theme: { ...(theme as object), i18n: { disabledError: t('prompt.disabledSelect') } } as never,
      }),
    );
  }

  multiselect({ exclusive, required, ...options }: MultiselectPrompt): Promise<string[]> {
    return this.ask((inquirer, theme) =>
      inquirer.checkbox({
        ...options,
        message: this.message(options),
        choices: options.choices.map(shownChoice),
        pageSize: 12,
        loop: false,
        theme: { ...(theme as object), i18n: { disabledError: t('prompt.disabledToggle') } } as never,
        // not inquirer's `required`, whose refusal is English
        validate: (chosen) => {
          if (required && chosen.length === 0) return t('prompt.chooseAtLeastOne');
          const conflict = exclusiveConflict(exclusive, chosen.map((choice) => choice.value));
          return conflict === undefined || `${sentence(say(conflict))}.`;
        },
      }),
    );
  }
}
