/** The progress bar's line: label, bar, counts; as wide as the terminal allows (10 to 40 cells of bar). */
export function progressLine(label: string, done: number, total: number, columns = 80): string {
  const width = Math.max(10, Math.min(40, columns - label.length - 30));
  const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `${label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
}
