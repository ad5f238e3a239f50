/**
 * `cs render <template-id> <account>`: one of the account's runs, through a template, to stdout or
 * a file. Also the core of the offer made when a walk completes a step that produces a document
 * (src/cli/produce.ts). This module and src/render/ are the only ones that load mustache (and
 * nodemailer, for eml only).
 */
import { extname } from 'node:path';
import { inputError } from '../../errors.js';
import { isIsoDate, today } from '../../engine/dates.js';
import { flattenSteps } from '../../engine/run.js';
import { checkOutput, writeOutput } from '../../files/output.js';
import { contentFolders } from '../../paths.js';
import { internalUses } from '../../render/audience.js';
import { findTemplates, partialLoader, partialSource, problemsError, requireTemplate, requireTemplateIn } from '../../render/catalog.js';
import { accountLang, LANG_NAMES, parseLangOption } from '../../i18n/lang.js';
import { t, uiLang } from '../../i18n/messages.js';
import { translatePlaybook } from '../../playbook/translate.js';
import type { TemplateCatalog } from '../../render/catalog.js';
import type { Template } from '../../render/template-file.js';
import { playbookCatalog } from '../playbooks-found.js';
import { peopleIn } from '../team.js';
import { producingStep, templateData } from '../../render/data.js';
import type { Person } from '../../render/data.js';
import { OUTPUT_FORMATS, renderDocument, requireEmail } from '../../render/document.js';
import type { OutputFormat } from '../../render/document.js';
import { describeMiss } from '../../render/fill.js';
import type { Account, LoadedRun, Store } from '../../store/store.js';
import type { Ui } from '../../ui/ui.js';
import type { Context } from '../context.js';
import { csCommand, shellArgument } from '../format.js';
import { requireAccount } from '../lookup.js';

export interface RenderFlags {
  run?: string;
  step?: string;
  format?: string;
  out?: string;
  force?: boolean;
  strict?: boolean;
  /** The document's language (--lang), over the account's. */
  lang?: string;
}

/** What rendering needs from a command or a walk. */
export interface RenderDeps {
  ui: Ui;
  env: NodeJS.ProcessEnv;
  store: Store;
}

/** The file extensions each output format is written with; the first is the usual one. */
const EXTENSIONS: Record<OutputFormat, string[]> = { md: ['.md', '.markdown'], txt: ['.txt', '.text'], html: ['.html', '.htm'], eml: ['.eml'] };

function formatOfExtension(extension: string): OutputFormat | undefined {
  return OUTPUT_FORMATS.find((format) => EXTENSIONS[format].includes(extension.toLowerCase()));
}

/** "md, txt, html, eml (files .md or .markdown, …)". */
function formatList(): string {
  return `${OUTPUT_FORMATS.join(', ')} (files ${OUTPUT_FORMATS.map((format) => EXTENSIONS[format].join(' or ')).join(', ')})`;
}

/**
 * --format, else what --out's extension says, else md. An --out whose extension names no format
 * (x.docx) is refused rather than filled with Markdown, and --format must agree with it.
 */
