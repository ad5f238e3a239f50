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

/** Every playbook found; broken files are named on stderr, never silently dropped. */
export function loadPlaybooks(ui: Ui, env: NodeJS.ProcessEnv = process.env): Catalog {
  const catalog = playbookCatalog(env);
  if (catalog.brokenFiles.length > 0) {
    const files = catalog.brokenFiles.map((broken) => broken.file);
    ui.err(ui.style.yellow(`warning: ${files.length} playbook file${files.length === 1 ? ' has' : 's have'} problems and ${files.length === 1 ? 'was' : 'were'} skipped (${files.join(', ')}); see cs playbooks validate`));
  }
  return catalog;
}
