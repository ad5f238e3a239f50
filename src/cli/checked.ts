/** How `cs playbooks validate` and `cs templates validate` report: ✓ or each problem per file, then warnings, then the count. */
import { inputError } from '../errors.js';
import { plural } from '../engine/words.js';
import { formatProblem } from '../playbook/problems.js';
import type { Problem } from '../playbook/problems.js';
import type { Ui } from '../ui/ui.js';

export interface CheckedFile {
  file: string;
  problems: Problem[];
}

/**
 * Prints the outcome of checking `checked`: exit 2 (thrown) when a file has a problem, saying how
 * many in how many `unit`s; else "N <what>s valid.".
 */
export function reportChecked(ui: Ui, checked: CheckedFile[], warnings: Problem[], names: { what: string; unit: string; translations?: number }): void {
  for (const each of checked) {
    if (each.problems.length === 0) ui.out(`${ui.style.green('✓')} ${each.file}`);
    else for (const problem of each.problems) ui.err(formatProblem(problem));
  }
  for (const warning of warnings) ui.err(ui.style.yellow(`warning: ${formatProblem(warning)}`));
  const failing = checked.filter((each) => each.problems.length > 0);
  if (failing.length > 0) {
    const count = failing.reduce((sum, each) => sum + each.problems.length, 0);
    throw inputError(`${plural(count, 'problem')} in ${plural(failing.length, names.unit)}`);
  }
  // translations (<id>.<lang>.yaml, .mustache) are counted apart from what they translate
  const translations = names.translations ?? 0;
  ui.out(`${plural(checked.length - translations, names.what)}${translations > 0 ? ` and ${plural(translations, 'translation')}` : ''} valid.`);
}
