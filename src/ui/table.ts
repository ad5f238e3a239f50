/** Columns that line up for Vietnamese and wide (CJK, emoji) text: measured by display width, not length. */
import stringWidth from 'string-width';

export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** Rows of cells → aligned lines; the last column is not padded. Cells may carry colour codes. */
export function table(rows: string[][], gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, stringWidth(cell))));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : pad(cell, widths[index]!))).join(gap).trimEnd());
}
