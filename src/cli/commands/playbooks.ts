/** `cs playbooks list | show <id> | validate [FILE…]`. */
import { basename, resolve } from 'node:path';
import { choiceLabel, choiceValue } from '../../playbook/choices.js';
import { displayPath } from '../../paths.js';
import { checkTranslation } from '../../playbook/translation.js';
import { readTranslation, translatePlaybook, translationFileName } from '../../playbook/translate.js';
import type { TranslationFile } from '../../playbook/catalog.js';
import { flattenSteps } from '../../engine/run.js';
import { loadPlaybookFile, requirePlaybook } from '../../playbook/catalog.js';
import type { Catalog } from '../../playbook/catalog.js';
import type { Problem } from '../../playbook/problems.js';
import type { DueDef, LoadedPlaybook, Playbook, PlaybookKind } from '../../playbook/types.js';
import { t, uiLang } from '../../i18n/messages.js';
import type { MessageKey } from '../../i18n/messages.js';
import { reflow, wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { reportChecked } from '../checked.js';
import type { CheckedFile } from '../checked.js';
import { loadPlaybooks, playbookCatalog } from '../playbooks-found.js';

/** A playbook's text in the interface's language, when it has a translation (the ids stay). */
async function inUserLanguage(playbook: Playbook, env: NodeJS.ProcessEnv): Promise<Playbook> {
  return uiLang() === 'en' ? playbook : (await translatePlaybook(playbook, uiLang(), env)).playbook;
}

/** Where a playbook or template was found, in words. */
export function sourceName(source: string): string {
  return source === 'bundled' ? t('source.bundled') : source === 'user' ? t('source.user') : source;
}

/** A due date as the playbook writes it: 7d, or 3d after the step kickoff-call, or 2d from the date field call-date. */
function dueText(due: DueDef): string {
  if (typeof due === 'string') return due;
  return 'after' in due ? t('playbooks.dueAfter', { in: due.in, step: due.after }) : t('playbooks.dueFrom', { in: due.in, field: due.from });
}

/** A playbook's kind as the interface says it: onboarding, churn and winback are the words CS teams use; "other" is said. */
function kindName(kind: PlaybookKind): string {
  return kind === 'other' ? t('playbooks.kindOther') : kind;
}

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
    ui.out(t('playbooks.none'));
  } else {
    const headers: MessageKey[] = ['playbooks.col.id', 'playbooks.col.kind', 'playbooks.col.steps', 'playbooks.col.source', 'playbooks.col.title'];
    const rows = [headers.map((key) => ui.style.bold(t(key)))];
    for (const loaded of catalog.playbooks) {
      const { playbook } = loaded;
      rows.push([
        playbook.id,
        kindName(playbook.kind) + (isDefault(catalog, loaded) ? ui.style.green(` ${t('playbooks.default')}`) : ''),
        String(flattenSteps(playbook).length),
        sourceName(loaded.source),
        (await inUserLanguage(playbook, context.env)).title,
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
  if (flags.json) {
    ui.out(JSON.stringify({ ...loaded.playbook, file: loaded.file, source: loaded.source, default: isDefault(catalog, loaded) }, null, 2));
    return;
  }
  const playbook = await inUserLanguage(loaded.playbook, context.env);
  // on a terminal, a line too long wraps at a word, going on under its text
  const say = async (text: string, indent?: string) => ui.out(await wrap(text, ui.columns, indent));
  const identity = { id: playbook.id, version: playbook.version, kind: kindName(playbook.kind) };
  await say(`${style.bold(playbook.title)} ${style.dim(t(isDefault(catalog, loaded) ? 'playbooks.identityDefault' : 'playbooks.identity', identity))}`, '  ');
  ui.out(style.dim(loaded.file));
  if (playbook.description) ui.out(await reflow(playbook.description.trimEnd(), ui.columns));
  let number = 0;
  for (const phase of playbook.phases) {
    ui.out();
    await say(style.cyan(phase.due ? t('playbooks.phaseDue', { phase: phase.title, due: dueText(phase.due) }) : phase.title), '  ');
    for (const step of phase.steps) {
      number += 1;
      const marks = [`[${step.id}]`, step.due ? t('playbooks.stepDue', { due: dueText(step.due) }) : '', step.produces ? `→ ${step.produces}` : ''].filter(Boolean).join(' ');
      await say(`  ${number}. ${style.bold(step.title)} ${style.dim(step.audience === 'internal' ? t('playbooks.internalStep', { marks }) : marks)}`, '     ');
      for (const item of step.checklist ?? []) await say(`     ☐ ${item}`, '       ');
      for (const field of step.fields ?? []) {
        // a choice as the walk offers it, by its label; the value a run stores beside it when they differ
        const choices = field.choices
          ?.map((each) => {
            const value = choiceValue(each);
            const label = choiceLabel(field, value);
            const choice = label === value ? value : `${label} [${value}]`;
            return field.exclusive?.includes(value) ? t('playbooks.choiceAlone', { choice }) : choice;
          })
          .join(' | ');
        const extra = [field.integer ? t('playbooks.wholeNumber') : field.type, field.required ? t('playbooks.required') : '', field.audience === 'internal' ? t('playbooks.internal') : '', choices ?? ''].filter(Boolean).join(', ');
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
    if (text === undefined) problems = [{ file: translation.file, line: 1, col: 1, message: t('playbooks.translationUnreadable') }];
    else if (!base) problems = [{ file: translation.file, line: 1, col: 1, message: t('playbooks.translatesUnknown', { id: translation.id }) }];
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
      ui.out(t('playbooks.noneToValidate'));
      return;
    }
  }
  // produces: must name a template; templates should only read answers these playbooks have
  const { checkTemplateReferences, findTemplates } = await import('../../render/references.js');
  const references = checkTemplateReferences(valid, findTemplates(), { everyTemplate: files.length === 0 });
  for (const problem of references.problems) checked.find((each) => each.file === problem.file)?.problems.push(problem);
  const translations = checked.filter((each) => translationFileName(basename(each.file))).length;
  reportChecked(ui, checked, [...translationWarnings, ...references.warnings], { what: 'count.playbook', unit: 'count.file', translations });
}
