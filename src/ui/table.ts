/**
 * Rows of cells as aligned lines that fit the terminal: when the natural widths are too wide, the
 * widest shortenable column gives up columns first (its cells end in "…"), then the next widest;
 * numbers and dates can be kept whole. Without a width (stdout is not a terminal) nothing is cut.
 */
import { measureFor, truncate } from './layout.js';
import { visible } from './visible.js';

export interface TableOptions {
  /** The columns available (Ui.columns); undefined: no limit. */
  width?: number;
  /** Put before every line (counted in the width). */
  indent?: string;
  /** Between columns; default two spaces. */
  gap?: string;
  /** Columns (0-based) never shortened: counts, dates. */
  keep?: number[];
}

/** A column is never shortened below this (or its natural width, if smaller): "Côn…". */
const MIN_COLUMN = 4;

/** Rows of cells → aligned lines; the last column is not padded. Cells may carry cs's colours. */
export async function table(rows: string[][], options: TableOptions = {}): Promise<string[]> {
  const { width, indent = '', gap = '  ', keep = [] } = options;
  // a cell is one line: its line breaks and tabs would break the row
  const cells = rows.map((row) => row.map((cell) => visible(cell).replace(/\r?\n|\t/g, ' ')));
  const measure = await measureFor([...cells.flat(), indent]);
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, measure(cell))));
  if (width !== undefined) {
    const natural = [...widths];
    const total = () => measure(indent) + widths.reduce((sum, each) => sum + each, 0) + measure(gap) * Math.max(0, widths.length - 1);
    for (let overflow = total() - width; overflow > 0; overflow -= 1) {
      let widest = -1;
      widths.forEach((each, index) => {
        if (keep.includes(index) || each <= Math.min(MIN_COLUMN, natural[index]!)) return;
        if (widest === -1 || each > widths[widest]!) widest = index;
      });
      if (widest === -1) break;
      widths[widest]! -= 1;
    }
  }
  return cells.map((row) => {
    const line =
      indent +
      row
        .map((cell, index) => {
          const fitted = truncate(cell, widths[index]!, measure);
          return index === row.length - 1 ? fitted : fitted + ' '.repeat(Math.max(0, widths[index]! - measure(fitted)));
        })
        .join(gap)
        .trimEnd();
    // kept columns wider than the terminal: the line itself is cut, never wrapped by the terminal
    return width === undefined ? line : truncate(line, width, measure);
  });
}
