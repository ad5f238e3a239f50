/**
 * Every playbook cs can see: the bundled ones, then the user's folders, a later one overriding an
 * earlier one with the same id. Broken files never hide the good ones; their problems are kept
 * for whoever asks (validate, or a command that needs that very playbook).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inputError } from '../errors.js';
import { FileRefused, readText } from '../files/input.js';
import { contentFolders, displayPath } from '../paths.js';
import type { ContentFolder } from '../paths.js';
import type { ParseCache } from './parse-cache.js';
import { parsePlaybook, MAX_PLAYBOOK_BYTES } from './parse.js';
import { compareIds, didYouMean, problemSaid } from './problems.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';
import type { Problem } from './problems.js';
import type { LoadedPlaybook, PlaybookKind } from './types.js';
import { translationFileName } from './translate.js';
import type { Lang } from '../i18n/lang.js';

export interface BrokenFile {
  file: string;
  source: LoadedPlaybook['source'];
  /** Position of its folder in the search order (higher wins). */
  precedence: number;
  /** The id it declares, or its file name: which playbook it was meant to be. */
  meantAs: string;
  problems: Problem[];
}

export interface Catalog {
  playbooks: LoadedPlaybook[];
  /** The playbook `cs <verb> start` picks for each kind. */
  defaults: Map<PlaybookKind, LoadedPlaybook>;
  problems: Problem[];
  /** Files that could not be loaded, so a command can tell why an id is missing or overridden badly. */
  brokenFiles: BrokenFile[];
  /** Position in the search order of the folder each playbook came from. */
  precedenceOf: Map<LoadedPlaybook, number>;
  /** Translation files (`<id>.<lang>.yaml`), checked against their base only when asked. */
  translations: TranslationFile[];
}

export interface TranslationFile {
  path: string;
  file: string;
  id: string;
  lang: Lang;
}


/** A folder's files of `kind`: playbooks, or translations of them (`<id>.<lang>.yaml`). */
function yamlFiles(folder: string, kind: 'playbook' | 'translation' = 'playbook'): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => /\.ya?ml$/i.test(name) && (translationFileName(name) !== undefined) === (kind === 'translation'))
      .sort()
      .map((name) => join(folder, name));
  } catch {
    return []; // a folder that does not exist simply holds no playbooks
  }
}

/**
 * Reads and parses one file; every problem comes back with the file's display path. With a cache,
 * a file whose exact text parsed cleanly before is not parsed again (its YAML is read again only
 * if something asks where a key is written).
 */
export function loadPlaybookFile(
  path: string,
  source: LoadedPlaybook['source'] = 'user',
  cache?: ParseCache,
): { loaded?: LoadedPlaybook; problems: Problem[]; claimedId?: string } {
  const file = displayPath(path);
  let text: string;
  try {
    text = readText(path, { what: said('playbook.theFile'), shown: file, limit: MAX_PLAYBOOK_BYTES, whyLimit: said('playbook.smaller') });
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error;
    return { problems: [error.asProblem()] };
  }
  const cached = cache?.get(path, text);
  if (cached) {
    const locate = (key: string) => parsePlaybook(text, file).sources!.at([], key);
    return { loaded: { playbook: cached, file, source, locate }, problems: [], claimedId: cached.id };
  }
  const { playbook, problems, sources, claimedId } = parsePlaybook(text, file);
  if (!playbook) return { problems, claimedId };
  cache?.put(path, text, playbook);
  return { loaded: { playbook, file, source, locate: (key) => sources!.at([], key) }, problems, claimedId };
}

