/**
 * Broken playbooks: every problem at the file, line and column a person can jump to, with what is
 * wrong and what was expected (PRODUCT.md, "The playbook file"), all of them at once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, loadPlaybookFile } from '../../src/playbook/catalog.js';
import { parsePlaybook } from '../../src/playbook/parse.js';
import { formatProblem } from '../../src/playbook/problems.js';
import { BUNDLED } from '../support/playbooks.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const FILE = 'playbooks/broken.yaml';
const HEAD = 'id: demo\ntitle: Demo\nkind: onboarding\nversion: 1\n';

/** A playbook with one phase and one step whose fields are `fields` (YAML lines, indented for a list under `fields:`). */
function withFields(fields: string): string {
  return `${HEAD}phases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n        fields:\n${fields}`;
}

/** Every problem of `text` as `line:col message`. */
function problems(text: string): string[] {
  return parsePlaybook(text, FILE).problems.map((problem) => formatProblem(problem).replace(`${FILE}:`, ''));
}

function expectProblems(text: string, expected: string[]): void {
  const result = parsePlaybook(text, FILE);
  expect(result.playbook).toBeUndefined();
  expect(result.problems.every((problem) => problem.file === FILE)).toBe(true);
  expect(problems(text)).toEqual(expected);
}

const FIELD_KEYS = 'id, prompt, type, required, choices, exclusive, default, min, max, integer, help, audience, when, from, cases';

describe('a valid file', () => {
  it('gives the playbook and no problems', () => {
    const result = parsePlaybook(`${HEAD}phases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n`, FILE);
    expect(result.problems).toEqual([]);
    expect(result.playbook?.phases[0]?.steps[0]?.id).toBe('s');
  });
});

describe('YAML that does not parse', () => {
  it('a tab used as indentation', () => {
    expectProblems(`${HEAD}phases:\n\t- id: p\n`, ['6:1 YAML syntax: Tabs are not allowed as indentation']);
  });

  it('a colon inside a plain value', () => {
    expectProblems('id: demo\ntitle: Demo: the sequel\nkind: onboarding\n', ['2:8 YAML syntax: Nested mappings are not allowed in compact mappings']);
  });

  it('a duplicate key, at the second one (top level and inside a step)', () => {
    expectProblems(`${HEAD}title: Again\nphases: []\n`, ['5:1 YAML syntax: Map keys must be unique']);
    expectProblems(`${HEAD}phases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n        title: T\n`, [
      '11:9 YAML syntax: Map keys must be unique',
    ]);
  });
});

