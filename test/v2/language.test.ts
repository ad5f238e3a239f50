/**
 * The playbook format v2, key by key: conditions, anchored and business-day due dates, computed
 * fields, action items, choices with labels — and validate's line:col checks of each.
 */
import { describe, expect, it } from 'vitest';
import { actionItemsProblem, answerProblem } from '../../src/engine/answers.js';
import { computeValue, unreachableCase } from '../../src/engine/computed.js';
import { say } from '../../src/i18n/messages.js';
import { describeCondition, evaluate } from '../../src/engine/conditions.js';
import type { Lookup } from '../../src/engine/conditions.js';
import { applyOffset, parseOffset, resolveDue } from '../../src/engine/due.js';
import type { WorkCalendar } from '../../src/engine/due.js';
import { apply, progress, startRun } from '../../src/engine/run.js';
import { choiceLabel, choiceValues } from '../../src/playbook/choices.js';
import { parsePlaybook } from '../../src/playbook/parse.js';
import { formatProblem } from '../../src/playbook/problems.js';
import type { FieldDef, Playbook } from '../../src/playbook/types.js';
import { actionList } from '../../src/render/data.js';
import { toHtmlBody } from '../../src/render/formats.js';
import { text } from '../support/said.js';

const FILE = 'v2.yaml';
const HEAD = 'id: demo\ntitle: Demo\nkind: other\nversion: 2\nphases:\n  - id: p\n    title: P\n    steps:\n';

function problems(steps: string): string[] {
  return parsePlaybook(`${HEAD}${steps}`, FILE).problems.map((problem) => formatProblem(problem).replace(`${FILE}:`, ''));
}

const answers = (values: Record<string, unknown>): Lookup => (reference) => (reference.kind === 'field' ? (values[`${reference.stepId}.${reference.fieldId}`] as never) : (values[`account.${reference.name}`] as never));

describe('conditions', () => {
  const lookup = answers({ 'a.fix': 'failed', 'a.score': 6, 'a.tags': ['price', 'bugs'], 'a.empty': '', 'account.tier': 'gold' });
  it.each([
    [{ field: 'a.fix', is: 'failed' }, true],
    [{ field: 'a.fix', is: 'worked' }, false],
    [{ field: 'a.fix', 'is-not': 'worked' }, true],
    [{ field: 'a.fix', in: ['worked', 'failed'] }, true],
    [{ field: 'a.fix', 'not-in': ['failed'] }, false],
    [{ field: 'a.score', below: 7 }, true],
    [{ field: 'a.score', above: 6 }, false],
    [{ field: 'a.tags', is: 'bugs' }, true],
    [{ field: 'a.empty', answered: true }, false],
    [{ field: 'a.missing', answered: false }, true],
    [{ field: 'a.missing', is: 'x' }, false],
    [{ field: 'a.missing', 'is-not': 'x' }, true],
    [{ account: 'tier', is: 'gold' }, true],
    [{ all: [{ field: 'a.fix', is: 'failed' }, { field: 'a.score', below: 5 }] }, false],
    [{ any: [{ field: 'a.fix', is: 'worked' }, { field: 'a.score', below: 7 }] }, true],
    [{ not: { field: 'a.fix', is: 'failed' } }, false],
  ])('%j holds: %s', (condition, expected) => {
    expect(evaluate(condition as never, lookup, 'b')).toBe(expected);
  });

  it('a bare field id names a field of the same step', () => {
    expect(evaluate({ field: 'fix', is: 'failed' }, lookup, 'a')).toBe(true);
  });

  it('says itself in words', () => {
    expect(text(describeCondition({ all: [{ field: 'response.remote-fix', is: 'failed' }, { not: { account: 'tier', in: ['gold', 'silver'] } }] }, 's'))).toBe(
      'all of (response.remote-fix is "failed"; not (account.tier is one of "gold", "silver"))',
    );
  });
});

