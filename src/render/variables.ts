/** Every name a template uses, read from its token tree (Mustache.parse), with the line of each use. */
import Mustache from 'mustache';
import { positionIn } from './syntax.js';
import type { Token } from './syntax.js';
import type { MustachePart, Template } from './template-file.js';

export type UseKind = 'value' | 'section' | 'inverted' | 'partial';

export interface VariableUse {
  name: string;
  kind: UseKind;
  /** Where in the template file. */
  line: number;
  col: number;
  /** The sections it sits in, outermost first: names there may resolve relative to them. */
  within: string[];
}

const KINDS: Record<string, UseKind> = { name: 'value', '&': 'value', '#': 'section', '^': 'inverted', '>': 'partial' };

function walk(tokens: Token[], part: MustachePart, within: string[], uses: VariableUse[]): void {
  for (const token of tokens) {
    const kind = KINDS[token[0]];
    if (!kind) continue;
    uses.push({ name: token[1], kind, ...positionIn(part, token[2]), within });
    const children = token[4];
    if ((kind === 'section' || kind === 'inverted') && Array.isArray(children)) walk(children as Token[], part, [...within, token[1]], uses);
  }
}

/** In file order: the subject and to of the front matter first, then the body. */
export function variablesOf(template: Template): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const part of [template.subject, template.to, template.body]) if (part) walk(part.tokens, part, [], uses);
  return uses;
}

/** The names a partial uses, at its own lines (its text has been checked when it was loaded). */
export function variablesOfPartial(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  const part = { file: '', text, firstLine: 1, tokens: Mustache.parse(text) as unknown as Token[] };
  walk(part.tokens, part, [], uses);
  return uses;
}
