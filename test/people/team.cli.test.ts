/**
 * People and the team, through the built CLI: `cs team add|list|set`, who made each commit
 * (status --json, the post-mortem's timeline), the acting user's agenda by default and `--team`,
 * role owners resolved through the account's team, and the handover that moves an account from
 * one person's agenda to another's (two users, CS_USER).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { answersFile } from '../render/fixture-runs.js';

const LAN = 'Nguyễn Thị Lan';
const MINH = 'Trần Văn Minh';
const ACCOUNT = 'Công ty Ánh Dương';

function cs(box: Sandbox, args: string[], env?: Record<string, string | undefined>): CliResult {
  const result = box.run(args, { env });
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result;
}

function ok(box: Sandbox, args: string[], env?: Record<string, string | undefined>): string {
  const result = cs(box, args, env);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  return result.stdout;
}

/** Lan (the onboarding specialist) and Minh (the CSM). */
function team(): Sandbox {
  const box = sandbox();
  ok(box, ['team', 'add', 'lan', '--name', LAN, '--email', 'lan@anhduong.vn', '--role', 'cos']);
  ok(box, ['team', 'add', 'minh', '--name', MINH, '--email', 'minh@anhduong.vn', '--role', 'csm']);
  return box;
}

/** The account with an onboarding run and a customer-advocacy run, imported by Lan (empty owner cells), its team set. */
function bookOfLan(box: Sandbox): void {
  const csv = join(box.home, 'book.csv');
  writeFileSync(csv, `name,owner,playbook,start\n${ACCOUNT},,onboarding-30d,2026-11-20\n${ACCOUNT},,customer-advocacy,2026-11-20\n`);
  ok(box, ['accounts', 'import', csv], { CS_USER: 'lan' });
  ok(box, ['accounts', 'set', ACCOUNT, '--cos', 'lan', '--csm', 'minh']);
}

interface AgendaLine {
  account: string;
  playbook: string;
  stepId: string;
  owner: string | null;
}

function agendaOf(box: Sandbox, user: string | undefined, extra: string[] = []): AgendaLine[] {
  return JSON.parse(ok(box, ['agenda', '--days', '60', '--json', ...extra], { CS_USER: user })) as AgendaLine[];
}

