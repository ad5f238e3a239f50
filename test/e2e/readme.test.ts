/**
 * The READMEs, taken at their word: README.md, and README.vi.md (the same user path in Vietnamese,
 * run with CS_LANG=vi). Every command in their fenced command blocks (a block with a line `cs …`,
 * `$ cs …` or `npx cs …`; env assignments before `cs` allowed) is either run here — by bash,
 * against the built CLI, in a fresh HOME and database, from a folder holding a copy of examples/ —
 * and checked to do what the text around it says, or listed in that file's NOT_RUN with the reason
 * it cannot run without a terminal. The classification must cover each file exactly: a new command
 * there fails this test until it is added to its RUN or NOT_RUN below.
 *
 * In a block whose commands carry a prompt (`$ cs …`), the lines after a command are what it
 * prints, and are compared with what it does print: `…` alone on a line stands for lines left out,
 * `…` ending a line for the rest of that line.
 *
 * YAML blocks parse; a playbook among them passes `cs playbooks validate`; a block introduced as
 * "From `examples/<file>`" ("Trích từ" in Vietnamese) says only what that file says. README.vi.md's
 * screens of a walk are what a walk in tmux under LANG=vi_VN.UTF-8 shows.
 *
 * Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, TODAY, sandbox } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { TmuxSession, tmuxAvailable, walkEnv } from '../support/tmux.js';
import { tempDir } from '../support/tmp.js';

interface Block {
  /** The info string after the opening fence ('' for none). */
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  body: string;
  /** README text between the previous block and this one. */
  before: string;
}

function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;
  let last = 0;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    blocks.push({ lang: match[1]!.trim(), line: text.slice(0, match.index).split('\n').length, body: match[2]!, before: text.slice(last, match.index) });
    last = match.index + match[0].length;
  }
  return blocks;
}

/** A line that runs cs: `cs …`, `npx cs …`, with `NAME=value` assignments before it. */
const CS_LINE = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:npx\s+)?cs(?:\s|$)/;
const SHELL_LANGS = ['', 'sh', 'bash', 'shell', 'console', 'text'];
const PROMPTED = /^\s*\$\s+/;

/** A command without its prompt (`$ `) and trailing comment, as the classification names it. */
function commandOf(line: string): string {
  const text = line.replace(PROMPTED, '').trim();
  // a comment starts at ` #` outside quotes
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (index === 0 || /\s/.test(text[index - 1]!))) return text.slice(0, index).trim();
  }
  return text;
}

interface Shown {
  command: string;
  line: number;
  /** The lines shown after it as its output (a block with `$ ` prompts only). */
  output: string[];
}

/**
 * Every command of every block that runs cs at least once, in the file's order. In a block with
 * `$ ` prompts only the prompted lines are commands, and the lines after one are its output.
 */
function readmeCommands(text: string): Shown[] {
  const commands: Shown[] = [];
  for (const block of fencedBlocks(text).filter((each) => SHELL_LANGS.includes(each.lang))) {
    const lines = block.body.replace(/\n$/, '').split('\n');
    const prompted = lines.some((line) => PROMPTED.test(line));
    const found: Shown[] = [];
    for (const [index, line] of lines.entries()) {
      if (prompted && !PROMPTED.test(line)) found.at(-1)?.output.push(line);
      else if (commandOf(line) !== '') found.push({ command: commandOf(line), line: block.line + 1 + index, output: [] });
    }
    if (found.some((each) => CS_LINE.test(each.command))) commands.push(...found);
  }
  return commands;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a README shows a command printing, as a pattern of the whole output (see the top). */
function shownPattern(shown: string[]): RegExp {
  const lines = shown.map((line) => line.trimEnd());
  while (lines.at(-1) === '') lines.pop();
  const source = lines
    .map((line) => (line === '…' ? '(?:[^\\n]*\\n)*?' : line.endsWith('…') ? `${escapeRegExp(line.slice(0, -1))}[^\\n]*\\n` : `${escapeRegExp(line)}\\n`))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Printed text as the pattern reads it: no trailing spaces, a line feed at the end. */
const printedLines = (text: string) => `${text.split('\n').map((line) => line.trimEnd()).join('\n').replace(/\n*$/, '')}\n`;

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const headings = (text: string) => new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));

interface Scene {
  box: Sandbox;
  /** The folder commands run in (a copy of examples/ inside). */
  work: string;
  statusJson(account: string): { status: string; playbook: { id: string }; steps: { done: number; skipped: number; open: number } }[];
}