describe('schema violations', () => {
  it('a wrong type, at the value', () => {
    expectProblems(`id: demo\ntitle: Demo\nkind: onboarding\nversion: "one"\nphases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n        checklist: first\n`, [
      '4:10 version must be an integer; got "one"',
      '11:20 phases[0].steps[0].checklist must be a list; got "first"',
    ]);
    expectProblems(`${HEAD}phases:\n  id: p\n`, ['6:3 phases must be a list; got a mapping']);
  });

  it('an unknown key, at the key, with "did you mean" and what is allowed', () => {
    expectProblems(withFields('          - id: f\n            prompt: F\n            type: text\n            requird: true\n'), [
      `15:13 phases[0].steps[0].fields[0]: unknown key "requird" (did you mean "required"?); expected one of ${FIELD_KEYS}`,
    ]);
    expectProblems(`id: demo\ntitel: Demo\nkind: onboarding\nversion: 1\nphases: []\n`, [
      '1:1 playbook is missing "title"',
      '2:1 unknown key "titel" (did you mean "title"?); expected one of id, title, kind, default, version, description, phases, lang',
      '5:9 phases must have at least 1 item; got 0',
    ]);
  });

  it('a bad kind or field type, with a suggestion (the example of PRODUCT.md)', () => {
    expectProblems(`id: demo\ntitle: Demo\nkind: onbording\nversion: 1\nphases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n`, [
      '3:7 kind must be one of onboarding, churn, winback, other; got "onbording" (did you mean "onboarding"?)',
    ]);
    expectProblems(withFields('          - id: ok\n            prompt: OK\n            type: text\n          - id: f\n            prompt: F\n            type: txt\n'), [
      '17:19 phases[0].steps[0].fields[1].type must be one of text, longtext, select, multiselect, confirm, number, date, computed, actions; got "txt" (did you mean "text"?)',
    ]);
  });

  it('an id that breaks the pattern', () => {
    expectProblems(`id: Demo Playbook\ntitle: Demo\nkind: onboarding\nversion: 1\nphases:\n  - id: p\n    title: P\n    steps:\n      - id: Step_1\n        title: S\n`, [
      `1:5 id must use lowercase letters, digits, '-' and '_', starting with a letter or digit; got "Demo Playbook"`,
      `9:13 phases[0].steps[0].id must use lowercase letters, digits, '-' and '_', starting with a letter or digit; got "Step_1"`,
    ]);
  });

  it('a due offset that is not Nd, Nw or Nm', () => {
    const due = 'must be a number of days, weeks or months: Nd, Nw or Nm (e.g. 5d, 2w, 1m)';
    const forms = ' (also Nbd, business days; { after: STEP, in: OFFSET }; { from: STEP.FIELD, in: OFFSET })';
    expectProblems(`${HEAD}phases:\n  - id: p\n    title: P\n    due: 7x\n    steps:\n      - id: s\n        title: S\n        due: "-3d"\n`, [
      `8:10 phases[0].due ${due}; got "7x"${forms}`,
      `12:14 phases[0].steps[0].due ${due}; got "-3d"${forms}`,
    ]);
  });

  it('a missing required key, at the mapping that lacks it', () => {
    expectProblems(`id: demo\nkind: onboarding\nversion: 1\nphases:\n  - id: p\n    steps:\n      - title: S\n`, [
      '1:1 playbook is missing "title"',
      '5:5 phases[0] is missing "title"',
      '7:9 phases[0].steps[0] is missing "id"',
    ]);
  });

  it('an empty phases or steps list', () => {
    expectProblems(`${HEAD}phases: []\n`, ['5:9 phases must have at least 1 item; got 0']);
    expectProblems(`${HEAD}phases:\n  - id: p\n    title: P\n    steps: []\n`, ['8:12 phases[0].steps must have at least 1 item; got 0']);
  });

  it('an empty title is one problem, not two', () => {
    expectProblems(`${HEAD}phases:\n  - id: p\n    title: ""\n    steps:\n      - id: s\n        title: S\n`, ['7:12 phases[0].title must not be empty; got ""']);
  });

  it('a file that is not a mapping at all', () => {
    const expected = '1:1 a playbook must be a mapping with id, title, kind, version and phases;';
    expect(problems('- a\n- b\n')).toEqual([`${expected} got a list`]);
    expect(problems('')).toEqual([`${expected} got nothing`]);
  });
});

describe('rules beyond the schema', () => {
  it('a select field without choices, at its type', () => {
    expectProblems(withFields('          - id: health\n            prompt: How?\n            type: select\n'), [
      '14:13 phases[0].steps[0].fields[0]: a select field needs "choices"; got none',
    ]);
  });

  it('choices on a text field, at the choices key', () => {
    expectProblems(withFields('          - id: name\n            prompt: Name?\n            type: text\n            choices: [a, b]\n'), [
      `15:13 phases[0].steps[0].fields[0].choices only applies to select and multiselect fields; this field's type is "text"`,
    ]);
  });

  it('ids used twice: a phase, a step across phases, a field, each at the second with the first line', () => {
    expectProblems(
      `${withFields('          - id: f\n            prompt: F\n            type: text\n          - id: f\n            prompt: G\n            type: text\n')}  - id: p\n    title: P2\n    steps:\n      - id: s\n        title: S again\n`,
      [
        '15:17 phases[0].steps[0].fields[1].id: field id "f" is used twice (first at line 12)',
        '18:9 phases[1].id: phase id "p" is used twice (first at line 6)',
        '21:13 phases[1].steps[0].id: step id "s" is used twice (first at line 9)',
      ],
    );
  });

  it('a default that does not fit its field, at the default', () => {
    expectProblems(
      withFields(
        [
          '          - id: health',
          '            prompt: How?',
          '            type: select',
          '            choices: [great, ok]',
          '            default: bad',
          '          - id: when',
          '            prompt: When?',
          '            type: date',
          '            default: 2026-02-30',
          '          - id: sure',
          '            prompt: Sure?',
          '            type: confirm',
          '            default: 1',
          '',
        ].join('\n'),
      ),
      [
        '16:22 phases[0].steps[0].fields[0].default does not fit the field: expected one of great, ok; got "bad"',
        '20:22 phases[0].steps[0].fields[1].default does not fit the field: 2026-02-30 is not a real date: February 2026 has 28 days',
        '24:22 phases[0].steps[0].fields[2].default does not fit the field: expected true or false; got number 1',
      ],
    );
  });

  it('min greater than max, and a default outside the bounds', () => {
    expectProblems(withFields('          - id: n\n            prompt: N\n            type: number\n            min: 10\n            max: 1\n            default: 5\n'), [
      '15:13 phases[0].steps[0].fields[0].min (10) is greater than max (1)',
      '17:22 phases[0].steps[0].fields[0].default does not fit the field: must be at least 10; got 5',
    ]);
  });

  it('a choice listed twice, and min on a text field', () => {
    expectProblems(withFields('          - id: m\n            prompt: M\n            type: multiselect\n            choices: [a, b, a]\n          - id: t\n            prompt: T\n            type: text\n            min: 3\n'), [
      '15:29 phases[0].steps[0].fields[0].choices[2]: choice "a" is listed twice',
      `19:13 phases[0].steps[0].fields[1].min only applies to number fields; this field's type is "text"`,
    ]);
  });
});

