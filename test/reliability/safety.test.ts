/**
 * What must hold whatever a customer or a CSM types:
 * - the database is created 0600 in a folder 0700 at its default path (and its WAL files 0600), even
 *   under umask 000;
 * - `--format html` escapes `<script>`, quotes and ampersands in every value a template can print:
 *   answers of every type, the account's name and imported fields, the owner, step notes and titles;
 * - a value holding `\r\nBcc: x@y` can never add a header to an `.eml` (read back with mailparser);
 * - a template id (or partial name) with a path in it is an unknown template, never a file read.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { runCs, startCs } from '../support/async-cli.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { expectNoLeak, expectRefusal } from '../support/refusal.js';
import { answersFile, expectSuccess, savedEvents } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

describe('the database file and its folder', () => {
  const walk = ['onboard', 'start', 'Công ty Ánh Dương', '--answers', answersFile('onboarding-30d'), '--no-input'];

  it('are created 0600 and 0700 under $XDG_DATA_HOME/cs, even with umask 000', async () => {
    const box = sandbox();
    const data = join(box.home, 'xdg', 'data');
    expectSuccess(await runCs(box, walk, { env: { CS_DB: undefined, XDG_DATA_HOME: data }, umask: '000' }));
    expect(mode(join(data, 'cs', 'cs.db'))).toBe('0600');
    expect(mode(join(data, 'cs'))).toBe('0700');
    expect(mode(data), 'a missing $XDG_DATA_HOME is created private too').toBe('0700');
  });

  it('are created 0600 and 0700 under ~/.local/share/cs without XDG_DATA_HOME', async () => {
    const box = sandbox();
    expectSuccess(await runCs(box, walk, { env: { CS_DB: undefined, XDG_DATA_HOME: undefined }, umask: '000' }));
    expect(mode(join(box.home, '.local', 'share', 'cs', 'cs.db'))).toBe('0600');
    expect(mode(join(box.home, '.local', 'share', 'cs'))).toBe('0700');
  });

  it('has its -wal and -shm files 0600 while a walk writes (seen after a kill -9 mid-walk)', async () => {
    const box = sandbox();
    const data = join(box.home, 'xdg', 'data');
    // killed at its first commit; on a very loaded machine the walk may still end first: try again
    let result;
    for (let attempt = 0; attempt < 3 && result?.signal !== 'SIGKILL'; attempt += 1) {
      result = await startCs(box, walk, {
        env: { CS_DB: undefined, XDG_DATA_HOME: data, CS_TRACE: 'commits' },
        umask: '000',
        onStderrLine: (line, child) => void (line.startsWith('saved ') && child.kill('SIGKILL')),
      }).result;
      if (result.signal !== 'SIGKILL') expectSuccess(result);
    }
    expect(result!.signal, 'killed mid-walk, so the WAL files are still there').toBe('SIGKILL');
    expect(savedEvents(result!.stderr).length).toBeGreaterThan(0);
    for (const file of ['cs.db', 'cs.db-wal', 'cs.db-shm']) expect(mode(join(data, 'cs', file)), file).toBe('0600');
  });
});

/** A playbook whose titles and choices hold markup, and templates that print every value. */
const PLAYBOOK = onePhasePlaybook({
  id: 'safety',
  title: '"Safety <b>playbook</b>"',
  phaseTitle: '"Phase <i>one</i>"',
  steps: `
      - id: s
        title: "Step <u>s</u> & co"
        checklist: ["Item <em>1</em>"]
        fields:
          - { id: text, prompt: "Text <q>", type: text }
          - { id: long, prompt: Long, type: longtext }
          - { id: pick, prompt: Pick, type: select, choices: ["<b>bold</b>", "a \\"quoted\\" 'one'"] }
          - { id: many, prompt: Many, type: multiselect, choices: ["<script>alert(1)</script>", "&amp;"] }
          - { id: seats, prompt: Seats, type: number }
          - { id: when, prompt: When, type: date }
          - { id: ok, prompt: OK, type: confirm }
          - { id: link, prompt: Link, type: text }
          - { id: subject, prompt: Subject, type: text }
          - { id: to, prompt: To, type: longtext }
`,
});

const TEMPLATES: Record<string, string> = {
  'safety-doc.mustache': `---
title: "Safety {{account.name}}"
---
# {{account.name}} ({{owner}})

Imported: {{account.notes}}

Text: {{answers.s.text}}

Long, triple: {{{answers.s.long}}}

Pick, ampersand: {{& answers.s.pick}}

Many: {{answers.s.many}}
{{#answers.s.many}}
- {{.}}
{{/answers.s.many}}

Link: {{answers.s.link}}

{{#steps}}
## {{title}} ({{phase}})

Note: **{{note}}**
{{#answers}}
- {{prompt}}: {{value}}
{{/answers}}
{{/steps}}
`,
  'safety-mail.mustache': `---
title: Safety mail
format: email
subject: "{{answers.s.subject}} — {{account.name}}"
to: "{{answers.s.to}}"
---
Hello {{account.name}},

{{answers.s.long}}

{{owner}}
`,
};

