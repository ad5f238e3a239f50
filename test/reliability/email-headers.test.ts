/**
 * Values bound for an email header, as a hostile or unlucky user gives them: every draft cs writes
 * is read back by Python's `email` package (policy.default, as a modern mail client reads it), and
 * its To, Cc, Bcc, Subject and From must be exactly what the row expects. A value that holds a line
 * break or another control is left out of its header whole, with a warning naming the header
 * (exit 0), or refused under --strict (exit 2, nothing written). No row may ever produce a Bcc or
 * Cc header, or a recipient the user did not mean.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { dumpDb } from '../support/db.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { expectNoLeak, expectRefusal } from '../support/refusal.js';
import { expectSuccess } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const PLAYBOOK = onePhasePlaybook({
  id: 'mail-test',
  title: 'Mail test',
  steps: `
      - id: s
        title: Recipients
        fields:
          - { id: to, prompt: To, type: longtext }
          - { id: subject, prompt: Subject, type: text }
`,
});

const TEMPLATE = `---
title: Mail
format: email
subject: "{{answers.s.subject}}"
to: "{{answers.s.to}}"
---
Hello,
`;

/** Reads a .eml as a mail client does and prints its headers as JSON. */
const READ_EML = `
import email, email.policy, json, sys
message = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
def addresses(name):
    header = message[name]
    return None if header is None else [[a.display_name, a.addr_spec] for a in header.addresses]
print(json.dumps({
    'keys': [key.lower() for key in message.keys()],
    'to': addresses('To'), 'cc': addresses('Cc'), 'bcc': addresses('Bcc'), 'from': addresses('From'),
    'subject': None if message['Subject'] is None else str(message['Subject']),
    'defects': [type(defect).__name__ for defect in message.defects],
}))
`;

interface Headers {
  keys: string[];
  to: [string, string][] | null;
  cc: unknown;
  bcc: unknown;
  from: [string, string][] | null;
  subject: string | null;
  defects: string[];
}

function readEml(path: string): Headers {
  const python = spawnSync('python3', ['-c', READ_EML, path], { encoding: 'utf8' });
  if (python.status !== 0) throw new Error(`python3 could not read ${path}: ${python.stderr}`);
  return JSON.parse(python.stdout) as Headers;
}

interface Row {
  name: string;
  to?: string;
  subject?: string;
  from?: string;
  /** The headers Python must find. */
  expect: { to?: [string, string][] | null; subject?: string | null; from?: [string, string][] | null };
  /** On stderr (warnings, notes). */
  says?: RegExp[];
}

const SUBJECT = 'Recap — Ánh Dương';
const LAN: [string, string] = ['Lan', 'lan@example.com'];

