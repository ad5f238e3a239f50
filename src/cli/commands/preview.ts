/**
 * `cs playbooks preview <id> [--start DATE] [--answers FILE] [--out DIR] [--json]`: a run of the
 * playbook played out in memory before any real run exists — every step with its due date (each
 * step done on the day it falls due, so after: anchors follow), its condition and whether it
 * holds, and, with --out, every document the run produces rendered into DIR. Nothing is written
 * to the database.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../../errors.js';
import { describeCondition } from '../../engine/conditions.js';
import { parseDate, today } from '../../engine/dates.js';
import { flattenSteps, missingRequired, waitingOn } from '../../engine/run.js';
import type { RunEvent, RunState } from '../../engine/run.js';
import type { Script } from '../../engine/script.js';
import { requirePlaybook } from '../../playbook/catalog.js';
import { findTemplates } from '../../render/catalog.js';
import { contentFolders } from '../../paths.js';
import type { LoadedRun, Store } from '../../store/store.js';
import { table } from '../../ui/table.js';
import { workCalendar } from '../calendar.js';
import type { Context } from '../context.js';
import { loadPlaybooks } from '../playbooks-found.js';
import { readScript } from './start.js';
import { produceDocument } from './render.js';
import { say, t, uiLang } from '../../i18n/messages.js';
import { translatePlaybook } from '../../playbook/translate.js';
import { shownDay } from '../format.js';

export interface PreviewFlags {
  start?: string;
  answers?: string;
  out?: string;
  account?: string;
  json?: boolean;
}

/** Plays the run through: the file's answers given, each applicable step done (or skipped) on its due day. */
async function playThrough(store: Store, loaded: LoadedRun, script: Script | undefined): Promise<RunState> {
  let state = loaded.state;
  const commit = async (event: RunEvent) => {
    state = (await store.commit(loaded.run.id, event)).loaded.state;
  };
  for (const [index, { def }] of flattenSteps(state.playbook).entries()) {
    const step = state.steps[index]!;
    if (step.applicable === false) continue;
    const scripted = script?.get(def.id);
    for (const item of scripted?.checklist ?? []) await commit({ type: 'tick', stepId: def.id, item, checked: true });
    for (const [fieldId, value] of Object.entries(scripted?.answers ?? {})) await commit({ type: 'answer', stepId: def.id, fieldId, value });
    if (scripted?.note !== undefined) await commit({ type: 'note', stepId: def.id, text: scripted.note });
    const on = state.steps[index]!.due || state.startDate;
    if (state.steps[index]!.applicable === false) continue;
    if (scripted?.skip !== undefined) await commit({ type: 'skip', stepId: def.id, reason: scripted.skip, on });
    else if (missingRequired(state, def.id).length === 0) await commit({ type: 'complete', stepId: def.id, on });
  }
  return state;
}


export async function preview(context: Context, id: string, flags: PreviewFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const loadedPlaybook = requirePlaybook(loadPlaybooks(ui, context.env), id);
  const playbook = loadedPlaybook.playbook;
  const now = today(context.env);
  const startDate = flags.start !== undefined ? parseDate(flags.start, '--start', now) : now;
  const script = readScript(flags.answers, playbook, now);
  if (flags.out !== undefined) {
    let isFolder = false;
    try {
      isFolder = statSync(flags.out).isDirectory();
    } catch {
      mkdirSync(flags.out, { recursive: true });
      isFolder = true;
    }
    if (!isFolder) throw inputError(t('preview.outNotFolder', { out: flags.out }));
  }
  // an in-memory database: the preview never touches the real one
  const { openStore } = await import('../../store/index.js');
  const store = openStore(':memory:', { calendar: workCalendar(context.env) });
  try {
    const account = await store.ensureAccount(flags.account ?? t('preview.account'));
    const loaded = await store.createRun(account, playbook, { startDate });
    const state = await playThrough(store, loaded, script);
    const flat = flattenSteps(playbook);
    const timeline = flat.map(({ def, phase }, index) => {
      const step = state.steps[index]!;
      return {
        id: def.id,
        title: def.title,
        phase: phase.title,
        due: step.due === '' ? null : step.due,
        waiting: step.due === '' ? (waitingOn(state, index) ?? null) : null,
        anchor: waitingOn(state, index) ?? null,
        condition: def.when ? say(describeCondition(def.when, def.id)) : null,
        applicable: step.applicable !== false,
        status: step.status,
        produces: def.produces ?? null,
      };
    });
    if (!flags.json) {
      // the titles in the user's language (the run played through is the playbook as it is; --json keeps its text)
      const shown = (await translatePlaybook(playbook, uiLang(), context.env)).playbook;
      const shownTitles = flattenSteps(shown).map(({ def }) => def.title);
      ui.out(`${style.bold(shown.title)} ${style.dim(`(${playbook.id} v${playbook.version})`)} · ${t('preview.dayZero', { day: shownDay(startDate) })}${script ? ` · ${t('preview.answersFrom', { file: flags.answers ?? '' })}` : ''}`);
      const rows = timeline.map((step, index) => {
        const title = shownTitles[index] ?? step.title;
        const when = step.applicable ? (step.due ? shownDay(step.due) : style.dim(t('preview.when', { condition: String(step.waiting) }))) : style.dim(t('preview.notApplicable'));
        const condition = step.condition ? t(step.applicable ? 'preview.when' : 'preview.whenNot', { condition: step.condition }) : '';
        const how = [step.anchor ? step.anchor : '', condition, step.produces ? `→ ${step.produces}` : ''].filter(Boolean).join(' · ');
        return [when, step.applicable ? title : style.dim(title), style.dim(how)];
      });
      for (const line of await table(rows, { width: ui.columns, keep: [0] })) ui.out(line);
      if (flags.out === undefined) ui.out(style.dim(t('preview.addOut')));
    }
    const documents: { template: string; step: string; file: string }[] = [];
    if (flags.out !== undefined) {
      const catalog = findTemplates(contentFolders('templates', context.env));
      const producing = flat.filter(({ def }, index) => def.produces && state.steps[index]!.applicable !== false);
      const perTemplate = new Map<string, number>();
      for (const { def } of producing) perTemplate.set(def.produces!, (perTemplate.get(def.produces!) ?? 0) + 1);
      for (const { def } of producing) {
        const template = def.produces!;
        const entry = catalog.entries.find((each) => each.id === template);
        if (!entry) {
          ui.err(style.yellow(t('preview.noTemplate', { step: def.id, template })));
          continue;
        }
        const name = perTemplate.get(template)! > 1 ? `${template}.${def.id}` : template;
        const file = join(flags.out, `${name}.md`);
        // with --json, stdout holds the JSON alone: what rendering says goes to stderr
        const speaker = flags.json ? (Object.assign(Object.create(ui), { out: (text = '') => ui.err(text) }) as typeof ui) : ui;
        await produceDocument({ ui: speaker, env: context.env, store }, { templateId: template, accountName: account.name, run: String(loaded.run.id), step: def.id, out: file, force: true });
        documents.push({ template, step: def.id, file });
      }
    }
    if (flags.json) {
      ui.out(JSON.stringify({ playbook: { id: playbook.id, version: playbook.version, title: playbook.title }, startDate, steps: timeline, documents }, null, 2));
    }
  } finally {
    store.close();
  }
}