const ACCOUNT = 'Khách <script>alert("tên")</script> & \'Co\'';
const OWNER = 'Lan <i>"CSM"</i> & co';
/** For the .eml: a second account whose owner holds a line break and a header (if cs accepts it). */
const MAIL_ACCOUNT = 'Khách thư';
const MAIL_OWNER = 'Lan\r\nBcc: evil4@attacker.example';
const ANSWERS = {
  s: {
    text: '<img src=x onerror=alert(1)> "double" \'single\'',
    long: '<script>alert("long")</script>\r\n\r\nBcc: evil3@attacker.example\r\n**<b>bold</b>**',
    pick: '<b>bold</b>',
    many: ['<script>alert(1)</script>', '&amp;'],
    seats: 12,
    when: '2026-12-01',
    ok: true,
    link: 'https://example.com/"onmouseover="alert(1)',
    subject: 'Chào\r\nBcc: evil1@attacker.example\r\nX-Injected: 1',
    to: 'Chị Lan <lan@khach.example>\r\nBcc: evil2@attacker.example',
    _note: '</p><script>alert("note")</script>',
    _checklist: true,
  },
};

/** The tags cs's own HTML uses; anything else in the output came from a value. */
const OWN_TAGS = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'br', 'strong', 'a', 'blockquote', 'hr']);

/** No tag, attribute or event handler in `html` that cs did not put there itself. */
function expectOnlyOwnMarkup(html: string): void {
  const tags = [...html.matchAll(/<\/?([!a-z][a-z0-9]*)([^>]*)>/gi)];
  expect(tags.length, 'some HTML to look at').toBeGreaterThan(5);
  const foreign = tags.filter(([, name]) => !OWN_TAGS.has(name!.toLowerCase())).map(([tag]) => tag);
  expect(foreign, 'tags that came from a value').toStrictEqual([]);
  for (const [tag, name, attributes] of tags.filter(([tag]) => !tag.startsWith('</'))) {
    if (name!.toLowerCase() === 'a') expect(tag, 'a link has one attribute, its href, closed').toMatch(/^<a href="[^"<>]*">$/);
    else if (!['meta', '!doctype'].includes(name!.toLowerCase())) expect(attributes!.trim(), `${tag} has no attributes`).toBe('');
  }
  expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
}

