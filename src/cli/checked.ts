/** How `cs playbooks validate` and `cs templates validate` report: ✓ or each problem per file, then warnings, then the count. */
import { inputError } from '../errors.js';
import { t } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/messages.js';
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
export function reportChecked(ui: Ui, checked: CheckedFile[], warnings: Problem[], names: { what: MessageKey; unit: MessageKey; translations?: number }): void {
  for (const each of checked) {
    if (each.problems.length === 0) ui.out(`${ui.style.green('✓')} ${each.file}`);
    else for (const problem of each.problems) ui.err(formatProblem(problem));
  }
  for (const warning of warnings) ui.err(ui.style.yellow(t('render.warning', { problem: formatProblem(warning) })));
  const failing = checked.filter((each) => each.problems.length > 0);
  if (failing.length > 0) {
    const count = failing.reduce((sum, each) => sum + each.problems.length, 0);
    throw inputError(t('checked.problems', { problems: t('count.problem', { count }), files: t(names.unit, { count: failing.length }) }));
  }
  // translations (<id>.<lang>.yaml, .mustache) are counted apart from what they translate
  const translations = names.translations ?? 0;
  const count = checked.length - translations;
  const what = t(names.what, { count });
  ui.out(translations > 0 ? t('checked.validWithTranslations', { what, translations: t('count.translation', { count: translations }) }) : t('checked.valid', { what }));
}
