/**
 * `integer: true` on number fields and `exclusive: [...]` on multiselect fields: one rule set
 * (src/engine/answers.ts) for answers files, the walk's prompts and playbook defaults, and the
 * playbook checks that say where a rule is misplaced.
 */
import { describe, expect, it } from 'vitest';
import { answerProblem, coerceAnswer } from '../../src/engine/answers.js';
import { scriptFromData } from '../../src/engine/script.js';
import { parsePlaybook } from '../../src/playbook/parse.js';
import { formatProblem } from '../../src/playbook/problems.js';
import type { FieldDef, Playbook } from '../../src/playbook/types.js';
import { Walk } from '../../src/cli/walk.js';
import { openStore } from '../../src/store/index.js';
import { inputRefusal } from '../support/errors.js';
import { ScriptedUi } from '../support/scripted-ui.js';
import { tempDir } from '../support/tmp.js';
import { join } from 'node:path';
import { bundledPlaybook } from '../support/playbooks.js';

const SESSIONS: FieldDef = { id: 'sessions', prompt: 'How many training sessions?', type: 'number', integer: true, min: 1 };
const HELP: FieldDef = { id: 'help', prompt: 'What help?', type: 'multiselect', choices: ['training', 'data export', 'nothing'], exclusive: ['nothing'] };

describe('answerProblem', () => {
  it('an integer field refuses 2.5 (and "2.5" from a file), takes 2 and 2.0', async () => {
    expect(answerProblem(SESSIONS, 2.5)).toBe('expected a whole number; got 2.5');
    expect(answerProblem(SESSIONS, coerceAnswer(SESSIONS, '2.5'))).toBe('expected a whole number; got 2.5');
    expect(answerProblem(SESSIONS, 2)).toBeUndefined();
    expect(answerProblem(SESSIONS, 2.0)).toBeUndefined();
    expect(answerProblem({ ...SESSIONS, integer: undefined }, 2.5), 'without the mark a number may have decimals').toBeUndefined();
  });

  it('an exclusive choice stands alone: with another it is refused, naming both', async () => {
    expect(answerProblem(HELP, ['training', 'nothing'])).toBe('"nothing" cannot be combined with other choices; got it with "training"');
    expect(answerProblem(HELP, ['nothing', 'training', 'data export'])).toBe('"nothing" cannot be combined with other choices; got it with "training", "data export"');
    expect(answerProblem(HELP, ['nothing'])).toBeUndefined();
    expect(answerProblem(HELP, ['training', 'data export'])).toBeUndefined();
    expect(answerProblem({ ...HELP, exclusive: undefined }, ['training', 'nothing']), 'without the mark any mix is allowed').toBeUndefined();
  });
});

const PLAYBOOK: Playbook = {
  id: 'rules',
  title: 'Rules',
  kind: 'other',
  version: 1,
  phases: [{ id: 'p', title: 'P', steps: [{ id: 'plan', title: 'Plan', fields: [SESSIONS, HELP] }] }],
};

describe('answers files', () => {
  it('refuse 2.5 sessions and "nothing" with another choice, each with the field and the reason', async () => {
    const { message, details } = inputRefusal(() => scriptFromData({ plan: { sessions: 2.5, help: ['nothing', 'training'] } }, PLAYBOOK, 'a.yaml'));
    expect(message).toBe('a.yaml: 2 problems in the answers');
    expect(details).toEqual([
      'plan.sessions (number): expected a whole number; got 2.5',
      'plan.help (multiselect): "nothing" cannot be combined with other choices; got it with "training"',
    ]);
  });
});