export function chooseFormat(format: string | undefined, out: string | undefined): OutputFormat {
  let wanted: OutputFormat | undefined;
  if (format !== undefined) {
    const name = format.toLowerCase().replace(/^\./, '');
    wanted = (OUTPUT_FORMATS as readonly string[]).includes(name) ? (name as OutputFormat) : formatOfExtension(`.${name}`);
    if (!wanted) throw inputError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}; got "${format}"`);
  }
  if (out === undefined || extname(out) === '') return wanted ?? 'md';
  const extension = extname(out);
  const named = formatOfExtension(extension);
  if (!named) {
    throw inputError(`cannot tell which format to write to ${out}: "${extension}" is not the extension of a format cs writes`, {
      hint: `Formats: ${formatList()}. Name the file with one of these extensions, e.g. --out ${out.slice(0, -extension.length)}.${wanted ?? 'md'}`,
    });
  }
  if (wanted && wanted !== named) {
    throw inputError(`--format ${wanted} and --out ${out} disagree: "${extension}" is the extension of ${named}`, {
      hint: `Drop --format to write ${named}, or name the file ${out.slice(0, -extension.length)}${EXTENSIONS[wanted][0]}.`,
    });
  }
  return named;
}

function parseRunId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw inputError(`--run must be a run number, e.g. --run 12; got "${text}"`);
  return id;
}

/**
 * The run to render: --run, else the latest run whose playbook has a step producing the template
 * (or the --step asked for), else the latest run.
 */
export async function chooseRun(store: Store, account: Account, templateId: string, flags: Pick<RenderFlags, 'run' | 'step'>): Promise<{ loaded: LoadedRun; among: number }> {
  const runs = await store.listRuns({ accountId: account.id });
  if (runs.length === 0) {
    throw inputError(t('render.noRuns', { account: account.name }), { hint: t('render.startOne', { command: `${csCommand()} onboard start ${shellArgument(account.name)}` }) });
  }
  if (flags.run !== undefined) {
    const id = parseRunId(flags.run);
    const run = runs.find((each) => each.id === id);
    if (!run) throw inputError(t('render.noRun', { account: account.name, run: id }), { hint: t('render.itsRuns', { runs: runs.map((each) => `#${each.id} (${each.playbookId})`).join(', ') }) });
    return { loaded: (await store.loadRun(run.id))!, among: 1 };
  }
  const loaded = (await Promise.all(runs.map((run) => store.loadRun(run.id)))).filter((each): each is LoadedRun => each !== undefined);
  const fits = loaded.filter((each) =>
    flattenSteps(each.state.playbook).some(({ def }) => (flags.step !== undefined ? def.id === flags.step : def.produces === templateId)),
  );
  return { loaded: fits[fits.length - 1] ?? loaded[loaded.length - 1]!, among: loaded.length };
}

/**
 * An email template goes to the customer: it must not use an answer marked `audience: internal`,
 * in the playbook the run started with or in the current version of it (a run started before the
 * mark keeps its old copy of the playbook, without the mark).
 */
function refuseInternalAnswers(template: Template, loaded: LoadedRun, env: NodeJS.ProcessEnv, catalog: TemplateCatalog): void {
  if (template.format !== 'email') return;
  const current = playbookCatalog(env).playbooks.find((each) => each.playbook.id === loaded.run.playbookId)?.playbook;
  const leaks = internalUses(template, current ? [loaded.state.playbook, current] : [loaded.state.playbook], partialSource(catalog));
  if (leaks.length === 0) return;
  throw problemsError(template.file, leaks, `Nothing was written. Take ${leaks.length === 1 ? 'it' : 'them'} out of the template (an internal note belongs in a document, not an email), or mark the field audience: customer if the customer may read it; cs templates validate checks every template.`);
}

/** A person as one mailbox for the eml's address parser: the name quoted, so a ":" or "," in it stays the name's. */
function mailboxText(who: Person): string {
  if (!who.email) return who.name;
  return who.name === who.email ? who.email : `"${who.name.replace(/["\\]/g, '\\$&')}" <${who.email}>`;
}

export interface RenderRequest extends RenderFlags {
  templateId: string;
  accountName: string;
}

