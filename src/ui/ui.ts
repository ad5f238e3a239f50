/**
 * The one interface between cs and a terminal: printing, colour, "may we prompt?", and the prompts
 * themselves. Commands receive a Ui; tests hand them a scripted fake (test/support/scripted-ui.ts).
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

export interface Choice<T extends string = string> {
  value: T;
  name: string;
  description?: string;
  checked?: boolean;
  disabled?: boolean | string;
}

export interface TextPrompt {
  message: string;
  default?: string;
  required?: boolean;
  help?: string;
}

export interface LongtextPrompt extends TextPrompt {
  /** Lines typed before (a draft the user chose to go on with): the answer continues from them. */
  initial?: string;
  /** Called with the lines typed so far as each one ends, and when the walk is stopped mid-answer. */
  onDraft?: (text: string) => void;
}

export interface ConfirmPrompt {
  message: string;
  default?: boolean;
  clearOnDone?: boolean;
}

export interface NumberPrompt {
  message: string;
  default?: number;
  required?: boolean;
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  help?: string;
}

export interface MultiselectPrompt {
  message: string;
  choices: Choice[];
  required?: boolean;
  /** Choices that can only be chosen alone ("nothing"). */
  exclusive?: readonly string[];
}

export interface Prompts {
  text(options: TextPrompt): Promise<string>;
  /**
   * Several lines, typed (or pasted) line by line until an empty line; the user's editor only when
   * asked for (`:e`). An empty answer keeps `default`; '' is returned when the user clears it.
   */
  longtext(options: LongtextPrompt): Promise<string>;
  /** A calendar date, returned as YYYY-MM-DD ('' when optional and left empty). */
  date(options: TextPrompt): Promise<string>;
  number(options: NumberPrompt): Promise<number | undefined>;
  /**
   * `clearOnDone`: the prompt is removed once answered, because the caller shows the outcome itself
   * (a checklist tick is marked ✔ only once it is saved).
   */
  confirm(options: ConfirmPrompt): Promise<boolean>;
  select<T extends string>(options: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  multiselect(options: MultiselectPrompt): Promise<string[]>;
}

/** A bar on stderr for long work (see Ui.progress). */
export interface Progress {
  /** Redraws the bar; cheap enough to call a hundred times. */
  update(done: number, total: number): void;
  /** Takes the bar off the screen, leaving the line empty. */
  clear(): void;
}

export interface Ui extends Prompts {
  /** Both ends are a terminal: prompting is possible. */
  readonly interactive: boolean;
  readonly style: Style;
  /**
   * The terminal's width in columns, for tables and wrapped text; undefined when stdout is not a
   * terminal, where lines are never shortened.
   */
  readonly columns: number | undefined;
  /** The terminal's height in lines (LINES overrides it); undefined when stdout is not a terminal. */
  readonly rows: number | undefined;
  /** A line (or lines) of normal output, on stdout, control characters made visible. */
  out(text?: string): void;
  /** Warnings and errors, on stderr, control characters made visible. */
  err(text: string): void;
  /** A progress bar with this label, drawn on stderr only when it is a terminal (else it does nothing). */
  progress(label: string): Progress;
  /**
   * A generated document on stdout, as it is: its exact bytes to a pipe or a file; on a terminal
   * its control characters made visible, like all else.
   */
  document(text: string): void;
}

export const plainStyle: Style = {
  bold: (text) => text,
  dim: (text) => text,
  red: (text) => text,
  green: (text) => text,
  yellow: (text) => text,
  cyan: (text) => text,
  magenta: (text) => text,
};