describe('all problems of a file at once', () => {
  it('reports schema and semantic problems together, in file order', () => {
    const text = [
      'id: Demo',
      'title: Demo',
      'kind: onbording',
      'version: 1',
      'colour: blue',
      'phases:',
      '  - id: p',
      '    title: P',
      '    due: 7x',
      '    steps:',
      '      - id: s',
      '        title: S',
      '        fields:',
      '          - id: f',
      '            prompt: F',
      '            type: select',
      '          - id: f',
      '            prompt: G',
      '            type: number',
      '            min: 5',
      '            max: 1',
      '  - id: p',
      '    title: Again',
      '    steps:',
      '      - id: s',
      '        title: S',
      '',
    ].join('\n');
    const found = problems(text);
    expect(found).toHaveLength(9);
    expect(found.map((problem) => problem.split(' ')[0])).toEqual(['1:5', '3:7', '5:1', '9:10', '16:13', '17:17', '20:13', '22:9', '25:13']);
    expect(found[2]).toBe('5:1 unknown key "colour"; expected one of id, title, kind, default, version, description, phases, lang');
  });
});

describe('files that must be refused before they cost anything', () => {
  it('a file over 2 MiB (a 3 MB description)', () => {
    const big = `${HEAD}description: "${'a'.repeat(3 * 1024 * 1024)}"\n`;
    expect(problems(big)).toEqual(['1:1 it is larger than 2 MiB; a playbook should be far smaller']);
    const folder = tempDir();
    writeFileSync(join(folder, 'big.yaml'), big);
    const { loaded, problems: found } = loadPlaybookFile(join(folder, 'big.yaml'));
    expect(loaded).toBeUndefined();
    expect(found.map(formatProblem)).toEqual([`${join(folder, 'big.yaml')}:1:1 cannot read: it is larger than 2 MiB; a playbook should be far smaller`]);
  });

  it('an alias bomb (billion laughs), quickly', () => {
    const levels = 'abcdefghi';
    let bomb = `${HEAD}x0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    for (let level = 1; level < levels.length; level += 1) {
      bomb += `x${level}: &${levels[level]} [${Array(9).fill(`*${levels[level - 1]}`).join(',')}]\n`;
    }
    const started = performance.now();
    const found = problems(bomb);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(found).toEqual(['1:1 YAML refused: Excessive alias count indicates a resource exhaustion attack']);
  });

  it('YAML nested deeper than 64 levels (block style)', () => {
    let nested = 'description:\n';
    for (let depth = 1; depth <= 80; depth += 1) nested += `${'  '.repeat(depth)}x:\n`;
    expect(problems(HEAD + nested)).toEqual(['1:1 YAML refused: nested deeper than 64 levels']);
  });

  it('YAML nested thousands of levels deep (flow style) is refused as too deep, quickly', () => {
    const started = performance.now();
    const found = problems(`${HEAD}description: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found.length).toBeGreaterThan(0);
    // what a person reads must say what is wrong: too deep, not an internal stack overflow
    for (const problem of found) {
      expect(problem).toMatch(/nested/);
      expect(problem).not.toMatch(/call stack/i);
    }
  });
});

