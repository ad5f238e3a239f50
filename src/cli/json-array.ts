/**
 * A JSON array written as it is made, element by element, exactly as JSON.stringify(items, null, 2)
 * would print it: `cs status --json` over 100,000 runs never holds them all, nor one string of them
 * all (V8 refuses a string past ~512 MiB: "Invalid string length").
 */
import type { Ui } from '../ui/ui.js';

/** Lines are handed to the terminal in batches of about this many characters. */
const BATCH = 64 * 1024;

export function writeJsonArray<T>(ui: Pick<Ui, 'out'>, items: readonly T[], toJson: (item: T) => unknown): void {
  if (items.length === 0) {
    ui.out('[]');
    return;
  }
  ui.out('[');
  let batch = '';
  items.forEach((item, index) => {
    const element = `  ${JSON.stringify(toJson(item), null, 2).replace(/\n/g, '\n  ')}${index < items.length - 1 ? ',' : ''}`;
    batch = batch === '' ? element : `${batch}\n${element}`;
    if (batch.length >= BATCH) {
      ui.out(batch);
      batch = '';
    }
  });
  if (batch !== '') ui.out(batch);
  ui.out(']');
}
