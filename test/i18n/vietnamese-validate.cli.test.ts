/**
 * What `cs templates validate`, `cs templates list` and `cs playbooks validate` find in a file —
 * front matter, Mustache, YAML, a translation against its playbook, a CSV book's start dates —
 * said in Vietnamese under CS_LANG=vi (built CLI), each at its line:col, with no English sentence
 * of the catalogue left; and the template titles of `templates list` / `show` in Vietnamese.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import type { Message, MessageKey } from '../../src/i18n/en.js';
import { vi } from '../../src/i18n/vi.js';
import { sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const VI = { CS_LANG: 'vi' };

/**
 * The English words of these messages between their placeholders, long enough to be a sentence's,
 * and not words the Vietnamese message keeps too (front matter, partial, produced.*…).
 */
function englishOf(prefixes: string[]): string[] {
  const textsOf = (message: Message | undefined) => (message === undefined ? [] : typeof message === 'string' ? [message] : [message.one ?? '', message.other]);
  const found = Object.entries(en as Record<MessageKey, Message>)
    .filter(([key]) => prefixes.some((prefix) => key.startsWith(prefix)))
    .flatMap(([key, message]) => {
      const vietnamese = textsOf((vi as Record<string, Message>)[key]).join('\n');
      return textsOf(message)
        .flatMap((text) => text.split(/\{\w+\}/))
        .map((part) => part.trim())
        .filter((part) => part.length >= 12 && /[a-z]{3} [a-z]{2}/.test(part) && !vietnamese.includes(part));
    });
  return [...new Set(found)];
}

function expectNoEnglish(output: string, prefixes: string[]): void {
  expect(englishOf(prefixes).length).toBeGreaterThan(0);
  for (const english of englishOf(prefixes)) expect(output, english).not.toContain(english);
}

function folderOf(files: Record<string, string>): string {
  const folder = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
}

