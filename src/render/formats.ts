/**
 * The filled template is Markdown-flavoured text (headings, "- " lists, **bold**). From it: md as
 * it is, txt without the markup, and html. For html the whole text is HTML-escaped first, every
 * answer with it, and only then are tags added for the few constructs below; so nothing a
 * customer typed (`<script>`, `&`) can become markup.
 */

/** A header value on one line: a newline in an answer must never start a header of its own. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Marks, in the filled text, the end of each line of a multi-line value: a line break the person
 * typed, which the output formats keep as a line (a hard break in Markdown), unlike the line
 * breaks of the template itself. A private-use character no answer contains (it is taken out of
 * values first) and every format removes.
 */
export const LINE_BREAK = '\uE000';

/** A template line that ends with a hard break (`Best regards,\`): text and HTML keep the line, not the mark. */
const HARD_BREAK = /(?<!\\)\\$/;

/** A line that starts a Markdown block of its own (a table row too): a line break before it needs no marking. */
const BLOCK_START = /^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}(?:\s|$)|>|```|~~~|\||(?:-{3,}|\*{3,}|_{3,})\s*$)/;

/**
 * The lines a person typed in one answer, kept as lines: in Markdown a line break inside a
 * paragraph is only a space, so each marked line that a paragraph line follows ends with a
 * backslash (CommonMark's hard break; trailing spaces would be trimmed by editors, and by tidy);
 * lines that start a block (list items, headings, quotes) need nothing, and a template's own hard
 * break (`**{{prompt}}**\`) is dropped there too. `plain` (text, HTML) only drops the marks: those
 * formats keep every line as it is.
 */
export function keepLines(filled: string, as: 'markdown' | 'plain'): string {
  if (as === 'plain') return filled.replaceAll(LINE_BREAK, '');
  const lines = filled.split('\n');
  return lines
    .map((line, index) => {
      const text = line.replaceAll(LINE_BREAK, '').trimEnd();
      const next = (lines[index + 1] ?? '').replaceAll(LINE_BREAK, '');
      // a hard break is one only where a paragraph goes on: before a list item or a blank line it is a stray backslash
      const continues = text.trim() !== '' && next.trim() !== '' && !BLOCK_START.test(next) && !/^\s*#{1,6}\s/.test(text);
      if (line.endsWith(LINE_BREAK)) return continues && !text.endsWith('\\') ? `${text}\\` : text;
      return !continues && HARD_BREAK.test(line) ? line.replace(HARD_BREAK, '') : line;
    })
    .join('\n');
}

/** No trailing spaces, no runs of blank lines left by optional sections, one final newline. */
export function tidy(text: string): string {
  const lines = text.split('\n').map((line) => line.trimEnd());
  const kept = lines.filter((line, index) => line !== '' || (index > 0 && lines[index - 1] !== ''));
  return `${kept.join('\n').trim()}\n`;
}

/** Plain text: the same lines without heading marks, bold stars and hard-break backslashes. */
export function toText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => line.replace(/^#{1,6}\s+/, '').replace(/\*\*(.+?)\*\*/g, '$1').replace(HARD_BREAK, ''))
    .join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Bold and bare links, in text already escaped. */
function inline(escaped: string): string {
  return escaped
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/https?:\/\/[^\s]+?(?=[.,;:!?)]*(?:\s|$))/g, (url) => `<a href="${url}">${url}</a>`);
}

type Block = { tag: 'p' | 'ul' | 'ol' | 'blockquote' | 'table'; items: string[][] };

/** The cells of a Markdown table row (`| a | b \\| c |`), or undefined when the line is not one. */
function tableCells(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|') || trimmed.length < 2) return undefined;
  return trimmed
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((part) => part.replace(/\\\|/g, '|').trim());
}

function tableHtml(rows: string[][]): string {
  const [head, rule, ...body] = rows;
  const isRule = rule !== undefined && rule.every((part) => /^:?-+:?$/.test(part));
  const header = isRule ? head! : undefined;
  const bodyRows = isRule ? body : rows;
  const row = (cells: string[], tag: 'th' | 'td') => `<tr>${cells.map((text) => `<${tag}>${inline(text)}</${tag}>`).join('')}</tr>`;
  return ['<table>', ...(header ? [`<thead>${row(header, 'th')}</thead>`] : []), '<tbody>', ...bodyRows.map((cells) => row(cells, 'td')), '</tbody>', '</table>'].join('\n');
}

/** Markdown-flavoured text to HTML body markup: headings, lists, quotes, rules, paragraphs. */
export function toHtmlBody(markdown: string): string {
  const html: string[] = [];
  let block: Block | undefined;
  const close = () => {
    if (!block) return;
    const lines = (item: string[]) => item.map(inline).join('<br>\n');
    if (block.tag === 'table') html.push(tableHtml(block.items));
    else if (block.tag === 'p') html.push(`<p>${lines(block.items[0]!)}</p>`);
    else if (block.tag === 'blockquote') html.push(`<blockquote><p>${lines(block.items[0]!)}</p></blockquote>`);
    else html.push(`<${block.tag}>\n${block.items.map((item) => `<li>${lines(item)}</li>`).join('\n')}\n</${block.tag}>`);
    block = undefined;
  };
  const add = (tag: Block['tag'], text: string, newItem: boolean) => {
    if (block?.tag !== tag) {
      close();
      block = { tag, items: [] };
    }
    if (newItem || block.items.length === 0) block.items.push([text]);
    else block.items[block.items.length - 1]!.push(text);
  };
  for (const raw of escapeHtml(markdown).split('\n').map((line) => line.replace(HARD_BREAK, ''))) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(raw);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(raw);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(raw);
    const quote = /^&gt;\s?(.*)$/.exec(raw);
    const cells = tableCells(raw);
    if (raw.trim() === '') close();
    else if (cells) {
      if (block?.tag !== 'table') {
        close();
        block = { tag: 'table', items: [] };
      }
      block.items.push(cells);
    }
    else if (heading) {
      close();
      html.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (/^(-{3,}|\*{3,})$/.test(raw.trim())) {
      close();
      html.push('<hr>');
    } else if (bullet) add('ul', bullet[1]!, true);
    else if (numbered) add('ol', numbered[1]!, true);
    else if (quote) add('blockquote', quote[1]!, false);
    else if (block && block.tag !== 'p') add(block.tag, raw.trim(), false); // a list item or quote goes on, as in CommonMark
    else add('p', raw.trim(), false);
  }
  close();
  return html.join('\n');
}

/** A minimal, self-contained HTML document. */
export function toHtmlDocument(title: string, markdown: string): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 46em; margin: 2em auto; padding: 0 1em; }</style>',
    '</head>',
    '<body>',
    toHtmlBody(markdown),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
