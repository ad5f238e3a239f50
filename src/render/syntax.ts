/**
 * Mustache source as tokens, with its mistakes told at a line a person can open: mustache.js says
 * only "Unclosed section "x" at 512", an offset into the text it was given.
 */
import Mustache from 'mustache';
import type { Problem } from '../playbook/problems.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

/** mustache.js's token tuple: [type, value, start, end, children?, …]. */
export type Token = [string, string, number, number, ...unknown[]];

/** Mustache text and where it stands in its file (a body starts below its front matter). */
export interface Source {
  file: string;
  text: string;
  /** The file's line number of the text's first line. */
  firstLine: number;
  /** The file's column of the text's first character (a subject written after `subject: "`). */
  firstCol?: number;
}

/** 1-based line and column in the file of an offset into `source.text`. */
export function positionIn(source: Pick<Source, 'text' | 'firstLine' | 'firstCol'>, offset: number): { line: number; col: number } {
  const before = source.text.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  let newlines = 0;
  for (let index = before.indexOf('\n'); index !== -1; index = before.indexOf('\n', index + 1)) newlines += 1;
  const indent = newlines === 0 ? (source.firstCol ?? 1) - 1 : 0;
  return { line: source.firstLine + newlines, col: indent + offset - lineStart + 1 };
}

function problemAt(source: Source, offset: number, message: Said): Problem {
  return { file: source.file, ...positionIn(source, offset), message };
}

/** Where `{{#name}}` (or `{{^name}}`) was last opened before `end`, for "never closed". */
function openingOf(text: string, name: string, end: number): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const opening = new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, 'g');
  let found: number | undefined;
  for (let match = opening.exec(text); match && match.index < end; match = opening.exec(text)) found = match.index;
  return found;
}

/** Turns mustache.js's message into one that says what to write, at the right line. */
function explain(source: Source, error: Error): Problem {
  const { text } = source;
  const unclosedTag = /^Unclosed tag at (\d+)/.exec(error.message);
  if (unclosedTag) {
    const at = text.lastIndexOf('{{', Number(unclosedTag[1]));
    return problemAt(source, at === -1 ? Number(unclosedTag[1]) : at, said('tpl.tagUnclosed'));
  }
  const unopened = /^Unopened section "(.*)" at (\d+)/.exec(error.message);
  if (unopened) {
    const [, name, at] = unopened;
    return problemAt(source, Number(at), said('tpl.sectionUnopened', { name: name! }));
  }
  const unclosed = /^Unclosed section "(.*)" at (\d+)/.exec(error.message);
  if (unclosed) {
    const [, name, atText] = unclosed;
    const at = Number(atText);
    const opened = openingOf(text, name!, at);
    const closedBy = /^\{\{\s*\/\s*([^}]*?)\s*\}\}/.exec(text.slice(at));
    const message = closedBy
      ? said('tpl.sectionClosedBy', { name: name!, other: closedBy[1]! })
      : said('tpl.sectionUnclosed', { name: name! });
    return problemAt(source, opened ?? at, message);
  }
  return problemAt(source, 0, said('tpl.notMustache', { message: error.message }));
}

/** The token tree of `source`, or the problem that stops it from being one. */
export function parseMustache(source: Source): { tokens: Token[]; problem?: undefined } | { tokens?: undefined; problem: Problem } {
  try {
    return { tokens: Mustache.parse(source.text) as unknown as Token[] };
  } catch (error) {
    return { problem: explain(source, error as Error) };
  }
}
