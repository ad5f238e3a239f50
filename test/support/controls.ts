/**
 * Control characters a terminal acts on, and the hostile texts the escape tests put everywhere a
 * text can come from. cs writes each control character as `\uXXXX` (src/ui/visible.ts); only line
 * feeds, tabs and CR LF pairs reach a terminal as they are.
 */
import { expect } from 'vitest';

/** C0 but \t and \n, DEL, C1, bidi marks, embeddings, overrides and isolates. (CR: see below.) */
export const LIVE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/** The first live control character in `text`, shown with what surrounds it. */
function describeControl(text: string): string {
  const match = LIVE_CONTROL.exec(text);
  if (!match) return '';
  const around = text.slice(Math.max(0, match.index - 30), match.index + 30);
  return `U+${match[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} in ${JSON.stringify(around)}`;
}

/** Neither stream carries a control character a terminal would act on. */
export function expectNoLiveControls(result: { stdout: string; stderr: string }, what = 'cs'): void {
  expect(describeControl(result.stdout), `${what}: a control character reached stdout`).toBe('');
  expect(describeControl(result.stderr), `${what}: a control character reached stderr`).toBe('');
}

/** One hostile text per kind of escape (each also a single visible form, as cs prints it). */
export const HOSTILE = {
  osc52: { text: '\u001b]52;c;aGFja2Vk\u0007', shown: '\\u001b]52;c;aGFja2Vk\\u0007' },
  title: { text: '\u001b]0;pwned\u001b\\', shown: '\\u001b]0;pwned\\u001b\\' },
  clear: { text: '\u001b[2J\u001b[H', shown: '\\u001b[2J\\u001b[H' },
  c1csi: { text: '\u009b31m', shown: '\\u009b31m' },
  bel: { text: 'ring\u0007', shown: 'ring\\u0007' },
  bidi: { text: '\u202eevil\u202c', shown: '\\u202eevil\\u202c' },
  del: { text: 'x\u007fy', shown: 'x\\u007fy' },
  cr: { text: 'over\rwrite', shown: 'over\\u000dwrite' },
} as const;

/** Every hostile text, one after the other, after `label`. */
export function hostile(label: string): string {
  return `${label} ${Object.values(HOSTILE).map((each) => each.text).join(' ')}`;
}

/** What cs shows for hostile(label). */
export function hostileShown(label: string): string {
  return `${label} ${Object.values(HOSTILE).map((each) => each.shown).join(' ')}`;
}
