/**
 * A JSON array written as it is made, one element a line: `[`, then each element's JSON indented
 * by two spaces (a comma after all but the last), then `]`. The `--json` of `cs status`, `cs agenda`
 * and `cs accounts list` over a whole book never holds all its elements, nor one string of them all
 * (V8 refuses a string past ~512 MiB: "Invalid string length"), and a reader can take it line by line.
 */
import type { Ui } from '../ui/ui.js';

/** Lines are handed to the terminal in batches of about this many characters. */
const BATCH = 64 * 1024;

/**
 * Writes the elements' JSON texts (each on one line, as JSON.stringify gives it) as one array, as
 * they come: `elements` may be asynchronous (runs loaded a page at a time).
 */
export async function writeJsonLines(ui: Pick<Ui, 'out'>, elements: AsyncIterable<string> | Iterable<string>): Promise<void> {
  // each element waits for the next one, which decides whether it ends with a comma
  let pending: string | undefined;
  let lines: string[] = ['['];
  let size = 0;
  for await (const element of elements) {
    if (pending !== undefined) {
      lines.push(`  ${pending},`);
      size += pending.length;
      if (size >= BATCH) {
        ui.out(lines.join('\n'));
        [lines, size] = [[], 0];
      }
    }
    pending = element;
  }
  if (pending === undefined) ui.out('[]');
  else ui.out([...lines, `  ${pending}`, ']'].join('\n'));
}
