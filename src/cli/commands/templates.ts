/** `cs templates list [--json]`, `cs templates show <id> [--json]` and `cs templates validate [FILE…]`. */
import { translationName } from '../../render/catalog.js';
import { basename, dirname, resolve } from 'node:path';
import { contentFolders, displayPath } from '../../paths.js';
import { formatProblem } from '../../playbook/problems.js';
import type { Problem } from '../../playbook/problems.js';
import { findTemplates, partialLoader, readTemplate, requireTemplate, TEMPLATE_ID, titleIn } from '../../render/catalog.js';
import type { TemplateEntry } from '../../render/catalog.js';
import { reportChecked } from '../checked.js';
import { playbookCatalog } from '../playbooks-found.js';
import type { UseKind, VariableUse } from '../../render/variables.js';
import { variablesOf, variablesOfPartial } from '../../render/variables.js';
import { t, uiLang } from '../../i18n/messages.js';
import type { MessageKey } from '../../i18n/messages.js';
import { table } from '../../ui/table.js';
import { sourceName } from './playbooks.js';
import type { Context } from '../context.js';

export async function list(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const catalog = findTemplates(contentFolders('templates', context.env));
  const rows = catalog.entries.map((entry) => ({ entry, ...readTemplate(entry) }));
  if (flags.json) {
    const data = rows.map(({ entry, template, problems }) => ({
      id: entry.id,
      title: template?.title ?? null,
      format: template?.format ?? null,
      subject: template?.subject?.text ?? null,
      source: entry.source,
      file: entry.file,
      problems: problems.map(formatProblem),
    }));
    ui.out(JSON.stringify(data, null, 2));
    return;
  }
  if (rows.length === 0) {
    ui.out(t('templates.none'));
    return;
  }
  const lines = await table(
    rows.map(({ entry, template }) => [
      ui.style.bold(entry.id),
      template ? template.format : ui.style.red(t('templates.broken')),
      entry.source === 'user' ? ui.style.cyan(sourceName(entry.source)) : ui.style.dim(sourceName(entry.source)),
      template ? titleIn(catalog, template, uiLang()) : ui.style.dim(t('templates.seeShow', { command: `cs templates show ${entry.id}` })),
    ]),
    { width: ui.columns },
  );
  for (const line of lines) ui.out(line);
  for (const problem of [...catalog.problems, ...rows.flatMap((row) => row.problems)]) ui.err(ui.style.yellow(t('render.warning', { problem: formatProblem(problem) })));
}

/** How a name is used: printed as a value, or guarding a section shown only if it is set / empty. */
const HOW: Record<UseKind, MessageKey> = { value: 'templates.use.value', section: 'templates.use.section', inverted: 'templates.use.inverted', partial: 'templates.use.partial' };