describe('the walk', () => {
  it('hands the rules to the prompts, and asks again when an answer breaks one (whatever the ui let through)', async () => {
    const store = openStore(join(tempDir(), 'cs.db'));
    try {
      const loaded = await store.createRun(await store.ensureAccount('Acme'), PLAYBOOK, { startDate: '2026-11-26' });
      const ui = new ScriptedUi([
        { select: 'work', message: 'What now?' },
        { number: 2.5, message: 'How many training sessions?' },
        { number: 3, message: 'How many training sessions?' },
        { multiselect: ['training', 'nothing'], message: 'What help?' },
        { multiselect: ['nothing'], message: 'What help?' },
      ]);
      const state = await new Walk(ui, store, loaded, { noInput: false, env: { CS_TODAY: '2026-11-26' } }).run();
      ui.assertDone();
      expect(ui.asked[1]!.options).toMatchObject({ integer: true, min: 1 });
      expect(ui.asked[3]!.options).toMatchObject({ exclusive: ['nothing'] });
      expect(ui.errors).toEqual([
        'How many training sessions?: expected a whole number; got 2.5',
        'What help?: "nothing" cannot be combined with other choices; got it with "training"',
      ]);
      expect(state.steps[0]!.answers).toStrictEqual({ sessions: 3, help: ['nothing'] });
      expect((await store.loadRun(loaded.run.id))!.state.steps[0]!.answers).toStrictEqual({ sessions: 3, help: ['nothing'] });
    } finally {
      await store.close();
    }
  });
});

const FILE = 'rules.yaml';
function withFields(fields: string): string {
  return `id: demo\ntitle: Demo\nkind: other\nversion: 1\nphases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n        fields:\n${fields}`;
}
function problems(text: string): string[] {
  return parsePlaybook(text, FILE).problems.map((problem) => formatProblem(problem).replace(`${FILE}:`, ''));
}

describe('playbook checks', () => {
  it('integer and exclusive are accepted where they belong', async () => {
    const text = withFields(
      '          - id: n\n            prompt: N\n            type: number\n            integer: true\n            default: 2\n' +
        '          - id: m\n            prompt: M\n            type: multiselect\n            choices: [a, nothing]\n            exclusive: [nothing]\n',
    );
    const result = parsePlaybook(text, FILE);
    expect(result.problems).toEqual([]);
    expect(result.playbook!.phases[0]!.steps[0]!.fields).toMatchObject([{ integer: true }, { exclusive: ['nothing'] }]);
  });

  it('integer on a text field, exclusive on a select, an exclusive choice not offered, a default of 1.5: each at its place', async () => {
    expect(
      problems(
        withFields(
          '          - id: t\n            prompt: T\n            type: text\n            integer: true\n' +
            '          - id: s\n            prompt: S\n            type: select\n            choices: [a, b]\n            exclusive: [a]\n' +
            '          - id: m\n            prompt: M\n            type: multiselect\n            choices: [a, none]\n            exclusive: [nothing]\n' +
            '          - id: n\n            prompt: N\n            type: number\n            integer: true\n            default: 1.5\n',
        ),
      ),
    ).toEqual([
      `15:13 phases[0].steps[0].fields[0].integer only applies to number fields; this field's type is "text"`,
      `20:13 phases[0].steps[0].fields[1].exclusive only applies to multiselect fields; this field's type is "select"`,
      `25:25 phases[0].steps[0].fields[2].exclusive[0]: "nothing" is not one of the field's choices (a, none)`,
      '30:22 phases[0].steps[0].fields[3].default does not fit the field: expected a whole number; got 1.5',
    ]);
  });

  it('integer must be true or false', async () => {
    expect(problems(withFields('          - id: n\n            prompt: N\n            type: number\n            integer: yes please\n')).join('\n')).toMatch(/integer must be a boolean/);
  });
});

describe('the bundled playbooks', () => {
  const fields = (id: string) => bundledPlaybook(id).phases.flatMap((phase) => phase.steps.flatMap((step) => (step.fields ?? []).map((field) => ({ step: step.id, ...field }))));

  it('ask every count as a whole number', async () => {
    for (const id of ['onboarding-30d', 'onboarding-90d', 'churn-response', 'customer-advocacy', 'proserv-onboarding', 'winback-followup']) {
      const numbers = fields(id).filter((field) => field.type === 'number');
      expect(numbers.filter((field) => !field.integer).map((field) => `${id}: ${field.step}.${field.id}`)).toEqual([]);
    }
    expect(fields('onboarding-30d').find((field) => field.id === 'sessions')).toMatchObject({ integer: true });
  });

  it('"nothing" among what a churned customer needs stands alone', async () => {
    expect(fields('churn-response').find((field) => field.id === 'support-requested')).toMatchObject({ exclusive: ['nothing'] });
  });
});