export function loadCatalog(folders: ContentFolder[] = contentFolders('playbooks'), cache?: ParseCache): Catalog {
  const byId = new Map<string, LoadedPlaybook>();
  const defaults = new Map<PlaybookKind, LoadedPlaybook>();
  const problems: Problem[] = [];
  const brokenFiles: BrokenFile[] = [];
  const precedenceOf = new Map<LoadedPlaybook, number>();
  const translations: TranslationFile[] = [];
  const at = (loaded: LoadedPlaybook, key: string, message: Said): Problem => ({ file: loaded.file, ...(loaded.locate?.(key) ?? { line: 1, col: 1 }), message });
  for (const [precedence, folder] of folders.entries()) {
    for (const path of yamlFiles(folder.path, 'translation')) translations.push({ path, file: displayPath(path), ...translationFileName(basename(path))! });
    const inThisFolder = new Map<string, LoadedPlaybook>();
    const defaultsHere = new Map<PlaybookKind, LoadedPlaybook>();
    for (const path of yamlFiles(folder.path)) {
      const { loaded, problems: found, claimedId } = loadPlaybookFile(path, folder.source, cache);
      problems.push(...found);
      if (!loaded) {
        const meantAs = claimedId ?? basename(path).replace(/\.ya?ml$/i, '');
        brokenFiles.push({ file: displayPath(path), source: folder.source, precedence, meantAs, problems: found });
        continue;
      }
      const { playbook } = loaded;
      const twin = inThisFolder.get(playbook.id);
      if (twin) {
        problems.push(at(loaded, 'id', said('playbook.idTwice', { id: playbook.id, file: twin.file })));
        continue;
      }
      const otherDefault = defaultsHere.get(playbook.kind);
      if (playbook.default && otherDefault) {
        problems.push(
          at(loaded, 'default', said('playbook.defaultTwice', { kind: playbook.kind, file: otherDefault.file })),
        );
      } else if (playbook.default) {
        defaultsHere.set(playbook.kind, loaded);
      }
      inThisFolder.set(playbook.id, loaded);
    }
    for (const [id, loaded] of inThisFolder) {
      precedenceOf.set(loaded, precedence);
      const overridden = byId.get(id);
      if (overridden && defaults.get(overridden.playbook.kind) === overridden) defaults.delete(overridden.playbook.kind);
      byId.set(id, loaded);
    }
    for (const [kind, loaded] of defaultsHere) defaults.set(kind, loaded); // a user's default wins over ours
  }
  const playbooks = [...byId.values()].sort((a, b) => compareIds(a.playbook.id, b.playbook.id));
  return { playbooks, defaults, problems, brokenFiles, precedenceOf, translations };
}

/**
 * A user's copy of a playbook that fails to load must not be silently replaced by the one it was
 * meant to override: refuse, and show what is wrong with it.
 */
function refuseBrokenOverride(catalog: Catalog, chosen: LoadedPlaybook): LoadedPlaybook {
  const precedence = catalog.precedenceOf.get(chosen) ?? 0;
  const broken = catalog.brokenFiles.find((file) => file.meantAs === chosen.playbook.id && file.precedence > precedence);
  if (!broken) return chosen;
  throw inputError(said('playbook.brokenOverride', { file: broken.file, id: chosen.playbook.id }), {
    details: broken.problems.map(problemSaid),
    hint: said('playbook.brokenOverrideHint', { file: broken.file, chosen: chosen.file }),
  });
}

/** The playbook with this id, or an exit-2 error that says what exists (and what is broken). */
export function requirePlaybook(catalog: Catalog, id: string): LoadedPlaybook {
  const found = catalog.playbooks.find((loaded) => loaded.playbook.id === id);
  if (found) return refuseBrokenOverride(catalog, found);
  const ids = catalog.playbooks.map((loaded) => loaded.playbook.id);
  const guess = didYouMean(id, ids);
  const fromBroken = catalog.brokenFiles.filter((file) => file.meantAs === id).flatMap((file) => file.problems);
  throw inputError(guess ? said('playbook.unknownGuess', { id, guess }) : said('playbook.unknown', { id }), {
    details: fromBroken.length > 0 ? [said('playbook.brokenDefinition'), ...fromBroken.map(problemSaid)] : [],
    hint: ids.length > 0 ? said('playbook.found', { ids: ids.join(', ') }) : said('playbook.noneFound'),
  });
}

/** The default playbook of a kind, or an exit-2 error saying how to get one. */
export function requireDefault(catalog: Catalog, kind: PlaybookKind): LoadedPlaybook {
  const found = catalog.defaults.get(kind);
  if (found) return refuseBrokenOverride(catalog, found);
  const ofKind = catalog.playbooks.filter((loaded) => loaded.playbook.kind === kind).map((loaded) => loaded.playbook.id);
  throw inputError(said('playbook.noDefault', { kind }), {
    hint: ofKind.length > 0 ? said('playbook.pickOne', { ids: ofKind.join(', ') }) : said('playbook.addDefault', { kind }),
  });
}