export async function show(context: Context, id: string, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const catalog = findTemplates(contentFolders('templates', context.env));
  const template = requireTemplate(catalog, id);
  const producedBy = playbookCatalog(context.env).playbooks.flatMap(({ playbook }) =>
    playbook.phases.flatMap((phase) => phase.steps.filter((step) => step.produces === template.id).map((step) => `${playbook.id} › ${step.id}`)),
  );
  // One row per name: how it is used and on which lines; a partial's names after it, marked.
  const byName = new Map<string, { name: string; kinds: Set<UseKind>; lines: number[]; within: string[]; partial?: string }>();
  const add = (uses: VariableUse[], partial?: string) => {
    for (const use of uses) {
      // `{{#x}}{{x}}{{/x}}` is one use of x, not x inside itself
      const within = use.within.filter((name) => name !== use.name);
      const key = `${partial ?? ''}:${within.join('›')}:${use.kind === 'partial' ? '>' : ''}${use.name}`;
      const row = byName.get(key) ?? { name: use.name, kinds: new Set<UseKind>(), lines: [], within, partial };
      row.kinds.add(use.kind);
      if (!row.lines.includes(use.line)) row.lines.push(use.line);
      byName.set(key, row);
    }
  };
  const uses = variablesOf(template);
  add(uses);
  const partial = partialLoader(catalog);
  for (const name of new Set(uses.filter((use) => use.kind === 'partial').map((use) => use.name))) {
    const text = partial(name);
    if (text !== undefined) add(variablesOfPartial(text), name);
  }
  const variables = [...byName.values()];
  if (flags.json) {
    const data = {
      id: template.id,
      title: template.title,
      format: template.format,
      subject: template.subject?.text ?? null,
      to: template.to?.text ?? null,
      source: template.source,
      file: template.file,
      producedBy,
      variables: variables.map((row) => ({ name: row.name, uses: [...row.kinds], lines: row.lines, within: row.within, partial: row.partial ?? null })),
    };
    ui.out(JSON.stringify(data, null, 2));
    return;
  }
  ui.out(`${style.bold(template.id)} ${style.dim('·')} ${titleIn(catalog, template, uiLang())} ${style.dim(`(${template.format}, ${sourceName(template.source)})`)}`);
  ui.out(style.dim(template.file));
  if (template.subject) ui.out(t('templates.subject', { subject: template.subject.text }));
  if (template.to) ui.out(t('templates.to', { to: template.to.text }));
  ui.out(t('templates.producedBy', { steps: producedBy.length > 0 ? producedBy.join(', ') : style.dim(t('templates.producedByNone')) }));
  ui.out();
  ui.out(style.cyan(t('templates.variables')));
  const rows = variables.map((row) => [
    `  ${[...row.kinds].includes('partial') ? `> ${row.name}` : row.name}`,
    style.dim([...row.kinds].map((kind) => t(HOW[kind])).join(', ') + (row.within.length > 0 ? t('templates.inside', { sections: row.within.join(' › ') }) : '')),
    style.dim(t(row.partial ? 'templates.partialLines' : 'templates.lines', { count: row.lines.length, lines: row.lines.join(', '), partial: row.partial ?? '' })),
  ]);
  for (const line of await table(rows, { width: ui.columns })) ui.out(line);
}

/**
 * `cs templates validate [FILE…]`: every template found, or these files (their own folder's
 * partials/ first), each problem at file:line:col; exit 2 when there is one.
 */
export async function validate(context: Context, files: string[]): Promise<void> {
  const { ui } = context;
  const { checkTemplate } = await import('../../render/validate.js');
  let catalog = findTemplates(contentFolders('templates', context.env));
  const entries: TemplateEntry[] = [];
  const checked: { file: string; problems: Problem[]; warnings: Problem[] }[] = [];
  if (files.length > 0) {
    const folders = new Set<string>();
    for (const path of files) {
      const absolute = resolve(path);
      // kickoff-recap.vi.mustache: the Vietnamese kickoff-recap, checked as that template
      const id = translationName(basename(absolute))?.id ?? basename(absolute).replace(/\.mustache$/, '');
      if (!TEMPLATE_ID.test(id)) {
        checked.push({ file: displayPath(absolute), problems: [{ file: displayPath(absolute), line: 1, col: 1, message: t('templates.badId', { id }) }], warnings: [] });
        continue;
      }
      entries.push({ id, path: absolute, file: displayPath(absolute), source: 'user' });
      folders.add(dirname(absolute));
    }
    catalog = { ...catalog, folders: [...catalog.folders, ...[...folders].map((path) => ({ path, source: 'user' as const }))] };
  } else {
    entries.push(...catalog.entries.flatMap((entry) => [entry, ...Object.values(entry.translations ?? {})]));
    checked.push(...catalog.problems.map((problem) => ({ file: problem.file, problems: [problem], warnings: [] })));
    if (entries.length === 0 && checked.length === 0) {
      ui.out(t('templates.noneToValidate'));
      return;
    }
  }
  const playbooks = playbookCatalog(context.env).playbooks;
  for (const entry of entries) {
    const { template, problems } = readTemplate(entry);
    if (!template) checked.push({ file: entry.file, problems, warnings: [] });
    else checked.push({ file: entry.file, ...checkTemplate(template, playbooks, catalog) });
  }
  const translations = checked.filter((each) => translationName(basename(each.file))).length;
  reportChecked(ui, checked, checked.flatMap((each) => each.warnings), { what: 'count.template', unit: 'count.template', translations });
}
