/** `cs templates list [--json]`, `cs templates show <id> [--json]` and `cs templates validate [FILE…]`. */
import { translationName } from '../../render/catalog.js';
import { basename, dirname, resolve } from 'node:path';
import { contentFolders, displayPath } from '../../paths.js';
import { formatProblem } from '../../playbook/problems.js';
import type { Problem } from '../../playbook/problems.js';
import { findTemplates, partialLoader, readTemplate, requireTemplate, TEMPLATE_ID } from '../../render/catalog.js';
import type { TemplateEntry } from '../../render/catalog.js';
import { reportChecked } from '../checked.js';
import { playbookCatalog } from '../playbooks-found.js';
import type { UseKind, VariableUse } from '../../render/variables.js';
import { variablesOf, variablesOfPartial } from '../../render/variables.js';
import { table } from '../../ui/table.js';
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
    ui.out('No templates found. Add <id>.mustache files to ~/.config/cs/templates (or a folder in CS_TEMPLATES).');
    return;
  }
  const lines = await table(
    rows.map(({ entry, template }) => [
      ui.style.bold(entry.id),
      template ? template.format : ui.style.red('broken'),
      entry.source === 'user' ? ui.style.cyan('user') : ui.style.dim('bundled'),
      template ? template.title : ui.style.dim(`see: cs templates show ${entry.id}`),
    ]),
    { width: ui.columns },
  );
  for (const line of lines) ui.out(line);
  for (const problem of [...catalog.problems, ...rows.flatMap((row) => row.problems)]) ui.err(ui.style.yellow(`warning: ${formatProblem(problem)}`));
}

/** How a name is used: printed as a value, or guarding a section shown only if it is set / empty. */
const HOW: Record<UseKind, string> = { value: 'value', section: 'if set', inverted: 'if empty', partial: 'partial' };

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
  ui.out(`${style.bold(template.id)} ${style.dim('·')} ${template.title} ${style.dim(`(${template.format}, ${template.source})`)}`);
  ui.out(style.dim(template.file));
  if (template.subject) ui.out(`Subject: ${template.subject.text}`);
  if (template.to) ui.out(`To: ${template.to.text}`);
  ui.out(`Produced by: ${producedBy.length > 0 ? producedBy.join(', ') : style.dim('no playbook step (render it with cs render)')}`);
  ui.out();
  ui.out(style.cyan('Variables it uses:'));
  const rows = variables.map((row) => [
    `  ${[...row.kinds].includes('partial') ? `> ${row.name}` : row.name}`,
    style.dim([...row.kinds].map((kind) => HOW[kind]).join(', ') + (row.within.length > 0 ? `, inside ${row.within.join(' › ')}` : '')),
    style.dim(`${row.partial ? `partial ${row.partial} ` : ''}line${row.lines.length > 1 ? 's' : ''} ${row.lines.join(', ')}`),
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
        checked.push({ file: displayPath(absolute), problems: [{ file: displayPath(absolute), line: 1, col: 1, message: `"${id}" cannot be a template id: name the file <id>.mustache, with lowercase letters, digits, '-' and '_'` }], warnings: [] });
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
      ui.out('No templates found to validate.');
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
  reportChecked(ui, checked, checked.flatMap((each) => each.warnings), { what: 'template', unit: 'template', translations });
}
