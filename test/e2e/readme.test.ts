/**
 * The README, taken at its word. Every command in its fenced command blocks (a block with a line
 * `cs …`, `$ cs …` or `npx cs …`; env assignments before `cs` allowed) is either run here — by
 * bash, against the built CLI, in a fresh HOME and database, from a folder holding a copy of
 * examples/ — and checked to do what the text around it says, or listed in NOT_RUN with the reason
 * it cannot run without a terminal. The classification must cover the README exactly: a new
 * command there fails this test until it is added to RUN or NOT_RUN below.
 *
 * YAML blocks parse; a playbook among them passes `cs playbooks validate`; a block introduced as
 * "From `examples/<file>`" says only what that file says.
 *
 * Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

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

/** A command without its prompt (`$ `) and trailing comment, as the classification names it. */
function commandOf(line: string): string {
  const text = line.replace(/^\s*\$\s+/, '').trim();
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

/** Every command of every block that runs cs at least once, in README order. */
function readmeCommands(): { command: string; line: number }[] {
  const commands: { command: string; line: number }[] = [];
  for (const block of fencedBlocks(README).filter((each) => SHELL_LANGS.includes(each.lang))) {
    const lines = block.body.split('\n').map((line, index) => ({ command: commandOf(line), line: block.line + 1 + index }));
    const real = lines.filter((each) => each.command !== '');
    if (real.some((each) => CS_LINE.test(each.command))) commands.push(...real);
  }
  return commands;
}

interface Scene {
  box: Sandbox;
  /** The folder commands run in (a copy of examples/ inside). */
  work: string;
  statusJson(account: string): { status: string; playbook: { id: string }; steps: { done: number; skipped: number; open: number } }[];
}

/** Run here, in this order (the order a reader would follow), each with what the README promises of it. */
const RUN: [string, (result: CliResult, scene: Scene) => void | Promise<void>][] = [
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

const PROMPTS = 'walks the run with prompts, so it needs a terminal (test/tmux/ walks runs like it)';

/** Not run here, by design, each with the reason. */
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

describe('the README', () => {
  const commands = readmeCommands();

  it('shows commands, and each is either run below or listed as needing a terminal', () => {
    expect(commands.length).toBeGreaterThanOrEqual(RUN.length);
    const found = new Set(commands.map((each) => each.command));
    const classified = new Set([...RUN.map(([command]) => command), ...Object.keys(NOT_RUN)]);
    const unclassified = commands.filter((each) => !classified.has(each.command)).map((each) => `README.md:${each.line}: ${each.command}`);
    expect(unclassified, 'README commands to add to RUN (with checks) or NOT_RUN (with a reason) in test/e2e/readme.test.ts').toEqual([]);
    expect([...classified].filter((command) => !found.has(command)), 'entries of RUN/NOT_RUN no longer in the README').toEqual([]);
    for (const command of Object.keys(NOT_RUN)) expect(RUN.map(([each]) => each), command).not.toContain(command);
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
      scene.box.env.PATH = `${bin}:${process.env.PATH}`;
      scene.statusJson = (account) => {
        const result = scene.box.run(['status', account, '--json']);
        expect(result.code, result.stderr).toBe(0);
        return JSON.parse(result.stdout);
      };
    });

    for (const [command, check] of RUN) {
      it(command, async () => {
        expect(CS_LINE.test(command), 'only cs commands are run').toBe(true);
        const started = performance.now();
        const child = spawnSync('bash', ['-c', command], { cwd: scene.work, env: scene.box.env, encoding: 'utf8', timeout: 30_000 });
        const result: CliResult = { code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr, ms: performance.now() - started };
        expect(result.code, `${command}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
        expect(result.stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
        await check(result, scene);
      });
    }
  });

  describe('its YAML', () => {
    const yamlBlocks = fencedBlocks(README).filter((block) => block.lang === 'yaml' || block.lang === 'yml');

    it('every YAML block parses', () => {
      expect(yamlBlocks.length).toBeGreaterThanOrEqual(2);
      for (const block of yamlBlocks) expect(() => parseYaml(block.body), `README.md:${block.line}`).not.toThrow();
    });

    it('the playbook format in brief is a valid playbook', () => {
      const playbooks = yamlBlocks.filter((block) => {
        const data = parseYaml(block.body) as Record<string, unknown> | null;
        return data !== null && typeof data === 'object' && 'phases' in data && 'id' in data;
      });
      expect(playbooks.length).toBeGreaterThanOrEqual(1);
      const folder = tempDir('cs-readme-pb-');
      for (const [index, block] of playbooks.entries()) {
        const file = join(folder, `readme-${index}.yaml`);
        writeFileSync(file, block.body);
        const result = sandbox().run(['playbooks', 'validate', file]);
        expect(result.code, `README.md:${block.line}\n${result.stdout}${result.stderr}`).toBe(0);
      }
    });

    it('an excerpt of an example says what the example says', () => {
      const excerpts = yamlBlocks.flatMap((block) => {
        const named = [...block.before.matchAll(/From\s+`(examples\/[\w.-]+\.ya?ml)`/g)].at(-1)?.[1];
        return named ? [{ block, file: named }] : [];
      });
      expect(excerpts.map((each) => each.file)).toEqual(['examples/onboarding-30d.yaml']);
      for (const { block, file } of excerpts) {
        const whole = parseYaml(readFileSync(join(ROOT, file), 'utf8')) as Record<string, Record<string, unknown>>;
        const excerpt = parseYaml(block.body) as Record<string, Record<string, unknown>>;
        for (const [step, answers] of Object.entries(excerpt)) {
          for (const [key, value] of Object.entries(answers)) expect(whole[step]?.[key], `README.md:${block.line}: ${step}.${key}`).toEqual(value);
        }
      }
    });
  });

  describe('its install section', () => {
    const install = README.slice(README.indexOf('## Install and run'), README.indexOf('\n## ', README.indexOf('## Install and run') + 3));

    it('says what compiling better-sqlite3 offline needs and how long it takes', () => {
      expect(install).not.toMatch(/about a minute/);
      expect(install).toMatch(/3 minutes on a 2-core machine/);
      for (const need of ['python3', 'make', 'C++20 compiler', "Node's C headers", 'npm config set nodedir', 'npm config set tarball', 'npm config list']) {
        expect(install, need).toContain(need);
      }
    });
  });
});
