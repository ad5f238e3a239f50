/** `cs playbooks list | show <id> | validate [FILE…]`. */
import { basename, resolve } from 'node:path';
import { choiceValue } from '../../playbook/choices.js';
import { displayPath } from '../../paths.js';
import { checkTranslation } from '../../playbook/translation.js';
import { readTranslation, translationFileName } from '../../playbook/translate.js';
import type { TranslationFile } from '../../playbook/catalog.js';
import { flattenSteps } from '../../engine/run.js';
import { loadPlaybookFile, requirePlaybook } from '../../playbook/catalog.js';
import type { Catalog } from '../../playbook/catalog.js';
import type { Problem } from '../../playbook/problems.js';
import type { LoadedPlaybook } from '../../playbook/types.js';
import { reflow, wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { reportChecked } from '../checked.js';
import type { CheckedFile } from '../checked.js';
import { loadPlaybooks, playbookCatalog } from '../playbooks-found.js';

function isDefault(catalog: Catalog, loaded: LoadedPlaybook): boolean {
  return catalog.defaults.get(loaded.playbook.kind) === loaded;
}

export async function list(context: Context, flags: { json?: boolean }): Promise<void> {
  const catalog = loadPlaybooks(context.ui, context.env);
  const { ui } = context;
  if (flags.json) {
    ui.out(
      JSON.stringify(
        catalog.playbooks.map((loaded) => ({
          id: loaded.playbook.id,
          title: loaded.playbook.title,
          kind: loaded.playbook.kind,
          default: isDefault(catalog, loaded),
          version: loaded.playbook.version,
          steps: flattenSteps(loaded.playbook).length,
          source: loaded.source,
          file: loaded.file,
        })),
        null,
        2,
      ),
    );
  } else if (catalog.playbooks.length === 0) {
    ui.out('No playbooks found. Add YAML files to ~/.config/cs/playbooks or a folder named in CS_PLAYBOOKS.');
  } else {
    const rows = [['ID', 'KIND', 'STEPS', 'SOURCE', 'TITLE'].map((cell) => ui.style.bold(cell))];
    for (const loaded of catalog.playbooks) {
      const { playbook } = loaded;
      rows.push([
        playbook.id,
        playbook.kind + (isDefault(catalog, loaded) ? ui.style.green(' (default)') : ''),
        String(flattenSteps(playbook).length),
        loaded.source,
        playbook.title,
      ]);
    }
    for (const line of await table(rows, { width: ui.columns, keep: [2] })) ui.out(line);
  }
}

export async function show(context: Context, id: string, flags: { json?: boolean }): Promise<void> {
  const catalog = loadPlaybooks(context.ui, context.env);
  const loaded = requirePlaybook(catalog, id);
  const { ui } = context;
  const { style } = ui;
  const { playbook } = loaded;
  if (flags.json) {
    ui.out(JSON.stringify({ ...playbook, file: loaded.file, source: loaded.source, default: isDefault(catalog, loaded) }, null, 2));
    return;
  }
  // on a terminal, a line too long wraps at a word, going on under its text
  const say = async (text: string, indent?: string) => ui.out(await wrap(text, ui.columns, indent));
  await say(`${style.bold(playbook.title)} ${style.dim(`(${playbook.id} v${playbook.version}, ${playbook.kind}${isDefault(catalog, loaded) ? ', default' : ''})`)}`, '  ');
  ui.out(style.dim(loaded.file));
  if (playbook.description) ui.out(await reflow(playbook.description.trimEnd(), ui.columns));
  let number = 0;
  for (const phase of playbook.phases) {
    ui.out();
    await say(style.cyan(`${phase.title}${phase.due ? ` — due day 0 + ${phase.due}` : ''}`), '  ');
    for (const step of phase.steps) {
      number += 1;
      await say(`  ${number}. ${style.bold(step.title)} ${style.dim(`[${step.id}]${step.due ? ` due +${step.due}` : ''}${step.produces ? ` → ${step.produces}` : ''}${step.audience === 'internal' ? ', internal' : ''}`)}`, '     ');
      for (const item of step.checklist ?? []) await say(`     ☐ ${item}`, '       ');
      for (const field of step.fields ?? []) {
        const choices = field.choices?.map(choiceValue).map((choice) => (field.exclusive?.includes(choice) ? `${choice} (alone)` : choice)).join(' | ');
        const extra = [field.integer ? 'whole number' : field.type, field.required ? 'required' : '', field.audience === 'internal' ? 'internal' : '', choices ?? ''].filter(Boolean).join(', ');
        await say(`     ? ${field.prompt} ${style.dim(`(${field.id}: ${extra})`)}`, '       ');
      }
    }
  }
}

/**
 * Checks each translation against its base playbook (the one of its id that cs would use): ids the
 * base lacks and non-text keys are problems, text left in English warnings, each at line:col.
 */
function checkTranslations(catalog: Catalog, translations: TranslationFile[], checked: CheckedFile[], warnings: Problem[]): void {
  for (const translation of translations) {
    const text = readTranslation(translation.path);
    const base = catalog.playbooks.find((loaded) => loaded.playbook.id === translation.id);
    let problems: Problem[];
    if (text === undefined) problems = [{ file: translation.file, line: 1, col: 1, message: 'cannot read: not a regular file of at most 1 MiB' }];
    else if (!base) problems = [{ file: translation.file, line: 1, col: 1, message: `translates "${translation.id}", but no playbook has that id (see cs playbooks list)` }];
    else {
      const check = checkTranslation(text, translation.file, base.playbook);
      problems = check.problems;
      warnings.push(...check.warnings);
    }
    checked.push({ file: translation.file, problems });
  }
}

export async function validate(context: Context, files: string[]): Promise<void> {
  const { ui } = context;
  const checked: CheckedFile[] = [];
  const valid: LoadedPlaybook[] = [];
  const translationWarnings: Problem[] = [];
  if (files.length > 0) {
    const named = files.map((path) => ({ path: resolve(path), name: translationFileName(basename(path)) }));
    const translations = named.filter((each) => each.name).map((each) => ({ path: each.path, file: displayPath(each.path), ...each.name! }));
    if (translations.length > 0) checkTranslations(playbookCatalog(context.env), translations, checked, translationWarnings);
    for (const { path } of named.filter((each) => !each.name)) {
      const { loaded, problems } = loadPlaybookFile(path);
      checked.push({ file: loaded?.file ?? problems[0]?.file ?? path, problems });
      if (loaded) valid.push(loaded);
    }
  } else {
    const catalog = playbookCatalog(context.env);
    valid.push(...catalog.playbooks);
    const byFile = new Map<string, Problem[]>();
    for (const loaded of catalog.playbooks) byFile.set(loaded.file, []);
    for (const problem of catalog.problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
    for (const [file, problems] of byFile) checked.push({ file, problems });
    checkTranslations(catalog, catalog.translations, checked, translationWarnings);
    if (checked.length === 0) {
      ui.out('No playbooks found to validate.');
      return;
    }
  }
  // produces: must name a template; templates should only read answers these playbooks have
  const { checkTemplateReferences, findTemplates } = await import('../../render/references.js');
  const references = checkTemplateReferences(valid, findTemplates(), { everyTemplate: files.length === 0 });
  for (const problem of references.problems) checked.find((each) => each.file === problem.file)?.problems.push(problem);
  const translations = checked.filter((each) => translationFileName(basename(each.file))).length;
  reportChecked(ui, checked, [...translationWarnings, ...references.warnings], { what: 'playbook', unit: 'file', translations });
}
