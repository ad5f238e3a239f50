/** A playbook as validated from its YAML file (see PRODUCT.md, "The playbook file" and "Playbook format v2"). */
export const PLAYBOOK_KINDS = ['onboarding', 'churn', 'winback', 'other'] as const;
export type PlaybookKind = (typeof PLAYBOOK_KINDS)[number];

export const FIELD_TYPES = ['text', 'longtext', 'select', 'multiselect', 'confirm', 'number', 'date', 'computed', 'actions'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Who may read a step or a field: `internal` never goes into a customer-facing (format: email) template. */
export const AUDIENCES = ['customer', 'internal'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** One item of an `actions` field: what is to be done, by whom, by when, and whether it is. */
export interface ActionItem {
  what: string;
  who?: string;
  /** YYYY-MM-DD. */
  due?: string;
  done?: boolean;
}

export type AnswerValue = string | number | boolean | string[] | ActionItem[];

/** A choice as written: a plain string is both the stored value and the label people see. */
export type ChoiceDef = string | { value: string; label: string };

/**
 * `when:` — plain data, evaluated, validated and described by src/engine/conditions.ts. A test names
 * a field (`STEP.FIELD`, or `FIELD` of the same step) or an account column (`account: NAME`).
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | ConditionTest;

export interface ConditionTest {
  field?: string;
  account?: string;
  is?: string | number | boolean;
  'is-not'?: string | number | boolean;
  in?: (string | number)[];
  'not-in'?: (string | number)[];
  above?: number;
  below?: number;
  answered?: boolean;
}

/**
 * A due date: an offset from day 0 (`5d`, `2w`, `1m`, `3bd`), or from the day a step was done or
 * skipped (`{ after, in }`), or from a date answer or account column (`{ from, in }`).
 */
export type DueDef = string | { after: string; in: string } | { from: string; in: string };

/** `type: computed`: the first case that holds gives the value; a case with only `value` always holds. */
export interface ComputedCase {
  below?: number;
  above?: number;
  is?: string | number | boolean;
  value: string;
}

export interface FieldDef {
  id: string;
  prompt: string;
  type: FieldType;
  required?: boolean;
  choices?: ChoiceDef[];
  default?: AnswerValue;
  min?: number;
  max?: number;
  /** number: only whole numbers (a count of sessions, people, requests). */
  integer?: boolean;
  /** multiselect: choices that can only be chosen alone ("nothing", "none of these"). */
  exclusive?: string[];
  help?: string;
  audience?: Audience;
  /** Asked only when it holds. */
  when?: Condition;
  /** computed: the field (`FIELD` of this step or `STEP.FIELD`) the value is derived from. */
  from?: string;
  cases?: ComputedCase[];
}

export interface StepDef {
  id: string;
  title: string;
  due?: DueDef;
  guide?: string;
  checklist?: string[];
  fields?: FieldDef[];
  produces?: string;
  /** `internal`: the step, and every field of it, is for the team only. */
  audience?: Audience;
  /** Not applicable (not asked, not due) unless it holds. */
  when?: Condition;
  /** Whose step it is: a role, resolved through the account's team (cs accounts set --csm …). */
  owner?: Role;
  /** Doing this step hands the account to the account's person of this role (the CSM after onboarding). */
  handover?: Role;
}

/** The roles of a team: chief onboarding specialist, customer-success manager, team lead, sales. */
export const ROLES = ['cos', 'csm', 'lead', 'sales'] as const;
export type Role = (typeof ROLES)[number];

export interface PhaseDef {
  id: string;
  title: string;
  due?: DueDef;
  description?: string;
  steps: StepDef[];
}

export interface Playbook {
  id: string;
  title: string;
  kind: PlaybookKind;
  default?: boolean;
  version: number;
  /** The language the file is written in (default en). */
  lang?: string;
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
