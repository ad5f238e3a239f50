/**
 * Text laid out for a terminal's width: measured by display width, not length, so that Vietnamese,
 * CJK and emoji line up; shortened with an ellipsis; wrapped at word boundaries. string-width
 * builds an Intl.Segmenter and large Unicode regexes when loaded (~10-20 ms), so it is loaded only
 * when a text holds characters outside the Latin ranges, where one code point is one column
 * (Vietnamese in NFC included).
 */
import { STYLE_CODE, stripStyle, visible } from './visible.js';

export type Measure = (text: string) => number;

// Printable ASCII, Latin-1, Latin Extended A/B, IPA, Latin Extended Additional (Vietnamese), and
// the few symbols cs prints itself.
const ONE_COLUMN_EACH = /^[\u0020-\u007e\u00a0-\u02af\u1e00-\u1eff\u2013\u2014\u2018-\u201d\u2026·•✓↷○☐!]*$/u;

function isSimple(text: string): boolean {
  return ONE_COLUMN_EACH.test(stripStyle(text).normalize('NFC'));
}

// every character ONE_COLUMN_EACH allows is one UTF-16 code unit: the length is the width
const simpleWidth: Measure = (text) => stripStyle(text).normalize('NFC').length;

/** A measure good for every text given: the quick one when they are all simple. */
export async function measureFor(texts: string[]): Promise<Measure> {
  if (texts.every(isSimple)) return simpleWidth;
  const stringWidth = (await import('string-width')).default;
  return (text) => stringWidth(stripStyle(text));
}

/** The text's user-perceived characters, each with its width. */
function graphemes(text: string, measure: Measure): { text: string; width: number }[] {
  if (measure === simpleWidth) return [...text.normalize('NFC')].map((each) => ({ text: each, width: 1 }));
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return [...segmenter.segment(text)].map(({ segment }) => ({ text: segment, width: measure(segment) }));
}

/**
 * The text in at most `width` columns: cut at a character boundary and ended with "…". cs's colour
 * codes are kept (those after the cut too), so a style opened before the cut is still closed.
 */
export function truncate(text: string, width: number, measure: Measure): string {
  if (measure(text) <= width) return text;
  if (width <= 0) return '';
  let room = width - 1;
  let result = '';
  let cut = false;
  const take = (piece: string) => {
    if (cut) return;
    for (const each of graphemes(piece, measure)) {
      if (each.width > room) {
        cut = true;
        result += '…';
        return;
      }
      result += each.text;
      room -= each.width;
    }
  };
  let last = 0;
  for (const match of text.matchAll(STYLE_CODE)) {
    take(text.slice(last, match.index));
    result += match[0];
    last = match.index + match[0].length;
  }
  take(text.slice(last));
  return result;
}

const LIST_ITEM = /^( *)((?:[-*•]|\d{1,3}[.)]) +)?/;

/** Where the text of a line starts: after its indentation, and after its bullet if it is a list item. */
function textColumn(line: string): number {
  const [lead] = LIST_ITEM.exec(line)!;
  return lead.length;
}

/**
 * Prose re-flowed, then wrapped to `width` (a playbook's guide, written at the author's width):
 * the lines of a paragraph, and of a list item, are joined first; blank lines, list items and
 * lines indented otherwise start anew. Without a width, the text as it is.
 */
export async function reflow(text: string, width: number | undefined): Promise<string> {
  if (width === undefined) return text;
  const joined: string[] = [];
  for (const line of text.split('\n')) {
    const previous = joined[joined.length - 1];
    const [lead, , bullet] = LIST_ITEM.exec(line)!;
    const continues = previous !== undefined && previous.trim() !== '' && line.trim() !== '' && !bullet && lead.length === textColumn(previous);
    if (continues) joined[joined.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    else joined.push(line);
  }
  return wrap(joined.join('\n'), width);
}

/**
 * Each line of the text wrapped at spaces to `width` columns; a wrapped line goes on after
 * `indent` (default: the line's own leading spaces). Without a width (not a terminal), the text as
 * it is. A word longer than a line is left whole.
 */
export async function wrap(text: string, width: number | undefined, indent?: string): Promise<string> {
  if (width === undefined) return text;
  // measured as it will be shown: a control character takes the six columns of its \uXXXX
  const lines = visible(text).split('\n');
  const measure = await measureFor(lines);
  return lines
    .map((line) => {
      if (measure(line) <= width) return line;
      // a list item goes on under its text, not under its bullet
      const [lead, spaces, bullet = ''] = LIST_ITEM.exec(line)!;
      const hang = indent ?? spaces + ' '.repeat(bullet.length);
      const words = line.slice(lead.length).split(/ +/);
      if (bullet) words[0] = `${bullet}${words[0]}`;
      const out: string[] = [];
      let current = spaces!;
      let currentWidth = measure(current);
      let empty = true;
      for (const word of words) {
        const wordWidth = measure(word);
        if (!empty && currentWidth + 1 + wordWidth > width) {
          out.push(current);
          current = hang + word;
          currentWidth = measure(hang) + wordWidth;
        } else {
          current += empty ? word : ` ${word}`;
          currentWidth += empty ? wordWidth : 1 + wordWidth;
        }
        empty = false;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
