/**
 * Reading a translation's YAML (src/playbook/translate.ts lays it over its playbook): parsed with
 * line:col for every problem and warning. Loaded only by what parses a translation not parsed
 * before, so a command that shows a cached one never loads the YAML parser.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { SourceMap } from './parse.js';
import { yamlSyntax } from './problems.js';
import { said } from '../i18n/messages.js';
import type { Playbook } from './types.js';
import { overlayTranslation } from './translate.js';
import type { TranslationCheck } from './translate.js';

/**
 * Checks a translation's text against its base and lays it over a copy of the base. Every problem
 * and warning is at the line:col of the translation where it is (or where the text would go).
 */
export function checkTranslation(text: string, file: string, base: Playbook): TranslationCheck {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const { line, col } = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
    return { problems: [{ file, line, col, message: said('pb.syntax', { message: yamlSyntax(error) }) }], warnings: [] };
  }
  const sources = new SourceMap(file, doc, lines, text);
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!isMap(doc.contents) || typeof data !== 'object' || data === null) {
    return { problems: [sources.problem([], said('tr.notMapping'))], warnings: [] };
  }
  return { ...overlayTranslation(data as Record<string, unknown>, base, sources), data: data as Record<string, unknown> };
}
