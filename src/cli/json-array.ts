/**
 * A JSON array written as it is made, element by element, exactly as JSON.stringify(items, null, 2)
 * would print it: `cs status --json` over 100,000 runs never holds them all, nor one string of them
 * all (V8 refuses a string past ~512 MiB: "Invalid string length").
 */
import type { Ui } from '../ui/ui.js';

/** Lines are handed to the terminal in batches of about this many characters. */
const BATCH = 64 * 1024;

export async function writeJsonArray<T>(ui: Pick<Ui, 'out'>, items: readonly T[], toJson: (item: T) => unknown): Promise<void> {
  if (items.length === 0) {
    ui.out('[]');
    return;
  }
  ui.out('[');
  let batch = '';
  for (let index = 0; index < items.length; index += 1) {
    // toJson may answer with a promise (a run loaded from the store): one element at a time
    const element = `  ${JSON.stringify(await toJson(items[index]!), null, 2).replace(/\n/g, '\n  ')}${index < items.length - 1 ? ',' : ''}`;
    batch = batch === '' ? element : `${batch}\n${element}`;
    if (batch.length >= BATCH) {
      ui.out(batch);
      batch = '';
    }
  }
  if (batch !== '') ui.out(batch);
  ui.out(']');
}
