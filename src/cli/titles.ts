/**
 * The titles of playbooks and their steps in the interface's language, for what lists stored runs
 * (agenda, shift, report): the stored run keeps the titles it started with, in English; each is
 * looked up by id in the translation of the playbook as it is now. English needs no look-up, and
 * loads nothing.
 */
import { uiLang } from '../i18n/messages.js';
import type { Playbook } from '../playbook/types.js';

export interface Titles {
  playbook(id: string, stored: string): string;
  step(playbookId: string, stepId: string, stored: string): string;
}

const AS_STORED: Titles = { playbook: (_id, stored) => stored, step: (_playbookId, _stepId, stored) => stored };

/** The titles of one playbook, by id: its own and each step's. */
function titlesOf(playbook: Playbook): { title: string; steps: Map<string, string> } {
  return { title: playbook.title, steps: new Map(playbook.phases.flatMap((phase) => phase.steps.map((step) => [step.id, step.title] as const))) };
}

/** Titles in the interface's language for the playbooks named (every one found when none are). */
export async function titlesInUserLanguage(env: NodeJS.ProcessEnv, playbookIds?: Iterable<string>): Promise<Titles> {
  const lang = uiLang();
  if (lang === 'en') return AS_STORED;
  // the catalogue and the translations (the YAML parser) only for a language that needs them
  const [{ playbookCatalog }, { translatePlaybook }] = await Promise.all([import('./playbooks-found.js'), import('../playbook/translate.js')]);
  const wanted = playbookIds === undefined ? undefined : new Set(playbookIds);
  const found = new Map<string, { title: string; steps: Map<string, string> }>();
  for (const loaded of playbookCatalog(env).playbooks) {
    if (wanted && !wanted.has(loaded.playbook.id)) continue;
    const { playbook, fallback } = await translatePlaybook(loaded.playbook, lang, env);
    if (!fallback) found.set(playbook.id, titlesOf(playbook));
  }
  return {
    playbook: (id, stored) => found.get(id)?.title ?? stored,
    step: (playbookId, stepId, stored) => found.get(playbookId)?.steps.get(stepId) ?? stored,
  };
}
