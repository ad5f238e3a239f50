/**
 * Columns that line up for Vietnamese and wide (CJK, emoji) text: measured by display width, not
 * length. string-width builds an Intl.Segmenter and large Unicode regexes when loaded (~10-20 ms),
 * so it is loaded only when a cell holds text outside the Latin ranges, where one code unit is one
 * column (Vietnamese in NFC included).
 */
type Measure = (text: string) => number;

const ANSI = /\u001b\[[0-9;]*m/g;
// Printable ASCII, Latin-1, Latin Extended A/B, IPA, and Latin Extended Additional (Vietnamese).
const ONE_COLUMN_EACH = /^[\u0020-\u007e\u00a0-\u02af\u1e00-\u1eff\u2013\u2014\u2018-\u201d\u2026·•✓↷○☐!]*$/u;

function simpleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

function isSimple(text: string): boolean {
  return ONE_COLUMN_EACH.test(text.replace(ANSI, '').normalize('NFC'));
}

async function measureFor(cells: string[]): Promise<Measure> {
  if (cells.every(isSimple)) return (text) => simpleWidth(text.normalize('NFC'));
  return (await import('string-width')).default;
}

/** Rows of cells → aligned lines; the last column is not padded. Cells may carry colour codes. */
export async function table(rows: string[][], gap = '  '): Promise<string[]> {
  const measure = await measureFor(rows.flat());
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, measure(cell))));
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, widths[index]! - measure(cell)))))
      .join(gap)
      .trimEnd(),
  );
}