describe('values in documents', () => {
  let box: Sandbox;
  let folder: string;

  beforeAll(async () => {
    folder = writeFiles(tempDir(), {
      'playbooks/safety.yaml': PLAYBOOK,
      ...Object.fromEntries(Object.entries(TEMPLATES).map(([name, text]) => [`templates/${name}`, text])),
      'answers.json': JSON.stringify(ANSWERS),
      // an imported account: its extra column becomes account.notes
      'book.csv': `name,owner,playbook,start,notes\n"${ACCOUNT.replace(/"/g, '""')}","${OWNER.replace(/"/g, '""')}",safety,2026-11-20,"<iframe src=//evil> ""x"""\n`,
    });
    box = sandbox({ playbooks: join(folder, 'playbooks'), templates: join(folder, 'templates') });
    expectSuccess(await runCs(box, ['accounts', 'import', join(folder, 'book.csv')]));
    expectSuccess(await runCs(box, ['resume', ACCOUNT, '--answers', join(folder, 'answers.json'), '--no-input']));
  }, 60_000);

  it('--format html escapes <script>, quotes and & in every value (answers, account, owner, notes, titles, links)', async () => {
    const result = await runCs(box, ['render', 'safety-doc', ACCOUNT, '--format', 'html']);
    expectSuccess(result);
    const html = result.stdout;
    expectOnlyOwnMarkup(html);
    for (const escaped of [
      'Khách &lt;script&gt;alert(&quot;tên&quot;)&lt;/script&gt; &amp; &#39;Co&#39;', // account, title and heading
      'Lan &lt;i&gt;&quot;CSM&quot;&lt;/i&gt; &amp; co', // owner
      '&lt;iframe src=//evil&gt; &quot;x&quot;', // imported field
      '&lt;img src=x onerror=alert(1)&gt; &quot;double&quot; &#39;single&#39;', // text
      '&lt;script&gt;alert(&quot;long&quot;)&lt;/script&gt;', // longtext through {{{ }}}
      '&lt;b&gt;bold&lt;/b&gt;', // select through {{& }}
      '&lt;script&gt;alert(1)&lt;/script&gt;, &amp;amp;', // multiselect
      '&lt;/p&gt;&lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt;', // note
      'Step &lt;u&gt;s&lt;/u&gt; &amp; co (Phase &lt;i&gt;one&lt;/i&gt;)', // titles from the playbook
      '<a href="https://example.com/&quot;onmouseover=&quot;alert(1">', // a link stays one attribute (a closing parenthesis ends it)
    ]) {
      expect(html).toContain(escaped);
    }
  });

  it('an .eml gains no header from a value holding \\r\\nBcc: (subject, recipients, body, owner, CS_FROM)', async () => {
    const started = await runCs(box, ['run', 'safety', MAIL_ACCOUNT, '--owner', MAIL_OWNER, '--answers', join(folder, 'answers.json'), '--no-input']);
    // an owner with a line break may be refused (exit 2); if it is accepted, it must not reach a header
    if (started.code !== 0) expectRefusal(started, [/owner .*control characters/]);
    const accounts = started.code === 0 ? [ACCOUNT, MAIL_ACCOUNT] : [ACCOUNT];
    for (const account of accounts) {
      for (const from of [undefined, 'Tuấn <tuan@cs.example>\r\nBcc: evil5@attacker.example', 'Evil\r\nBcc: x <tuan@cs.example>']) {
        const label = `${account}, CS_FROM=${JSON.stringify(from)}`;
        const result = await runCs(box, ['render', 'safety-mail', account, '--format', 'eml'], { env: { CS_FROM: from } });
        expectSuccess(result, label);
        const raw = result.stdout;
        const headerBlock = raw.slice(0, raw.search(/\r?\n\r?\n/));
        for (const line of headerBlock.split(/\r?\n/)) {
          expect(line, `${label}: a header line of cs's own, or a folded continuation`).toMatch(/^(X-Unsent|From|To|Subject|Message-ID|Date|MIME-Version|Content-Type): |^[ \t]/);
        }
        expect(headerBlock, label).not.toMatch(/^(bcc|cc|x-injected):/im);
        const mail = await simpleParser(raw);
        expect(mail.bcc, label).toBeUndefined();
        expect(mail.cc, label).toBeUndefined();
        const own = ['x-unsent', 'from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type'];
        expect([...mail.headers.keys()].filter((key) => !own.includes(key)), label).toStrictEqual([]);
        // a value holding a line break is left out of its header whole, and a warning names the header
        expect(mail.subject, label).toBeUndefined();
        expect(mail.to, label).toBeUndefined();
        expect(result.stderr, label).toMatch(/warning: Subject left out of the draft: it holds a control character \(U\+000D\)/);
        expect(result.stderr, label).toMatch(/warning: To \(every recipient\) left out of the draft: line 1 holds a control character \(U\+000D\)/);
        if (from !== undefined) expect(result.stderr, label).toMatch(/warning: From \(CS_FROM\) left out of the draft: /);
        const fromAddresses = mail.from?.value.map((each) => each.address) ?? [];
        expect(fromAddresses.filter((address) => address !== 'tuan@cs.example'), `${label}: From holds at most the one address given`).toStrictEqual([]);
        expectOnlyOwnMarkup(typeof mail.html === 'string' ? mail.html : '');
        expect(mail.text, label).toContain('Bcc: evil3@attacker.example'); // the body keeps it, as text
      }
    }
  });
});

describe('template ids with a path in them', () => {
  const SECRET = 'SECRET-TOKEN-7f3a';
  let box: Sandbox;
  let folder: string;

  beforeAll(async () => {
    folder = writeFiles(tempDir(), {
      'secret.mustache': `---\ntitle: Secret\n---\n${SECRET}\n`,
      'partials/secret.mustache': SECRET,
      'user/templates/leak.mustache': `---\ntitle: Leak\n---\nA{{> ../secret}}B{{> ../../secret}}C{{> /etc/passwd}}D\n`,
      'user/templates/partials/.keep': '',
    });
    box = sandbox({ templates: join(folder, 'user', 'templates') });
    expectSuccess(await runCs(box, ['onboard', 'start', 'Acme', '--answers', answersFile('onboarding-30d'), '--no-input']));
  }, 60_000);

  const IDS = [
    '../../etc/passwd',
    '/etc/passwd',
    '../secret',
    '../../secret',
    '../templates/kickoff-recap',
    'kickoff-recap/../kickoff-recap',
    './kickoff-recap',
    'partials/signature',
    '..',
    'kickoff-recap.mustache',
    '..\\..\\etc\\passwd',
    `${ROOT}/templates/kickoff-recap`,
  ];

  it(`are unknown templates for render and templates show (${IDS.length} ids)`, async () => {
    for (const id of IDS) {
      for (const args of [['render', id, 'Acme'], ['templates', 'show', id]]) {
        const result = await runCs(box, args);
        expectRefusal(result, [/unknown template/, /Templates found: .*kickoff-recap/]);
        expect(`${result.stdout}${result.stderr}`).not.toMatch(new RegExp(`${SECRET}|root:x?:0:0`));
      }
    }
  });

  it('a partial name with a path in it includes nothing', async () => {
    const result = await runCs(box, ['render', 'leak', 'Acme']);
    expectNoLeak(result);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(new RegExp(`${SECRET}|root:x?:0:0`));
    expect(result.stdout).toContain('ABCD');
  });
});
