/**
 * When a walk completes a step that `produces:` a document: in a terminal, offer to render it
 * right away; otherwise say in one line how to render it later. The step is committed before
 * this runs, so nothing here can lose an answer; a template that cannot be rendered is reported
 * as a warning and the walk goes on. Mustache and nodemailer load only if the user says yes.
 */
import { t } from '../i18n/messages.js';
import { existsSync } from 'node:fs';
import { CsError, isStop } from '../errors.js';
import { contentFolders } from '../paths.js';
import type { StepDef } from '../playbook/types.js';
import { slug } from '../render/slug.js';
import type { LoadedRun, Store } from '../store/store.js';
import { flattenSteps } from '../engine/run.js';
import type { Ui } from '../ui/ui.js';
import { csCommand, shellArgument } from './format.js';

export interface ProduceOffer {
  ui: Ui;
  store: Store;
  env: NodeJS.ProcessEnv;
  runId: number;
  step: StepDef;
  /** Ask (a person completed the step in a terminal), or only print the command. */
  ask: boolean;
}

const EXTENSION = { md: 'md', txt: 'txt', html: 'html', eml: 'eml' } as const;

/** `cs render kickoff-recap "Công ty Ánh Dương"`, with --run / --step when they are needed to get this very document. */
async function renderCommand(offer: ProduceOffer, templateId: string, loaded: LoadedRun): Promise<string> {
  const runs = await offer.store.listRuns({ accountId: loaded.run.accountId });
  const producers = flattenSteps(loaded.state.playbook).filter(({ def }) => def.produces === templateId);
  return [
    `${csCommand(offer.env)} render ${templateId} ${shellArgument(loaded.run.accountName)}`,
    runs.length > 1 ? ` --run ${offer.runId}` : '',
    producers.length > 1 ? ` --step ${offer.step.id}` : '',
  ].join('');
}

export async function offerToRender(offer: ProduceOffer): Promise<void> {
  const templateId = offer.step.produces;
  const loaded = templateId ? await offer.store.loadRun(offer.runId) : undefined;
  if (!templateId || !loaded) return;
  const { ui } = offer;
  const accountName = loaded.run.accountName;
  const command = await renderCommand(offer, templateId, loaded);
  if (!offer.ask) {
    ui.out(ui.style.dim(`  ${t('produce.ready', { template: templateId, command })}`));
    return;
  }
  try {
    if (!(await ui.confirm({ message: `Render ${templateId} now?`, default: true }))) {
      ui.out(ui.style.dim(`  Later: ${command}`));
      return;
    }
    const { findTemplates, requireTemplate } = await import('../render/catalog.js');
    const template = requireTemplate(findTemplates(contentFolders('templates', offer.env)), templateId);
    const formats = template.format === 'email' ? (['eml', 'md', 'txt', 'html'] as const) : (['md', 'txt', 'html'] as const);
    const format = await ui.select({
      message: 'Format',
      choices: formats.map((value) => ({ value, name: value === 'eml' ? 'eml (a draft your mail client opens)' : value })),
      default: formats[0],
    });
    const where = await ui.select({
      message: t('produce.whereTo'),
      choices: [
        { value: 'file', name: t('produce.toFile') },
        { value: 'screen', name: t('produce.toScreen') },
      ],
      default: 'file',
    });
    let out: string | undefined;
    let force = false;
    if (where === 'file') {
      out = (await ui.text({ message: t('produce.fileName'), default: `${templateId}-${slug(accountName) || 'account'}.${EXTENSION[format]}`, required: true })).trim();
      if (existsSync(out)) {
        force = await ui.confirm({ message: t('produce.overwrite', { file: out }), default: false });
        if (!force) {
          ui.out(ui.style.dim(`  ${t('produce.notWritten', { command })}`));
          return;
        }
      }
    }
    const { produceDocument } = await import('./commands/render.js');
    await produceDocument(
      { ui, env: offer.env, store: offer.store },
      { templateId, accountName, run: String(offer.runId), step: offer.step.id, format, out, force },
    );
  } catch (error) {
    // The step is saved whatever happens here: a template problem must not stop the walk.
    if (!(error instanceof CsError) || isStop(error)) throw error;
    ui.err(ui.style.yellow(t('produce.failed', { template: templateId, message: error.message })));
    for (const line of error.details) ui.err(`  ${line}`);
    ui.err(ui.style.dim(`  ${t('produce.later', { command })}`));
  }
}
