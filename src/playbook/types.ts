/** A playbook as validated from its YAML file (see PRODUCT.md, "The playbook file"). */
export const PLAYBOOK_KINDS = ['onboarding', 'churn', 'winback', 'other'] as const;
export type PlaybookKind = (typeof PLAYBOOK_KINDS)[number];

export const FIELD_TYPES = ['text', 'longtext', 'select', 'multiselect', 'confirm', 'number', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Who may read a step or a field: `internal` never goes into a customer-facing (format: email) template. */
export const AUDIENCES = ['customer', 'internal'] as const;
export type Audience = (typeof AUDIENCES)[number];

export type AnswerValue = string | number | boolean | string[];

export interface FieldDef {
  id: string;
  prompt: string;
  type: FieldType;
  required?: boolean;
  choices?: string[];
  default?: AnswerValue;
  min?: number;
  max?: number;
  /** number: only whole numbers (a count of sessions, people, requests). */
  integer?: boolean;
  /** multiselect: choices that can only be chosen alone ("nothing", "none of these"). */
  exclusive?: string[];
  help?: string;
  audience?: Audience;
  /** select/multiselect: each choice's label in the language shown (from a translation); the value is what a run stores. */
  labels?: Record<string, string>;
}

/** What a person is shown for a choice: its translated label, else the value itself. */
export function choiceLabel(field: FieldDef, choice: string): string {
  return field.labels?.[choice] ?? choice;
}

export interface StepDef {
  id: string;
  title: string;
  due?: string;
  guide?: string;
  checklist?: string[];
  fields?: FieldDef[];
  produces?: string;
  /** `internal`: the step, and every field of it, is for the team only. */
  audience?: Audience;
}

export interface PhaseDef {
  id: string;
  title: string;
  due?: string;
  description?: string;
  steps: StepDef[];
}

export interface Playbook {
  id: string;
  title: string;
  kind: PlaybookKind;
  default?: boolean;
  version: number;
  description?: string;
  phases: PhaseDef[];
}

/** Where a playbook was found: bundled with cs, or one of the user's folders. */
export type PlaybookSource = 'bundled' | 'user';

export interface LoadedPlaybook {
  playbook: Playbook;
  file: string;
  source: PlaybookSource;
  /** Line and column of a key of the file's top level (for problems found across files). */
  locate?: (key: string) => { line: number; col: number };
}