/** Renders and writes (or prints) one document; warnings and notes go to stderr. */
export async function produceDocument(deps: RenderDeps, request: RenderRequest): Promise<void> {
  const { ui, env, store } = deps;
  const format = chooseFormat(request.format, request.out);
  const catalog = findTemplates(contentFolders('templates', env));
  const wantedLang = request.lang === undefined ? undefined : parseLangOption(request.lang, '--lang');
  requireEmail(requireTemplate(catalog, request.templateId), format);
  // refused before anything is rendered: a path that cannot be written, or the database itself
  const outOptions = { force: request.force, protect: [store.path] };
  if (request.out !== undefined) checkOutput(request.out, outOptions);
  const account = await requireAccount(store, request.accountName);
  // the document speaks the account's language (--lang over it); an account without one, the user's
  const lang = wantedLang ?? accountLang(account) ?? uiLang();
  const { template, fallback } = requireTemplateIn(catalog, request.templateId, lang);
  if (fallback) ui.err(ui.style.yellow(t('render.fallback', { template: template.id, lang: LANG_NAMES[lang] })));
  const { loaded, among } = await chooseRun(store, account, template.id, request);
  refuseInternalAnswers(template, loaded, env, catalog);
  const translated = await translatePlaybook(loaded.state.playbook, lang, env);
  if (translated.fallback) ui.err(ui.style.yellow(t('render.playbookFallback', { playbook: loaded.run.playbookId, lang: LANG_NAMES[lang] })));
  const inLang: LoadedRun = { ...loaded, state: { ...loaded.state, playbook: translated.playbook } };
  const now = today(env);
  const { directory: people, me } = await peopleIn(store, env);
  const history = await store.history(loaded.run.id);
  const data = templateData({ account, loaded: inLang, templateId: template.id, stepId: request.step, today: now, from: env.CS_FROM, people, actingUser: me, lang, history });
  const producers = flattenSteps(loaded.state.playbook).filter(({ def }) => def.produces === template.id);
  const producer = producingStep(loaded, template.id, request.step);
  // Say which run and step were picked when there was a choice, and how to pick another.
  const runChosen = among > 1 && request.run === undefined;
  const stepChosen = producer !== undefined && producers.length > 1 && request.step === undefined;
  if (runChosen || stepChosen) {
    const flags = [runChosen && '--run ID', stepChosen && '--step STEP'].filter(Boolean).join(t('render.or'));
    const params = { run: loaded.run.id, playbook: loaded.run.playbookId, step: producer?.def.id ?? '', title: producer?.def.title ?? '', flags };
    ui.err(ui.style.dim(t(stepChosen ? 'render.usingRunStep' : 'render.usingRun', params)));
  }
  const owner = data.owner as Person | undefined;
  const rendered = await renderDocument({
    template,
    data,
    format,
    partials: partialLoader(catalog, lang),
    lang,
    // CS_FROM as typed, else the owner as cs knows them (with the address of cs config for the user)
    from: env.CS_FROM ? { text: env.CS_FROM, source: 'CS_FROM' } : owner ? { text: mailboxText(owner), source: 'the owner' } : undefined,
    // CS_TODAY pins the day: make the whole draft reproducible (tests, reviewing "as of" a day)
    fixed: env.CS_TODAY && isIsoDate(env.CS_TODAY)
      ? { date: new Date(`${now}T09:00:00Z`), messageId: `<${template.id}.run-${loaded.run.id}.${now}@cs.invalid>`, boundary: 'cs-draft' }
      : undefined,
  });
  const problems = rendered.misses.map(describeMiss);
  if (request.strict && rendered.refused.length > 0) {
    throw inputError(t('render.refusedStrict', { count: rendered.refused.length, template: template.id }), {
      details: [...rendered.refused, ...problems],
      hint: t('render.refusedHint', { command: `${csCommand()} resume ${shellArgument(account.name)}` }),
    });
  }
  if (request.strict && problems.length > 0) {
    throw inputError(t('render.missingStrict', { count: problems.length, template: template.id }), {
      details: problems,
      hint: t('render.missingHint', { command: `${csCommand()} resume ${shellArgument(account.name)}` }),
    });
  }
  for (const problem of [...rendered.refused, ...problems]) ui.err(ui.style.yellow(t('render.warning', { problem })));
  for (const note of rendered.notes) ui.err(ui.style.dim(t('render.note', { note })));
  if (request.out === undefined) {
    ui.document(/\n$/.test(rendered.content) ? rendered.content : `${rendered.content}\n`);
    return;
  }
  const written = writeOutput(request.out, rendered.content, outOptions);
  const through = written.throughLink ? t('render.throughLink', { path: written.path }) : '';
  ui.out(`${ui.style.green('✓')} ${t('render.wrote', { file: request.out, template: template.id, format, account: account.name, run: loaded.run.id, through })}`);
}

export async function render(context: Context, templateId: string, accountName: string, flags: RenderFlags): Promise<void> {
  await produceDocument({ ui: context.ui, env: context.env, store: context.readStore() }, { ...flags, templateId, accountName });
}
