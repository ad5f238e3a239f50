/**
 * Loading the playbook catalog for a command (apart from lookup.ts so that commands which only look
 * up accounts never load the YAML parser and the schema).
 */
import { loadCatalog } from '../playbook/catalog.js';
import type { Catalog } from '../playbook/catalog.js';
import type { Ui } from '../ui/ui.js';

/** Every playbook found; broken files are named on stderr, never silently dropped. */
export function loadPlaybooks(ui: Ui): Catalog {
  const catalog = loadCatalog();
  if (catalog.brokenFiles.length > 0) {
    const files = catalog.brokenFiles.map((broken) => broken.file);
    ui.err(ui.style.yellow(`warning: ${files.length} playbook file${files.length === 1 ? ' has' : 's have'} problems and ${files.length === 1 ? 'was' : 'were'} skipped (${files.join(', ')}); see cs playbooks validate`));
  }
  return catalog;
}