describe('folders of playbooks (loadCatalog)', () => {
  const playbook = (id: string, kind: string, extra = '') =>
    `# ${id}\nid: ${id}\ntitle: ${id}\nkind: ${kind}\n${extra}version: 1\nphases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n`;

  it('two default playbooks of one kind in one folder: the second is reported at its default key', () => {
    const folder = writeFiles(tempDir(), {
      'a-first.yaml': playbook('first', 'churn', 'default: true\n'),
      'b-second.yaml': playbook('second', 'churn', 'default: true\n'),
    });
    const catalog = loadCatalog([{ path: folder, source: 'user' }]);
    expect(catalog.defaults.get('churn')?.playbook.id).toBe('first');
    expect(catalog.playbooks.map((loaded) => loaded.playbook.id)).toEqual(['first', 'second']);
    expect(catalog.problems).toHaveLength(1);
    const [problem] = catalog.problems;
    expect(problem!.file).toBe(join(folder, 'b-second.yaml'));
    expect(problem!.message).toBe(
      `default: true for kind churn is already set by ${join(folder, 'a-first.yaml')}; only one playbook of a kind can be the default`,
    );
    expect([problem!.line, problem!.col]).toEqual([5, 1]); // where "default: true" is written
  });

  it('two files with one id in one folder: the second is reported at its id', () => {
    const folder = writeFiles(tempDir(), { 'a.yaml': playbook('same', 'other'), 'b.yaml': playbook('same', 'other') });
    const catalog = loadCatalog([{ path: folder, source: 'user' }]);
    expect(catalog.playbooks).toHaveLength(1);
    expect(catalog.problems.map(formatProblem)).toEqual([`${join(folder, 'b.yaml')}:2:1 playbook id "same" is also used by ${join(folder, 'a.yaml')}`]);
  });

  it("a user's playbook with a bundled id overrides it, and may take over its default", () => {
    const user = writeFiles(tempDir(), { 'my-onboarding.yaml': playbook('onboarding-30d', 'onboarding', 'default: true\n').replace('title: onboarding-30d', 'title: Onboarding 30 ngày (bản của tôi)') });
    const catalog = loadCatalog([
      { path: BUNDLED, source: 'bundled' },
      { path: user, source: 'user' },
    ]);
    expect(catalog.problems).toEqual([]);
    const ours = catalog.playbooks.filter((loaded) => loaded.playbook.id === 'onboarding-30d');
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ source: 'user', file: join(user, 'my-onboarding.yaml') });
    expect(ours[0]!.playbook.title).toBe('Onboarding 30 ngày (bản của tôi)');
    expect(catalog.defaults.get('onboarding')).toBe(ours[0]);
    expect(catalog.playbooks).toHaveLength(7);
  });

  it('a broken file hides no good one, and its problems are kept with its path', () => {
    const folder = writeFiles(tempDir(), { 'good.yaml': playbook('good', 'other'), 'bad.yml': 'id: bad\nkind: nope\n' });
    const catalog = loadCatalog([{ path: folder, source: 'user' }]);
    expect(catalog.playbooks.map((loaded) => loaded.playbook.id)).toEqual(['good']);
    expect(catalog.brokenFiles.map((broken) => broken.file)).toEqual([join(folder, 'bad.yml')]);
    expect(catalog.problems.map(formatProblem)).toEqual([
      `${join(folder, 'bad.yml')}:1:1 playbook is missing "title"`,
      `${join(folder, 'bad.yml')}:1:1 playbook is missing "version"`,
      `${join(folder, 'bad.yml')}:1:1 playbook is missing "phases"`,
      `${join(folder, 'bad.yml')}:2:7 kind must be one of onboarding, churn, winback, other; got "nope"`,
    ]);
  });

  it('every bundled playbook is valid', () => {
    const catalog = loadCatalog([{ path: BUNDLED, source: 'bundled' }]);
    expect(catalog.problems.map(formatProblem)).toEqual([]);
    expect(catalog.playbooks).toHaveLength(7);
  });
});