describe('cs team', () => {
  it('add, list and set: handles unique in any case, people found by handle, name (any normalisation) or address', () => {
    const box = team();
    const listed = JSON.parse(ok(box, ['team', 'list', '--json']));
    expect(listed).toEqual([
      { handle: 'lan', name: LAN, email: 'lan@anhduong.vn', role: 'cos' },
      { handle: 'minh', name: MINH, email: 'minh@anhduong.vn', role: 'csm' },
    ]);
    expect(ok(box, ['team', 'list'])).toMatch(new RegExp(`^HANDLE +NAME +EMAIL +ROLE\\nlan +${LAN} +lan@anhduong.vn +onboarding specialist \\(COS\\)\\n`));

    const taken = cs(box, ['team', 'add', 'LAN', '--name', 'Someone else']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('the handle lan is someone');
    const sameAddress = cs(box, ['team', 'add', 'lan2', '--name', 'Lan Hai', '--email', 'LAN@anhduong.vn']);
    expect(sameAddress.code).toBe(2);
    expect(sameAddress.stderr).toContain('is the address of lan already');

    // found by the name in NFD and upper case, changed; the email removed with ''
    ok(box, ['team', 'set', LAN.normalize('NFD').toUpperCase(), '--role', 'lead', '--email', '']);
    expect(JSON.parse(ok(box, ['team', 'list', '--json']))[0]).toEqual({ handle: 'lan', name: LAN, email: null, role: 'lead' });
    ok(box, ['team', 'set', 'minh@anhduong.vn', '--name', 'Trần Văn Minh Anh']);
    expect(JSON.parse(ok(box, ['team', 'list', '--json']))[1].name).toBe('Trần Văn Minh Anh');

    const unknown = cs(box, ['team', 'set', 'Nguyen Thi Lan', '--role', 'csm']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`cs: nobody on the team is "Nguyen Thi Lan"\nDid you mean ${LAN}? List the team with: cs team list\n`);
  });

  it('refuses bad input with exit 2 and a sentence, before anything is written', () => {
    const box = sandbox();
    const cases: [string[], string][] = [
      [['team', 'add', 'lan tran', '--name', LAN], 'a handle is letters, digits'],
      [['team', 'add', 'lan'], 'a person needs a name: give --name'],
      [['team', 'add', 'lan', '--name', LAN, '--email', 'lan@'], '--email must be an email address'],
      [['team', 'add', 'lan', '--name', LAN, '--role', 'boss'], '--role must be one of cos, csm, lead, sales; got "boss"'],
      [['team', 'add', 'lan', '--name', 'Lan <lan@x.vn>'], 'the name must be the name alone'],
      [['team', 'add', 'lan', '--name', 'Lan\u001b[31m'], 'the name contains control characters'],
      [['team', 'set', 'lan'], 'nothing to change: give --name, --email or --role'],
      [['agenda', '--team', '--owner', 'lan'], '--team and --owner cannot be used together'],
    ];
    for (const [args, message] of cases) {
      const result = cs(box, args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    expect(JSON.parse(ok(box, ['team', 'list', '--json']))).toEqual([]);
  });

  it('two people of one name: the name is ambiguous, the handle is not', () => {
    const box = sandbox();
    ok(box, ['team', 'add', 'an1', '--name', 'Nguyễn Văn An']);
    ok(box, ['team', 'add', 'an2', '--name', 'Nguyễn Văn An']);
    const result = cs(box, ['team', 'set', 'Nguyễn Văn An', '--role', 'csm']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"Nguyễn Văn An" could be any of an1, an2');
    ok(box, ['team', 'set', 'an2', '--role', 'csm']);
  });

  it('speaks Vietnamese, its --help too', () => {
    const box = sandbox();
    expect(ok(box, ['team', 'list'], { CS_LANG: 'vi' })).toContain('Nhóm chưa có ai');
    expect(ok(box, ['team', 'add', '--help'], { CS_LANG: 'vi' })).toContain('họ tên đầy đủ, như khi ký (bắt buộc)');
    expect(ok(box, ['agenda', '--help'], { CS_LANG: 'vi' })).toContain('các bước của mọi người, nhóm theo từng người');
  });
});

describe('roles, the acting user and the handover', () => {
  it("a step naming a role is the account's person of that role; the agenda is the acting user's by default", () => {
    const box = team();
    bookOfLan(box);
    const lans = agendaOf(box, 'lan');
    // the onboarding steps are the COS's (Lan), the advocacy run is Lan's: she started it (an empty owner cell)
    expect(lans.length).toBeGreaterThan(5);
    expect(new Set(lans.map((entry) => entry.owner))).toEqual(new Set(['lan']));
    expect(new Set(lans.map((entry) => entry.playbook))).toEqual(new Set(['onboarding-30d', 'customer-advocacy']));
    expect(agendaOf(box, 'minh')).toEqual([]);
    // without a user: everyone's, as before; --owner finds Lan by her name
    expect(agendaOf(box, undefined)).toEqual(lans);
    expect(agendaOf(box, 'minh', ['--owner', LAN])).toEqual(lans);
    // the COS changes: the role's steps follow the account's team, the run's own steps stay Lan's
    ok(box, ['accounts', 'set', ACCOUNT, '--cos', 'minh']);
    const moved = agendaOf(box, 'minh');
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved.map((entry) => entry.playbook))).toEqual(new Set(['onboarding-30d']));
    const unknown = cs(box, ['accounts', 'set', ACCOUNT, '--csm', 'hoa']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nobody on the team is "hoa"');
  });

  it("finishing the handover hands the account to the CSM: it leaves Lan's agenda and shows on Minh's", () => {
    const box = team();
    bookOfLan(box);
    expect(agendaOf(box, 'minh')).toEqual([]);
    const walked = cs(box, ['resume', ACCOUNT, '--playbook', 'onboarding-30d', '--answers', answersFile('onboarding-30d'), '--no-input'], { CS_USER: 'lan' });
    expect(walked.stderr).toBe('');
    expect(walked.code).toBe(0);
    expect(walked.stdout).toContain(`✓ ${ACCOUNT} is now ${MINH}'s (customer-success manager (CSM)): the account and its later runs are theirs.`);
    // the team's CSM, not the name typed in the handover note: no second handover
    expect(walked.stdout).not.toContain('Handed over:');
    expect(agendaOf(box, 'lan')).toEqual([]);
    const minhs = agendaOf(box, 'minh');
    expect(minhs.length).toBeGreaterThan(0);
    expect(new Set(minhs.map((entry) => `${entry.playbook} ${entry.owner}`))).toEqual(new Set(['customer-advocacy minh']));
    const accounts = JSON.parse(ok(box, ['accounts', 'list', '--owner', MINH, '--json'])) as { name: string; owner: string }[];
    expect(accounts.map((account) => [account.name, account.owner])).toEqual([[ACCOUNT, 'minh']]);

    // who did what: every commit of the run is Lan's; the handover is recorded with whom it went to
    const [onboarding] = JSON.parse(ok(box, ['status', ACCOUNT, '--json'])) as {
      playbook: { id: string };
      startedBy: string;
      stepList: { id: string; status: string; by: string | null; role: string | null }[];
      commits: { by: string | null; event: string; stepId: string | null; detail: string | null }[];
    }[];
    expect(onboarding!.playbook.id).toBe('onboarding-30d');
    expect(onboarding!.startedBy).toBe('lan');
    expect(onboarding!.stepList.find((step) => step.id === 'csm-handover')).toMatchObject({ status: 'done', by: 'lan', role: 'cos' });
    expect(onboarding!.commits.length).toBeGreaterThan(20);
    expect(new Set(onboarding!.commits.map((commit) => commit.by))).toEqual(new Set(['lan']));
    expect(onboarding!.commits.filter((commit) => commit.event === 'handover')).toEqual([expect.objectContaining({ stepId: 'csm-handover', detail: 'minh' })]);
    expect(onboarding!.commits.at(-1)!.event).toBe('finish');
  });

  it('--team: everyone, a section a person, team members by name, steps nobody owns last', () => {
    const box = team();
    bookOfLan(box);
    const betaBook = join(box.home, 'beta.csv');
    writeFileSync(betaBook, 'name,owner,playbook,start\nBeta Telecom,,customer-advocacy,2026-11-30\n');
    ok(box, ['accounts', 'import', betaBook], { CS_USER: 'minh' });
    // a run nobody owns: imported with an empty owner cell, and no acting user
    const csv = join(box.home, 'gamma.csv');
    writeFileSync(csv, 'name,owner,playbook,start\nGamma,,customer-advocacy,2026-11-30\n');
    ok(box, ['accounts', 'import', csv]);
    const text = ok(box, ['agenda', '--team', '--days', '60', '--all']);
    const headings = text.split('\n').filter((line) => /^[^\s]/.test(line) && !/^\w{3} \d{4}-/.test(line) && !/ steps? /.test(line));
    expect(headings).toEqual([`${LAN} (lan)`, `${MINH} (minh)`, 'Nobody (no owner)']);
    expect(text).toMatch(new RegExp(`steps? for ${LAN} \\(lan\\): `));
    expect(JSON.parse(ok(box, ['agenda', '--team', '--days', '60', '--json'])).length).toBe(agendaOf(box, undefined).length);
    // one's own agenda holds the steps nobody owns (they are nobody else's), not another person's
    const lans = new Set(agendaOf(box, 'lan').map((entry) => entry.account));
    expect(lans).toEqual(new Set([ACCOUNT, 'Gamma']));
  });
});

describe('a playbook naming roles', () => {
  it('validate accepts owner: and handover: of a role, and says which roles there are otherwise', () => {
    const folder = join(sandbox().home, 'playbooks');
    mkdirSync(folder);
    const file = join(folder, 'roles.yaml');
    writeFileSync(file, 'id: roles\ntitle: Roles\nkind: other\nversion: 1\nphases:\n  - id: p\n    title: P\n    due: 7d\n    steps:\n      - id: a\n        title: A\n        owner: csm\n        handover: lead\n      - id: b\n        title: B\n        owner: boss\n');
    const result = sandbox().run(['playbooks', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/roles\.yaml:16:16 phases\[0\]\.steps\[1\]\.owner must be one of cos, csm, lead, sales; got "boss"/);
    expect(result.stdout + result.stderr).not.toMatch(/:1[23]:/);
  });
});

describe('documents: who did what', () => {
  it("the post-mortem's timeline names who did each step, as its commit recorded", () => {
    const box = team();
    // Lan's run, walked by Minh: the minutes say Minh did the steps
    ok(box, ['churn', 'start', 'Beta Telecom', '--owner', 'lan', '--answers', answersFile('churn-response'), '--no-input', '--no-winback'], { CS_USER: 'minh' });
    const minutes = ok(box, ['render', 'churn-postmortem', 'Beta Telecom']);
    expect(minutes).toMatch(new RegExp(`^- [^\\n]* · [^\\n]+: done by ${MINH}$`, 'm'));
    expect(minutes).not.toContain(`done by ${LAN}`);
  });
});
