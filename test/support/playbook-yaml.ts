/** Playbook files written by tests: one phase, the steps given as YAML (a list indented 6 spaces). */
export interface OnePhase {
  id: string;
  title: string;
  phaseTitle?: string;
  /** The YAML of the steps list, each item starting with `      - id: …`. */
  steps: string;
}

export function onePhasePlaybook({ id, title, phaseTitle = 'Phase 1', steps }: OnePhase): string {
  return `id: ${id}
title: ${title}
kind: other
version: 1
phases:
  - id: p1
    title: ${phaseTitle}
    due: 7d
    steps:
${steps.replace(/^\n+/, '')}`;
}
