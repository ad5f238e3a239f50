/**
 * `cs render` and `cs templates` through the built CLI, on a small playbook and templates written
 * for these tests: how values are written, missing values (warning, or --strict), --out, HTML
 * escaping, header injection in eml, and every way to get it wrong (exit 2, never a stack trace).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const PLAYBOOK = `id: render-test
title: Render test
kind: other
version: 1
phases:
  - id: only
    title: The only phase
    steps:
      - id: intake
        title: Intake
        fields:
          - { id: contact, prompt: Contact, type: text, required: true }
          - { id: story, prompt: Story, type: longtext }
          - { id: channels, prompt: Channels, type: multiselect, choices: [email, phone, zalo] }
          - { id: happy, prompt: Happy?, type: confirm }
          - { id: seats, prompt: Seats, type: number }
          - { id: met-on, prompt: Met on, type: date }
          - { id: mood, prompt: Mood, type: select, choices: [calm, very upset] }
          - { id: extra, prompt: Extra, type: text }
          - { id: attendees, prompt: Attendees, type: longtext }
          - { id: agreed, prompt: Agreed, type: longtext }
        produces: t-values
`;

const TEMPLATES: Record<string, string> = {
  't-values.mustache': `---
title: Values
---
Channels: {{answers.intake.channels}}
{{#answers.intake.channels}}
- {{.}}
{{/answers.intake.channels}}
Happy: {{answers.intake.happy}}
Seats: {{answers.intake.seats}}
Met on: {{answers.intake.met-on}}
Story: {{answers.intake.story}}
{{#chosen.intake.mood.very-upset}}Very upset!{{/chosen.intake.mood.very-upset}}
By {{owner}} on {{today}}
`,
  // line 5: a blank inside a section; line 7: a partial that does not exist; sig's line 2 is empty
  't-missing.mustache': `---
title: Missing
---
{{#answers.intake.contact}}
Extra: {{answers.intake.extra}}
{{/answers.intake.contact}}
{{> nosuch}}
{{> sig}}
`,
  'partials/sig.mustache': `Regards,
{{owner.nickname}}
`,
  't-lines.mustache': `---
title: Lines
---
# Minutes

**Attendees:**

{{answers.intake.attendees}}

Agreed: {{answers.intake.agreed}}
`,
  't-mail.mustache': `---
title: Mail
format: email
subject: "About {{answers.intake.story}}"
to: "{{answers.intake.contact}}"
---
Story: {{answers.intake.story}}
`,
  't-broken.mustache': `---
title: Broken
---
{{#answers.intake.contact}}
never closed
`,
};

const STORY = 'Dòng 1 <script>alert("x")</script> & co\nBcc: attacker@evil.example';
const ATTENDEES = 'Chị Hoa (Bình Minh)\nAnh Quang\nTuấn (chúng tôi)';
const AGREED = 'Gọi lại sau 1 tháng\n- Gửi báo giá mới\n- Sửa lỗi tổng đài';
const ANSWERS = JSON.stringify({
  intake: { contact: 'Chị Lan <lan@anhduong.vn>', story: STORY, channels: ['email', 'zalo'], happy: false, seats: 0, 'met-on': '2026-11-20', mood: 'very upset', attendees: ATTENDEES, agreed: AGREED },
});
const ACCOUNT = 'Khách hàng Thử';

let box: Sandbox;
let work: string;

function cs(args: string[], options: Parameters<Sandbox['run']>[1] = {}): CliResult {
  const result = box.run(args, { cwd: work, ...options });
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stdout).not.toMatch(STACK_LINE);
  return result;
}

beforeAll(() => {
  const content = tempDir('cs-render-content-');
  writeFiles(content, { 'playbooks/render-test.yaml': PLAYBOOK, 'answers.json': ANSWERS });
  writeFiles(join(content, 'templates'), TEMPLATES);
  box = sandbox({ playbooks: join(content, 'playbooks'), templates: join(content, 'templates') });
  work = tempDir('cs-render-work-');
  const walked = box.run(['run', 'render-test', ACCOUNT, '--owner', 'Lan', '--answers', join(content, 'answers.json'), '--no-input']);
  if (walked.code !== 0) throw new Error(`walk failed:\n${walked.stdout}\n${walked.stderr}`);
});

describe('values as templates write them', () => {
  it('lists both ways, booleans yes/no, numbers and dates as given, choices as flags', () => {
    const result = cs(['render', 't-values', ACCOUNT]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      // the story's two lines stay two lines in Markdown: a hard break (backslash) between them
      ['Channels: email, zalo', '- email', '- zalo', 'Happy: no', 'Seats: 0', 'Met on: 2026-11-20', `Story: ${STORY.replace('\n', '\\\n')}`, 'Very upset!', 'By Lan on 2026-11-26', ''].join('\n'),
    );
  });

  it('html escapes every answer: a <script> stays text', () => {
    const result = cs(['render', 't-values', ACCOUNT, '--format', 'html']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Story: Dòng 1 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co<br>');
    expect(result.stdout).not.toContain('<script>');
    expect(result.stdout).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Values — Khách hàng Thử<\/title>/);
  });

  it('eml: a newline in an answer never starts a header of its own (the Subject is left out, and said so)', async () => {
    const result = cs(['render', 't-mail', ACCOUNT, '--format', 'eml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: Subject left out of the draft: it holds a control character (U+000A)');
    const headerBlock = result.stdout.split(/\r?\n\r?\n/)[0]!;
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    expect(headerBlock).not.toMatch(/^Subject:/im);
    const mail = await simpleParser(result.stdout);
    expect(mail.subject).toBeUndefined();
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ name: 'Chị Lan', address: 'lan@anhduong.vn' }]);
    expect(mail.bcc).toBeUndefined();
    expect(mail.text).toBe(`Story: ${STORY}\n`);
    expect(mail.html).toContain('&lt;script&gt;');
  });
});

describe('a multi-line answer keeps its lines', () => {
  const md = new MarkdownIt();
  /** The inline tokens of the paragraph that follows the one whose text is `label`. */
  function paragraphAfter(tokens: Token[], label: string): Token[] {
    const at = tokens.findIndex((token) => token.type === 'inline' && token.content === label);
    const next = tokens.slice(at + 1).find((token) => token.type === 'inline')!;
    return next.children!;
  }

  it('md: each line a hard break a Markdown parser sees, list lines a list', () => {
    const result = cs(['render', 't-lines', ACCOUNT]);
    expect(result.code).toBe(0);
    const tokens = md.parse(result.stdout, {});
    const attendees = paragraphAfter(tokens, '**Attendees:**');
    expect(attendees.filter((token) => token.type === 'text').map((token) => token.content)).toEqual(['Chị Hoa (Bình Minh)', 'Anh Quang', 'Tuấn (chúng tôi)']);
    expect(attendees.map((token) => token.type)).toEqual(['text', 'hardbreak', 'text', 'hardbreak', 'text']);
    // a line followed by list items needs no break; the items are a list
    const items = tokens.filter((token) => token.type === 'inline' && tokens[tokens.indexOf(token) - 2]?.type === 'list_item_open').map((token) => token.content);
    expect(items).toEqual(['Gửi báo giá mới', 'Sửa lỗi tổng đài']);
    expect(md.render(result.stdout)).toContain('<p>Agreed: Gọi lại sau 1 tháng</p>\n<ul>');
  });

  it('txt keeps plain lines; html breaks them with <br>', () => {
    const txt = cs(['render', 't-lines', ACCOUNT, '--format', 'txt']);
    expect(txt.stdout).toContain('Attendees:\n\nChị Hoa (Bình Minh)\nAnh Quang\nTuấn (chúng tôi)\n');
    expect(txt.stdout).not.toContain('\\');
    const html = cs(['render', 't-lines', ACCOUNT, '--format', 'html']);
    expect(html.stdout).toContain('<p>Chị Hoa (Bình Minh)<br>\nAnh Quang<br>\nTuấn (chúng tôi)</p>');
    expect(html.stdout).not.toContain('\\');
  });
});

