/**
 * Filling a template with data while noting every value that came out empty: mustache.js renders
 * a missing name, or a missing partial, as nothing at all, and a blank in an email to a customer
 * is exactly what cs promises never to send silently.
 *
 * The check sits in a Writer subclass rather than in Context.lookup: the writer knows which token
 * asked (so the line it is on) and what kind it is. Only interpolations (`{{x}}`, `{{{x}}}`) and
 * partials are reported; a section or inverted section (`{{#x}}…{{/x}}`, `{{^x}}…{{/x}}`) is how a
 * template says "this part is optional", so an empty one is the template's choice, not a blank.
 * Names inside sections and partials are checked like any other.
 */
import { formatYesNo } from '../i18n/formats.js';
import type { Lang } from '../i18n/lang.js';
import Mustache from 'mustache';
import { inputError } from '../errors.js';
import type { Token } from './syntax.js';
import { LINE_BREAK } from './formats.js';
import { positionIn } from './syntax.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

export interface Miss {
  template: string;
  /** Set when the name is used inside this partial. */
  partial?: string;
  line: number;
  /** The name as written, or the partial's name for `kind: 'partial'`. */
  name: string;
  kind: 'empty' | 'not-a-value' | 'partial';
}

/** A Mustache text to fill: its tokens, its text, and the file line it starts on. */
export interface Fillable {
  text: string;
  tokens: Token[];
  firstLine: number;
}

type Partials = (name: string) => string | undefined;

/** Deeper than any real nesting of partials (a signature inside a footer inside a letter). */
const MAX_PARTIAL_DEPTH = 32;

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return Array.isArray(value) && value.length === 0;
}

/** How a value is written in text. undefined: it is a group of values (an object), not one value. */
function asText(value: unknown, lang: Lang): string | undefined {
  if (typeof value === 'boolean') return formatYesNo(value, lang);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.toString === Object.prototype.toString) return undefined;
  return String(value);
}

class CheckingWriter extends Mustache.Writer {
  readonly misses: Miss[] = [];
  /** The text the tokens being rendered come from (the template's, or a partial's). */
  private source = '';
  private where: { partial?: string; firstLine: number };
  /** The partials being expanded, outermost first. */
  private readonly including: string[] = [];

  constructor(
    private readonly template: string,
    firstLine: number,
    private readonly partials: Partials,
    private readonly markBreaks: boolean,
    private readonly lang: Lang,
  ) {
    super();
    this.where = { firstLine };
  }

  private note(token: string[], kind: Miss['kind']): void {
    const { line } = positionIn({ text: this.source, firstLine: this.where.firstLine }, Number(token[2]));
    this.misses.push({ template: this.template, partial: this.where.partial, line, name: token[1]!, kind });
  }

  private value(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1]!);
    if (isEmpty(value)) {
      this.note(token, 'empty');
      return '';
    }
    const text = asText(value, this.lang);
    if (text === undefined) this.note(token, 'not-a-value');
    if (text === undefined) return '';
    const clean = text.replaceAll(LINE_BREAK, '');
    return this.markBreaks ? clean.replace(/\r?\n/g, `${LINE_BREAK}\n`) : clean;
  }

  override renderTokens(tokens: string[][], context: Mustache.Context, partials?: Mustache.PartialsOrLookupFn, originalTemplate?: string, config?: Mustache.RenderOptions): string {
    const outer = this.source;
    this.source = originalTemplate ?? outer;
    try {
      return super.renderTokens(tokens, context, partials, originalTemplate, config);
    } finally {
      this.source = outer;
    }
  }

  override renderPartial(token: string[], context: Mustache.Context, partials?: Mustache.PartialsOrLookupFn, config?: Mustache.RenderOptions): string {
    const name = token[1]!;
    if (this.partials(name) === undefined) {
      this.note(token, 'partial');
      return '';
    }
    // mustache would expand a partial that includes itself until the stack overflows
    if (this.including.includes(name) || this.including.length >= MAX_PARTIAL_DEPTH) {
      const loop = this.including.includes(name);
      const chain = [...(loop ? this.including.slice(this.including.indexOf(name)) : this.including), name].join(' → ');
      throw inputError(
        loop
          ? said('render.partialLoop', { template: this.template, partial: name, chain })
          : said('render.partialsTooDeep', { template: this.template, depth: MAX_PARTIAL_DEPTH, chain }),
        { hint: said('render.partialLoopHint') },
      );
    }
    const outer = this.where;
    this.where = { partial: name, firstLine: 1 };
    this.including.push(name);
    try {
      return super.renderPartial(token, context, partials, config);
    } finally {
      this.including.pop();
      this.where = outer;
    }
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    return this.value(token, context);
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    return this.value(token, context);
  }
}

/**
 * The filled text (never HTML-escaped: each output format escapes what it needs) and what was
 * missing, each at its template line. `markLineBreaks`: end each line of a multi-line value with
 * LINE_BREAK (for a body; a subject or a To is one line or a list of lines).
 */
export function fill(part: Fillable, view: unknown, template: string, partials: Partials, options: { markLineBreaks?: boolean; lang?: Lang } = {}): { text: string; misses: Miss[] } {
  const writer = new CheckingWriter(template, part.firstLine, partials, options.markLineBreaks === true, options.lang ?? 'en');
  const text = writer.renderTokens(part.tokens as unknown as string[][], new Mustache.Context(view), partials, part.text, { escape: String });
  const seen = new Set<string>();
  const misses = writer.misses.filter((miss) => {
    const key = `${miss.partial ?? ''}:${miss.line}:${miss.name}:${miss.kind}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return { text, misses };
}

/** `template kickoff-recap line 12: {{answers.kickoff-call.goals}} is empty`. */
export function describeMiss(miss: Miss): Said {
  const where = miss.partial ? said('miss.inPartial', { template: miss.template, partial: miss.partial, line: miss.line }) : said('miss.in', { template: miss.template, line: miss.line });
  const { name } = miss;
  switch (miss.kind) {
    case 'partial':
      return said('miss.partial', { where, name });
    case 'not-a-value':
      return said('miss.notAValue', { where, name });
    case 'empty':
      return said(name === 'owner' || name.startsWith('owner.') ? 'miss.emptyOwner' : 'miss.empty', { where, name });
  }
}