describe('due dates', () => {
  const tet: WorkCalendar = { isHoliday: (date) => date >= '2027-02-05' && date <= '2027-02-09' };
  it('business days skip weekends and the calendar\'s holidays, both ways', () => {
    expect(applyOffset('2027-01-08', parseOffset('1bd')!)).toBe('2027-01-11'); // Friday → Monday
    expect(applyOffset('2027-01-09', parseOffset('1bd')!)).toBe('2027-01-11'); // Saturday → Monday
    expect(applyOffset('2027-02-04', parseOffset('2bd')!, tet)).toBe('2027-02-11'); // over Tết
    expect(applyOffset('2027-01-11', parseOffset('-1bd')!)).toBe('2027-01-08');
    expect(applyOffset('2027-01-09', parseOffset('0bd')!)).toBe('2027-01-11');
  });
  it('negative offsets, months to the end of a shorter month', () => {
    expect(applyOffset('2027-06-30', parseOffset('-90d')!)).toBe('2027-04-01');
    expect(applyOffset('2027-03-31', parseOffset('-1m')!)).toBe('2027-02-28');
    expect(applyOffset('2027-01-31', parseOffset('1m')!)).toBe('2027-02-28');
    expect(applyOffset('2027-01-10', parseOffset('-2w')!)).toBe('2026-12-27');
    expect(parseOffset('5x')).toBeUndefined();
  });
  it('after: counts from the day the step was done; from: from a date answer or an account column', () => {
    const dates = { doneOn: (id: string) => (id === 'notice' ? '2027-01-08' : undefined), value: answers({ 'notice.date': '2027-01-05', 'account.renewal': '2027-06-30' }) };
    expect(resolveDue({ after: 'notice', in: '2bd' }, 's', '2027-01-01', dates)).toBe('2027-01-12');
    expect(resolveDue({ after: 'other', in: '2bd' }, 's', '2027-01-01', dates)).toBeUndefined();
    expect(resolveDue({ from: 'notice.date', in: '30d' }, 's', '2027-01-01', dates)).toBe('2027-02-04');
    expect(resolveDue({ from: 'account.renewal', in: '-90d' }, 's', '2027-01-01', dates)).toBe('2027-04-01');
    expect(resolveDue('3bd', 's', '2027-01-01', dates)).toBe('2027-01-06');
  });
});

describe('computed fields', () => {
  const band: FieldDef = { id: 'band', prompt: 'Band', type: 'computed', from: 'score', cases: [{ below: 7, value: 'detractor' }, { below: 9, value: 'passive' }, { value: 'promoter' }] };
  it('the first case that holds gives the value', () => {
    expect([0, 6, 7, 8, 9, 10].map((score) => computeValue(band, score))).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    expect(computeValue(band, undefined)).toBeUndefined();
  });
  it('a case that cannot match says why', () => {
    expect(say(unreachableCase([{ value: 'a' }, { below: 3, value: 'b' }], 1)!)).toMatch(/case 1 always holds/);
    expect(say(unreachableCase([{ below: 7, value: 'a' }, { below: 5, value: 'b' }], 1)!)).toMatch(/below 5 is already below 7/);
    expect(say(unreachableCase([{ below: 0, value: 'a' }], 0, { min: 0 })!)).toMatch(/minimum is 0/);
    expect(unreachableCase([{ below: 7, value: 'a' }, { below: 9, value: 'b' }], 1)).toBeUndefined();
  });
});

describe('action items and choices', () => {
  it('an item needs what; who is a name, due a date, done true or false', () => {
    expect(text(actionItemsProblem([{ what: 'Xuất danh bạ', who: 'Lan', due: '2027-01-15' }]))).toBeUndefined();
    expect(text(actionItemsProblem([{ who: 'Lan' }]))).toMatch(/item 1: "what" is required/);
    expect(text(actionItemsProblem([{ what: 'x', due: '15/01/2027' }]))).toMatch(/"due" must be a real date/);
    expect(text(actionItemsProblem([{ what: 'x', owner: 'Lan' }]))).toMatch(/unknown key "owner"/);
    expect(text(actionItemsProblem('x'))).toMatch(/expected a list of action items/);
    expect(text(answerProblem({ id: 'a', prompt: 'A', type: 'actions', required: true }, []))).toMatch(/at least one/);
  });
  it('a choice is a stored value and a label people see', () => {
    const field: FieldDef = { id: 'r', prompt: 'R', type: 'select', choices: [{ value: 'price', label: 'Giá' }, 'support'] };
    expect(choiceValues(field)).toEqual(['price', 'support']);
    expect(choiceLabel(field, 'price')).toBe('Giá');
    expect(choiceLabel(field, 'support')).toBe('support');
    expect(text(answerProblem(field, 'price'))).toBeUndefined();
    expect(text(answerProblem(field, 'Giá'))).toMatch(/expected one of price, support/);
  });
  it('templates see a list; printed whole it is a Markdown table, and html makes it a <table>', () => {
    const list = actionList([{ what: 'Chuyển IP số | port', who: 'Minh', due: '2027-01-20' }, { what: 'Export', done: true }]);
    expect((list[0] as { n: number; what: string }).what).toBe('Chuyển IP số | port');
    const markdown = String(list);
    expect(markdown.split('\n')).toEqual(['| # | What | Who | Due | Done |', '|---|---|---|---|---|', '| 1 | Chuyển IP số \\| port | Minh | 2027-01-20 | no |', '| 2 | Export |  |  | yes |']);
    const html = toHtmlBody(`Proposals:\n\n${markdown}\n`);
    expect(html).toContain('<table>');
    expect(html).toContain('<th>What</th>');
    expect(html).toContain('<td>Chuyển IP số | port</td>');
  });
});

