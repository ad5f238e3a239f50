/**
 * From the text of a playbook file to a validated Playbook, or to every problem in it at once, each
 * at the line and column of the YAML node it concerns (found through the yaml library's source
 * ranges, never guessed).
 */
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import validateSchema from './compiled-schema.cjs';
import { formatBytes, LIMITS } from '../files/input.js';
import { semanticProblems } from './checks.js';
import { didYouMean, yamlSyntax } from './problems.js';
import type { Problem } from './problems.js';
import type { Playbook } from './types.js';
import schema from './schema.json' with { type: 'json' };
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

/** Larger than any sensible playbook; refusing early keeps a 10 MB paste from stalling the CLI. */
export const MAX_PLAYBOOK_BYTES = LIMITS.playbook;
const MAX_ALIASES = 100;
const MAX_DEPTH = 64;

export type PathSegment = string | number;

/** Finds where a path inside the document is written, for error messages. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly text = '',
  ) {}

  /**
   * Where a character of the string at `path` is written: at `needle` inside the node's source when
   * it is written there as it is, else at the node (an escape such as "\e" in quotes).
   */
  charAt(path: readonly PathSegment[], needle: string): { line: number; col: number } {
    const node = this.doc.getIn(path, true) as Node | undefined;
    const range = node?.range;
    if (range) {
      const found = this.text.slice(range[0], range[1]).indexOf(needle);
      if (found !== -1) return this.lines.linePos(range[0] + found);
    }
    return this.at(path);
  }

  /** The node at `path`, or the nearest ancestor that exists. With `key`, the key of that pair. */
  at(path: readonly PathSegment[], key?: string): { line: number; col: number } {
    let node: unknown;
    for (let depth = path.length; depth >= 0; depth -= 1) {
      node = depth === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, depth), true);
      if (node) break;
    }
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item: Pair) => isScalar(item.key) && item.key.value === key);
      if (pair && isScalar(pair.key)) node = pair.key;
    }
    const offset = (node as Node | undefined)?.range?.[0] ?? 0;
    return this.lines.linePos(offset);
  }

  /** Where the key of the pair holding `path` is written (points at `type:` rather than its value). */
  keyOf(path: readonly PathSegment[]): { line: number; col: number } {
    const parent = this.doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent) && typeof last === 'string') return this.at(path.slice(0, -1), last);
    return this.at(path);
  }

  problem(path: readonly PathSegment[], message: string | Said, options: { key?: string } = {}): Problem {
    const { line, col } = this.at(path, options.key);
    return { file: this.file, line, col, message };
  }
}

/** `phases[0].steps[1].type` — how a path is named in messages. */
export function describePath(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'playbook';
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

export interface ParseResult {
  playbook?: Playbook;
  problems: Problem[];
  /** Where things are written in the file, when it parsed as YAML. */
  sources?: SourceMap;
  /** The id the file declares, even when the file is invalid (to tell which playbook it meant to be). */
  claimedId?: string;
}

export function parsePlaybook(text: string, file: string): ParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAYBOOK_BYTES) {
    return { problems: [{ file, line: 1, col: 1, message: said('pb.tooLarge', { size: formatBytes(MAX_PLAYBOOK_BYTES) }) }] };
  }
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    return { problems: [{ file, line: 1, col: 1, message: said('pb.cannotParse', { message: (error as Error).message }) }] };
  }
  if (doc.errors.length > 0) {
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const error of doc.errors) {
      const { line, col } = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      // the yaml library reports its own stack overflow on absurd nesting as a syntax error
      const tooDeep = /call stack/i.test(error.message);
      const message = tooDeep ? said('pb.tooDeep', { depth: MAX_DEPTH }) : said('pb.syntax', { message: yamlSyntax(error) });
      if (seen.has(JSON.stringify(message))) continue;
      seen.add(JSON.stringify(message));
      problems.push({ file, line, col, message });
    }
    return { problems };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof RangeError ? said('pb.nestedTooDeeply') : (error as Error).message;
    return { problems: [{ file, line: 1, col: 1, message: said('pb.refused', { message }) }] };
  }
  const sources = new SourceMap(file, doc, lines, text);
  if (depthOf(data) > MAX_DEPTH) return { problems: [sources.problem([], said('pb.deeper', { depth: MAX_DEPTH }))] };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [sources.problem([], said('pb.notMapping', { got: kindOf(data) }))] };
  }
  const problems: Problem[] = [];
  if (!validateSchema(data)) problems.push(...schemaProblems(validateSchema.errors ?? [], sources));
  problems.push(...semanticProblems(data as Record<string, unknown>, sources));
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  const id = (data as { id?: unknown }).id;
  const claimedId = typeof id === 'string' ? id : undefined;
  return problems.length > 0 ? { problems, sources, claimedId } : { playbook: data as Playbook, problems, sources, claimedId };
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}

export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

function splitPointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Keys allowed at a schema location, for "expected one of" and "did you mean". */
function allowedKeys(parentSchema: unknown): string[] {
  const properties = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

const DEFINITIONS = schema.definitions as Record<string, unknown>;

/** The schema object an error's schemaPath leads to, through our own #/definitions refs. */
function schemaAt(schemaPath: string): unknown {
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  let node: unknown = schema;
  for (const part of parts) {
    node = (node as Record<string, unknown>)?.[part];
    const ref = (node as { $ref?: string } | undefined)?.$ref;
    if (ref) node = DEFINITIONS[ref.replace('#/definitions/', '')];
  }
  return node;
}

function patternMeaning(path: readonly PathSegment[], pattern: string): Said {
  const last = path[path.length - 1];
  if (last === 'due') return said('pb.pattern.due');
  if (last === 'in') return said('pb.pattern.in');
  if (last === 'from' || last === 'field') return said('pb.pattern.field');
  if (pattern.includes('a-z0-9')) return said('pb.pattern.id');
  return said('pb.pattern.empty');
}

/**
 * Of the alternatives of a oneOf (a due date is an offset or an anchor; a choice is a string or
 * { value, label }), only the errors of the one the author meant: the branch whose type fits the
 * value, with the fewest errors. The rest would only say "must be a mapping" about a string.
 */
function meantBranches(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((error) => error.keyword !== 'oneOf');
  for (const one of errors.filter((error) => error.keyword === 'oneOf')) {
    const prefix = `${one.schemaPath}/`;
    const inBranch = kept.filter((error) => error.schemaPath.startsWith(prefix) && error.instancePath.startsWith(one.instancePath));
    if (inBranch.length === 0) {
      kept.push(one);
      continue;
    }
    const branches = new Map<string, { count: number; wrongType: boolean }>();
    for (const error of inBranch) {
      const branch = error.schemaPath.slice(prefix.length).split('/')[0]!;
      const entry = branches.get(branch) ?? { count: 0, wrongType: false };
      entry.count += 1;
      if (error.keyword === 'type' && error.instancePath === one.instancePath) entry.wrongType = true;
      branches.set(branch, entry);
    }
    const [best] = [...branches].sort(([a, x], [b, y]) => Number(x.wrongType) - Number(y.wrongType) || x.count - y.count || Number(a) - Number(b))[0]!;
    kept = kept.filter((error) => !inBranch.includes(error) || error.schemaPath.startsWith(`${prefix}${best}/`));
  }
  return kept;
}

function schemaProblems(errors: ErrorObject[], sources: SourceMap): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of meantBranches(errors)) {
    const path = splitPointer(error.instancePath);
    const where = describePath(path);
    const got = kindOf(error.data);
    let problem: Problem;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const allowed = allowedKeys(error.parentSchema ?? schemaAt(error.schemaPath));
        const guess = didYouMean(key, allowed);
        const params = { key, guess: guess ?? '', allowed: allowed.join(', ') };
        const message = said(guess ? 'pb.unknownKeyGuess' : 'pb.unknownKey', params);
        problem = sources.problem(path, where === 'playbook' ? message : said('pb.at', { where, message }), { key });
        break;
      }
      case 'required': {
        const missing = (error.params as { missingProperty: string }).missingProperty;
        problem = sources.problem(path, said('pb.missing', { where, missing }));
        break;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
        problem = sources.problem(path, said(guess ? 'pb.enumGuess' : 'pb.enum', { where, allowed: allowed.join(', '), got, guess: guess ?? '' }));
        break;
      }
      case 'type': {
        const expected = String((error.params as { type: string | string[] }).type).replace(/,/g, ' or ');
        const noun = expected === 'array' ? said('pb.aList') : expected === 'object' ? said('pb.aMapping') : said(/^[aeiou]/.test(expected) ? 'pb.an' : 'pb.a', { type: expected });
        problem = sources.problem(path, said('pb.type', { where, noun, got }));
        break;
      }
      case 'pattern':
        // a due date's other forms come after what was got, so the v1 wording stays as it was
        problem = sources.problem(path, said(path[path.length - 1] === 'due' ? 'pb.patternDue' : 'pb.pattern', { where, meaning: patternMeaning(path, (error.params as { pattern: string }).pattern), got }));
        break;
      case 'minLength':
        problem = sources.problem(path, said('pb.notEmpty', { where }));
        break;
      case 'maxLength':
        problem = sources.problem(path, said('pb.maxLength', { where, limit: (error.params as { limit: number }).limit }));
        break;
      case 'minItems': {
        const limit = (error.params as { limit: number }).limit;
        problem = sources.problem(path, said('pb.minItems', { where, count: limit, got: Array.isArray(error.data) ? error.data.length : got }));
        break;
      }
      case 'minimum':
        problem = sources.problem(path, said('pb.minimum', { where, limit: (error.params as { limit: number }).limit, got }));
        break;
      default:
        problem = sources.problem(path, error.message ? `${where} ${error.message}` : said('pb.invalid', { where }));
    }
    const key = `${problem.line}:${problem.col}:${JSON.stringify(problem.message)}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