interface PlaybookShape {
  id: string;
  title: string;
  phases: { steps: { id: string; fields?: { id: string; type: string; required?: boolean; choices?: (string | { value: string })[] }[] }[] }[];
}

/** An answer to every required field of a playbook, of the field's type. */
function requiredAnswers(playbook: PlaybookShape): Record<string, Record<string, unknown>> {
  const answer = (field: NonNullable<PlaybookShape['phases'][number]['steps'][number]['fields']>[number]): unknown => {
    const [first] = field.choices ?? [];
    if (first !== undefined) return typeof first === 'string' ? first : first.value;
    return { number: 1, date: TODAY, confirm: true }[field.type] ?? 'x';
  };
  return Object.fromEntries(
    playbook.phases.flatMap((phase) => phase.steps).map((step) => [step.id, Object.fromEntries((step.fields ?? []).filter((field) => field.required).map((field) => [field.id, answer(field)]))]),
  );
}

type Run = [command: string, check: (result: CliResult, scene: Scene) => void | Promise<void>];

/** README.md's commands run here, in this order (the order a reader would follow), each with what the README promises of it. */
const EN_RUN: Run[] = [
  [
    'cs onboard start "Công ty Ánh Dương" --owner lan --answers examples/onboarding-30d.yaml --no-input',
    (result, scene) => {
      expect(result.stdout).toContain('30-day onboarding finished for Công ty Ánh Dương: 14 done, 0 skipped.');
      expect(scene.statusJson('Công ty Ánh Dương').map((run) => [run.playbook.id, run.status])).toEqual([['onboarding-30d', 'finished']]);
    },
  ],
  [
    'cs status "Công ty Ánh Dương"',
    (result) => {
      // "finished: 14 done, 0 skipped, 0 open"
      expect(result.stdout).toMatch(/30-day onboarding \(onboarding-30d v\d+\) · started \d{4}-\d\d-\d\d · finished \d{4}-\d\d-\d\d/);
      expect(result.stdout).toContain('14 done · 0 skipped · 0 open · 0 overdue');
    },
  ],
  [
    'cs churn start "Beta Telecom" --answers examples/churn-response.yaml --no-input',
    (result) => {
      expect(result.stdout).toMatch(/Churn response.* finished for Beta Telecom: 8 done, 0 skipped\./);
      // "schedules the win-back follow-up from the churn date" (examples/churn-response.yaml: 2026-11-02)
      expect(result.stdout).toMatch(/Scheduled run #\d+ of winback-followup for Beta Telecom from 2026-11-02/);
    },
  ],
  [
    'cs resume "Beta Telecom" --answers examples/winback-followup.yaml --no-input',
    (result) => {
      expect(result.stdout).toMatch(/Win-back follow-up finished for Beta Telecom: 3 done, 0 skipped\./);
    },
  ],
  [
    'cs status "Beta Telecom"',
    (result, scene) => {
      // "both runs finished"
      expect(scene.statusJson('Beta Telecom').map((run) => [run.playbook.id, run.status])).toEqual([
        ['churn-response', 'finished'],
        ['winback-followup', 'finished'],
      ]);
      expect(result.stdout.match(/· finished \d{4}-\d\d-\d\d/g)).toHaveLength(2);
    },
  ],
  [
    'cs render kickoff-recap "Công ty Ánh Dương" --format eml --out recap.eml',
    async (result, scene) => {
      expect(result.stdout).toContain('Wrote recap.eml');
      // "a draft your mail client opens"
      const mail = await simpleParser(readFileSync(join(scene.work, 'recap.eml')));
      expect(mail.subject).toContain('Công ty Ánh Dương');
      expect((mail.to as AddressObject).value.map((each) => each.address)).toEqual(['ha.tran@anhduong.vn', 'bao.pham@anhduong.vn']);
      expect(mail.text).toContain('Cuộc gọi nhỡ dưới 5%');
      // only what is meant for the customer: greeted by name, the next meeting with weekday and time, support
      expect(mail.text).toMatch(/^Dear chị Hà,\n/);
      expect(mail.text).toContain('Wednesday, 9 December 2026 at 10:00');
      expect(mail.text).toContain('nhóm Zalo “Ánh Dương – Hỗ trợ”');
      expect(mail.text).not.toContain('Mất khách khi nhân viên kinh doanh nghỉ việc'); // why they bought: internal
    },
  ],
  [
    'cs render churn-postmortem "Beta Telecom" --out minutes.md',
    (result, scene) => {
      expect(result.stdout).toContain('Wrote minutes.md');
      const minutes = readFileSync(join(scene.work, 'minutes.md'), 'utf8');
      expect(minutes).toContain('Beta Telecom');
      expect(minutes).toContain('Codec mặc định không hợp với đường truyền của khách');
      expect(minutes).toContain('Cảnh báo tự động khi chất lượng cuộc gọi giảm');
    },
  ],
  [
    'cs render csm-handover "Công ty Ánh Dương" --format html --out handover.html',
    (result, scene) => {
      expect(result.stdout).toContain('Wrote handover.html');
      const html = readFileSync(join(scene.work, 'handover.html'), 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>|<html/i);
      expect(html).toContain('Công ty Ánh Dương');
      expect(html).toContain('Đỗ Minh Khoa');
    },
  ],
  [
    // the first block's "where every run stands", once the runs above exist
    'cs status',
    (result) => {
      expect(result.stdout).toContain('Beta Telecom');
      expect(result.stdout).toContain('Công ty Ánh Dương · owner lan');
      expect(result.stdout.match(/· finished \d{4}-\d\d-\d\d/g)).toHaveLength(3);
    },
  ],
  // "Who you are": like git
  ['cs config set user.name "Nguyễn Thị Lan"', (result) => expect(result.stdout).toMatch(/^✓ user\.name = Nguyễn Thị Lan \(in .*\/cs\/config\.yaml\)\n$/)],
  ['cs config set user.email lan@anhduong.vn', (result) => expect(result.stdout).toMatch(/^✓ user\.email = lan@anhduong\.vn /)],
  [
    'cs config set user lan',
    (result, scene) => {
      expect(result.stdout).toMatch(/^✓ user = lan /);
      // "a run owned by your handle signs with your full name": the first run is owned by lan
      const recap = scene.box.run(['render', 'kickoff-recap', 'Công ty Ánh Dương']);
      expect(recap.stdout).toMatch(/Nguyễn Thị Lan\\\nlan@anhduong\.vn\n$/);
      // "lists show the owner's name": the run is lan's; the account is the CSM's since the handover
      expect(scene.box.run(['status', 'Công ty Ánh Dương']).stdout).toContain('Công ty Ánh Dương · owner lan');
      expect(scene.box.run(['accounts', 'list', '--owner', 'Đỗ Minh Khoa']).stdout).toMatch(/Công ty Ánh Dương\s+Đỗ Minh Khoa/);
    },
  ],
  ['cs config list', (result) => expect(result.stdout).toBe('user.name=Nguyễn Thị Lan\nuser.email=lan@anhduong.vn\nuser=lan\n')],
  // "Tiếng Việt": the account's documents in Vietnamese, --lang once in English, the interface in Vietnamese
  ['cs accounts set "Công ty Ánh Dương" --lang vi', (result) => expect(result.stdout).toBe('Công ty Ánh Dương: documents in tiếng Việt from now on.\n')],
  [
    'cs render kickoff-recap "Công ty Ánh Dương"',
    (result) => {
      expect(result.stdout).toMatch(/^Kính gửi chị Hà,$/m);
      expect(result.stdout).toContain('**Thứ Tư, 09/12/2026, lúc 10:00**');
      expect(result.stdout).toMatch(/Trân trọng,\\\nNguyễn Thị Lan\\\nlan@anhduong\.vn\n$/);
      expect(result.stderr).toBe('');
    },
  ],
  ['cs render kickoff-recap "Công ty Ánh Dương" --lang en', (result) => expect(result.stdout).toMatch(/^Dear chị Hà,$/m)],
  [
    'CS_LANG=vi cs status "Công ty Ánh Dương"',
    (result) => {
      expect(result.stdout).toMatch(/Quy trình onboarding 30 ngày \(onboarding-30d v\d+\) · bắt đầu \d\d\/\d\d\/\d{4} · hoàn tất \d\d\/\d\d\/\d{4}/);
      expect(result.stdout).toContain('14 đã xong · 0 bỏ qua · 0 còn mở · 0 trễ hạn');
    },
  ],
  // "A book of business": a HubSpot export, read as HubSpot writes it
  [
    'cs accounts import examples/hubspot-companies.csv --dry-run',
    (result, scene) => {
      expect(result.stdout).toMatch(/^ {2}read as +HubSpot export$/m);
      expect(result.stdout).toMatch(/^ {2}record id +"Record ID"$/m);
      expect(result.stdout).toMatch(/^2 +Công ty TNHH Ánh Dương +create account · start onboarding-30d on 2026-11-20$/m);
      expect(result.stdout).toMatch(/Nothing was written\.\n$/);
      expect(scene.box.run(['accounts', 'list', '--json']).stdout).not.toContain('Sông Hồng');
    },
  ],
  [
    'cs accounts import examples/hubspot-companies.csv',
    (result, scene) => {
      expect(result.stdout).toBe('Imported 4 accounts, started 4 runs (0 unchanged).\n');
      const shown = JSON.parse(scene.box.run(['accounts', 'show', 'Tập đoàn Đại Việt', '--json']).stdout);
      expect(shown.fields['Record ID']).toBe('18420551203');
    },
  ],
  ['cs accounts import examples/hubspot-companies.csv', (result) => expect(result.stdout).toBe('Nothing changed: all 4 rows are already imported.\n')],
  [
    'cs agenda --limit 5',
    (result) => {
      // on a pipe: every step, the first 5 of them, then how many more
      expect(result.stdout.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(5);
      expect(result.stdout).toMatch(/^… and [\d,]+ more steps \(--limit 5\)\.$/m);
    },
  ],
  // "A team": people, the account's team, everyone's agenda by person, someone else's agenda
  ['cs team add lan --name "Nguyễn Thị Lan" --email lan@anhduong.vn --role cos', (result) => expect(result.stdout).toBe('✓ Added Nguyễn Thị Lan (lan, lan@anhduong.vn, onboarding specialist (COS)) to the team.\n')],
  ['cs team add minh --name "Trần Văn Minh" --email minh@anhduong.vn --role csm', (result) => expect(result.stdout).toContain('✓ Added Trần Văn Minh (minh,')],
  ['cs team list', (result) => expect(result.stdout).toMatch(/^HANDLE +NAME +EMAIL +ROLE\nlan +Nguyễn Thị Lan +lan@anhduong\.vn +onboarding specialist \(COS\)\nminh +Trần Văn Minh /)],
  [
    'cs accounts set "Công ty Ánh Dương" --cos lan --csm minh',
    (result, scene) => {
      expect(result.stdout).toContain('Công ty Ánh Dương: customer-success manager (CSM) is Trần Văn Minh (minh)');
      const shown = JSON.parse(scene.box.run(['accounts', 'show', 'Công ty Ánh Dương', '--json']).stdout);
      expect(shown.fields).toMatchObject({ cos: 'lan', csm: 'minh' });
    },
  ],
  [
    'cs agenda --team',
    (result) => {
      // a section a person: Lan first (a team member), by her name and handle
      expect(result.stdout).toMatch(/^Nguyễn Thị Lan \(lan\)$/m);
      expect(result.stdout).toMatch(/steps? for Nguyễn Thị Lan \(lan\): /);
    },
  ],
  [
    'CS_USER=minh cs agenda',
    (result) => {
      // Minh's steps (the import gave him Sông Hồng), no one else's
      expect(result.stdout).toMatch(/^ {2}Công ty Cổ phần Sông Hồng .* Trần Văn Minh$/m);
      expect(result.stdout).not.toContain('Nguyễn Thị Lan');
      expect(result.stdout).toMatch(/steps? for Trần Văn Minh: /);
    },
  ],
];

/** For a command whose shown output says it all: what README.vi.md shows it printing is the check. */
const AS_SHOWN: Run[1] = () => undefined;

/** README.vi.md's commands, run with CS_LANG=vi, in its order; each also prints what the file shows. */
const VI_RUN: Run[] = [
  ['cs config set user.name "Nguyễn Thị Lan"', (result) => expect(result.stdout).toMatch(/^✓ user\.name = Nguyễn Thị Lan \(trong .*\/cs\/config\.yaml\)\n$/)],
  ['cs config set user.email lan@anhduong.vn', (result) => expect(result.stdout).toMatch(/^✓ user\.email = lan@anhduong\.vn \(trong /)],
  ['cs config set user lan', (result) => expect(result.stdout).toMatch(/^✓ user = lan \(trong /)],
  ['cs config list', AS_SHOWN],
  [
    'cs onboard start "Công ty Ánh Dương" --owner lan --answers examples/onboarding-30d.yaml --no-input',
    (_result, scene) => expect(scene.statusJson('Công ty Ánh Dương').map((run) => [run.playbook.id, run.status])).toEqual([['onboarding-30d', 'finished']]),
  ],
  ['cs churn start "Beta Telecom" --answers examples/churn-response.yaml --no-input', AS_SHOWN],
  [
    'cs resume "Beta Telecom" --answers examples/winback-followup.yaml --no-input',
    (_result, scene) =>
      expect(scene.statusJson('Beta Telecom').map((run) => [run.playbook.id, run.status])).toEqual([
        ['churn-response', 'finished'],
        ['winback-followup', 'finished'],
      ]),
  ],
  ['cs status', AS_SHOWN],
  ['cs status "Công ty Ánh Dương"', AS_SHOWN],
  [
    'cs render kickoff-recap "Công ty Ánh Dương" --format eml --out recap.eml',
    async (_result, scene) => {
      // "email nháp, mở bằng ứng dụng email": in Vietnamese, from Lan, with the next meeting's weekday
      const mail = await simpleParser(readFileSync(join(scene.work, 'recap.eml')));
      expect(mail.subject).toBe('Tóm tắt cuộc gọi khởi động — Công ty Ánh Dương');
      expect((mail.from as AddressObject).value.map((each) => each.address)).toEqual(['lan@anhduong.vn']);
      expect(mail.text).toMatch(/^Kính gửi chị Hà,\n/);
      expect(mail.text).toContain('Thứ Tư, 09/12/2026');
      expect(mail.text).toMatch(/Trân trọng,\nNguyễn Thị Lan\n/);
      expect(mail.text).not.toContain('Mất khách khi nhân viên kinh doanh nghỉ việc'); // why they bought: internal
    },
  ],
  [
    'cs render churn-postmortem "Beta Telecom" --out minutes.md',
    (_result, scene) => {
      const minutes = readFileSync(join(scene.work, 'minutes.md'), 'utf8');
      expect(minutes).toMatch(/^# Biên bản họp rút kinh nghiệm — Beta Telecom\n/);
      expect(minutes).toContain('Giá trị hợp đồng: 180.000.000 ₫');
      expect(minutes).toContain('Cảnh báo tự động khi chất lượng cuộc gọi giảm');
    },
  ],
  [
    'cs render csm-handover "Công ty Ánh Dương" --format html --out handover.html',
    (_result, scene) => {
      const html = readFileSync(join(scene.work, 'handover.html'), 'utf8');
      expect(html).toContain('Công ty Ánh Dương');
      expect(html).toContain('Đỗ Minh Khoa');
      expect(html).toContain('Ngày gia hạn');
    },
  ],
  ['cs render kickoff-recap "Công ty Ánh Dương"', AS_SHOWN],
  [
    'cs accounts set "Công ty Ánh Dương" --lang vi',
    (_result, scene) => expect(JSON.parse(scene.box.run(['accounts', 'show', 'Công ty Ánh Dương', '--json']).stdout).fields).toMatchObject({ lang: 'vi' }),
  ],
  ['cs render kickoff-recap "Công ty Ánh Dương" --lang en', AS_SHOWN],
  ['cs accounts import examples/hubspot-companies.csv --dry-run', AS_SHOWN],
  [
    'cs accounts import examples/hubspot-companies.csv',
    (_result, scene) => expect(JSON.parse(scene.box.run(['accounts', 'show', 'Tập đoàn Đại Việt', '--json']).stdout).fields['Record ID']).toBe('18420551203'),
  ],
  ['cs accounts import examples/hubspot-companies.csv', AS_SHOWN],
  ['cs accounts list', AS_SHOWN],
  ['cs agenda --limit 5', AS_SHOWN],
  ['cs team add lan --name "Nguyễn Thị Lan" --email lan@anhduong.vn --role cos', AS_SHOWN],
  ['cs team add minh --name "Trần Văn Minh" --email minh@anhduong.vn --role csm', AS_SHOWN],
  ['cs team list', AS_SHOWN],
  ['cs accounts set "Công ty Ánh Dương" --cos lan --csm minh', AS_SHOWN],
  ['cs agenda --team', AS_SHOWN],
  ['CS_USER=minh cs agenda', (result) => expect(result.stdout).not.toContain('Nguyễn Thị Lan')],
  ['cs report --playbook onboarding-30d', (result) => expect(result.stdout).not.toContain('Xử lý khách hàng churn')],
  [
    'cs agenda --ics agenda.ics',
    (_result, scene) => expect(readFileSync(join(scene.work, 'agenda.ics'), 'utf8').match(/^BEGIN:VEVENT\r?$/gm)).toHaveLength(42),
  ],
  ['cs shift "Tập đoàn Đại Việt" +5bd --dry-run', AS_SHOWN],
  [
    'cs shift "Tập đoàn Đại Việt" +5bd',
    (result) => expect(result.stdout).toMatch(/^Đã dời lượt #6 \(Quy trình onboarding 30 ngày\) của Tập đoàn Đại Việt thêm \+5bd:\n {2}Chuyển giao khách hàng từ Sales +Thứ Năm, 26\/11\/2026 +→ +Thứ Năm, 03\/12\/2026\n/),
  ],
  [
    'cs shift --undo "Tập đoàn Đại Việt"',
    (result, scene) => {
      expect(result.stdout).toMatch(/^Đã trả lại lần dời \+5bd của lượt #6 của Tập đoàn Đại Việt /);
      expect(scene.box.run(['status', 'Tập đoàn Đại Việt']).stdout).toContain('tiếp theo: Chuyển giao khách hàng từ Sales — hạn Thứ Năm, 26/11/2026 (hôm nay)');
    },
  ],
  ['cs playbooks list', AS_SHOWN],
];

const PROMPTS = 'walks the run with prompts, so it needs a terminal (test/tmux/ walks runs like it)';

/** Not run here, by design, in both READMEs, each with the reason. */
const NOT_RUN: Record<string, string> = {
  'cs onboard start "Công ty Ánh Dương" --owner lan': PROMPTS,
  'cs resume "Công ty Ánh Dương"': PROMPTS,
  'cs churn start "Beta Telecom"': PROMPTS,
  'npx cs onboard start "Acme"': PROMPTS,
  'npm install': 'installs from the registry; the tests run the tree npm install built',
  'cs db copy ~/.local/share/cs/cs.db "$CS_DB"': "needs the team's server (db.example.com); test/postgres runs db copy both ways",
  'export CS_DB=postgres://lan@db.example.com/cs': "names the team's server (db.example.com), which the tests do not have",
  'cs agenda': "against the team's server (db.example.com); the PostgreSQL half of npm test runs the agenda on a server",
};

interface Readme {
  file: string;
  text: string;
  /** What each of its commands runs with, on top of the sandbox's. */
  env: Record<string, string>;
  run: Run[];
  notRun: Record<string, string>;
  /** The examples/ files its YAML excerpts are taken from. */
  excerpts: string[];
}

const readme = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const READMES: Readme[] = [
  { file: 'README.md', text: readme('README.md'), env: {}, run: EN_RUN, notRun: NOT_RUN, excerpts: ['examples/onboarding-30d.yaml'] },
  {
    file: 'README.vi.md',
    text: readme('README.vi.md'),
    env: { CS_LANG: 'vi' },
    run: VI_RUN,
    notRun: { ...NOT_RUN, 'export CS_LANG=vi': 'sets the language for the commands after it: every command of README.vi.md runs here with CS_LANG=vi' },
    excerpts: ['examples/onboarding-30d.yaml'],
  },
];

for (const { file, text, env, run, notRun, excerpts } of READMES) {
  describe(file, () => {
    const commands = readmeCommands(text);
    /** The output shown for run[index]: the k-th run of a command prints what its k-th showing with output shows. */
    const shownFor = (index: number): Shown | undefined => {
      const command = run[index]![0];
      const nth = run.slice(0, index).filter(([each]) => each === command).length;
      return commands.filter((each) => each.command === command && each.output.length > 0)[nth];
    };

    it('shows commands, and each is either run below or listed as needing a terminal', () => {
      expect(commands.length).toBeGreaterThanOrEqual(run.length);
      const found = new Set(commands.map((each) => each.command));
      const classified = new Set([...run.map(([command]) => command), ...Object.keys(notRun)]);
      const unclassified = commands.filter((each) => !classified.has(each.command)).map((each) => `${file}:${each.line}: ${each.command}`);
      expect(unclassified, `${file} commands to add to its RUN (with checks) or NOT_RUN (with a reason) in test/e2e/readme.test.ts`).toEqual([]);
      expect([...classified].filter((command) => !found.has(command)), `entries of RUN/NOT_RUN no longer in ${file}`).toEqual([]);
      for (const command of Object.keys(notRun)) expect(run.map(([each]) => each), command).not.toContain(command);
      for (const [index, [command, check]] of run.entries()) {
        if (check === AS_SHOWN) expect(shownFor(index), `${command}: AS_SHOWN, but ${file} shows no output for it`).toBeDefined();
      }
      for (const shown of commands.filter((each) => each.output.length > 0)) {
        expect(run.map(([each]) => each), `${file}:${shown.line}: output shown for a command that is not run`).toContain(shown.command);
      }
    });

    it('reads as Markdown: its fences are the blocks read here, and its tables are tables', () => {
      const tokens = new MarkdownIt().parse(text, {});
      expect(tokens.filter((token) => token.type === 'fence').map((token) => token.content)).toEqual(fencedBlocks(text).map((block) => block.body));
      expect(tokens.filter((token) => token.type === 'table_open').length).toBeGreaterThanOrEqual(1);
    });

    it('links to the other language at the top, and its links to headings find them', () => {
      const other = file === 'README.md' ? 'README.vi.md' : 'README.md';
      expect(text.split('\n').slice(0, 5).join('\n')).toContain(`](${other})`);
      for (const [, target, anchor] of text.matchAll(/\]\(((?:README(?:\.vi)?\.md)?)#([^)\s]+)\)/g)) {
        expect([...headings(target ? readme(target) : text)], `${file}: a link to ${target}#${anchor}`).toContain(decodeURIComponent(anchor!));
      }
    });

    describe('its commands, run as a reader would (from a folder with examples/)', () => {
      const scene = {} as Scene;

      beforeAll(() => {
        if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
        scene.box = sandbox();
        scene.work = tempDir('cs-readme-');
        cpSync(join(ROOT, 'examples'), join(scene.work, 'examples'), { recursive: true });
        // `cs` on PATH is this build, as after `npm link`
        const bin = join(scene.work, '.bin');
        mkdirSync(bin);
        writeFileSync(join(bin, 'cs'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
        Object.assign(scene.box.env, env, { PATH: `${bin}:${process.env.PATH}` });
        scene.statusJson = (account) => {
          const result = scene.box.run(['status', account, '--json']);
          expect(result.code, result.stderr).toBe(0);
          return JSON.parse(result.stdout);
        };
      });

      for (const [index, [command, check]] of run.entries()) {
        it(command, async () => {
          expect(CS_LINE.test(command), 'only cs commands are run').toBe(true);
          const started = performance.now();
          const child = spawnSync('bash', ['-c', command], { cwd: scene.work, env: scene.box.env, encoding: 'utf8', timeout: 30_000 });
          const result: CliResult = { code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr, ms: performance.now() - started };
          expect(result.code, `${command}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
          expect(result.stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
          const shown = shownFor(index);
          if (shown) expect(printedLines(result.stdout), `${file}:${shown.line}: what it shows ${command} printing`).toMatch(shownPattern(shown.output));
          await check(result, scene);
        });
      }
    });

    describe('its YAML', () => {
      const yamlBlocks = fencedBlocks(text).filter((block) => block.lang === 'yaml' || block.lang === 'yml');

      it('every YAML block parses', () => {
        expect(yamlBlocks.length).toBeGreaterThanOrEqual(2);
        for (const block of yamlBlocks) expect(() => parseYaml(block.body), `${file}:${block.line}`).not.toThrow();
      });

      it('the playbook format in brief is a valid playbook', () => {
        const playbooks = yamlBlocks.filter((block) => {
          const data = parseYaml(block.body) as Record<string, unknown> | null;
          return data !== null && typeof data === 'object' && 'phases' in data && 'id' in data;
        });
        expect(playbooks.length).toBeGreaterThanOrEqual(1);
        const folder = tempDir('cs-readme-pb-');
        for (const [index, block] of playbooks.entries()) {
          const playbook = join(folder, `readme-${index}.yaml`);
          writeFileSync(playbook, block.body);
          const result = sandbox().run(['playbooks', 'validate', playbook], { env });
          expect(result.code, `${file}:${block.line}\n${result.stdout}${result.stderr}`).toBe(0);
        }
      });

      it('a playbook of it, saved among your own, runs in the language it is written in with no warning', () => {
        const playbooks = yamlBlocks
          .map((block) => ({ block, data: parseYaml(block.body) as PlaybookShape }))
          .filter(({ data }) => data !== null && typeof data === 'object' && 'phases' in data && 'id' in data);
        expect(playbooks.length).toBeGreaterThanOrEqual(1);
        for (const { block, data } of playbooks) {
          const box = sandbox({ playbooks: tempDir('cs-readme-own-') });
          writeFileSync(join(box.env.CS_PLAYBOOKS!, `${data.id}.yaml`), block.body);
          const answers = join(box.home, 'answers.json');
          writeFileSync(answers, JSON.stringify(requiredAnswers(data)));
          const result = box.run(['run', data.id, 'Công ty Ánh Dương', '--answers', answers, '--no-input'], { env });
          expect(result.code, `${file}:${block.line}\n${result.stdout}${result.stderr}`).toBe(0);
          expect(result.stderr, `${file}:${block.line}`).toBe('');
          expect(result.stdout).toContain(data.title);
        }
      });

      it('an excerpt of an example says what the example says', () => {
        const found = yamlBlocks.flatMap((block) => {
          const named = [...block.before.matchAll(/(?:From|Trích từ)\s+`(examples\/[\w.-]+\.ya?ml)`/g)].at(-1)?.[1];
          return named ? [{ block, example: named }] : [];
        });
        expect(found.map((each) => each.example)).toEqual(excerpts);
        for (const { block, example } of found) {
          const whole = parseYaml(readFileSync(join(ROOT, example), 'utf8')) as Record<string, Record<string, unknown>>;
          const excerpt = parseYaml(block.body) as Record<string, Record<string, unknown>>;
          for (const [step, answers] of Object.entries(excerpt)) {
            for (const [key, value] of Object.entries(answers)) expect(whole[step]?.[key], `${file}:${block.line}: ${step}.${key}`).toEqual(value);
          }
        }
      });
    });
  });
}

describe('README.md, its install section', () => {
  const text = READMES[0]!.text;
  const install = text.slice(text.indexOf('## Install and run'), text.indexOf('\n## ', text.indexOf('## Install and run') + 3));

  it('says what compiling better-sqlite3 offline needs and how long it takes', () => {
    expect(install).not.toMatch(/about a minute/);
    expect(install).toMatch(/3 minutes on a 2-core machine/);
    for (const need of ['python3', 'make', 'C++20 compiler', "Node's C headers", 'npm config set nodedir', 'npm config set tarball', 'npm config list']) {
      expect(install, need).toContain(need);
    }
  });
});

/** README.vi.md's screens of a walk (the text blocks of "Làm một lượt"), each as its lines. */
function walkScreens(text: string): string[][] {
  const section = text.slice(text.indexOf('## Làm một lượt'), text.indexOf('\n## ', text.indexOf('## Làm một lượt') + 3));
  return fencedBlocks(section)
    .filter((block) => block.lang === 'text')
    .map((block) => block.body.replace(/\n$/, '').split('\n'));
}

describe.skipIf(!tmuxAvailable())('README.vi.md, its walk (tmux, LANG=vi_VN.UTF-8)', { timeout: 60_000 }, () => {
  const sessions: TmuxSession[] = [];
  afterAll(async () => Promise.all(sessions.map((session) => session.kill())));

  it('shows the first step and the menu as README.vi.md does, and Ctrl-C prints its resume hint', async () => {
    const [first, stopped] = walkScreens(READMES[1]!.text);
    expect(first, 'the first step with its menu').toBeDefined();
    expect(stopped, 'the resume hint after Ctrl-C').toBeDefined();
    const command = 'cs onboard start "Công ty Ánh Dương" --owner lan';
    expect(readmeCommands(READMES[1]!.text).map((each) => each.command)).toContain(command);
    const home = tempDir('cs-readme-tmux-');
    const session = await TmuxSession.start({
      command: [process.execPath, BIN, 'onboard', 'start', 'Công ty Ánh Dương', '--owner', 'lan'],
      env: walkEnv(home, TODAY, { LANG: 'vi_VN.UTF-8', LC_ALL: undefined }),
      unset: ['EDITOR', 'VISUAL', 'FORCE_COLOR', 'CS_DEBUG', 'CS_LANG', 'LC_ALL', 'LC_MESSAGES', 'CS_PLAYBOOKS', 'CS_TEMPLATES'],
      cwd: home,
      width: 120,
      height: 40,
    });
    sessions.push(session);
    const shows = (screen: string, lines: string[]) => expect(printedLines(screen)).toContain(`${lines.map((line) => line.trimEnd()).join('\n')}\n`);
    shows(await session.prompt('Tiếp theo làm gì?'), first!);
    await session.answer('');
    await session.prompt('Đã xong:');
    await session.press('C-c');
    expect(await session.exitCode()).toBe(130);
    shows(await session.screen(), stopped!);
  });
});
