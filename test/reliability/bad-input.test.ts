/**
 * Bad input, row by row: every row runs the built CLI once against its own copy of a seeded
 * database (one finished run, two open runs) and expects the documented exit code (2 unless said),
 * a message that says what is wrong and what is expected or what to do, no stack trace or Node
 * internals anywhere, and the database saying exactly what it said before (a dump of every table).
 * Files the row hands to cs (a non-SQLite --db, an existing --out) must keep their bytes.
 *
 * A row marked `knownBug` (a bug in src/, reported) runs with `fails: true`, so `npm test` stays green
 * while the bug is there and turns red the day it is fixed (then drop the mark). None at the moment:
 * the rows noted "until <commit>" found bugs that have been fixed since.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { expectNoLiveControls } from '../support/controls.js';
import { dumpDb } from '../support/db.js';
import { reportFigures } from '../support/figures.js';
import { makeReadOnly } from '../support/fs-caps.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { FIXTURES } from '../support/playbooks.js';
import { expectRefusal } from '../support/refusal.js';
import { answersFile, expectSuccess } from '../support/runs.js';
import { makeFifo, makeNullDevice, utf16be } from '../support/special-files.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const ANSWERS_30D = answersFile('onboarding-30d');
const ANSWERS_CHURN = answersFile('churn-response');
/** Hang guard for the files built to exhaust a parser. */
const HANG_GUARD_MS = 10_000;

/** A valid playbook (CS_PLAYBOOKS) that each row breaks in one way. */
const MINI = onePhasePlaybook({
  id: 'mini',
  title: 'Mini',
  steps: `
      - id: s1
        title: Step 1
        fields:
          - id: f1
            prompt: Question
            type: text
            required: true
`,
});

