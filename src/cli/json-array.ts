/**
 * A JSON array written as it is made, element by element, exactly as JSON.stringify(items, null, 2)
 * would print it: `cs status --json` over 100,000 runs never holds them all, nor one string of them
 * all (V8 refuses a string past ~512 MiB: "Invalid string length").
 */
import type { Ui } from '../ui/ui.js';

/** Lines are handed to the terminal in batches of about this many characters. */
const BATCH = 64 * 1024;

/** Writes the elements as they come (`items` may be asynchronous: runs loaded a page at a time). */
export async function writeJsonArray(ui: Pick<Ui, 'out'>, items: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  // each element is held until the next one comes: only then is it known to need a comma
  let pending: string | undefined;
  let batch = '';
  const add = (element: string) => {
    batch = batch === '' ? element : `${batch}\n${element}`;
    if (batch.length >= BATCH) {
      ui.out(batch);
      batch = '';
    }
  };
  for await (const item of items) {
    if (pending === undefined) ui.out('[');
    else add(`${pending},`);
    pending = `  ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}`;
  }
  if (pending === undefined) {
    ui.out('[]');
    return;
  }
  add(pending);
  if (batch !== '') ui.out(batch);
  ui.out(']');
}
