/**
 * Loading the playbook catalog for a command (apart from lookup.ts so that commands which only look
 * up accounts never load the YAML parser and the schema).
 */
import { join } from 'node:path';
import { cacheFolder, contentFolders } from '../paths.js';
import { loadCatalog } from '../playbook/catalog.js';
import type { Catalog } from '../playbook/catalog.js';
import { fileParseCache } from '../playbook/parse-cache.js';
import type { Ui } from '../ui/ui.js';
import { t } from '../i18n/messages.js';

/** What cs's parsing and checking of playbooks is made of, hashed by scripts/build.mjs. */
declare const __CS_SOURCE_ID__: string | undefined;

/**
 * Every playbook found, with the parse cache of this build (parse-cache.ts). Run from source
 * (the tests of src/) there is no build to tie a cache to, so there is none.
 */
export function playbookCatalog(env: NodeJS.ProcessEnv = process.env): Catalog {
  const caches = typeof __CS_SOURCE_ID__ === 'string' ? cacheFolder(env) : undefined;
  return loadCatalog(contentFolders('playbooks', env), caches ? fileParseCache(join(caches, 'playbooks'), __CS_SOURCE_ID__!) : undefined);
}

/** How many broken files a warning names before it counts the rest. */
const NAMED_BROKEN_FILES = 5;


/** Every playbook found; broken files are named on stderr, never silently dropped. */
export function loadPlaybooks(ui: Ui, env: NodeJS.ProcessEnv = process.env): Catalog {
  const catalog = playbookCatalog(env);
  if (catalog.brokenFiles.length > 0) {
    const files = catalog.brokenFiles.map((broken) => broken.file);
    // a folder of 5,000 unrelated YAML files must not print 5,000 names on every command
    const named = files.length <= NAMED_BROKEN_FILES ? files.join(', ') : t('found.andMore', { files: files.slice(0, NAMED_BROKEN_FILES - 1).join(', '), count: files.length - NAMED_BROKEN_FILES + 1 });
    ui.err(ui.style.yellow(t('found.broken', { count: files.length, files: named })));
  }
  return catalog;
}