const ROWS: Row[] = [
  // --- To: injection ---
  { name: 'To: "Lan\\r\\nBcc: evil@x" <lan@…> (CR LF inside a quoted name)', to: '"Lan\r\nBcc: evil@x" <lan@example.com>', expect: { to: null }, says: [/warning: To \(every recipient\) left out of the draft: line 1 holds a control character \(U\+000D\): "\\"Lan\\r"; line 2: quotes or angle brackets do not pair up/] },
  { name: 'To: "Lan\\nBcc: evil@x" <lan@…> (LF only)', to: '"Lan\nBcc: evil@x" <lan@example.com>', expect: { to: null }, says: [/warning: To \(every recipient\) left out of the draft: line 1: quotes or angle brackets do not pair up: "\\"Lan"/] },
  { name: 'To: a U+2028 before Bcc', to: 'Lan <lan@example.com>\u2028Bcc: evil@x', expect: { to: null }, says: [/warning: To \(every recipient\) left out of the draft: it holds a control character \(U\+2028\): "Lan <lan@example\.com>\\u2028Bcc: evil@x"/] },
  { name: 'To: a U+2029', to: 'Lan <lan@example.com>\u2029', expect: { to: null }, says: [/\(U\+2029\)/] },
  { name: 'To: a U+0085 (NEL)', to: 'Lan\u0085Bcc: evil@x <lan@example.com>', expect: { to: null }, says: [/\(U\+0085\)/] },
  { name: 'To: a lone CR', to: 'Lan <lan@example.com>\rBcc: evil@x', expect: { to: null }, says: [/\(U\+000D\)/] },
  { name: 'To: ESC and a bidi override', to: 'Lan\u001b[31m <lan@example.com>, \u202eMinh <minh@example.com>', expect: { to: null }, says: [/\(U\+001B\)/] },
  { name: 'To: a line that is a header', to: 'Lan <lan@example.com>\nBcc: evil@x', expect: { to: null }, says: [/warning: To \(every recipient\) left out of the draft: "Bcc: evil@x" reads as a header or a group \("Bcc:"\), not as addresses/] },
  // --- To: several addresses ---
  { name: 'To: two mailboxes with no separator both become recipients', to: 'Lan <lan@example.com> Minh <minh@example.com>', expect: { to: [LAN, ['Minh', 'minh@example.com']] } },
  {
    name: 'To: commas, semicolons and line breaks all separate',
    to: 'Lan <lan@example.com>, Minh <minh@example.com>; "Võ, Ánh" <anh@example.com>\nTuấn <tuan@example.com>\n\nhoa@example.com',
    expect: { to: [LAN, ['Minh', 'minh@example.com'], ['Võ, Ánh', 'anh@example.com'], ['Tuấn', 'tuan@example.com'], ['', 'hoa@example.com']] },
  },
  { name: 'To: a name with no address is reported', to: 'Lan <lan@example.com>\nanh Minh', expect: { to: [LAN] }, says: [/note: no email address for anh Minh: add it in your mail client/] },
  { name: 'To: bare addresses with only a space between are reported, never one kept silently', to: 'lan@example.com minh@example.com', expect: { to: null }, says: [/warning: To: cannot tell these addresses apart: minh@example\.com <lan@example\.com>/] },
  { name: 'To: a literal encoded word in a display name stays literal', to: '"=?utf-8?q?Lan=0D=0ABcc:_evil@x?=" <lan@example.com>', expect: { to: [['=?utf-8?q?Lan=0D=0ABcc:_evil@x?=', 'lan@example.com']] } },
  {
    name: 'To: long Vietnamese names read back whole (no space inside a word where an encoded word was split)',
    to: 'Chị Trần Thu Hà <ha.tran@example.vn>, anh Phạm Quốc Bảo <bao.pham@example.vn>, Bà Nguyễn Ngọc Phương Thảo Kế Toán Trưởng <thao@example.vn>',
    expect: { to: [['Chị Trần Thu Hà', 'ha.tran@example.vn'], ['anh Phạm Quốc Bảo', 'bao.pham@example.vn'], ['Bà Nguyễn Ngọc Phương Thảo Kế Toán Trưởng', 'thao@example.vn']] },
  },
  { name: 'To: a tab is a space', to: 'Chị\tLan <lan@example.com>', expect: { to: [['Chị Lan', 'lan@example.com']] } },
  // --- Subject ---
  { name: 'Subject: a literal encoded word stays literal text', subject: '=?utf-8?q?Hi=0D=0ABcc:_evil@x?=', expect: { subject: '=?utf-8?q?Hi=0D=0ABcc:_evil@x?=' } },
  { name: 'Subject: a literal encoded word among Vietnamese', subject: 'Chào =?UTF-8?B?SGk=?= anh', expect: { subject: 'Chào =?UTF-8?B?SGk=?= anh' } },
  { name: 'Subject: CR LF and a header', subject: 'Chào\r\nBcc: evil@x', expect: { subject: null }, says: [/warning: Subject left out of the draft: it holds a control character \(U\+000D\): "Chào\\r\\nBcc: evil@x"/] },
  { name: 'Subject: U+2028', subject: 'Chào\u2028Bcc: evil@x', expect: { subject: null }, says: [/Subject left out of the draft: it holds a control character \(U\+2028\)/] },
  { name: 'Subject: an ESC sequence', subject: 'Chào \u001b]0;pwned\u0007', expect: { subject: null }, says: [/Subject left out of the draft: it holds a control character \(U\+001B\)/] },
  // --- From (CS_FROM) ---
  { name: 'From: CS_FROM as Name <address>', from: 'Nguyễn Thị Lan <lan@cs.example>', expect: { from: [['Nguyễn Thị Lan', 'lan@cs.example']] } },
  { name: 'From: CS_FROM with a literal encoded word in its name', from: '"=?utf-8?q?Evil=0D=0ABcc:_x@y?=" <lan@cs.example>', expect: { from: [['=?utf-8?q?Evil=0D=0ABcc:_x@y?=', 'lan@cs.example']] } },
  { name: 'From: CS_FROM with CR LF and a header', from: 'Tuấn <tuan@cs.example>\r\nBcc: evil@x', expect: { from: null }, says: [/warning: From \(CS_FROM\) left out of the draft: it holds a control character \(U\+000D\)/] },
  { name: 'From: CS_FROM "Evil\\r\\nBcc: x" <tuan@…>', from: '"Evil\r\nBcc: x" <tuan@cs.example>', expect: { from: null }, says: [/From \(CS_FROM\) left out of the draft: .*\(U\+000D\)/] },
  { name: 'From: CS_FROM with two addresses', from: 'a@cs.example, b@cs.example', expect: { from: null }, says: [/warning: From \(CS_FROM\) left out of the draft: expected one address, as "Name <address>"; got "a@cs\.example, b@cs\.example"/] },
  { name: 'From: CS_FROM with two mailboxes run together', from: 'Lan <lan@cs.example> Minh <minh@cs.example>', expect: { from: null }, says: [/From \(CS_FROM\) left out of the draft: expected one address/] },
  { name: 'From: CS_FROM with a U+2028', from: 'Lan <lan@cs.example>\u2028Bcc: evil@x', expect: { from: null }, says: [/From \(CS_FROM\) left out of the draft: .*\(U\+2028\)/] },
];

let box: Sandbox;
let folder: string;

beforeAll(async () => {
  folder = writeFiles(tempDir('cs-mail-'), { 'playbooks/mail-test.yaml': PLAYBOOK, 'templates/mail.mustache': TEMPLATE });
  box = sandbox({ playbooks: join(folder, 'playbooks'), templates: join(folder, 'templates') });
  for (const [index, row] of ROWS.entries()) {
    const answers = join(folder, `answers-${index}.json`);
    writeFiles(folder, { [`answers-${index}.json`]: JSON.stringify({ s: { to: row.to ?? 'Lan <lan@example.com>', subject: row.subject ?? SUBJECT } }) });
    expectSuccess(await runCs(box, ['run', 'mail-test', `Case ${index}`, '--answers', answers, '--no-input']));
  }
}, 120_000);

describe('email headers: each value parsed by Python exactly as expected, never a Bcc', () => {
  ROWS.forEach((row, index) => {
    it(row.name, { concurrent: true, timeout: 30_000 }, async () => {
      const out = join(folder, `case-${index}.eml`);
      const env = { CS_FROM: row.from };
      const result = await runCs(box, ['render', 'mail', `Case ${index}`, '--out', out], { env });
      expectSuccess(result);
      expectNoLeak(result);
      const headers = readEml(out);
      expect(headers.bcc, 'no Bcc header').toBeNull();
      expect(headers.cc, 'no Cc header').toBeNull();
      expect(headers.keys.filter((key) => !['from', 'to', 'subject', 'x-unsent', 'message-id', 'date', 'mime-version', 'content-type'].includes(key))).toEqual([]);
      expect(headers.defects).toEqual([]);
      expect(headers.to).toEqual(row.expect.to === undefined ? [LAN] : row.expect.to);
      expect(headers.subject).toBe(row.expect.subject === undefined ? SUBJECT : row.expect.subject);
      expect(headers.from).toEqual(row.expect.from === undefined ? null : row.expect.from);
      for (const message of row.says ?? []) expect(result.stderr).toMatch(message);
      // a header left out (null) is said so in a warning; otherwise there is none
      if (!Object.values(row.expect).includes(null)) expect(result.stderr).not.toMatch(/warning/);
      expect(result.stderr, 'no control byte reaches the terminal').not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/u);
    });
  });

  it('--strict refuses a draft with a refused header value: exit 2, the header named, nothing written, the database unchanged', async () => {
    const hostile = ROWS.findIndex((row) => row.to?.startsWith('"Lan\r\n'));
    const out = join(folder, 'strict.eml');
    const before = dumpDb(box.db);
    const result = await runCs(box, ['render', 'mail', `Case ${hostile}`, '--out', out, '--strict']);
    expectRefusal(result, [/1 header value was refused in mail; nothing was written \(--strict\)/, /To \(every recipient\) left out of the draft: line 1 holds a control character \(U\+000D\)/]);
    expect(existsSync(out)).toBe(false);
    expect(dumpDb(box.db)).toBe(before);
    const from = await runCs(box, ['render', 'mail', 'Case 0', '--out', out, '--strict'], { env: { CS_FROM: 'a@cs.example\nBcc: evil@x' } });
    expectRefusal(from, [/header values were refused/, /From \(CS_FROM\) left out of the draft: it holds a control character \(U\+000A\)/]);
    expect(existsSync(out)).toBe(false);
  });

  it('the draft of a clean answer is unchanged by all this (To, Subject, From as typed)', async () => {
    const out = join(folder, 'clean.eml');
    const result = await runCs(box, ['render', 'mail', 'Case 8', '--out', out], { env: { CS_FROM: 'Lan <lan@cs.example>' } });
    expectSuccess(result);
    expect(readFileSync(out, 'utf8')).toMatch(/^To: Lan <lan@example\.com>, Minh <minh@example\.com>$/m);
  });
});
