/**
 * A JSON array written as it is made, one element a line: `[`, then each element's JSON indented
 * by two spaces (a comma after all but the last), then `]`. The `--json` of `cs status`, `cs agenda`
 * and `cs accounts list` over a whole book never holds all its elements, nor one string of them all
 * (V8 refuses a string past ~512 MiB: "Invalid string length"), and a reader can take it line by line.
 */
import type { Ui } from '../ui/ui.js';

/** Lines are handed to the terminal in batches of about this many characters. */
const BATCH = 64 * 1024;

/** What lines go through: ui.out, a batch of about 64 KB at a time (a book's 500,000 lines are not 500,000 writes). */
export interface LinesOut {
  out(text?: string): void;
  flush(): void;
}

export function linesOut(ui: Pick<Ui, 'out'>): LinesOut {
  let lines: string[] = [];
  let size = 0;
  const flush = () => {
    if (lines.length > 0) ui.out(lines.join('\n'));
    [lines, size] = [[], 0];
  };
  return {
    out(text = '') {
      lines.push(text);
      size += text.length + 1;
      if (size >= BATCH) flush();
    },
    flush,
  };
}

/**
 * Writes the elements' JSON texts (each on one line, as JSON.stringify gives it) as one array, as
 * they come: `elements` may be asynchronous (runs loaded a page at a time).
 */
export async function writeJsonLines(ui: Pick<Ui, 'out'>, elements: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const out = linesOut(ui);
  // each element waits for the next one, which decides whether it ends with a comma
  let pending: string | undefined;
  for await (const element of elements) {
    out.out(pending === undefined ? '[' : `  ${pending},`);
    pending = element;
  }
  out.out(pending === undefined ? '[]' : `  ${pending}\n]`);
  out.flush();
}
