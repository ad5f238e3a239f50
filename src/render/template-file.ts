/**
 * One template file: an optional YAML front matter between `---` lines (title, format, subject,
 * to), then the Mustache body. Every problem comes back at once, each at its file:line.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { didYouMean, yamlSyntax } from '../playbook/problems.js';
import { said } from '../i18n/messages.js';
import type { Problem } from '../playbook/problems.js';
import { parseMustache } from './syntax.js';
import { firstControl } from '../ui/visible.js';
import type { Source, Token } from './syntax.js';

export const TEMPLATE_FORMATS = ['document', 'email'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

const KEYS = ['title', 'format', 'subject', 'to'] as const;
const FENCE = /^---[ \t]*$/;

/** A part of a template written in Mustache, with its parsed tokens. */
export interface MustachePart extends Source {
  tokens: Token[];
}

export interface Template {
  id: string;
  /** The file as shown to the user. */
  file: string;
  source: 'bundled' | 'user';
  title: string;
  format: TemplateFormat;
  /** Email templates: the Subject header, itself Mustache. */
  subject?: MustachePart;
  /** Optional: the To header, e.g. `{{answers.recap-email.recipients}}`. */
  to?: MustachePart;
  body: MustachePart;
}

interface Split {
  /** The YAML between the fences, and the file line it starts on. */
  yaml?: { text: string; firstLine: number };
  body: { text: string; firstLine: number };
}

function splitFrontMatter(text: string, file: string): Split | Problem {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { body: { text, firstLine: 1 } };
  const closing = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (closing === -1) {
    return { file, line: 1, col: 1, message: said('tpl.frontUnclosed') };
  }
  return {
    yaml: { text: lines.slice(1, closing).join('\n'), firstLine: 2 },
    body: { text: lines.slice(closing + 1).join('\n'), firstLine: closing + 2 },
  };
}

interface FrontMatter {
  title?: string;
  format?: TemplateFormat;
  subject?: Source;
  to?: Source;
}

function readFrontMatter(yaml: NonNullable<Split['yaml']>, file: string, problems: Problem[]): FrontMatter {
  const counter = new LineCounter();
  const doc = parseDocument(yaml.text, { lineCounter: counter, uniqueKeys: true, strict: true, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = counter.linePos(offset);
    return { file, line: line + yaml.firstLine - 1, col };
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ ...at(error.pos[0]), message: said('tpl.frontSyntax', { message: yamlSyntax(error) }) });
    return {};
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    problems.push({ ...at(doc.contents.range?.[0] ?? 0), message: said('tpl.frontNotMapping', { keys: KEYS.join(', ') }) });
    return {};
  }
  const found: FrontMatter = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyAt = at((pair.key as Node | null)?.range?.[0] ?? 0);
    const value = pair.value as Node | null;
    const text = isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
    if (!(KEYS as readonly string[]).includes(key)) {
      const guess = didYouMean(key, KEYS);
      problems.push({ ...keyAt, message: guess ? said('tpl.frontUnknownKeyGuess', { key, guess, keys: KEYS.join(', ') }) : said('tpl.frontUnknownKey', { key, keys: KEYS.join(', ') }) });
      continue;
    }
    if (text === undefined) {
      // `subject: {{x}}` is a YAML mapping, not text: the usual slip, so say how to write it.
      problems.push({ ...keyAt, message: said('tpl.frontNotText', { key }) });
      continue;
    }
    // an escape in quotes ("\e", "\x9b") gives a control character the file does not show
    const control = firstControl(text);
    if (control) {
      problems.push({ ...at(value?.range?.[0] ?? 0), message: said('tpl.frontControl', { key, code: control.code }) });
      continue;
    }
    if (key === 'format') {
      if ((TEMPLATE_FORMATS as readonly string[]).includes(text)) found.format = text as TemplateFormat;
      else problems.push({ ...keyAt, message: said('tpl.frontFormat', { formats: TEMPLATE_FORMATS.join(', '), got: text }) });
    } else if (key === 'title') {
      found.title = text;
    } else {
      const start = at(value?.range?.[0] ?? 0);
      const quoted = isScalar(value) && (value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE');
      found[key as 'subject' | 'to'] = { file, text, firstLine: start.line, firstCol: start.col + (quoted ? 1 : 0) };
    }
  }
  return found;
}

function withTokens(source: Source, problems: Problem[]): MustachePart | undefined {
  const parsed = parseMustache(source);
  if (parsed.problem) {
    problems.push(parsed.problem);
    return undefined;
  }
  return { ...source, tokens: parsed.tokens };
}

/**
 * Each line holding a control character (ESC, BEL, C1, DEL, a bidi override…), at its column: a
 * document must not carry terminal escapes or hidden reordering to a reader. Tabs are text.
 */
export function controlProblems(text: string, file: string): Problem[] {
  const problems: Problem[] = [];
  text.split('\n').forEach((line, index) => {
    const found = firstControl(line);
    if (found) problems.push({ file, line: index + 1, col: found.index + 1, message: said('tpl.control', { code: found.code }) });
  });
  return problems;
}

/** Parses a template's text; `template` is set only when there are no problems. */
export function parseTemplate(raw: string, file: string, id: string, origin: Template['source']): { template?: Template; problems: Problem[] } {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const problems: Problem[] = controlProblems(text, file);
  if (problems.length > 0) return { problems };
  const split = splitFrontMatter(text, file);
  if ('message' in split) return { problems: [split] };
  const front = split.yaml ? readFrontMatter(split.yaml, file, problems) : {};
  const format = front.format ?? 'document';
  if (format === 'email' && !front.subject && problems.length === 0) {
    problems.push({ file, line: 1, col: 1, message: said('tpl.frontNeedsSubject') });
  }
  const subject = front.subject && withTokens(front.subject, problems);
  const to = front.to && withTokens(front.to, problems);
  const body = withTokens({ file, ...split.body }, problems);
  if (problems.length > 0 || !body) return { problems };
  return { template: { id, file, source: origin, title: front.title ?? id, format, subject, to, body }, problems };
}
