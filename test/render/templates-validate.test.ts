/**
 * `cs templates validate` and `cs render` on an email template that uses an internal answer,
 * through the built CLI: every problem at file:line:col naming the field, exit 2, nothing written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const PLAYBOOK = `id: leak-test
title: Leak test
kind: other
version: 1
phases:
  - id: only
    title: The only phase
    steps:
      - id: handoff
        title: Handoff from Sales
        audience: internal
        fields:
          - { id: politics, prompt: Politics, type: longtext }
      - id: call
        title: Call
        fields:
          - { id: summary, prompt: Summary, type: longtext, required: true }
          - { id: why-bought, prompt: Why did they buy?, type: longtext, audience: internal }
        produces: leak-mail
`;

const LEAK = `---
title: Leaking mail
format: email
subject: "Recap"
---
Summary: {{answers.call.summary}}

You chose us because {{answers.call.why-bought}}.
{{#answers.call}}
{{> details}}
{{/answers.call}}
`;

const CLEAN = `---
title: Clean mail
format: email
subject: "Recap"
---
Summary: {{answers.call.summary}}
{{> nosuch}}
`;

let box: Sandbox;
let content: string;
const ACCOUNT = 'Công ty Rò Rỉ';

function cs(args: string[]): CliResult {
  const result = box.run(args);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result;
}

beforeAll(() => {
  content = tempDir('cs-leak-');
  writeFiles(content, {
    'playbooks/leak-test.yaml': PLAYBOOK,
    'templates/leak-mail.mustache': LEAK,
    'templates/partials/details.mustache': 'Why again: {{why-bought}}\nPolitics: {{answers.handoff.politics}}\n',
    'answers.yaml': 'handoff: { politics: "Ông Bảo và chị Ánh bất đồng" }\ncall: { summary: Tốt, why-bought: "Rẻ hơn nhà cung cấp cũ" }\n',
    'loose/clean-mail.mustache': CLEAN,
    'loose/leak-mail.mustache': LEAK,
    'loose/partials/details.mustache': 'Nothing internal here: {{summary}}\n',
    'loose/broken-partial.mustache': '---\ntitle: B\n---\n{{> unclosed}}\n',
    'loose/partials/unclosed.mustache': 'Line one\n{{#answers.call}}never closed\n',
  });
  box = sandbox({ playbooks: join(content, 'playbooks'), templates: join(content, 'templates') });
  const walked = box.run(['run', 'leak-test', ACCOUNT, '--answers', join(content, 'answers.yaml'), '--no-input']);
  if (walked.code !== 0) throw new Error(`walk failed:\n${walked.stdout}\n${walked.stderr}`);
});

const mail = () => join(content, 'templates', 'leak-mail.mustache');
const details = () => join(content, 'templates', 'partials', 'details.mustache');

describe('cs templates validate', () => {
  it('every internal answer an email uses, at file:line:col, naming the field; exit 2', () => {
    const result = cs(['templates', 'validate']);
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n');
    expect(lines).toContain(
      `${mail()}:8:22 {{answers.call.why-bought}}: call.why-bought is internal (audience: internal in leak-test): a format: email template goes to the customer and must not use it`,
    );
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${details()}:1:12 \\{\\{why-bought\\}\\}: call\\.why-bought is internal`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${details()}:2:11 \\{\\{answers\\.handoff\\.politics\\}\\}: step handoff is internal`)));
    expect(result.stderr).toContain('cs: 3 problems in 1 template');
    // the bundled templates are checked too, and pass
    expect(result.stdout).toMatch(/✓ .*kickoff-recap\.mustache\n/);
  });

  it('FILE…: only those, with their own partials/ folder; a missing partial is a problem too', () => {
    const clean = join(content, 'loose', 'clean-mail.mustache');
    const result = cs(['templates', 'validate', clean, join(content, 'loose', 'leak-mail.mustache')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${clean}:7:1 partial {{> nosuch}} not found`);
    expect(result.stderr).toContain(`${join(content, 'loose', 'leak-mail.mustache')}:8:22 {{answers.call.why-bought}}: call.why-bought is internal`);
    // the loose folder's own details partial is used: it says nothing internal
    expect(result.stderr).not.toContain('details.mustache');
    expect(result.stderr).toContain('cs: 2 problems in 2 templates');
  });

  it('a broken partial is reported at its own line', () => {
    const result = cs(['templates', 'validate', join(content, 'loose', 'broken-partial.mustache')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(content, 'loose', 'partials', 'unclosed.mustache')}:2:1 section {{#answers.call}} is never closed`);
    expect(result.stderr).toContain('cs: 1 problem in 1 template');
  });

  it('passes (exit 0) when nothing is wrong', () => {
    const result = cs(['templates', 'validate', join(process.cwd(), 'templates', 'kickoff-recap.mustache')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✓ .*kickoff-recap\.mustache\n1 template valid\.\n$/);
  });
});

describe('cs playbooks validate', () => {
  it('warns when a playbook marks internal what an email template uses (render refuses it)', () => {
    const result = cs(['playbooks', 'validate']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: ${mail()}:8:22 {{answers.call.why-bought}}: call.why-bought is internal (audience: internal in leak-test)`);
    expect(result.stderr).toContain('(cs render will refuse it; see cs templates validate)');
  });
});

describe('cs playbooks show', () => {
  it('marks what is internal', () => {
    const shown = cs(['playbooks', 'show', 'leak-test']).stdout;
    expect(shown).toMatch(/Handoff from Sales \[handoff\].*, internal\n/);
    expect(shown).toContain('? Why did they buy? (why-bought: longtext, internal)');
    expect(shown).toContain('? Summary (summary: longtext, required)\n');
  });
});

describe('cs render', () => {
  it('refuses an email that uses an internal answer: exit 2, the template line and the field, nothing written', () => {
    const out = join(tempDir(), 'mail.eml');
    const result = cs(['render', 'leak-mail', ACCOUNT, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cs: ');
    expect(result.stderr).toContain(`${mail()}:8:22 {{answers.call.why-bought}}: call.why-bought is internal`);
    expect(result.stderr).toContain('Nothing was written.');
    expect(result.stdout).not.toContain('Rẻ hơn nhà cung cấp cũ');
    expect(existsSync(out)).toBe(false);
    // to the screen as well: the internal answer never shows
    const shown = cs(['render', 'leak-mail', ACCOUNT, '--format', 'md']);
    expect(shown.code).toBe(2);
    expect(shown.stdout).toBe('');
  });

  it('a run started before the field was marked internal is checked against the playbook as it is now', () => {
    const folder = tempDir('cs-leak-old-');
    const unmarked = PLAYBOOK.replace(', audience: internal }', ' }');
    writeFiles(folder, { 'playbooks/leak-test.yaml': unmarked, 'answers.yaml': 'handoff: { politics: x }\ncall: { summary: Tốt, why-bought: "Rẻ hơn" }\n' });
    const old = sandbox({ playbooks: join(folder, 'playbooks'), templates: join(content, 'templates') });
    expect(old.run(['run', 'leak-test', ACCOUNT, '--answers', join(folder, 'answers.yaml'), '--no-input']).code).toBe(0);
    const sectionFree = join(folder, 'templates');
    writeFiles(sectionFree, { 'leak-mail.mustache': '---\ntitle: M\nformat: email\nsubject: "S"\n---\n{{answers.call.why-bought}}\n' });
    const again = sandbox({ playbooks: join(folder, 'playbooks'), templates: sectionFree });
    Object.assign(again.env, { CS_DB: old.db });
    expect(again.run(['render', 'leak-mail', ACCOUNT]).code).toBe(0); // not marked: fine
    writeFiles(folder, { 'playbooks/leak-test.yaml': PLAYBOOK }); // now it is, in the same version
    const refused = again.run(['render', 'leak-mail', ACCOUNT]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('{{answers.call.why-bought}}: call.why-bought is internal (audience: internal in leak-test)');
  });
});