describe('the engine with v2 keys', () => {
  const playbook: Playbook = {
    id: 'e',
    title: 'E',
    kind: 'other',
    version: 2,
    phases: [{ id: 'p', title: 'P', steps: [
      { id: 'a', title: 'A', fields: [{ id: 'fix', prompt: 'Fix?', type: 'select', choices: ['worked', 'failed'] }] },
      { id: 'b', title: 'B', when: { field: 'a.fix', is: 'failed' }, fields: [{ id: 'x', prompt: 'X', type: 'text', required: true }] },
      { id: 'c', title: 'C', due: { after: 'a', in: '2bd' } },
    ] }],
  };
  it('a step that does not apply leaves the counts, and comes back when the answer changes', () => {
    let state = startRun(playbook, '2027-01-04');
    state = apply(state, { type: 'answer', stepId: 'a', fieldId: 'fix', value: 'worked' });
    expect(progress(state, '2027-01-04')).toMatchObject({ total: 2, open: 2, notApplicable: 1 });
    expect(() => apply(state, { type: 'complete', stepId: 'b' })).toThrow(/does not apply/);
    state = apply(state, { type: 'complete', stepId: 'a', on: '2027-01-08' });
    expect(state.steps[2]!.due).toBe('2027-01-12');
    expect(state.cursor).toBe(2); // b is passed over
    state = apply(state, { type: 'answer', stepId: 'a', fieldId: 'fix', value: 'failed' });
    expect(progress(state, '2027-01-04')).toMatchObject({ total: 3, notApplicable: 0 });
    expect(() => apply(state, { type: 'finish' })).toThrow(/still open \(b, c\)/);
  });
  it('a computed field is never answered by hand', () => {
    const nps: Playbook = { ...playbook, phases: [{ id: 'p', title: 'P', steps: [{ id: 'n', title: 'N', fields: [{ id: 'score', prompt: 'S', type: 'number' }, { id: 'band', prompt: 'B', type: 'computed', from: 'score', cases: [{ below: 7, value: 'detractor' }, { value: 'promoter' }] }] }] }] };
    const state = apply(startRun(nps, '2027-01-04'), { type: 'answer', stepId: 'n', fieldId: 'score', value: 9 });
    expect(state.steps[0]!.answers.band).toBe('promoter');
    expect(() => apply(state, { type: 'answer', stepId: 'n', fieldId: 'band', value: 'detractor' })).toThrow(/is computed from score/);
  });
});

