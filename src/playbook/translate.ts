/**
 * A playbook's translation (PRODUCT.md, "Languages"): `<id>.<lang>.yaml` beside it, with
 * `translates: <id>` and the base's ids, holding only text. Laid over its base when a playbook is
 * shown (the walk, in the user's language; a document, in the account's), it never changes what a
 * run stores: choice values stay the base's, a translation gives them labels.
 *
 *   translates: onboarding-30d
 *   title: Onboarding 30 ngày
 *   phases:
 *     - id: handover
 *       title: Chuyển giao từ Sales
 *       steps:
 *         - id: sales-handoff
 *           title: …
 *           checklist: [ …, … ]          # as many items as the base, in its order
 *           fields:
 *             - id: segment
 *               prompt: …
 *               choices: { smb: Doanh nghiệp nhỏ, enterprise: Doanh nghiệp lớn }
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../i18n/lang.js';
import { LANGS } from '../i18n/lang.js';
import { cacheFolder, contentFolders, displayPath } from '../paths.js';
import type { PathSegment } from './parse.js';
import type { ParseCache } from './parse-cache.js';
import { fileParseCache } from './parse-cache.js';
import type { Problem } from './problems.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';
import { choiceValue } from './choices.js';
import type { ChoiceDef, FieldDef, Playbook } from './types.js';

/** `onboarding-30d.vi.yaml` → its base id and language; undefined for a playbook file. */
export function translationFileName(name: string): { id: string; lang: Lang } | undefined {
  const match = /^(.+)\.([a-z]{2})\.ya?ml$/i.exec(name);
  const lang = match?.[2]?.toLowerCase();
  return match && (LANGS as readonly string[]).includes(lang!) ? { id: match[1]!, lang: lang as Lang } : undefined;
}

/** What each level of a translation may hold: its text keys, and the lists of children it names by id. */
const TEXT_KEYS = {
  playbook: ['title', 'description'],
  phase: ['title', 'description'],
  step: ['title', 'guide', 'checklist'],
  field: ['prompt', 'help', 'choices'],
} as const;
const CHILDREN = { playbook: 'phases', phase: 'steps', step: 'fields' } as const;

export interface TranslationCheck {
  /** Ids the base lacks, non-text keys, lists of the wrong length: the translation is not used. */
  problems: Problem[];
  /** Text of the base the translation leaves in English. */
  warnings: Problem[];
  /** The base with the translation's text laid over it (when there are no problems). */
  playbook?: Playbook;
  /** The translation as parsed (for the parse cache). */
  data?: Record<string, unknown>;
}

type Level = keyof typeof TEXT_KEYS;

/** A level of the playbook as a problem names it ("step \"kickoff\" is translated twice"). */
const LEVEL_NAMES: Record<Exclude<Level, 'playbook'>, Said> = { phase: said('tr.level.phase'), step: said('tr.level.step'), field: said('tr.level.field') };
type Node = { id?: unknown; [key: string]: unknown };

/** Where a path of the translation is written: the YAML's line:col (validate), or nothing known (a cached file). */
export interface Positions {
  problem(path: readonly PathSegment[], message: Said, options?: { key?: string }): Problem;
}

/**
 * Lays a translation (its data, as parsed) over a copy of `base`: the problems that stop it being
 * used, and the text it leaves in English.
 */
