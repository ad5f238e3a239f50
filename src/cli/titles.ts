/**
 * The titles of playbooks and their steps (and the steps' guides) in the interface's language, for
 * what lists stored runs (agenda, shift, report, the calendar): the stored run keeps the text it
 * started with, in English; each is looked up by id in the translation of the playbook as it is
 * now, translated once per playbook. English needs no look-up, and loads nothing.
 */
import { uiLang } from '../i18n/messages.js';
import type { Playbook } from '../playbook/types.js';

export interface Titles {
  playbook(id: string, stored: string): string;
  step(playbookId: string, stepId: string, stored: string): string;
  /** A step's guide; a step whose guide is not translated keeps the stored one. */
  guide(playbookId: string, stepId: string, stored: string | null): string | null;
}

const AS_STORED: Titles = { playbook: (_id, stored) => stored, step: (_playbookId, _stepId, stored) => stored, guide: (_playbookId, _stepId, stored) => stored };

interface PlaybookTexts {
  title: string;
  steps: Map<string, { title: string; guide?: string }>;
}

/** The texts of one playbook, by id: its own title and each step's title and guide. */
function textsOf(playbook: Playbook): PlaybookTexts {
  return { title: playbook.title, steps: new Map(playbook.phases.flatMap((phase) => phase.steps.map((step) => [step.id, { title: step.title, guide: step.guide }] as const))) };
}

/** Titles in the interface's language for the playbooks named (every one found when none are). */
export async function titlesInUserLanguage(env: NodeJS.ProcessEnv, playbookIds?: Iterable<string>): Promise<Titles> {
  const lang = uiLang();
  if (lang === 'en') return AS_STORED;
  // the catalogue and the translations (the YAML parser) only for a language that needs them
  const [{ playbookCatalog }, { translatePlaybook }] = await Promise.all([import('./playbooks-found.js'), import('../playbook/translate.js')]);
  const wanted = playbookIds === undefined ? undefined : new Set(playbookIds);
  const found = new Map<string, PlaybookTexts>();
  for (const loaded of playbookCatalog(env).playbooks) {
    if (wanted && !wanted.has(loaded.playbook.id)) continue;
    const { playbook, fallback } = await translatePlaybook(loaded.playbook, lang, env);
    if (!fallback) found.set(playbook.id, textsOf(playbook));
  }
  return {
    playbook: (id, stored) => found.get(id)?.title ?? stored,
    step: (playbookId, stepId, stored) => found.get(playbookId)?.steps.get(stepId)?.title ?? stored,
    guide: (playbookId, stepId, stored) => found.get(playbookId)?.steps.get(stepId)?.guide?.trim() || stored,
  };
}