describe('missing values', () => {
  it('are warnings naming the variable, the template and the line; exit 0', () => {
    const result = cs(['render', 't-missing', ACCOUNT]);
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'warning: template t-missing line 5: {{answers.intake.extra}} is empty',
      'warning: template t-missing line 7: partial {{> nosuch}} not found (partials are templates/partials/<name>.mustache)',
      'warning: template t-missing, partial sig, line 2: {{owner.nickname}} is empty (give the run an owner with --owner, or say who you are: cs config set user.name "Your Name")',
    ]);
    expect(result.stdout).toBe('Extra:\nRegards,\n');
  });

  it('are errors under --strict: exit 2 and nothing written', () => {
    const out = join(work, 'strict.md');
    const result = cs(['render', 't-missing', ACCOUNT, '--strict', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cs: 3 values are missing in t-missing; nothing was written (--strict)');
    expect(result.stderr).toContain('  template t-missing line 5: {{answers.intake.extra}} is empty');
    expect(existsSync(out)).toBe(false);
  });
});

describe('--out', () => {
  it('writes the file, refuses to overwrite it without --force, overwrites with it', () => {
    const out = join(work, 'values.md');
    const first = cs(['render', 't-values', ACCOUNT, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Wrote ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('Channels: email, zalo');

    writeFileSync(out, 'kept\n');
    const again = cs(['render', 't-values', ACCOUNT, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`cs: ${out} already exists; nothing was written`);
    expect(again.stderr).toContain('Add --force to overwrite it');
    expect(readFileSync(out, 'utf8')).toBe('kept\n');

    expect(cs(['render', 't-values', ACCOUNT, '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Channels: email, zalo');
  });

  it('picks the format from the extension; leaves no temp file behind', () => {
    mkdirSync(join(work, 'drafts'), { recursive: true });
    const out = join(work, 'drafts', 'mail.eml');
    expect(cs(['render', 't-mail', ACCOUNT, '--out', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^X-Unsent: 1\r\n/);
    expect(readFileSync(out, 'utf8')).toContain('MIME-Version: 1.0');
    expect(readdirSync(join(work, 'drafts'))).toEqual(['mail.eml']);
  });

  it('--out names the format by its extension, aliases included', () => {
    const cases: [string, RegExp][] = [
      ['notes.markdown', /^Channels: email, zalo\n/],
      ['notes.HTM', /^<!DOCTYPE html>/],
      ['notes.text', /^Channels: email, zalo\n/],
    ];
    for (const [name, content] of cases) {
      const out = join(work, name);
      const result = cs(['render', 't-values', ACCOUNT, '--out', out, '--force']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Wrote ${out} (t-values, ${name.endsWith('HTM') ? 'html' : name.endsWith('text') ? 'txt' : 'md'},`);
      expect(readFileSync(out, 'utf8')).toMatch(content);
    }
  });

  it('an extension that names no format: exit 2 listing the formats, nothing written', () => {
    const out = join(work, 'recap.docx');
    const result = cs(['render', 't-values', ACCOUNT, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cs: cannot tell which format to write to ${out}: ".docx" is not the extension of a format cs writes`);
    expect(result.stderr).toContain('Formats: md, txt, html, eml (files .md or .markdown, .txt or .text, .html or .htm, .eml).');
    expect(existsSync(out)).toBe(false);
    // --format does not make a .docx right either
    expect(cs(['render', 't-values', ACCOUNT, '--out', out, '--format', 'md']).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('--format and the extension must agree: exit 2 saying both', () => {
    const out = join(work, 'values.txt');
    const result = cs(['render', 't-values', ACCOUNT, '--out', out, '--format', 'md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cs: --format md and --out ${out} disagree: ".txt" is the extension of txt`);
    expect(result.stderr).toContain(`name the file ${join(work, 'values')}.md`);
    expect(existsSync(out)).toBe(false);
    expect(cs(['render', 't-values', ACCOUNT, '--out', out, '--format', 'txt']).code).toBe(0);
    expect(cs(['render', 't-values', ACCOUNT, '--out', join(work, 'values-no-extension'), '--format', 'html']).code).toBe(0);
    expect(readFileSync(join(work, 'values-no-extension'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('in a folder that does not exist: exit 2 with what to do', () => {
    const result = cs(['render', 't-values', ACCOUNT, '--out', join(work, 'no', 'such', 'x.md')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cs: cannot write ${join(work, 'no', 'such', 'x.md')}: the folder ${join(work, 'no', 'such')} does not exist`);
    expect(result.stderr).toContain('Create it first');
  });
});

describe('bad input: exit 2 and a message, never a stack trace', () => {
  const cases: [string, string[], string][] = [
    ['a path as template id', ['render', '../../etc/passwd', ACCOUNT], 'cs: unknown template "../../etc/passwd"'],
    ['a typo in the template id', ['render', 't-valeus', ACCOUNT], 'cs: unknown template "t-valeus" (did you mean "t-values"?)'],
    ['an unknown account', ['render', 't-values', 'Khách hàng Khác'], 'cs: unknown account "Khách hàng Khác"'],
    ['an unknown format', ['render', 't-values', ACCOUNT, '--format', 'pdf'], 'cs: --format must be one of md, txt, html, eml; got "pdf"'],
    ['a document as eml', ['render', 't-values', ACCOUNT, '--format', 'eml'], 'cs: template t-values is a document, not an email'],
    ['an unknown step', ['render', 't-values', ACCOUNT, '--step', 'intak'], 'has no step "intak" (did you mean "intake"?)'],
    ['an unknown run', ['render', 't-values', ACCOUNT, '--run', '99'], `cs: ${ACCOUNT} has no run #99`],
    ['unbalanced tags', ['render', 't-broken', ACCOUNT], 't-broken.mustache:4:1 section {{#answers.intake.contact}} is never closed; add {{/answers.intake.contact}} where it ends'],
    ['an unknown template to show', ['templates', 'show', 'nope'], 'cs: unknown template "nope"'],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const result = cs(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    });
  }
});

describe('cs templates', () => {
  it('list shows bundled and user templates, and which are broken', () => {
    const result = cs(['templates', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { id: string; source: string; format: string | null; problems: string[] }[];
    expect(listed.map((each) => each.id)).toEqual(expect.arrayContaining(['kickoff-recap', 'churn-postmortem', 't-values', 't-broken']));
    expect(listed.find((each) => each.id === 't-values')).toMatchObject({ source: 'user', format: 'document', problems: [] });
    expect(listed.find((each) => each.id === 't-broken')!.problems[0]).toContain('is never closed');
  });

  it('show gives the front matter, who produces it, and every variable with its lines', () => {
    const result = cs(['templates', 'show', 't-values']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Produced by: render-test › intake');
    expect(result.stdout).toMatch(/answers\.intake\.channels\s+value, if set\s+lines 4, 5\n/);
    expect(result.stdout).toMatch(/chosen\.intake\.mood\.very-upset\s+if set\s+line 12\n/);
    expect(result.stdout).toMatch(/ \.\s+value, inside answers\.intake\.channels\s+line 6\n/);
  });
});