/** MINI with each [from, to] replaced once (and the text appended). */
function mini(changes: [string, string][] = [], append = ''): string {
  let text = MINI;
  for (const [from, to] of changes) {
    if (!text.includes(from)) throw new Error(`MINI has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text + append;
}

/** A full answers file for test/fixtures/playbooks/walk-test.yaml, changed as a row says. */
const WALK_TEST_ANSWERS = { kickoff: 'kickoff: {goals: Mục tiêu rõ ràng}', setup: 'setup: {ready: true}', handover: 'handover: {csm: Chị Mai}' };
function walkAnswers(changes: Partial<Record<keyof typeof WALK_TEST_ANSWERS, string>>): string {
  return `${Object.values({ ...WALK_TEST_ANSWERS, ...changes }).join('\n')}\n`;
}

const BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat('bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(',')}]`))
  .join('\n');

const CSV_HEADER = 'name,owner,playbook,start\n';

interface Row {
  /** A folder of its own, the sandbox whose CS_DB is the seeded copy, and a file writer. */
  dir: string;
  box: Sandbox;
  db: string;
  /** Writes `content` to `name` in the row's folder; returns the path. */
  file(name: string, content: string | Buffer): string;
}

interface Case {
  name: string;
  args: (row: Row) => string[];
  /** Messages expected on stderr: what is wrong, and what is expected / what to do. */
  expect: RegExp[];
  code?: number;
  /** Runs before cs; returns what to undo after it. */
  setup?: (row: Row) => (() => void) | void;
  /** Files that must keep their bytes (given to cs, never to be changed). */
  untouched?: (row: Row) => string[];
  /** Paths that must not exist afterwards (nothing created). */
  absent?: (row: Row) => string[];
  maxMs?: number;
  /** Extra environment for this row (e.g. a bad CS_TODAY). */
  env?: Record<string, string>;
  /** A bug in src/: the row fails until it is fixed (see the report). */
  knownBug?: string;
}

/** `cs run walk-test "Khách mới" --answers <text> --no-input`. */
function answersCase(name: string, answers: string | Buffer, expect: RegExp[], extra: Partial<Case> = {}): Case {
  return { name, args: (row) => ['run', 'walk-test', 'Khách mới', '--answers', row.file('answers.yaml', answers), '--no-input'], expect, ...extra };
}

/** `cs playbooks validate <file>` on a broken copy of MINI. */
function validateCase(name: string, text: string, expect: RegExp[], extra: Partial<Case> = {}): Case {
  return { name, args: (row) => ['playbooks', 'validate', row.file('pb/mini.yaml', text)], expect, ...extra };
}

/** `cs accounts import <file.csv>`. */
function importCase(name: string, csv: string | Buffer, expect: RegExp[], flags: string[] = []): Case {
  return { name, args: (row) => ['accounts', 'import', row.file('book.csv', csv), ...flags], expect };
}

/** `cs onboard start "Khách mới" --start <date> --answers <30d> --no-input`: would succeed but for the date. */
function startCase(name: string, start: string, expect: RegExp[]): Case {
  return { name, args: () => ['onboard', 'start', 'Khách mới', '--start', start, '--answers', ANSWERS_30D, '--no-input'], expect };
}

/** `cs onboard start <name> --answers <30d> --no-input`: would succeed but for the name. */
function nameCase(name: string, account: string, expect: RegExp[]): Case {
  return { name, args: () => ['onboard', 'start', account, '--answers', ANSWERS_30D, '--no-input'], expect };
}

/** A template in the row's CS_TEMPLATES folder, shown or rendered. */
function templateCase(name: string, command: 'show' | 'render', text: string, expect: RegExp[]): Case {
  return {
    name,
    args: (row) => {
      row.file('tpl/broken.mustache', text);
      return command === 'show' ? ['templates', 'show', 'broken'] : ['render', 'broken', 'Acme'];
    },
    expect,
  };
}

const FILE_LINE_COL = /mini\.yaml:\d+:\d+ /;

const CASES: Case[] = [
  // --- playbook files: every problem at file:line:col, what was expected ---
  validateCase('malformed YAML', 'id: mini\ntitle: [unclosed\n', [FILE_LINE_COL, /YAML syntax/, /must be sufficiently indented and end with a \]/, /1 problem in 1 file/]),
  validateCase('a wrong type: version is text', mini([['version: 1', 'version: "one"']]), [/mini\.yaml:4:10 version must be an integer; got "one"/]),
  validateCase('a wrong type: phases is a mapping', mini([['phases:\n  - id: p1', 'phases:\n  first:\n    id: p1']]), [FILE_LINE_COL, /phases must be a list; got a mapping/]),
  validateCase('a wrong type: required is text', mini([['required: true', 'required: "sometimes"']]), [FILE_LINE_COL, /required must be a boolean; got "sometimes"/]),
  validateCase('an unknown key, with "did you mean"', mini([['    steps:', '    stepz:']]), [
    /unknown key "stepz" \(did you mean "steps"\?\); expected one of id, title, due, description, steps/,
  ]),
  validateCase('an unknown top-level key', mini([['title: Mini', 'titel: Mini']]), [/mini\.yaml:2:1 unknown key "titel" \(did you mean "title"\?\)/, /is missing "title"/]),
  validateCase('an unknown field type', mini([['type: text', 'type: txt']]), [/type must be one of text, longtext, select, multiselect, confirm, number, date, computed, actions; got "txt" \(did you mean "text"\?\)/]),
  validateCase('duplicate step ids', mini([], '      - id: s1\n        title: Again\n'), [/mini\.yaml:17:\d+ .*step id "s1" is used twice \(first at line 10\)/]),
  validateCase('duplicate field ids', mini([], '          - id: f1\n            prompt: Again\n            type: text\n'), [/field id "f1" is used twice \(first at line 13\)/]),
  validateCase('a duplicate YAML key', 'id: mini\nid: mini2\n', [/mini\.yaml:2:1 YAML syntax: Map keys must be unique/]),
  validateCase('a bad due', mini([['due: 7d', 'due: 7 days']]), [/mini\.yaml:8:10 phases\[0\]\.due must be a number of days, weeks or months: Nd, Nw or Nm \(e\.g\. 5d, 2w, 1m\); got "7 days"/]),
  validateCase('a bad id', mini([['id: mini', 'id: Mini Playbook']]), [/id must use lowercase letters, digits, '-' and '_'/]),
  validateCase('select without choices', mini([['type: text', 'type: select']]), [/fields\[0\]: a select field needs "choices"; got none/]),
  validateCase('a produces naming no template', mini([], '        produces: no-such-template\n'), [
    /step s1 produces "no-such-template", but there is no template no-such-template; templates found: .*kickoff-recap/,
  ]),
  validateCase('a 10 MB playbook is refused fast', mini([], '# padding padding padding padding padding padding padding\n'.repeat(180_000)), [/mini\.yaml:1:1 cannot read: it is larger than 2 MiB; a playbook should be far smaller/], {
    maxMs: HANG_GUARD_MS,
  }),
  validateCase('deeply nested YAML (flow)', `id: deep\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, [/nested too deeply \(more than 64 levels is not a playbook\)/], { maxMs: HANG_GUARD_MS }),
  validateCase(
    'deeply nested YAML (block)',
    `id: deep\nx:\n${Array.from({ length: 200 }, (_, depth) => `${'  '.repeat(depth + 1)}a:`).join('\n')} 1\n`,
    [/nested deeper than 64 levels/],
    { maxMs: HANG_GUARD_MS },
  ),
  validateCase('a billion-laughs alias bomb', `id: lol\n${BILLION_LAUGHS}\n`, [/YAML refused: .*alias/i], { maxMs: HANG_GUARD_MS }),
  {
    name: 'a broken playbook named by cs run',
    args: (row) => {
      row.file('pb/mini.yaml', mini([['type: text', 'type: txt']]));
      return ['run', 'mini', 'Khách mới', '--answers', row.file('a.yaml', 's1: {f1: x}\n'), '--no-input'];
    },
    expect: [/unknown playbook "mini"/, /A file meant to define it has problems/, FILE_LINE_COL, /got "txt"/],
  },

  // --- control characters in playbook files: at line:col (the output shows each as \uXXXX) ---
  validateCase('an OSC 0 title escape in a step title', mini([['title: Step 1', 'title: "Step \\e]0;pwned\\a"']]), [/mini\.yaml:11:\d+ phases\[0\]\.steps\[0\]\.title: contains the control character \\u001b/]),
  validateCase('a raw bidi override in a prompt', mini([['prompt: Question', 'prompt: Quest\u202eion']]), [/mini\.yaml:14:\d+ .*fields\[0\]\.prompt: contains the control character \\u202e/]),
  validateCase('a C1 CSI (U+009B) in a guide', mini([], '        guide: "read \\x9b2J"\n'), [/mini\.yaml:17:\d+ phases\[0\]\.steps\[0\]\.guide: contains the control character \\u009b/]),
  validateCase('DEL in the playbook title', mini([['title: Mini', 'title: "Mini\\x7f"']]), [/mini\.yaml:2:\d+ title: contains the control character \\u007f/]),
  validateCase('a lone CR in a checklist item', mini([], '        checklist: ["one\\rtwo"]\n'), [/checklist\[0\]: contains the control character \\u000d/]),

  // --- templates ---
  templateCase('a template with OSC 52 in its body', 'show', '---\ntitle: X\n---\nHello \u001b]52;c;aGk=\u0007{{account.name}}\n', [/broken\.mustache:4:7 the template contains the control character \\u001b/]),
  templateCase('a template with BEL in its title', 'render', '---\ntitle: "X\\a"\n---\nHello\n', [/broken\.mustache:2:8 front matter: title contains the control character \\u0007/]),
  {
    name: 'a partial with a CSI clear-screen',
    args: (row) => {
      row.file('tpl/partials/footer.mustache', 'Regards,\n\u001b[2J{{owner}}\n');
      row.file('tpl/broken.mustache', '---\ntitle: X\n---\nHello\n{{> footer}}\n');
      return ['render', 'broken', 'Acme'];
    },
    expect: [/footer\.mustache:2:1 the template contains the control character \\u001b/],
  },
  templateCase('a template with a bidi override in its body', 'render', '---\ntitle: X\n---\nTotal: \u202e0001\n', [/broken\.mustache:4:8 the template contains the control character \\u202e/]),
  templateCase('a template with an unclosed section', 'show', '---\ntitle: X\n---\nHello {{#account}}{{name}}\n', [
    /broken\.mustache:4:7 section \{\{#account\}\} is never closed; add \{\{\/account\}\} where it ends/,
    /Fix the file/,
  ]),
  templateCase('a template closing a section never opened', 'render', '---\ntitle: X\n---\nHello {{name}}{{/account}}\n', [
    /broken\.mustache:4:15 \{\{\/account\}\} closes a section that was never opened; add \{\{#account\}\} before it or remove it/,
  ]),
  templateCase('a template with a tag never closed', 'render', '---\ntitle: X\n---\nHello {{name\n', [/broken\.mustache:4:7 a tag opened with \{\{ is never closed with \}\}/]),
  templateCase('an email template without a subject', 'show', '---\ntitle: X\nformat: email\n---\nHello\n', [/an email template needs a subject, e\.g\. subject: "/]),
  templateCase('a template front matter with an unknown key', 'show', '---\ntitle: X\nformt: email\n---\nHello\n', [/unknown key "formt" \(did you mean "format"\?\); expected one of title, format, subject, to/]),
  { name: 'template id ../../etc/passwd (render)', args: () => ['render', '../../etc/passwd', 'Acme'], expect: [/unknown template "\.\.\/\.\.\/etc\/passwd"/, /Templates found: .*kickoff-recap/] },
  { name: 'template id ../../etc/passwd (templates show)', args: () => ['templates', 'show', '../../etc/passwd'], expect: [/unknown template "\.\.\/\.\.\/etc\/passwd"/, /See cs templates list/] },
  { name: 'an unknown template, with "did you mean"', args: () => ['render', 'kickof-recap', 'Acme'], expect: [/unknown template "kickof-recap" \(did you mean "kickoff-recap"\?\)/] },
  {
    name: 'an email-only format for a document',
    args: () => ['render', 'churn-postmortem', 'Acme', '--format', 'eml'],
    expect: [/template churn-postmortem is a document, not an email: it cannot be written as eml/, /Use --format md, txt or html/],
  },
  ...[
    ['CR LF and a Bcc', 'Tuấn <tuan@cs.example>\r\nBcc: evil@x', 'U\\+000D'],
    ['U+2028 and a Bcc', 'Tuấn <tuan@cs.example>\u2028Bcc: evil@x', 'U\\+2028'],
    ['U+0085', 'Tuấn\u0085 <tuan@cs.example>', 'U\\+0085'],
  ].map(([what, from, point]): Case => ({
    name: `eml --strict: CS_FROM with ${what}`,
    env: { CS_FROM: from! },
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--format', 'eml', '--strict', '--out', join(row.dir, 'recap.eml')],
    expect: [/1 header value was refused in kickoff-recap; nothing was written \(--strict\)/, new RegExp(`From \\(CS_FROM\\) left out of the draft: it holds a control character \\(${point}\\)`)],
    absent: (row) => [join(row.dir, 'recap.eml')],
  })),
  { name: 'an unknown --format', args: () => ['render', 'kickoff-recap', 'Acme', '--format', 'pdf'], expect: [/--format must be one of md, txt, html, eml; got "pdf"/] },

  // --- answers files (walk-test: kickoff, setup, handover) ---
  answersCase('answers: an unknown step id', walkAnswers({ kickoff: 'kickof: {goals: x}' }), [/1 problem in the answers/, /unknown step "kickof" \(did you mean "kickoff"\?\) in playbook walk-test/]),
  answersCase('answers: an unknown field id', walkAnswers({ kickoff: 'kickoff: {goal: x}' }), [/kickoff: unknown field "goal" \(did you mean "goals"\?\)/]),
  answersCase('answers: text for a number', walkAnswers({ kickoff: 'kickoff: {goals: x, seats: many}' }), [/kickoff\.seats \(number\): expected a number; got "many"/]),
  answersCase('answers: a number out of range', walkAnswers({ kickoff: 'kickoff: {goals: x, seats: 9999}' }), [/kickoff\.seats \(number\): must be at most 500; got 9999/]),
  {
    name: 'answers: 2.5 training sessions',
    args: (row) => ['onboard', 'start', 'Khách mới', '--answers', row.file('answers.yaml', readFileSync(ANSWERS_30D, 'utf8').replace(/^  sessions: 2$/m, '  sessions: 2.5')), '--no-input'],
    expect: [/1 problem in the answers/, /training-plan\.sessions \(number\): expected a whole number; got 2\.5/],
  },
  {
    name: 'answers: "nothing" with other choices',
    args: (row) => ['run', 'churn-response', 'Khách mới', '--answers', row.file('answers.yaml', readFileSync(ANSWERS_CHURN, 'utf8').replace('support-requested: [number porting, contact list export]', 'support-requested: [number porting, nothing]')), '--no-input'],
    expect: [/\.support-requested \(multiselect\): "nothing" cannot be combined with other choices; got it with "number porting"/],
  },
  validateCase('integer on a text field', mini([['            type: text\n', '            type: text\n            integer: true\n']]), [/mini\.yaml:\d+:\d+ phases\[0\]\.steps\[0\]\.fields\[0\]\.integer only applies to number fields; this field's type is "text"/]),
  validateCase('an exclusive choice that is not a choice', mini([['            type: text\n            required: true\n', '            type: multiselect\n            choices: [a, b]\n            exclusive: [none]\n']]), [/exclusive\[0\]: "none" is not one of the field's choices \(a, b\)/]),
  answersCase('answers: a choice not in the list', walkAnswers({ kickoff: 'kickoff: {goals: x, health: superb}' }), [/kickoff\.health \(select\): expected one of great, ok, worrying; got "superb"/]),
  answersCase('answers: a multiselect choice not in the list', walkAnswers({ setup: 'setup: {ready: true, modules: [crm, payroll]}' }), [/setup\.modules \(multiselect\): expected only crm, billing, support; got "payroll"/]),
  answersCase('answers: an invalid date 2026-02-30', walkAnswers({ setup: 'setup: {ready: true, go-live: 2026-02-30}' }), [/setup\.go-live \(date\): 2026-02-30 is not a real date: February 2026 has 28 days/]),
  answersCase('answers: text for a confirm', walkAnswers({ setup: 'setup: {ready: "yes please"}' }), [/setup\.ready \(confirm\): expected true or false; got "yes please"/]),
  answersCase('answers: every problem at once', walkAnswers({ kickoff: 'kickoff: {goals: x, seats: many, health: superb}', setup: 'setup: {ready: maybe}' }), [
    /3 problems in the answers/,
    /seats/,
    /health/,
    /ready/,
  ]),
  answersCase('answers: a bad checklist item number', walkAnswers({ kickoff: 'kickoff: {goals: x, _checklist: [5]}' }), [/kickoff\._checklist: expected true, or item numbers from 1 to 2/]),
  answersCase('answers: a file that is not YAML', 'kickoff: [goals: x\n', [/answers\.yaml:2:1: the answers file is not valid YAML or JSON: /]),
  answersCase('answers: a file that is not a mapping', 'just some words\n', [/answers must be a mapping of step ids to their answers/]),
  answersCase('answers: a binary file', Buffer.from([0x62, 0x69, 0x6e, 0x00, 0x01, 0xff, 0xfe]), [/answers\.yaml:1:4: not text: a NUL byte at offset 3/, /Save it as UTF-8/]),
  answersCase('answers: a required answer missing under --no-input', 'kickoff: {goals: x}\n', [
    /step setup, field ready: a required answer is missing \(2 in all\); nothing was written/,
    /Add them to the --answers file/,
  ]),
  answersCase('answers: an alias bomb', `${BILLION_LAUGHS}\n`, [/not valid YAML or JSON: .*alias/i], { maxMs: HANG_GUARD_MS }),
  answersCase('answers: absurd nesting', `kickoff: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, [/the answers file is not valid YAML or JSON: .*(nested|deep)/i], {
    maxMs: HANG_GUARD_MS, // until b28e13f: V8's "Maximum call stack size exceeded"
  }),
  { name: 'answers: a file that does not exist', args: (row) => ['onboard', 'start', 'Khách mới', '--answers', join(row.dir, 'nope.yaml'), '--no-input'], expect: [/cannot read the answers file .*nope\.yaml: no such file/] },
  {
    name: 'answers for resume: an unknown field',
    args: (row) => ['resume', 'Beta', '--run', '2', '--answers', row.file('a.yaml', 'churn-signals: {usage: low}\n'), '--no-input'],
    expect: [/churn-signals: unknown field "usage"/],
  },

  // --- CSV imports (cs accounts import) ---
  importCase('CSV: no header', 'Acme Two,lan,onboarding-30d,2026-11-20\n', [
    /book\.csv:1: the first row must be a header with a column for the account name; none was found/,
    /HubSpot, Salesforce, Pipedrive and Zoho exports as they are; for anything else say which column is which, e\.g\. --map/,
  ]),
  importCase('CSV: a bad date', `${CSV_HEADER}Khách A,lan,onboarding-30d,2026-02-30\n`, [/1 bad row; nothing was imported/, /book\.csv:2: start: 2026-02-30 is not a real date: February 2026 has 28 days/]),
  importCase('CSV: an unknown playbook', `${CSV_HEADER}Khách A,lan,onbording-30d,2026-11-20\n`, [/book\.csv:2: unknown playbook "onbording-30d" \(did you mean "onboarding-30d"\?\)/, /Playbooks found: /]),
  importCase('CSV: an empty name', `${CSV_HEADER}  ,lan,onboarding-30d,2026-11-20\n`, [/book\.csv:2: the account name is empty/, /Fix or remove these rows/]),
  importCase('CSV: a name with a control character', `${CSV_HEADER}"Khách\u0007A",lan,onboarding-30d,2026-11-20\n`, [/book\.csv:2: the account name "Khách\\u0007A" contains control characters/]),
  importCase('CSV: a quote never closed', `${CSV_HEADER}"Khách A,lan,onboarding-30d,2026-11-20\n`, [/book\.csv:2: not valid CSV: a quoted value is never closed/, /wrapped in double quotes/]),
  importCase('CSV: UTF-16', Buffer.from('\ufeffname,owner,playbook,start\n', 'utf16le'), [/book\.csv: it is UTF-16 LE text \(it starts with the byte-order mark FF FE\); cs reads UTF-8/, /Save it as "CSV UTF-8"/]),
  importCase('CSV: a good row with bad ones is not imported either', `${CSV_HEADER}Khách tốt,lan,onboarding-30d,2026-11-20\nKhách xấu,lan,onboarding-30d,31/02/2026\n`, [
    /1 bad row; nothing was imported/,
    /book\.csv:3: start must be a real date written DD\/MM\/YYYY or YYYY-MM-DD \(the column's dates are day first: "31\/02\/2026" on line 3\); got "31\/02\/2026"/,
  ]),
  importCase('CSV: a date that could be day or month first, nothing settling it', `${CSV_HEADER}Khách A,lan,onboarding-30d,03/04/2026\nKhách B,lan,onboarding-30d,05/06/2026\n`, [
    /2 bad rows; nothing was imported/,
    /book\.csv:2: start "03\/04\/2026" could be day\/month or month\/day, and no other date in the column settles it; say which with --date-format dd\/mm\/yyyy \(or mm\/dd\/yyyy\)/,
  ]),
  importCase('CSV: dates written month first, not declared', `${CSV_HEADER}Khách A,lan,onboarding-30d,03/04/2026\nKhách B,lan,onboarding-30d,11/20/2026\n`, [
    /book\.csv:3: start "11\/20\/2026": the column writes the month first \("11\/20\/2026" on line 3 has no month 20\); if that is meant, say so with --date-format mm\/dd\/yyyy/,
  ]),
  importCase('CSV: --date-format dd/mm/yyyy and a value with no month 20', `${CSV_HEADER}Khách A,lan,onboarding-30d,11/20/2026\n`, [/book\.csv:2: start must be a real date written DD\/MM\/YYYY; got "11\/20\/2026"/], ['--date-format', 'dd/mm/yyyy']),
  importCase('CSV: --date-format not a format', `${CSV_HEADER}Khách A,lan,onboarding-30d,\n`, [/^cs: --date-format must be one of yyyy-mm-dd, dd\/mm\/yyyy, mm\/dd\/yyyy; got "d\.m\.y"$/m], ['--date-format', 'd.m.y']),
  importCase('CSV: --map with an unknown role', `${CSV_HEADER}Khách A,lan,onboarding-30d,\n`, [/^cs: --map: unknown role "nmae"; the roles are name, owner, playbook, start, id$/m, /kept as account fields/], ['--map', 'nmae=Company']),
  importCase('CSV: --map without "="', `${CSV_HEADER}Khách A,lan,onboarding-30d,\n`, [/^cs: --map: "name" has no "=": write role=Column$/m], ['--map', 'name']),
  importCase('CSV: --map naming a column the file lacks', `${CSV_HEADER}Khách A,lan,onboarding-30d,\n`, [/^cs: --map start=Close Date: .*book\.csv has no column "Close Date"$/m, /its columns: "name", "owner", "playbook", "start"/], ['--map', 'start=Close Date']),
  importCase('CSV: --kind not a kind', `${CSV_HEADER}Khách A,lan,,\n`, [/^cs: --kind must be one of onboarding, churn, winback, other; got "onboard"$/m], ['--kind', 'onboard']),
  importCase('CSV: --playbook unknown, for rows with an empty playbook cell', `${CSV_HEADER}Khách A,lan,,\n`, [/book\.csv:2: the playbook is empty and unknown playbook "nope"/], ['--playbook', 'nope']),
  importCase('CSV: Excel sep= line naming a delimiter cs does not read', 'sep=|\nname|playbook\nKhách A|onboarding-30d\n', [/sep=\|; cs reads , ; or tab as the delimiter/]),
  importCase('CSV: one CRM record id on two rows', '"Record ID","Company name"\n101,Khách A\n101,Khách B\n', [/book\.csv:3: the record id "101" already has a row for onboarding-30d on line 2/]),

  // --- unknown account / playbook / template / run ---
  { name: 'an unknown account, with "did you mean"', args: () => ['resume', 'Acm'], expect: [/^cs: unknown account "Acm" \(did you mean "Acme"\?\)$/m, /List your accounts with: cs accounts list/] },
  { name: 'an unknown account like none: how to list them', args: () => ['status', 'Nobody'], expect: [/^cs: unknown account "Nobody"$/m, /^No account has a name like it \(2 accounts\)\. List them with: cs accounts list$/m] },
  { name: 'an unknown account typed in part', args: () => ['agenda', '--account', 'bet'], expect: [/^cs: unknown account "bet" \(did you mean "Beta"\?\)$/m] },
  { name: 'an unknown option echoing a CSI (commander)', args: () => ['agenda', '--d\u009b2J'], expect: [/unknown option '--d\\u009b2J'/] },
  { name: 'an unknown playbook id echoing OSC 52', args: () => ['playbooks', 'show', 'x\u001b]52;c;aGk=\u0007'], expect: [/unknown playbook "x\\u001b\]52;c;aGk=\\u0007"/] },
  { name: 'an unknown playbook, with "did you mean"', args: () => ['run', 'onbording-30d', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'], expect: [/unknown playbook "onbording-30d" \(did you mean "onboarding-30d"\?\)/, /Playbooks found: /] },
  { name: 'an unknown run id (resume --run 999)', args: () => ['resume', 'Beta', '--run', '999'], expect: [/Beta has no open run #999/, /Open runs: #2 \(churn-response\), #3 \(onboarding-30d\)/] },
  { name: 'an unknown run id (render --run 999)', args: () => ['render', 'kickoff-recap', 'Acme', '--run', '999'], expect: [/Acme has no run #999/, /Its runs: #1 \(onboarding-30d\)/] },
  { name: 'several open runs and no --run under --no-input', args: () => ['resume', 'Beta', '--answers', ANSWERS_CHURN, '--no-input'], expect: [/Beta has 2 open runs; say which with --run/, /run #2 of churn-response/] },
  {
    name: 'a second open run of the same playbook without a terminal',
    args: () => ['churn', 'start', 'Beta', '--answers', ANSWERS_CHURN, '--no-input'],
    expect: [/Beta already has an open run #2 of churn-response/, /Continue it with: cs resume "Beta" --run 2/],
  },
  { name: 'no terminal and no --answers', args: () => ['onboard', 'start', 'Khách mới'], expect: [/cannot ask questions: this is not an interactive terminal/, /--answers FILE/] },

  // --- dates and names ---
  { name: '--start is not a real date', args: () => ['onboard', 'start', 'Khách mới', '--start', '2026-13-01', '--answers', ANSWERS_30D, '--no-input'], expect: [/--start: 2026-13-01 is not a real date: there is no month 13/, /A date is written YYYY-MM-DD, today, tomorrow/] },
  startCase('--start is not a form cs reads', 'next week', [/--start: expected a date \(YYYY-MM-DD, today, tomorrow, yesterday, \+3d, -3d, \+2w, \+1m\); got "next week"/]),
  startCase('--start 9999-12-31 (would store +010000-01)', '9999-12-31', [/--start: 9999-12-31 is outside the years cs accepts, 1900 to 2999/, /A date is written YYYY-MM-DD, today/]),
  startCase('--start 0026-11-20 (a two-digit year)', '0026-11-20', [/--start: 0026-11-20 is outside the years cs accepts, 1900 to 2999 \(did you mean 2026-11-20\?\)/]),
  startCase('--start 1899-12-31', '1899-12-31', [/--start: 1899-12-31 is outside the years cs accepts/]),
  startCase('--start 3000-01-01', '3000-01-01', [/--start: 3000-01-01 is outside the years cs accepts/]),
  startCase('--start 2027-02-29 (no leap day)', '2027-02-29', [/--start: 2027-02-29 is not a real date: February 2027 has 28 days/]),
  startCase('--start -9999m (relative, out of range)', '-9999m', [/--start: -9999m is 1193-08-26, outside the years cs accepts, 1900 to 2999/]),
  answersCase('answers: a date in 9999', walkAnswers({ setup: 'setup: {ready: true, go-live: 9999-12-31}' }), [/setup\.go-live \(date\): 9999-12-31 is outside the years cs accepts, 1900 to 2999/]),
  answersCase('answers: a date in year 26', walkAnswers({ setup: 'setup: {ready: true, go-live: 0026-11-20}' }), [/setup\.go-live \(date\): 0026-11-20 is outside the years cs accepts, 1900 to 2999 \(did you mean 2026-11-20\?\)/]),
  answersCase('answers: a date in 1899', walkAnswers({ setup: 'setup: {ready: true, go-live: "1899-12-31"}' }), [/setup\.go-live \(date\): 1899-12-31 is outside the years cs accepts/]),
  answersCase('answers: a date that is no form', walkAnswers({ setup: 'setup: {ready: true, go-live: next friday}' }), [/setup\.go-live \(date\): expected a date \(YYYY-MM-DD, today, tomorrow, yesterday, \+3d, -3d, \+2w, \+1m\); got "next friday"/]),
  importCase('CSV: a start in 9999', `${CSV_HEADER}Khách A,lan,onboarding-30d,9999-12-31\n`, [/book\.csv:2: start: 9999-12-31 is outside the years cs accepts, 1900 to 2999/]),
  importCase('CSV: a start in year 26', `${CSV_HEADER}Khách A,lan,onboarding-30d,0026-11-20\n`, [/book\.csv:2: start: 0026-11-20 is outside the years cs accepts, 1900 to 2999 \(did you mean 2026-11-20\?\)/]),
  importCase('CSV: a start that is no form', `${CSV_HEADER}Khách A,lan,onboarding-30d,next week\n`, [/book\.csv:2: start: expected a date \(YYYY-MM-DD, today, tomorrow, yesterday, \+3d, -3d, \+2w, \+1m\); got "next week"/]),
  ...['tomorrow', '2026-02-30', '9999-12-31', '0026-11-20', '26/11/2026'].flatMap((value): Case[] => [
    { name: `CS_TODAY=${value} (status)`, env: { CS_TODAY: value }, args: () => ['status'], expect: [/CS_TODAY: /, /Unset CS_TODAY to use the real date/] },
    { name: `CS_TODAY=${value} (onboard start)`, env: { CS_TODAY: value }, args: () => ['onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'], expect: [/CS_TODAY: /] },
  ]),
  { name: 'CS_TODAY=9999-12-31 (agenda)', env: { CS_TODAY: '9999-12-31' }, args: () => ['agenda'], expect: [/CS_TODAY: 9999-12-31 is outside the years cs accepts, 1900 to 2999/] },
  { name: 'CS_TODAY=0026-11-20 (accounts import)', env: { CS_TODAY: '0026-11-20' }, args: (row) => ['accounts', 'import', row.file('book.csv', `${CSV_HEADER}Khách A,lan,onboarding-30d,\n`)], expect: [/CS_TODAY: 0026-11-20 is outside the years cs accepts/] },
  { name: 'CS_TODAY=tomorrow (accounts list)', env: { CS_TODAY: 'tomorrow' }, args: () => ['accounts', 'list'], expect: [/CS_TODAY: expected a date written YYYY-MM-DD; got "tomorrow"/] },
  nameCase('an empty account name', '', [/the account name is empty/, /Give the customer's name, e\.g\. cs onboard start "Acme"/]),
  nameCase('a whitespace-only account name', ' \t  ', [/the account name is empty/, /Give the customer's name/]),
  nameCase('an account name with BEL (\\u0007)', 'Khách\u0007A', [/the account name "Khách\\u0007A" contains control characters/]),
  nameCase('an account name with a bidi override (\\u202e)', 'Khách\u202eA', [/the account name "Khách\\u202eA" contains control characters/]),
  ...[['\u200b', 'U\\+200B'], ['\u2800\u2800', 'U\\+2800 U\\+2800'], ['\u3164', 'U\\+3164'], ['\u115f \u00ad', 'U\\+115F U\\+0020 U\\+00AD'], ['\u2060\u180e', 'U\\+2060 U\\+180E']].flatMap(([invisible, points]): Case[] => [
    nameCase(`an account name of invisible characters only (${points!.replace(/\\/g, '')})`, invisible!, [new RegExp(`the account name is made only of invisible characters \\(${points}\\)`), /Give the customer's name/]),
    importCase(`CSV: a name of invisible characters only (${points!.replace(/\\/g, '')})`, `${CSV_HEADER}${invisible},lan,onboarding-30d,2026-11-20\n`, [new RegExp(`book\\.csv:2: the account name is made only of invisible characters \\(${points}\\)`)]),
  ]),
  { name: 'renaming to a name of invisible characters only', args: () => ['accounts', 'rename', 'Acme', '\u200b\u3164'], expect: [/the account name is made only of invisible characters \(U\+200B U\+3164\)/] },
  { name: 'renaming to a look-alike of another account (Beta\u200b)', args: () => ['accounts', 'rename', 'Acme', 'BETA\u200b'], expect: [/another account is already named "Beta"/, /zero-width characters and where the tone mark/] },
  { name: 'an owner of invisible characters only', args: () => ['onboard', 'start', 'Khách mới', '--owner', '\u2800', '--answers', ANSWERS_30D, '--no-input'], expect: [/the owner is made only of invisible characters \(U\+2800\)/] },
  { name: 'agenda --owner of invisible characters only', args: () => ['agenda', '--owner', '\u200b'], expect: [/the owner is made only of invisible characters \(U\+200B\)/] },
  { name: 'accounts list --owner of invisible characters only', args: () => ['accounts', 'list', '--owner', '\u3164'], expect: [/the owner is made only of invisible characters \(U\+3164\)/] },
  importCase('CSV: an owner of invisible characters only', `${CSV_HEADER}Khách A,\u200b\u200b,onboarding-30d,2026-11-20\n`, [/book\.csv:2: the owner is made only of invisible characters \(U\+200B U\+200B\)/]),
  importCase('CSV: look-alike names are one account (Hoà/Hòa)', `${CSV_HEADER}Hoà Bình,lan,onboarding-30d,2026-11-20\nHòa Bình,lan,onboarding-30d,2026-11-20\n`, [/book\.csv:3: "Hòa Bình" already has a row for onboarding-30d on line 2/]),
  { name: 'renaming to a name with control characters', args: () => ['accounts', 'rename', 'Acme', 'Acme\u001b[31m'], expect: [/the account name ".*" contains control characters/] },
  {
    name: 'an owner with control characters',
    args: () => ['onboard', 'start', 'Khách mới', '--owner', 'lan\u001b[31m\u202e', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/owner .*control characters/], // until b28e13f stored as given, and printed raw by cs accounts list
  },

  // --- the database path ---
  {
    name: '--db is a folder',
    args: (row) => ['--db', row.dir, 'onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/the database path .* is a folder/, /Give a file name, e\.g\. --db ~\/cs\.db/],
  },
  {
    name: '--db is not an SQLite file',
    args: (row) => ['--db', row.file('notes.txt', 'Ghi chú của tôi\n'), 'onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/notes\.txt is not a cs database: it is not an SQLite database/, /The file was left untouched\. Point --db \(or CS_DB\) at another file\./],
    untouched: (row) => [join(row.dir, 'notes.txt')],
  },
  {
    name: "--db is another program's SQLite file",
    setup: (row) => void copyFileSync(join(dirname(seed.db), 'other.db'), join(row.dir, 'other.db')),
    args: (row) => ['--db', join(row.dir, 'other.db'), 'onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/other\.db is not a cs database: it is an SQLite database of another program/, /left untouched/],
    untouched: (row) => [join(row.dir, 'other.db')],
  },
  {
    // As root (CI, this machine) chmod 0444 means nothing: makeReadOnly uses chattr +i, else a read-only bind mount.
    name: '--db is read-only',
    setup: (row) => {
      const readOnly = makeReadOnly(row.db, dirname(row.db));
      reportFigures('read-only --db', { mechanism: readOnly.mechanism });
      return readOnly.undo;
    },
    args: () => ['onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/cannot write to the database .*cs\.db: it is read-only/, /point --db \(or CS_DB\) at a writable file/],
  },
  {
    name: '--db in a folder that cannot be created (under a regular file)',
    args: (row) => ['--db', join(row.file('plain-file', 'x'), 'sub', 'cs.db'), 'onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/cannot create the folder .*plain-file\/sub for the database: .*plain-file is a file, not a folder/, /Point --db \(or CS_DB\) at a file in a folder you can write to/],
    untouched: (row) => [join(row.dir, 'plain-file')],
  },
  {
    // until 21a2622 this spun at 100% CPU forever: Node 20's recursive mkdirSync loops on procfs's ENOENT
    name: '--db in a folder that cannot be created (under /proc)',
    args: () => ['--db', '/proc/cs-no-such-folder/cs.db', 'onboard', 'start', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/cannot create the folder \/proc\/cs-no-such-folder for the database/, /Point --db \(or CS_DB\) at a file in a folder you can write to/],
    maxMs: HANG_GUARD_MS,
  },
  {
    name: 'resuming an unknown account, with no database yet, creates none',
    args: (row) => ['--db', join(row.dir, 'new', 'cs.db'), 'resume', 'Acme'],
    expect: [/unknown account "Acme"/],
    absent: (row) => [join(row.dir, 'new')], // until b28e13f resume created the database before looking the account up
  },

  // --- --out ---
  {
    name: '--out in a missing folder',
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', join(row.dir, 'missing', 'recap.md')],
    expect: [/cannot write .*recap\.md: the folder .*missing does not exist/, /Create it first \(mkdir -p /],
  },
  {
    name: '--out exists and no --force',
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', row.file('recap.md', 'bản nháp cũ\n')],
    expect: [/recap\.md already exists; nothing was written/, /Add --force to overwrite it/],
    untouched: (row) => [join(row.dir, 'recap.md')],
  },
  { name: '--out is a folder', args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', row.dir, '--force'], expect: [/cannot write .*: it is a folder/, /Give a file name/] },
  {
    // until this row: the database was replaced by the document
    // (a name without .db: render refuses an extension that names no format before anything else)
    name: '--out is the database in use',
    setup: (row) => void linkSync(row.db, join(row.dir, 'cs-data')),
    args: (row) => ['--db', join(row.dir, 'cs-data'), 'render', 'kickoff-recap', 'Acme', '--out', join(row.dir, 'cs-data'), '--force'],
    expect: [/cannot write .*cs-data: it is the database cs is using .*; nothing was written/],
    untouched: (row) => [row.db],
  },
  {
    name: '--out is a hard link to the database',
    setup: (row) => void linkSync(row.db, join(row.dir, 'copy.md')),
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', join(row.dir, 'copy.md'), '--force'],
    expect: [/cannot write .*copy\.md: it is the database cs is using/],
    untouched: (row) => [row.db],
  },
  {
    name: '--out is a FIFO',
    setup: (row) => makeFifo(join(row.dir, 'out.md')),
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', join(row.dir, 'out.md'), '--force'],
    expect: [/cannot write .*out\.md: it is a FIFO \(named pipe\), not a regular file; nothing was written/],
    maxMs: HANG_GUARD_MS,
  },
  {
    // a node of its own, never /dev/null itself (a cs renaming onto it would replace the machine's)
    name: '--out is a device node',
    setup: (row) => makeNullDevice(join(row.dir, 'null')),
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', join(row.dir, 'null'), '--force'],
    expect: [/cannot write .*null: it is a character device, not a regular file/],
  },
  { name: 'db backup to the database itself', args: (row) => ['db', 'backup', row.db, '--force'], expect: [/it is the database cs is using/], untouched: (row) => [row.db] },

  // --- special files where cs reads one ---
  { name: 'answers: /dev/zero', args: () => ['onboard', 'start', 'Khách mới', '--answers', '/dev/zero', '--no-input'], expect: [/cannot read the answers file \/dev\/zero: it is a character device, not a regular file/], maxMs: HANG_GUARD_MS },
  {
    name: 'answers: a FIFO',
    setup: (row) => makeFifo(join(row.dir, 'answers.yaml')),
    args: (row) => ['onboard', 'start', 'Khách mới', '--answers', join(row.dir, 'answers.yaml'), '--no-input'],
    expect: [/cannot read the answers file .*answers\.yaml: it is a FIFO \(named pipe\), not a regular file/],
    maxMs: HANG_GUARD_MS,
  },
  answersCase('answers: UTF-16 BE', utf16be('kickoff: {goals: x}\n'), [/answers\.yaml: it is UTF-16 BE text \(it starts with the byte-order mark FE FF\); cs reads UTF-8/]),
  answersCase('answers: Latin-1', Buffer.from('kickoff: {goals: caf\u00e9}\n', 'latin1'), [/answers\.yaml:1:21: not UTF-8: byte 0xE9 at offset 20/]),
  { name: 'CSV: /dev/zero', args: () => ['accounts', 'import', '/dev/zero'], expect: [/cannot read the CSV file \/dev\/zero: it is a character device, not a regular file/], maxMs: HANG_GUARD_MS },
  { name: 'CSV: a folder', args: (row) => ['accounts', 'import', row.dir], expect: [/cannot read the CSV file .*: it is a folder, not a regular file/] },
  importCase('CSV: Latin-1 on line 3', Buffer.from(`${CSV_HEADER}Khach A,lan,onboarding-30d,2026-11-20\nCaf\u00e9,lan,onboarding-30d,2026-11-20\n`, 'latin1'), [/book\.csv:3:4: not UTF-8: byte 0xE9/, /Save it as "CSV UTF-8"/]),
  {
    name: 'a playbook named by cs run is a link to /dev/zero',
    setup: (row) => (mkdirSync(join(row.dir, 'pb'), { recursive: true }), symlinkSync('/dev/zero', join(row.dir, 'pb', 'mini.yaml'))),
    args: () => ['run', 'mini', 'Khách mới', '--answers', ANSWERS_30D, '--no-input'],
    expect: [/unknown playbook "mini"/, /mini\.yaml:1:1 cannot read: it is a character device, not a regular file/],
    maxMs: HANG_GUARD_MS,
  },
  {
    name: 'partials that include each other',
    args: (row) => {
      row.file('tpl/letter.mustache', '---\ntitle: X\n---\nHello {{> head}}\n');
      row.file('tpl/partials/head.mustache', '{{#account}}{{> foot}}{{/account}}');
      row.file('tpl/partials/foot.mustache', 'Bye {{> head}}');
      return ['render', 'letter', 'Acme'];
    },
    expect: [/template letter: partial head includes itself \(head → foot → head\)/, /a partial cannot include itself/],
  },
  {
    name: '--db is a FIFO',
    setup: (row) => makeFifo(join(row.dir, 'db.fifo')),
    args: (row) => ['--db', join(row.dir, 'db.fifo'), 'status'],
    expect: [/the database path .*db\.fifo is a FIFO \(named pipe\), not a regular file/, /Point --db \(or CS_DB\)/],
    absent: (row) => [join(row.dir, 'db.fifo-journal'), join(row.dir, 'db.fifo-wal')],
    maxMs: HANG_GUARD_MS,
  },

  // --- commander: unknown command or option, missing argument ---
  { name: 'an unknown command, with a suggestion', args: () => ['statsu'], expect: [/^cs: unknown command 'statsu'$/m, /Did you mean status\?/, /add --help for usage/] },
  { name: 'an unknown option', args: () => ['status', '--bogus'], expect: [/^cs: unknown option '--bogus'$/m, /add --help for usage/] },
  { name: 'a missing argument', args: () => ['render', 'kickoff-recap'], expect: [/^cs: missing required argument 'account'$/m] },
  { name: '--playbook given to cs run (the id is positional)', args: () => ['run', 'onboarding-30d', 'Khách mới', '--playbook', 'churn-response', '--answers', ANSWERS_30D, '--no-input'], expect: [/^cs: unknown option '--playbook'/m] },
  { name: '--no-winback given to an onboarding start', args: () => ['onboard', 'start', 'Khách mới', '--no-winback', '--answers', ANSWERS_30D, '--no-input'], expect: [/^cs: unknown option '--no-winback'/m] },
  { name: '--days is not a number', args: () => ['agenda', '--days', 'a week'], expect: [/--days must be a whole number of days from 0 to 9999; got "a week"/] },
  { name: '--run is not a number', args: () => ['render', 'kickoff-recap', 'Acme', '--run', 'abc'], expect: [/--run must be a run number, e\.g\. --run 12; got "abc"/] },

  // --- formats, the audience of a template, settings ---
  {
    name: '--out whose extension names no format (.docx)',
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--out', join(row.dir, 'recap.docx')],
    expect: [/cannot tell which format to write to .*recap\.docx: "\.docx" is not the extension of a format cs writes/, /Formats: md, txt, html, eml \(files \.md or \.markdown, \.txt or \.text, \.html or \.htm, \.eml\)\./],
    absent: (row) => [join(row.dir, 'recap.docx')],
  },
  {
    name: '--format and the --out extension disagree',
    args: (row) => ['render', 'kickoff-recap', 'Acme', '--format', 'eml', '--out', join(row.dir, 'recap.html')],
    expect: [/--format eml and --out .*recap\.html disagree: "\.html" is the extension of html/, /Drop --format to write html, or name the file .*recap\.eml/],
    absent: (row) => [join(row.dir, 'recap.html')],
  },
  templateCase('an email template that uses an internal answer', 'render', '---\ntitle: X\nformat: email\nsubject: "S"\n---\nBecause {{answers.kickoff-call.why-bought}}\n', [
    /broken\.mustache:6:9 \{\{answers\.kickoff-call\.why-bought\}\}: kickoff-call\.why-bought is internal \(audience: internal in onboarding-30d\)/,
    /Nothing was written\./,
  ]),
  {
    name: 'templates validate on an email template that lists every answer',
    args: (row) => ['templates', 'validate', row.file('tpl/all.mustache', '---\ntitle: X\nformat: email\nsubject: "S"\n---\n{{#steps}}{{#answers}}{{value}}{{/answers}}{{/steps}}\n')],
    expect: [/all\.mustache:6:11 \{\{#answers\}\}: each step includes internal steps \(churn-signals, /, /1 problem in 1 template/],
  },
  validateCase('an audience that is not customer or internal', mini([['            required: true', '            required: true\n            audience: staff']]), [
    /mini\.yaml:\d+:\d+ phases\[0\]\.steps\[0\]\.fields\[0\]\.audience must be one of customer, internal; got "staff"/,
  ]),
  // languages: a language cs does not speak, input the language reads otherwise, a broken translation
  { name: 'render --lang in a language cs does not speak', args: () => ['render', 'kickoff-recap', 'Acme', '--lang', 'fr'], expect: [/--lang must be one of en, vi; got "fr"/] },
  { name: 'accounts set --lang in a language cs does not speak', args: () => ['accounts', 'set', 'Acme', '--lang', 'vi-x-klingon'], expect: [/--lang must be one of en, vi; got "vi-x-klingon"/] },
  { name: 'accounts set with nothing to set', args: () => ['accounts', 'set', 'Acme'], expect: [/nothing to set: give --lang \(en or vi\)/, /cs accounts set "Công ty Ánh Dương" --lang vi/] },
  importCase('a CSV lang cs does not speak', 'name,owner,playbook,start,lang\nKhách mới,lan,onboarding-30d,2026-11-20,fr_FR\n', [/book\.csv:2: lang must be one of en, vi; got "fr_FR"/]),
  {
    name: 'a translation naming a step its playbook lacks',
    args: (row) => ['playbooks', 'validate', row.file('pb/churn-response.vi.yaml', 'translates: churn-response\nphases:\n  - id: signalz\n    title: Dấu hiệu\n')],
    expect: [/churn-response\.vi\.yaml:3:9 phase "signalz" is not in churn-response; its phases are signals, respond, on-site, churned, postmortem/, /1 problem in 1 file/],
  },
  {
    name: 'a translation holding a key that is not text',
    args: (row) => ['playbooks', 'validate', row.file('pb/churn-response.vi.yaml', 'translates: churn-response\nversion: 2\n')],
    expect: [/churn-response\.vi\.yaml:2:1 "version" is not text a translation may hold; expected title, description, phases/],
  },
  {
    name: 'a translation of another playbook',
    args: (row) => ['playbooks', 'validate', row.file('pb/churn-response.vi.yaml', 'translates: onboarding-30d\ntitle: Sai\n')],
    expect: [/churn-response\.vi\.yaml:1:13 translates must name the playbook "churn-response"; got "onboarding-30d"/],
  },
  { name: 'config set with an unknown key', args: () => ['config', 'set', 'user.mail', 'lan@example.com'], expect: [/unknown config key "user\.mail" \(did you mean "user\.email"\?\)/, /Keys: user\.name, user\.email, user/] },
  { name: 'config set user.email to something not an address', args: () => ['config', 'set', 'user.email', 'Lan'], expect: [/user\.email is not an email address \(e\.g\. lan@example\.com\); got "Lan"/] },

  // --- report, calendar, shift ---
  { name: 'report --since is not a date', args: () => ['report', '--since', 'last week'], expect: [/--since: expected a date \(.*\); got "last week"/] },
  { name: 'report --stuck-days is not a whole number', args: () => ['report', '--stuck-days', '2.5'], expect: [/--stuck-days must be a whole number of days from 1 to 9999; got "2\.5"/] },
  { name: 'report --owner is empty', args: () => ['report', '--owner', ' '], expect: [/--owner needs a name/] },
  {
    name: 'report --html over an existing file without --force',
    args: (row) => ['report', '--html', row.file('report.html', 'mine')],
    expect: [/report\.html already exists; nothing was written/, /Add --force to overwrite it/],
    untouched: (row) => [join(row.dir, 'report.html')],
  },
  { name: 'report --html into a folder that does not exist', args: (row) => ['report', '--html', join(row.dir, 'no', 'r.html')], expect: [/the folder .*no does not exist/], absent: (row) => [join(row.dir, 'no')] },
  {
    name: 'agenda --ics over an existing file without --force',
    args: (row) => ['agenda', '--ics', row.file('agenda.ics', 'mine')],
    expect: [/agenda\.ics already exists; nothing was written/, /Add --force to overwrite it/],
    untouched: (row) => [join(row.dir, 'agenda.ics')],
  },
  { name: 'agenda --ics is a folder', args: (row) => ['agenda', '--ics', row.dir, '--force'], expect: [/cannot write .*: it is a folder/] },
  { name: 'shift: an offset in months', args: () => ['shift', 'Beta', '+1m', '--run', '2'], expect: [/OFFSET must be a non-zero number of days \(d\), weeks \(w\) or business days \(bd\), e\.g\. \+5d, -2d, \+1w, \+5bd; got "\+1m"/] },
  { name: 'shift: two open runs and no --run', args: () => ['shift', 'Beta', '+2d'], expect: [/Beta has 2 open runs; say which with --run/, /Open runs: #2 \(churn-response.*#3 \(onboarding-30d/] },
  { name: 'shift: a finished run only', args: () => ['shift', 'Acme', '+2d'], expect: [/Acme has no open run: there are no due dates to move/] },
  { name: 'shift: --run is not a number', args: () => ['shift', 'Beta', '+2d', '--run', 'two'], expect: [/--run must be a run number, e\.g\. --run 12; got "two"/] },
  { name: 'shift: --from names no step', args: () => ['shift', 'Beta', '+2d', '--run', '3', '--from', 'kickof-call'], expect: [/--from: the playbook onboarding-30d has no step "kickof-call"/, /Its steps: sales-handoff/] },
  { name: 'shift --undo with an offset', args: () => ['shift', '--undo', 'Beta', '+2d'], expect: [/--undo takes no OFFSET/] },
  { name: 'shift: an unknown option is not taken for an offset', args: () => ['shift', 'Beta', '--bogus'], expect: [/unknown option '--bogus'/] },
];

const seed = { db: '', dump: '' };

/** One finished run (Acme, 30 days), two open ones (Beta: #2 churn-response, #3 onboarding-30d), and a foreign SQLite file. */
beforeAll(async () => {
  const box = sandbox();
  expectSuccess(box.run(['onboard', 'start', 'Acme', '--answers', ANSWERS_30D, '--no-input']));
  const csv = writeFiles(tempDir(), { 'book.csv': `${CSV_HEADER}Beta,lan,churn-response,2026-11-20\nBeta,lan,onboarding-30d,2026-11-20\n` });
  expectSuccess(box.run(['accounts', 'import', join(csv, 'book.csv')]));
  expect(existsSync(`${box.db}-wal`), 'the seed is one file once cs has closed it').toBe(false);
  const folder = tempDir('cs-seed-');
  seed.db = join(folder, 'seed.db');
  copyFileSync(box.db, seed.db);
  seed.dump = dumpDb(seed.db);
  const { default: Database } = await import('better-sqlite3');
  const other = new Database(join(folder, 'other.db'));
  other.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Lan')");
  other.close();
}, 60_000);

function hash(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '(missing)';
}

describe('bad input: exit 2, a message that says what to do, no stack trace, the database unchanged', () => {
  it('has at least 40 rows', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((each) => each.name)).size, 'row names are unique').toBe(CASES.length);
  });

  for (const row of CASES) {
    it(row.name, { concurrent: true, fails: row.knownBug !== undefined, timeout: 60_000 }, async () => {
      const box = sandbox();
      const dir = join(box.home, 'files');
      mkdirSync(dir, { recursive: true });
      mkdirSync(dirname(box.db), { recursive: true });
      copyFileSync(seed.db, box.db);
      const context: Row = {
        dir,
        box,
        db: box.db,
        file: (name, content) => {
          writeFiles(dir, { [name]: content });
          return join(dir, name);
        },
      };
      // the row's own folders of playbooks and templates, and the walk-test fixture
      const env = { CS_PLAYBOOKS: `${join(dir, 'pb')}:${join(FIXTURES, 'playbooks')}`, CS_TEMPLATES: join(dir, 'tpl'), ...row.env };
      const undo = row.setup?.(context);
      const args = row.args(context);
      const before = (row.untouched?.(context) ?? []).map((path) => [path, hash(path)]);
      let result;
      try {
        result = await runCs(box, args, { env, timeout: row.maxMs ?? 30_000 });
      } finally {
        undo?.();
      }
      expectRefusal(result, row.expect, row.code ?? 2);
      expectNoLiveControls(result, row.name);
      if (row.maxMs !== undefined) expect(result.ms, 'refused, not hanging').toBeLessThan(row.maxMs);
      expect(dumpDb(box.db), 'the database says exactly what it said before').toBe(seed.dump);
      for (const [path, digest] of before) expect(hash(path!), `${path} keeps its bytes`).toBe(digest);
      for (const path of row.absent?.(context) ?? []) expect(existsSync(path), `${path} was created`).toBe(false);
    });
  }
});