describe('templates validate and list in Vietnamese', () => {
  const templates = folderOf({
    'front.mustache': '---\ntitle: X\nformt: email\nformat: letter\nsubject: {{x}}\n---\nHello\n',
    'twice.mustache': '---\ntitle: X\ntitle: Y\n---\nHi\n',
    'open.mustache': '---\ntitle: X\n\nHi\n',
    'section.mustache': 'Hi {{#a}} there\n',
    'closer.mustache': 'Hi {{/x}}\n',
    'crossed.mustache': '{{#a}}{{#b}}x{{/a}}{{/b}}\n',
    'tag.mustache': 'Hi {{name\n',
    'mail.mustache': '---\nformat: email\n---\nHi\n',
    'escape.mustache': 'Hi \u001b there\n',
    'partial.mustache': 'Hi {{> nowhere}}\n',
    'asks.mustache': 'Hi {{answers.kickoff-call.goalz}} {{answers.kickof-call.goals}} {{produced.x}}\n',
    'lonely.vi.mustache': 'Xin chào\n',
    'leak.mustache': '---\ntitle: Leak\nformat: email\nsubject: "Hi"\n---\nHi {{answers.sales-handoff.problem}}\n',
    'Bad Name.mustache': 'Hi\n',
  });
  const box = sandbox({ templates });

  it('every problem and warning of a template file, at its line:col, in Vietnamese', () => {
    const result = box.run(['templates', 'validate'], { env: VI });
    expect(result.code).toBe(2);
    const lines = [
      'front.mustache:3:1 front matter: không có khóa "formt" (ý anh/chị là "format"?); cần một trong các khóa title, format, subject, to',
      'front.mustache:4:1 front matter: format phải là một trong document, email; nhận được "letter"',
      'front.mustache:5:1 front matter: subject phải là văn bản; hãy đặt trong dấu nháy, vd. subject: "…"',
      'twice.mustache:3:1 front matter: lỗi cú pháp YAML: các khóa trong một mapping không được trùng nhau',
      'open.mustache:1:1 phần front matter mở ở đây không bao giờ được đóng: hãy thêm một dòng "---" sau nó',
      'section.mustache:1:4 section {{#a}} không bao giờ được đóng; hãy thêm {{/a}} ở chỗ nó kết thúc',
      'closer.mustache:1:4 {{/x}} đóng một section chưa từng được mở; hãy thêm {{#x}} phía trước hoặc xóa nó',
      'crossed.mustache:1:7 section {{#b}} bị đóng bằng {{/a}}; hãy đóng nó bằng {{/b}} trước',
      'tag.mustache:1:4 một thẻ mở bằng {{ không bao giờ được đóng bằng }}',
      'mail.mustache:1:1 front matter: template email cần có tiêu đề, vd. subject: "Tóm tắt cuộc gọi — {{account.name}}"',
      'escape.mustache:1:4 template chứa ký tự điều khiển \\u001b; hãy xóa ký tự này',
      'partial.mustache:1:4 không tìm thấy partial {{> nowhere}} (partial nằm ở templates/partials/<name>.mustache)',
      'asks.mustache:1:4 {{answers.kickoff-call.goalz}}: bước kickoff-call không có trường "goalz" trong bất kỳ playbook nào; ý anh/chị là "goals"?',
      'asks.mustache:1:35 {{answers.kickof-call.goals}}: không có bước "kickof-call" trong bất kỳ playbook nào; ý anh/chị là "kickoff-call"?',
      'asks.mustache:1:65 {{produced.x}}: không có bước playbook nào tạo ra asks, nên produced.* luôn trống; hãy dùng answers.<step>.<field>',
      'leak.mustache:6:4 {{answers.sales-handoff.problem}}: bước sales-handoff là nội bộ (audience: internal trong onboarding-30d, ',
      'template format: email được gửi tới khách hàng nên không được dùng nó\n',
      'lonely.vi.mustache:1:1 bản dịch tiếng Việt của "lonely", nhưng bên cạnh không có template lonely.mustache',
      'Bad Name.mustache:1:1 "Bad Name" không thể là id của template: chỉ dùng chữ thường, chữ số, \'-\' và \'_\'; hãy đổi tên file',
    ];
    for (const line of lines) expect(result.stderr).toContain(line);
    expect(result.stderr).toMatch(/^cảnh báo: \S*asks\.mustache:1:4 /m);
    expectNoEnglish(result.stdout + result.stderr, ['tpl.', 'yaml.', 'templates.', 'count.']);
    expect(result.stderr).not.toMatch(/\b(warning|front matter must|is never closed|did you mean|not found|the template contains)\b/);
  });

  it('list: a template is titled in Vietnamese when its translation has a title, else in English; --json keeps English', () => {
    const titled = folderOf({
      'greeting.mustache': '---\ntitle: A warm greeting\n---\nHello\n',
      'greeting.vi.mustache': '---\ntitle: Lời chào thân mật\n---\nXin chào\n',
      'untitled.mustache': '---\ntitle: Plain note\n---\nNote\n',
      'untitled.vi.mustache': 'Ghi chú\n',
      'english.mustache': '---\ntitle: English only\n---\nHi\n',
    });
    const titles = sandbox({ templates: titled });
    const list = titles.run(['templates', 'list'], { env: VI });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^greeting +document +của bạn +Lời chào thân mật$/m);
    // no title in the translation, none of its own: the English title, never the id or a blank
    expect(list.stdout).toMatch(/^untitled +document +của bạn +Plain note$/m);
    expect(list.stdout).toMatch(/^english +document +của bạn +English only$/m);
    expect(list.stdout).toMatch(/^kickoff-recap +email +có sẵn +Email tóm tắt cuộc gọi kickoff$/m);
    expect(list.stdout).not.toContain('Kickoff recap email');
    expect(titles.run(['templates', 'list']).stdout).toMatch(/^greeting +document +user +A warm greeting$/m);
    const json = JSON.parse(titles.run(['templates', 'list', '--json'], { env: VI }).stdout) as { id: string; title: string }[];
    expect(json.find((each) => each.id === 'greeting')?.title).toBe('A warm greeting');
    const show = titles.run(['templates', 'show', 'greeting'], { env: VI });
    expect(show.stdout.split('\n')[0]).toBe('greeting · Lời chào thân mật (document, của bạn)');
    expect(titles.run(['templates', 'show', 'kickoff-recap'], { env: VI }).stdout).toMatch(/^kickoff-recap · Email tóm tắt cuộc gọi kickoff /);
  });
});

