/**
 * Every bundled template rendered by the built CLI from real runs (the fixture walks), compared
 * with the files in test/golden/expected/. After a deliberate change, regenerate them with
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/golden
 *
 * and read every changed file before committing it: these files are the documents users get.
 * The eml drafts are also parsed back with mailparser, as a mail client would read them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { parse } from 'yaml';
import type { Playbook } from '../../src/playbook/types.js';
import { escapeHtml } from '../../src/render/formats.js';
import { AN_PHAT, ANH_DUONG, BINH_MINH, fixtureAnswers, HOA_SEN, MINH_KHANG, walkAll } from '../render/fixture-runs.js';

const EXPECTED = join(ROOT, 'test', 'golden', 'expected');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  file: string;
  args: string[];
  /** What stderr must say (besides nothing else): the run picked, a draft without From… */
  stderr?: RegExp[];
}

// Ánh Dương has two runs (onboarding, then NPS): cs says which one it rendered.
const ANH_DUONG_ONBOARDING = [/^using run #1 \(onboarding-30d\); choose another with --run ID$/];

const CASES: GoldenCase[] = [
  { file: 'kickoff-recap.onboarding-30d.md', args: ['kickoff-recap', ANH_DUONG], stderr: ANH_DUONG_ONBOARDING },
  { file: 'kickoff-recap.onboarding-30d.eml', args: ['kickoff-recap', ANH_DUONG, '--format', 'eml'], stderr: ANH_DUONG_ONBOARDING },
  { file: 'kickoff-recap.onboarding-90d.md', args: ['kickoff-recap', HOA_SEN] },
  { file: 'sales-handoff.onboarding-30d.md', args: ['sales-handoff', ANH_DUONG], stderr: ANH_DUONG_ONBOARDING },
  { file: 'sales-handoff.proserv-onboarding.md', args: ['sales-handoff', MINH_KHANG] },
  { file: 'onboarding-review.onboarding-30d.md', args: ['onboarding-review', ANH_DUONG], stderr: ANH_DUONG_ONBOARDING },
  {
    file: 'onboarding-review.onboarding-90d.final.md',
    args: ['onboarding-review', HOA_SEN],
    stderr: [/^using run #2 \(onboarding-90d\), answers of step onboarding-review \(Final review meeting: month 3\); choose another with --step STEP$/],
  },
  { file: 'onboarding-review.onboarding-90d.month-1.md', args: ['onboarding-review', HOA_SEN, '--step', 'review-month-1'] },
  { file: 'onboarding-review.onboarding-90d.month-2.md', args: ['onboarding-review', HOA_SEN, '--step', 'review-month-2'] },
  { file: 'csm-handover.onboarding-30d.md', args: ['csm-handover', ANH_DUONG], stderr: ANH_DUONG_ONBOARDING },
  { file: 'csm-handover.onboarding-30d.html', args: ['csm-handover', ANH_DUONG, '--format', 'html'], stderr: ANH_DUONG_ONBOARDING },
  { file: 'churn-postmortem.churn-response.md', args: ['churn-postmortem', BINH_MINH], stderr: [/^using run #4 \(churn-response\); choose another with --run ID$/] },
  { file: 'winback-email.winback-followup.md', args: ['winback-email', BINH_MINH], stderr: [/^using run #5 \(winback-followup\)/] },
  {
    file: 'winback-email.winback-followup.eml',
    args: ['winback-email', BINH_MINH, '--format', 'eml'],
    stderr: [/^using run #5 \(winback-followup\)/, /^note: the draft has no From address \(the owner "Lan" has none\); your mail client will use your own\. To set it: cs config set user\.email <address> \(or CS_FROM="Name <address>"\)$/],
  },
  { file: 'nps-followup.customer-advocacy.md', args: ['nps-followup', ANH_DUONG], stderr: [/^using run #6 \(customer-advocacy\)/] },
  { file: 'journey-map.journey-mapping.md', args: ['journey-map', AN_PHAT] },
  { file: 'journey-map.journey-mapping.html', args: ['journey-map', AN_PHAT, '--format', 'html'] },
  { file: 'nps-followup.customer-advocacy.eml', args: ['nps-followup', ANH_DUONG, '--format', 'eml'], stderr: [/^using run #6 \(customer-advocacy\)/] },
];

let box: Sandbox;

beforeAll(() => {
  box = sandbox();
  walkAll(box);
});

function render(args: string[]): CliResult {
  const result = box.run(['render', ...args]);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

function compare(file: string, actual: string): void {
  const path = join(EXPECTED, file);
  if (UPDATE) {
    mkdirSync(EXPECTED, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden, then read it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('golden documents', () => {
  for (const golden of CASES) {
    it(golden.file, () => {
      const result = render(golden.args);
      // nothing empty in a fully answered run: no warning at all
      const lines = result.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(golden.stderr?.length ?? 0);
      golden.stderr?.forEach((pattern, index) => expect(lines[index]).toMatch(pattern));
      compare(golden.file, result.stdout);
    });
  }
});

/** Every internal answer of a fixture walk (fields marked audience: internal, and fields of internal steps), as text. */
function internalAnswers(playbookId: string): string[] {
  const playbook = parse(readFileSync(join(ROOT, 'playbooks', `${playbookId}.yaml`), 'utf8')) as Playbook;
  const answers = fixtureAnswers(playbookId);
  return playbook.phases.flatMap((phase) =>
    phase.steps.flatMap((step) =>
      (step.fields ?? [])
        .filter((field) => step.audience === 'internal' || field.audience === 'internal')
        .flatMap((field) => {
          const value = answers[step.id]?.[field.id];
          return (Array.isArray(value) ? value : [value]).filter((each): each is string => typeof each === 'string' && each.length >= 6);
        }),
    ),
  );
}

describe('emails say only what is meant for the customer', () => {
  const emails: [string, string, string][] = [
    ['kickoff-recap', ANH_DUONG, 'onboarding-30d'],
    ['kickoff-recap', HOA_SEN, 'onboarding-90d'],
    ['winback-email', BINH_MINH, 'winback-followup'],
    ['nps-followup', ANH_DUONG, 'customer-advocacy'],
  ];
  for (const [template, account, playbook] of emails) {
    it(`${template} (${playbook}): no internal answer, in any format`, () => {
      const internal = internalAnswers(playbook);
      expect(internal.length).toBeGreaterThan(0);
      for (const format of ['md', 'txt', 'html']) {
        const text = render([template, account, '--format', format]).stdout;
        for (const answer of internal) expect(text, `${format}: ${answer}`).not.toContain(format === 'html' ? escapeHtml(answer) : answer);
      }
    });
  }

  it('kickoff-recap: greets the contact, gives the next meeting with weekday and time, who was there, how to reach support, signed in full', () => {
    const md = render(['kickoff-recap', ANH_DUONG]).stdout;
    expect(md).toMatch(/\n\nDear chị Lan,\n/);
    expect(md).toContain('**Tuesday, 10 November 2026 at 14:00**, as booked at the end of the call.');
    expect(md).toContain('**On the call:**\n\nChị Lan, anh Hùng (Ánh Dương); Tuấn, chị Vy (bên mình)\n');
    expect(md).toContain('## How to reach us\n\nFor any question or problem in the meantime: nhóm Zalo “Ánh Dương – CSKH”');
    expect(md).toMatch(/Best regards,\\\nPhạm Minh Tuấn\\\ntuan\.pham@example\.com\n$/);
    for (const heading of ['Why you chose us', 'The obstacles you face today']) expect(md).not.toContain(heading);
    // without a contact name: a plain greeting; the attendees of the call itself, one a line
    const other = render(['kickoff-recap', HOA_SEN]).stdout;
    expect(other).toMatch(/\n\nHello,\n/);
    expect(other).toContain('Ông Trịnh Quốc Bảo (Hoa Sen Việt)\\\nChị Võ Ngọc Ánh (Hoa Sen Việt)\\\nPhạm Minh Tuấn (bên mình)\n');
  });
});

describe('Markdown documents read back as a Markdown viewer would', () => {
  it('no stray backslash: every hard break is one, and none is left before a list or a blank line', () => {
    for (const golden of CASES.filter((each) => each.file.endsWith('.md'))) {
      const text = new MarkdownIt().parse(readFileSync(join(EXPECTED, golden.file), 'utf8'), {}).flatMap((token) => token.children ?? []).filter((token) => token.type === 'text');
      expect(text.filter((token) => token.content.includes('\\')).map((token) => token.content), golden.file).toEqual([]);
    }
  });

  it('csm-handover: leads with the three things to know, the contacts, the goals and commitments, the renewal; no dump of the preparation questions', () => {
    const text = render(['csm-handover', ANH_DUONG]).stdout;
    const tokens = new MarkdownIt().parse(text, {});
    const headings = tokens.flatMap((token, index) => (token.type === 'heading_open' && token.tag === 'h2' ? [tokens[index + 1]!.content] : []));
    expect(headings.slice(0, 4)).toEqual(['The three things to know', 'Contacts', 'The goals set at kickoff, and where each stands', 'What was promised during the sale, and where each stands']);
    expect(text).toContain('Renewal: **Tuesday, 16 November 2027**.');
    expect(text).not.toContain('What specific problem does the customer need to solve?');
    expect(text).not.toContain('Who will attend, on their side and ours?');
    expect(text).toMatch(/- Prepare the kickoff call: done \d{4}-\d\d-\d\d/);
  });

  it('churn-postmortem: the attendees, typed one per line, stay one per line', () => {
    const tokens = new MarkdownIt().parse(render(['churn-postmortem', BINH_MINH]).stdout, {});
    const label = tokens.findIndex((token) => token.type === 'inline' && token.content === '**Attendees:**');
    const attendees = tokens.slice(label + 1).find((token) => token.type === 'inline')!.children!;
    expect(attendees.map((token) => [token.type, token.content])).toEqual([
      ['text', 'CS: Lan, Tuấn'],
      ['hardbreak', ''],
      ['text', 'Sales: chị Vy'],
      ['hardbreak', ''],
      ['text', 'Kỹ thuật: anh Nam'],
    ]);
  });
});

/** The body of a txt render, without the To:/Subject: lines an email gets on top. */
function textBody(txt: string): string {
  return txt.replace(/^(To: .*\n)?Subject: .*\n\n/, '');
}

function addresses(field: AddressObject | AddressObject[] | undefined): { name: string; address?: string }[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((each) => each.value.map(({ name, address }) => ({ name, address })));
}

describe('eml drafts read back as a mail client would', () => {
  it('kickoff-recap: Vietnamese subject, names and body survive encoding exactly', async () => {
    const eml = render(['kickoff-recap', ANH_DUONG, '--format', 'eml']).stdout;
    const txt = render(['kickoff-recap', ANH_DUONG, '--format', 'txt']).stdout;
    const mail = await simpleParser(eml);
    expect(mail.subject).toBe('Recap of our kickoff call — Công ty Ánh Dương');
    expect(mail.text).toBe(textBody(txt));
    expect(mail.text).toContain('Chị Lan gửi danh sách 40 người dùng trước 2026-11-07.');
    expect(addresses(mail.from)).toEqual([{ name: 'Phạm Minh Tuấn', address: 'tuan.pham@example.com' }]);
    expect(addresses(mail.to)).toEqual([
      { name: 'Chị Nguyễn Thị Lan', address: 'lan.nguyen@anhduong.vn' },
      { name: 'anh Lê Văn Hùng', address: 'hung.le@anhduong.vn' },
    ]);
    expect(mail.headers.get('x-unsent')).toBe('1');
    expect(mail.html).toContain('<h2>Your goals</h2>');
    expect(mail.html).toContain('<li>Phản hồi đầu tiên dưới 2 giờ</li>');
    expect(mail.date?.toISOString()).toBe('2026-11-26T09:00:00.000Z');
  });

  it('winback-email: an owner without an address gives a draft without From', async () => {
    const mail = await simpleParser(render(['winback-email', BINH_MINH, '--format', 'eml']).stdout);
    expect(mail.from).toBeUndefined();
    expect(mail.subject).toBe('What has changed since we last worked together — Công ty Viễn thông Bình Minh');
    expect(addresses(mail.to)).toEqual([{ name: 'Anh Đinh Văn Quang', address: 'quang.dinh@binhminh.vn' }]);
    expect(mail.text).toBe(textBody(render(['winback-email', BINH_MINH, '--format', 'txt']).stdout));
  });

  it('nps-followup: the subject follows the score band; CS_FROM sets From', async () => {
    const result = box.run(['render', 'nps-followup', ANH_DUONG, '--format', 'eml'], { env: { CS_FROM: 'Đội CSKH <cskh@example.com>' } });
    expect(result.code).toBe(0);
    const mail = await simpleParser(result.stdout);
    expect(mail.subject).toBe('Your feedback, and what we are doing about it — Công ty Ánh Dương');
    expect(addresses(mail.from)).toEqual([{ name: 'Đội CSKH', address: 'cskh@example.com' }]);
    expect(mail.text).toContain('> Báo cáo tuần hay bị chậm, và tôi phải nhắc nhiều lần mới được hỗ trợ.');
  });
});