export function overlayTranslation(data: Record<string, unknown>, base: Playbook, sources: Positions): TranslationCheck {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const root = data as Node;
  if (root.translates !== base.id) {
    problems.push(sources.problem(['translates'], said('tr.translatesWrong', { id: base.id, got: JSON.stringify(root.translates ?? null) }), { key: root.translates === undefined ? undefined : 'translates' }));
  }

  /** Lays the text of `node` (at `path` in the file) over `target`, a copy of the base's item. */
  const overlay = (level: Level, node: Node | undefined, path: PathSegment[], target: Record<string, unknown>, label: string): void => {
    // where in the playbook a key is: `kickoff.goals`, or `goals` at the top
    const within = (key: string | number) => `${label}${label ? '.' : ''}${key}`;
    const allowed: readonly string[] = [...TEXT_KEYS[level], ...(level === 'playbook' ? ['translates'] : ['id']), ...(level in CHILDREN ? [CHILDREN[level as keyof typeof CHILDREN]] : [])];
    for (const key of Object.keys(node ?? {})) {
      if (!allowed.includes(key)) problems.push(sources.problem(path, said(label ? 'tr.notTextAt' : 'tr.notText', { path: label, key, allowed: allowed.filter((each) => each !== 'id' && each !== 'translates').join(', ') }), { key }));
    }
    for (const key of TEXT_KEYS[level]) {
      const original = target[key];
      if (original === undefined) {
        if (node?.[key] !== undefined) problems.push(sources.problem(path, said(label ? 'tr.nothingToTranslateAt' : 'tr.nothingToTranslate', { path: label, key }), { key }));
        continue;
      }
      const given = node?.[key];
      if (given === undefined) {
        warnings.push(sources.problem(path, said('tr.untranslated', { path: within(key) })));
        continue;
      }
      if (key === 'checklist') {
        const items = original as string[];
        if (!Array.isArray(given) || given.length !== items.length || given.some((item) => typeof item !== 'string' || item.trim() === '')) {
          problems.push(sources.problem([...path, key], said('tr.checklist', { path: within(key), count: items.length })));
        } else target[key] = given;
      } else if (key === 'choices') {
        const values = (original as ChoiceDef[]).map(choiceValue);
        if (typeof given !== 'object' || given === null || Array.isArray(given)) {
          problems.push(sources.problem([...path, key], said('tr.choicesMap', { path: within(key), value: values[0] ?? '' })));
          continue;
        }
        const labels: Record<string, string> = {};
        for (const [value, text] of Object.entries(given as Record<string, unknown>)) {
          if (!values.includes(value)) problems.push(sources.problem([...path, key], said('tr.noChoice', { path: within(key), value, choices: values.join(', ') }), { key: value }));
          else if (typeof text !== 'string' || text.trim() === '') problems.push(sources.problem([...path, key, value], said('tr.choiceLabel', { path: `${within(key)}.${value}` })));
          else labels[value] = text;
        }
        for (const value of values) if (!(value in labels)) warnings.push(sources.problem([...path, key], said('tr.untranslated', { path: `${within(key)}.${value}` })));
        // the value stays the base's (what a run stores); the label becomes the translation's
        (target as unknown as FieldDef).choices = (original as ChoiceDef[]).map((choice) => {
          const value = choiceValue(choice);
          return labels[value] === undefined ? choice : { value, label: labels[value]! };
        });
      } else if (typeof given !== 'string' || given.trim() === '') {
        problems.push(sources.problem([...path, key], said('tr.mustBeText', { path: within(key) })));
      } else target[key] = given;
    }
    const childKey = CHILDREN[level as keyof typeof CHILDREN];
    if (!childKey) return;
    const childLevel: Exclude<Level, 'playbook'> = level === 'playbook' ? 'phase' : level === 'phase' ? 'step' : 'field';
    const baseChildren = (target[childKey] as Record<string, unknown>[] | undefined) ?? [];
    const copies = baseChildren.map((child) => ({ ...child }));
    if (copies.length > 0 || node?.[childKey] !== undefined) target[childKey] = copies;
    const given = node?.[childKey];
    if (given !== undefined && !Array.isArray(given)) {
      problems.push(sources.problem([...path, childKey], said('tr.mustBeList', { path: within(childKey) })));
      return;
    }
    const byId = new Map<string, { node: Node; index: number }>();
    ((given as Node[] | undefined) ?? []).forEach((child, index) => {
      const childPath = [...path, childKey, index];
      if (typeof child !== 'object' || child === null || typeof child.id !== 'string') {
        problems.push(sources.problem(childPath, said('tr.needsId', { path: within(childKey), index, level: LEVEL_NAMES[childLevel] })));
        return;
      }
      if (!baseChildren.some((each) => each.id === child.id)) {
        const ids = baseChildren.map((each) => String(each.id));
        problems.push(sources.problem([...childPath, 'id'], said(label ? 'tr.notInBaseAt' : 'tr.notInBase', { level: LEVEL_NAMES[childLevel], id: child.id, playbook: base.id, path: label, children: childKey, ids: ids.join(', ') })));
        return;
      }
      if (byId.has(child.id)) problems.push(sources.problem([...childPath, 'id'], said('tr.twice', { level: LEVEL_NAMES[childLevel], id: child.id })));
      byId.set(child.id, { node: child, index });
    });
    copies.forEach((copy, index) => {
      const found = byId.get(String(copy.id));
      const childLabel = within(String(copy.id));
      if (!found) {
        warnings.push(sources.problem(given === undefined ? path : [...path, childKey], said('tr.untranslatedItem', { level: LEVEL_NAMES[childLevel], path: childLabel })));
        return;
      }
      overlay(childLevel, found.node, [...path, childKey, found.index], copies[index]!, childLabel);
    });
  };

  const translated = { ...base } as unknown as Record<string, unknown>;
  overlay('playbook', root, [], translated, '');
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  warnings.sort((a, b) => a.line - b.line || a.col - b.col);
  return problems.length > 0 ? { problems, warnings } : { problems, warnings, playbook: translated as unknown as Playbook };
}

