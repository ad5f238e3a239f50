/**
 * Every template cs can see: `templates/<id>.mustache` in the bundled folder, then
 * ~/.config/cs/templates, then each CS_TEMPLATES folder, a later one overriding an earlier one by
 * id. Partials (`{{> signature}}`) live beside them in `templates/partials/<name>.mustache` and
 * override the same way. Ids are checked before any path is built, so an id can never name a
 * file outside these folders.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { FileRefused, LIMITS, readText as readTextFile } from '../files/input.js';
import { contentFolders, displayPath } from '../paths.js';
import type { ContentFolder } from '../paths.js';
import { compareIds, didYouMean, problemSaid } from '../playbook/problems.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';
import type { Problem } from '../playbook/problems.js';
import { parseMustache } from './syntax.js';
import type { Token } from './syntax.js';
import { controlProblems, parseTemplate } from './template-file.js';
import type { Template } from './template-file.js';
import { LANG_NAMES, LANGS } from '../i18n/lang.js';
import type { Lang } from '../i18n/lang.js';

export const TEMPLATE_ID = /^[a-z0-9][a-z0-9_-]*$/;
const EXTENSION = '.mustache';

export interface TemplateEntry {
  id: string;
  path: string;
  /** The path as shown to the user. */
  file: string;
  source: ContentFolder['source'];
  /** `<id>.<lang>.mustache` of the same folder as this file, or a later one. */
  translations?: Partial<Record<Lang, TemplateEntry>>;
}

export interface TemplateCatalog {
  /** The winning file of each id, sorted by id. */
  entries: TemplateEntry[];
  folders: ContentFolder[];
  /** Files whose names cannot be template ids. */
  problems: Problem[];
}

function filesIn(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => name.endsWith(EXTENSION)).sort();
  } catch {
    return []; // a folder that does not exist holds no templates
  }
}

export function findTemplates(folders: ContentFolder[] = contentFolders('templates')): TemplateCatalog {
  const byId = new Map<string, TemplateEntry>();
  const problems: Problem[] = [];
  for (const folder of folders) {
    const names = filesIn(folder.path);
    const translated = names.map((name) => ({ name, translation: translationName(name) }));
    for (const { name } of translated.filter((each) => !each.translation)) {
      const id = name.slice(0, -EXTENSION.length);
      const path = join(folder.path, name);
      if (!TEMPLATE_ID.test(id)) {
        problems.push({ file: displayPath(path), line: 1, col: 1, message: said('tpl.badFileId', { id }) });
        continue;
      }
      byId.set(id, { id, path, file: displayPath(path), source: folder.source });
    }
    // a translation belongs to the template it sits beside (or overrides that one's): a user's own
    // kickoff-recap.mustache is never paired with the bundled kickoff-recap.vi.mustache
    for (const { name, translation } of translated.filter((each) => each.translation)) {
      const base = byId.get(translation!.id);
      const path = join(folder.path, name);
      if (!base) {
        problems.push({ file: displayPath(path), line: 1, col: 1, message: said('tpl.orphanTranslation', { id: translation!.id, lang: LANG_NAMES[translation!.lang] }) });
        continue;
      }
      base.translations = { ...base.translations, [translation!.lang]: { id: base.id, path, file: displayPath(path), source: folder.source } };
    }
  }
  const entries = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  return { entries, folders, problems };
}

/** Far larger than any letter or minutes; refusing early keeps a stray file from stalling cs. */
function readText(path: string, file: string, what: Said = said('tpl.theTemplate')): string {
  return readTextFile(path, { what, shown: file, limit: LIMITS.template, whyLimit: said('tpl.smaller') });
}

/** Reads and checks one template; problems (not thrown) for whoever lists them all. */
export function readTemplate(entry: TemplateEntry): { template?: Template; problems: Problem[] } {
  let text: string;
  try {
    text = readText(entry.path, entry.file);
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error;
    return { problems: [error.asProblem()] };
  }
  return parseTemplate(text, entry.file, entry.id, entry.source);
}

/** An exit-2 error listing a file's problems, each at its file:line:col. */
export function problemsError(what: string, problems: Problem[], hint?: string | Said) {
  const [first] = problems;
  if (problems.length === 1 && first) return inputError(problemSaid(first), { hint });
  return inputError(said('template.problems', { file: what, count: problems.length }), { details: problems.map(problemSaid), hint });
}

/** `kickoff-recap.vi.mustache` → its template id and language; undefined for a template's own file. */
export function translationName(name: string): { id: string; lang: Lang } | undefined {
  const match = /^(.+)\.([a-z]{2})\.mustache$/.exec(name);
  return match && (LANGS as readonly string[]).includes(match[2]!) && TEMPLATE_ID.test(match[1]!) ? { id: match[1]!, lang: match[2] as Lang } : undefined;
}

/**
 * The template with this id in `lang`: its translation when there is one (read and checked like
 * any template), else the template itself and `fallback` set, so the caller can say so.
 */
