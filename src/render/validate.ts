/**
 * `cs templates validate`: one template checked as a whole, against the playbooks that feed it
 * (those with a step that produces it, else every playbook found): it parses, its partials exist,
 * an email template uses nothing internal (problems); every answer it names exists (warnings).
 */
import { said } from '../i18n/messages.js';
import type { Problem } from '../playbook/problems.js';
import type { LoadedPlaybook } from '../playbook/types.js';
import { internalUses } from './audience.js';
import { partialPath, partialSource } from './catalog.js';
import type { TemplateCatalog } from './catalog.js';
import { feedingPlaybooks, producingSteps, templateWarnings } from './references.js';
import type { Template } from './template-file.js';
import { variablesOf } from './variables.js';

export { findTemplates, readTemplate } from './catalog.js';

export interface TemplateReport {
  problems: Problem[];
  warnings: Problem[];
}

export function checkTemplate(template: Template, playbooks: LoadedPlaybook[], catalog: TemplateCatalog): TemplateReport {
  const problems: Problem[] = [];
  const partials = partialSource(catalog, problems);
  for (const use of variablesOf(template)) {
    // a partial that exists but is broken has been reported by partialSource, at its own line
    if (use.kind === 'partial' && partials(use.name) === undefined && partialPath(catalog, use.name) === undefined) {
      problems.push({ file: template.file, line: use.line, col: use.col, message: said('tpl.partialMissing', { name: use.name }) });
    }
  }
  const feeding = feedingPlaybooks(template.id, playbooks);
  problems.push(...internalUses(template, feeding.map((loaded) => loaded.playbook), partials));
  return { problems, warnings: templateWarnings(template, playbooks, producingSteps(playbooks)) };
}