describe('validate, at line:col', () => {
  it('the example of PRODUCT.md is valid', () => {
    const text = `${HEAD}      - id: churn-notice\n        title: Notice\n        fields:\n          - id: date\n            type: date\n            prompt: When?\n          - id: reason\n            type: select\n            prompt: Why?\n            choices:\n              - { value: price, label: Price }\n              - { value: support, label: Quality of support }\n      - id: response\n        title: R\n        due: { after: churn-notice, in: 2bd }\n        fields:\n          - id: remote-fix\n            type: select\n            prompt: Fix?\n            choices: [worked, failed]\n      - id: on-site-visit\n        title: V\n        when: { field: response.remote-fix, is: failed }\n      - id: postmortem\n        title: PM\n        due: { from: churn-notice.date, in: 2w }\n        fields:\n          - id: actions\n            type: actions\n            prompt: What will each party do?\n      - id: nps\n        title: NPS\n        due: { from: churn-notice.date, in: -3bd }\n        fields:\n          - id: score\n            type: number\n            prompt: Score\n            min: 0\n            max: 10\n          - id: band\n            type: computed\n            from: score\n            cases:\n              - { below: 7, value: detractor }\n              - { below: 9, value: passive }\n              - { value: promoter }\n`;
    expect(parsePlaybook(text, FILE).problems).toEqual([]);
  });
  it('an unknown step or field in a condition, and a condition on a later step', () => {
    expect(problems('      - id: a\n        title: A\n        when: { field: nope.x, is: 1 }\n      - id: b\n        title: B\n        when: { field: a.x, answered: true }\n      - id: c\n        title: C\n        when: { field: d.y, is: ok }\n      - id: d\n        title: D\n        fields:\n          - { id: y, type: text, prompt: Y }\n')).toEqual([
      expect.stringMatching(/^11:24 phases\[0\]\.steps\[0\]\.when\.field: the condition names step "nope", which is not in this playbook/),
      expect.stringMatching(/^14:24 phases\[0\]\.steps\[1\]\.when\.field: the condition names field "x" of step a, which has no such field/),
      '17:24 phases[0].steps[2].when.field: the condition refers to a later step (d); it may refer only to answers given before it',
    ]);
  });
  it('a value a select cannot hold, a test without an operator', () => {
    expect(problems('      - id: a\n        title: A\n        fields:\n          - { id: fix, type: select, prompt: F, choices: [worked, failed] }\n      - id: b\n        title: B\n        when: { field: a.fix, is: broken }\n      - id: c\n        title: C\n        when: { field: a.fix }\n')).toEqual([
      '15:35 phases[0].steps[1].when.is: "broken" is not a choice of a.fix (worked, failed), so this never holds',
      '18:15 phases[0].steps[2].when: a test needs one of is, is-not, in, not-in, above, below, answered',
    ]);
  });
  it('an anchor on an unknown step or a field that is not a date, and a cycle of after: anchors', () => {
    expect(problems('      - id: a\n        title: A\n        due: { after: b, in: 1d }\n        fields:\n          - { id: t, type: text, prompt: T }\n      - id: b\n        title: B\n        due: { after: a, in: -1bd }\n      - id: c\n        title: C\n        due: { after: zz, in: 1d }\n      - id: d\n        title: D\n        due: { from: a.t, in: 1w }\n')).toEqual([
      '11:23 phases[0].steps[0].due.after: the after: anchors go round in a circle (a → b → a); none of them can ever fall due',
      '19:23 phases[0].steps[2].due.after: names step "zz", which is not in this playbook',
      '22:22 phases[0].steps[3].due.from: a.t is a text field; a due date counts from a date field',
    ]);
  });
  it('a computed field without from, cases that cannot match, from a later field', () => {
    expect(problems('      - id: a\n        title: A\n        fields:\n          - { id: band, type: computed, cases: [{ value: x }] }\n          - id: b2\n            type: computed\n            from: score\n            cases:\n              - { value: all }\n              - { below: 3, value: never }\n          - { id: score, type: number, prompt: S }\n')).toEqual([
      '12:13 phases[0].steps[0].fields[0]: a computed field needs "from" (the answer it is derived from)',
      '15:19 phases[0].steps[0].fields[1].from: from refers to a later field of the same step; it may refer only to answers given before it',
      '18:17 phases[0].steps[0].fields[1].cases[1]: this case can never match: case 1 always holds, so this one is never reached',
    ]);
  });
  it('a bad offset and a mistyped anchor key say what is expected', () => {
    expect(problems('      - id: a\n        title: A\n        due: { after: a2, inn: 2d }\n      - id: a2\n        title: A2\n        due: 3bdx\n')).toEqual([
      '11:14 phases[0].steps[0].due is missing "in"',
      expect.stringMatching(/^11:27 phases\[0\]\.steps\[0\]\.due: unknown key "inn" \(did you mean "in"\?\)/),
      expect.stringMatching(/^14:14 phases\[0\]\.steps\[1\]\.due must be a number of days, weeks or months: Nd, Nw or Nm \(e\.g\. 5d, 2w, 1m\); got "3bdx" \(also Nbd, business days; /),
    ]);
  });
});