export function requireTemplateIn(catalog: TemplateCatalog, id: string, lang: Lang): { template: Template; fallback: boolean } {
  const base = requireTemplate(catalog, id);
  if (lang === 'en') return { template: base, fallback: false };
  const entry = catalog.entries.find((each) => each.id === base.id)?.translations?.[lang];
  if (!entry) return { template: base, fallback: true };
  const { template, problems } = readTemplate(entry);
  if (!template) throw problemsError(entry.file, problems, said('template.fixTranslation'));
  return { template, fallback: false };
}

/**
 * A template's title in `lang`: its translation's (`title:` in `<id>.<lang>.mustache`) when that
 * file declares one and reads cleanly, else the template's own, so a title is never blank.
 */
export function titleIn(catalog: TemplateCatalog, template: Template, lang: Lang): string {
  const entry = lang === 'en' ? undefined : catalog.entries.find((each) => each.id === template.id)?.translations?.[lang];
  if (!entry) return template.title;
  const translated = readTemplate(entry).template;
  // a translation without a title: parseTemplate titles it by its id, which says less than English
  return translated && translated.title !== translated.id ? translated.title : template.title;
}

/** The template with this id, parsed, or an exit-2 error saying what exists or what is wrong. */
export function requireTemplate(catalog: TemplateCatalog, id: string): Template {
  const entry = TEMPLATE_ID.test(id) ? catalog.entries.find((each) => each.id === id) : undefined;
  if (!entry) {
    const ids = catalog.entries.map((each) => each.id);
    const guess = didYouMean(id, ids);
    throw inputError(guess ? said('template.unknownGuess', { id: JSON.stringify(id), guess }) : said('template.unknown', { id: JSON.stringify(id) }), {
      hint: ids.length > 0 ? said('template.found', { ids: ids.join(', ') }) : said('template.noneFound'),
    });
  }
  const { template, problems } = readTemplate(entry);
  if (!template) throw problemsError(entry.file, problems, said('template.fixFile'));
  return template;
}

/**
 * The file a partial name resolves to, or undefined (a bad name resolves to nothing). In a language
 * other than English, `partials/<name>.<lang>.mustache` first, in each folder from the last.
 */
export function partialPath(catalog: TemplateCatalog, name: string, lang: Lang = 'en'): string | undefined {
  if (!TEMPLATE_ID.test(name)) return undefined;
  for (const folder of [...catalog.folders].reverse()) {
    for (const file of lang === 'en' ? [`${name}${EXTENSION}`] : [`${name}.${lang}${EXTENSION}`, `${name}${EXTENSION}`]) {
      const path = join(folder.path, 'partials', file);
      try {
        statSync(path); // whatever is there is this partial: reading it says what is wrong with it
        return path;
      } catch {
        // not in this folder: look in the next one
      }
    }
  }
  return undefined;
}

/** A partial's file as read and parsed: its text and tokens, or the problems that stop it. */
interface PartialFile {
  file: string;
  text?: string;
  tokens?: Token[];
  problems: Problem[];
}

function readPartial(catalog: TemplateCatalog, name: string, lang: Lang = 'en'): PartialFile | undefined {
  const path = partialPath(catalog, name, lang);
  if (!path) return undefined;
  const file = displayPath(path);
  let text: string;
  try {
    text = readText(path, file, said('tpl.thePartial')).replace(/\r\n/g, '\n');
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error;
    return { file, problems: [error.asProblem()] };
  }
  // control characters first (at their line:col, as in a template), then the Mustache syntax
  const problems = controlProblems(text, file);
  const parsed = problems.length > 0 ? undefined : parseMustache({ file, text, firstLine: 1 });
  if (parsed?.problem) problems.push(parsed.problem);
  return problems.length > 0 || !parsed?.tokens ? { file, problems } : { file, text, tokens: parsed.tokens, problems };
}

function cached<T>(load: (name: string) => T): (name: string) => T {
  const cache = new Map<string, T>();
  return (name) => {
    if (!cache.has(name)) cache.set(name, load(name));
    return cache.get(name)!;
  };
}

/** What mustache asks for `{{> name}}`: the partial's text, or undefined when there is none; a broken one is an error. */
export function partialLoader(catalog: TemplateCatalog, lang: Lang = 'en'): (name: string) => string | undefined {
  return cached((name) => {
    const found = readPartial(catalog, name, lang);
    if (found && found.problems.length > 0) throw problemsError(found.file, found.problems);
    return found?.text;
  });
}

/**
 * A partial's file, text and tokens, for checks that read partials as a template would (the
 * audience check). A partial that cannot be read or parsed is reported to `problems`, at its own
 * line, and is treated as absent.
 */
export function partialSource(catalog: TemplateCatalog, problems: Problem[] = [], lang: Lang = 'en'): (name: string) => { file: string; text: string; tokens: Token[] } | undefined {
  return cached((name) => {
    const found = readPartial(catalog, name, lang);
    if (found) problems.push(...found.problems);
    return found?.text !== undefined && found.tokens ? { file: found.file, text: found.text, tokens: found.tokens } : undefined;
  });
}