describe('playbooks validate in Vietnamese: produces, a translation, YAML', () => {
  const PLAYBOOK = [
    'id: mini',
    'title: Mini',
    'kind: onboarding',
    'version: 1',
    'phases:',
    '  - id: start',
    '    title: Start',
    '    steps:',
    '      - id: call',
    '        title: Call',
    '        produces: kickof-recap',
    '        fields:',
    '          - id: score',
    '            prompt: Score?',
    '            type: number',
    '',
  ].join('\n');
  const BANDS = PLAYBOOK.replace('id: mini', 'id: bands').replace('        produces: kickof-recap\n', '')
    .concat(['          - id: band', '            type: computed', '            from: score', '            cases:', '              - value: any', '              - value: low', '                below: 3', ''].join('\n'));

  it('a produces: with no such template, and a computed case that never matches', () => {
    const result = sandbox({ playbooks: folderOf({ 'mini.yaml': PLAYBOOK }) }).run(['playbooks', 'validate'], { env: VI });
    expect(result.code).toBe(2);
    const bands = sandbox({ playbooks: folderOf({ 'bands.yaml': BANDS }) }).run(['playbooks', 'validate'], { env: VI });
    expect(bands.code).toBe(2);
    expect(bands.stderr).toMatch(/bands\.yaml:20:17 phases\[0\]\.steps\[0\]\.fields\[1\]\.cases\[1\]: case này không bao giờ khớp: trường hợp 1 luôn đúng, nên trường hợp này không bao giờ tới\n/);
    expect(result.stderr).toMatch(/mini\.yaml:11:19 bước call tạo ra "kickof-recap", nhưng không có template kickof-recap \(ý anh\/chị là "kickoff-recap"\?\); các template tìm thấy: churn-postmortem, /);
    expectNoEnglish(result.stderr + bands.stderr, ['tpl.', 'cases.', 'pb.']);
  });

  it("a translation's problems and warnings, and a YAML syntax error in one", () => {
    const folder = folderOf({
      'churn-response.vi.yaml': 'translates: churn-respons\ntitle: Xử lý churn\nkind: churn\nphases:\n  - id: signals\n    steps:\n      - id: churn-signalz\n        title: Kiểm tra\n      - id: churn-signals\n        checklist: [một]\n        fields:\n          - id: usage-trend\n            choices: { stabel: ổn định }\n',
      'onboarding-30d.vi.yaml': 'translates: onboarding-30d\ntitle: A\ntitle: B\n',
    });
    const result = sandbox({ playbooks: folder }).run(['playbooks', 'validate'], { env: VI });
    expect(result.code).toBe(2);
    for (const line of [
      'churn-response.vi.yaml:1:13 translates phải ghi tên playbook "churn-response"; nhận được "churn-respons"',
      'churn-response.vi.yaml:3:1 "kind" không phải phần chữ mà bản dịch được chứa; cần một trong title, description, phases',
      'churn-response.vi.yaml:7:13 bước "churn-signalz" không có trong churn-response (signals); các steps của nó là churn-signals',
      'churn-response.vi.yaml:10:20 signals.churn-signals.checklist phải liệt kê 4 mục, theo thứ tự của playbook, dưới dạng văn bản',
      'churn-response.vi.yaml:13:24 signals.churn-signals.usage-trend.choices: trường không có lựa chọn "stabel"; các lựa chọn là stable, falling, falling sharply, stopped',
      'onboarding-30d.vi.yaml:3:1 lỗi cú pháp YAML: các khóa trong một mapping không được trùng nhau',
    ]) expect(result.stderr).toContain(line);
    expect(result.stderr).toMatch(/chưa dịch: giai đoạn respond\n/);
    expectNoEnglish(result.stderr, ['tr.', 'yaml.', 'pb.']);
    expect(result.stderr).not.toMatch(/untranslated|is not in|YAML syntax|Map keys/);
  });
});

describe('a CSV book in Vietnamese', () => {
  it('a start that is not a date, and one that could be either order', () => {
    const box = sandbox();
    const file = join(tempDir(), 'book.csv');
    writeFileSync(file, 'name,owner,start\nKhách A,lan,31/02/2026\n');
    const bad = box.run(['accounts', 'import', file], { env: VI });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('book.csv:2: start phải là một ngày có thật, viết dạng DD/MM/YYYY hoặc YYYY-MM-DD (các ngày trong cột viết ngày trước: "31/02/2026" ở dòng 2); nhận được "31/02/2026"');
    writeFileSync(file, 'name,owner,start\nKhách A,lan,someday\n');
    const words = box.run(['accounts', 'import', file], { env: VI });
    expect(words.stderr).toMatch(/book\.csv:2: start phải là một ngày có thật, viết dạng YYYY-MM-DD hoặc DD\/MM\/YYYY; nhận được "someday"|book\.csv:2: start: /);
    writeFileSync(file, 'name,owner,start\nKhách A,lan,03/04/2026\n');
    const either = box.run(['accounts', 'import', file], { env: VI });
    expect(either.code).toBe(2);
    expect(either.stderr).toContain('start "03/04/2026" có thể là ngày/tháng hoặc tháng/ngày');
    expectNoEnglish(bad.stderr + either.stderr + words.stderr, ['book.']);
  });
});