/** The file holding the `lang` translation of playbook `id`, the last folder's winning (as playbooks do). */
export function findTranslationFile(id: string, lang: Lang, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let found: string | undefined;
  for (const folder of contentFolders('playbooks', env)) {
    for (const extension of ['yaml', 'yml']) {
      const path = join(folder.path, `${id}.${lang}.${extension}`);
      if (existsSync(path)) found = path;
    }
  }
  return found;
}

export interface Translated {
  playbook: Playbook;
  /** Why the playbook is (partly) in English: no translation, or one with problems. Empty when whole. */
  fallback?: 'missing' | 'unreadable' | 'problems';
}

/**
 * The playbook in `lang`: its translation laid over it, English where it has none. A translation
 * with problems is not used (the playbook is shown in English, and `fallback` says why).
 */
/** What cs's parsing and checking is made of, hashed by scripts/build.mjs (undefined run from source). */
declare const __CS_SOURCE_ID__: string | undefined;

/** The parse cache translations share with playbooks (parse-cache.ts); none run from source. */
function translationCache(env: NodeJS.ProcessEnv): ParseCache | undefined {
  const caches = typeof __CS_SOURCE_ID__ === 'string' ? cacheFolder(env) : undefined;
  return caches ? fileParseCache(join(caches, 'playbooks'), __CS_SOURCE_ID__!) : undefined;
}

/** The language a playbook's file is written in: its `lang` (a tag such as vi-VN counts as vi), else English. */
function writtenIn(playbook: Playbook): string {
  return (playbook.lang ?? 'en').split('-')[0]!.toLowerCase();
}

export async function translatePlaybook(playbook: Playbook, lang: Lang, env: NodeJS.ProcessEnv = process.env, cache = translationCache(env)): Promise<Translated> {
  // translations are laid over English; a playbook written in the language asked for (`lang: vi`) needs none
  if (lang === 'en' || lang === writtenIn(playbook)) return { playbook };
  const path = findTranslationFile(playbook.id, lang, env);
  if (!path) return { playbook, fallback: 'missing' };
  const file = displayPath(path);
  const text = readTranslation(path);
  if (text === undefined) return { playbook, fallback: 'unreadable' };
  // a translation parsed cleanly before is laid over without the YAML parser (status stays light)
  const known = cache?.get(path, text) as unknown as Record<string, unknown> | undefined;
  const unplaced: Positions = { problem: (_path, message) => ({ file, line: 1, col: 1, message }) };
  const check = known ? overlayTranslation(known, playbook, unplaced) : await parseAndCheck(text, file, playbook, (data) => cache?.put(path, text, data as unknown as Playbook));
  if (!check.playbook) return { playbook, fallback: 'problems' };
  return { playbook: check.playbook };
}

async function parseAndCheck(text: string, file: string, base: Playbook, keep: (data: Record<string, unknown>) => void): Promise<TranslationCheck> {
  const { checkTranslation } = await import('./translation.js');
  const check = checkTranslation(text, file, base);
  if (check.playbook && check.data) keep(check.data);
  return check;
}

export const MAX_TRANSLATION_BYTES = 1024 * 1024;

/** A translation's text (UTF-8, a regular file no larger than a playbook may be), or undefined. */
export function readTranslation(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_TRANSLATION_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
