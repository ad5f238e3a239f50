/** `cs shift`, end to end: what moves, what it prints, business days over Tết, --from, --dry-run, --undo. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import { expectSuccess, statusJson } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';
import { reportBook } from './book.js';

const dues = (box: ReturnType<typeof sandbox>, account: string) =>
  Object.fromEntries(statusJson(box, account)[0]!.stepList.map((step) => [step.id, (step as unknown as { due: string }).due]));

describe('cs shift', () => {
  it('moves every open due date of the run, prints old → new with weekdays, leaves done steps alone', () => {
    const box = reportBook();
    const before = dues(box, 'Acme <script>');
    const result = box.run(['shift', 'Acme <script>', '+5d']);
    expectSuccess(result);
    expect(result.stdout).toMatch(/^Moved Acme <script>'s run #2 \(30-day onboarding\) by \+5d:/);
    expect(result.stdout).toMatch(/Prepare the kickoff call\s+Tue 2026-11-24\s+→\s+Sun 2026-11-29/);
    expect(result.stdout).not.toContain('Handoff from Sales'); // done: not moved
    expect(result.stdout).toContain('13 due dates moved. Put them back with: cs shift --undo "Acme <script>"');
    const after = dues(box, 'Acme <script>');
    expect(after['sales-handoff']).toBe(before['sales-handoff']);
    expect(after['kickoff-prep']).toBe('2026-11-29');
    // the playbook's csm-handover is due 26d after the start (v2 content: before the introduction on day 28): 2026-12-16, +5d
    expect(after['csm-handover']).toBe('2026-12-21');
  });

  it('-2d and +1w; --from moves only that step and the open ones after it', () => {
    const box = reportBook();
    expectSuccess(box.run(['shift', 'Acme <script>', '-2d']));
    expect(dues(box, 'Acme <script>')['kickoff-prep']).toBe('2026-11-22');
    const from = box.run(['shift', 'Acme <script>', '+1w', '--from', 'setup']);
    expectSuccess(from);
    expect(from.stdout).not.toContain('Prepare the kickoff call');
    const after = dues(box, 'Acme <script>');
    expect([after['kickoff-prep'], after['recap-email'], after.setup]).toEqual(['2026-11-22', '2026-11-24', '2026-12-04']);
  });

  it('+Nbd counts worked days only: weekends and the Tết holiday are skipped; CS_HOLIDAYS adds days off', () => {
    const box = sandbox();
    const csv = join(tempDir(), 'book.csv');
    writeFileSync(csv, 'name,owner,playbook,start\nTết Co,lan,onboarding-30d,2027-01-27\n');
    expectSuccess(box.run(['accounts', 'import', csv]));
    // sales-handoff due Fri 2027-01-29: +5bd skips the weekend, then Tết (Fri 02-05 to Tue 02-09)
    const result = box.run(['shift', 'Tết Co', '+5bd', '--dry-run']);
    expectSuccess(result);
    expect(result.stdout).toMatch(/Handoff from Sales\s+Fri 2027-01-29\s+→\s+Wed 2027-02-10/);
    expect(result.stdout).toContain('Dry run: nothing changed.');
    expect(dues(box, 'Tết Co')['sales-handoff']).toBe('2027-01-29');
    const holidays = join(tempDir(), 'days-off.txt');
    writeFileSync(holidays, '# company days off\n2027-02-01 team retreat\n2027-02-02\n');
    const more = box.run(['shift', 'Tết Co', '+5bd', '--dry-run'], { env: { CS_HOLIDAYS: holidays } });
    expect(more.stdout).toMatch(/Handoff from Sales\s+Fri 2027-01-29\s+→\s+Fri 2027-02-12/);
    writeFileSync(holidays, '2027-02-01\nFebruary 2\n');
    const bad = box.run(['shift', 'Tết Co', '+1bd'], { env: { CS_HOLIDAYS: holidays } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/days-off\.txt:2: a day off must be a date written YYYY-MM-DD; got "February"/);
  });

  it('--undo puts back the last shift only, once; a step done since keeps its date', () => {
    const box = reportBook();
    const original = dues(box, 'Acme <script>');
    expectSuccess(box.run(['shift', 'Acme <script>', '+2d']));
    expectSuccess(box.run(['shift', 'Acme <script>', '+1w']));
    const undo = box.run(['shift', '--undo', 'Acme <script>']);
    expectSuccess(undo);
    expect(undo.stdout).toMatch(/^Undid the shift of Acme <script>'s run #2 by \+1w/);
    expect(undo.stdout).toMatch(/Prepare the kickoff call\s+Thu 2026-12-03\s+→\s+Thu 2026-11-26/);
    expectSuccess(box.run(['shift', '--undo', 'Acme <script>']));
    expect(dues(box, 'Acme <script>')).toEqual(original);
    const nothing = box.run(['shift', '--undo', 'Acme <script>']);
    expectSuccess(nothing);
    expect(nothing.stdout).toContain('Nothing to undo');
  });

  it('--undo under CS_LANG=vi says the steps by their Vietnamese titles, and the shift\'s day as Vietnamese write it', () => {
    const box = reportBook();
    const VI = { CS_LANG: 'vi' };
    expectSuccess(box.run(['shift', 'Acme <script>', '+2d'], { env: VI }));
    const undo = box.run(['shift', '--undo', 'Acme <script>'], { env: VI });
    expectSuccess(undo);
    expect(undo.stdout).toMatch(/^Đã trả lại lần dời \+2d của lượt #2 của Acme <script> \(dời lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC\):/);
    expect(undo.stdout).toMatch(/Chuẩn bị cuộc gọi khởi động\s+Thứ Năm, 26\/11\/2026\s+→\s+Thứ Ba, 24\/11\/2026/);
    expect(undo.stdout).not.toMatch(/Prepare the kickoff call|Kickoff call|\d{4}-\d{2}-\d{2}/);
  });

  it('refuses with exit 2: a bad offset, an unknown step, an unknown option, a finished or missing run, several open runs without --run', () => {
    const box = reportBook();
    const cases: [string[], RegExp][] = [
      [['shift', 'Acme <script>', '+5x'], /OFFSET must be a non-zero number of days \(d\), weeks \(w\) or business days \(bd\)/],
      [['shift', 'Acme <script>', '0d'], /OFFSET must be a non-zero/],
      [['shift', '+5d', 'Acme <script>'], /the account comes first, then the offset/],
      [['shift', 'Acme <script>'], /missing OFFSET/],
      [['shift', 'Acme <script>', '+1d', '--from', 'nope'], /--from: the playbook onboarding-30d has no step "nope"/],
      [['shift', 'Acme <script>', '--frm'], /unknown option '--frm'/],
      [['shift', 'Acme <script>', '+1d', '--run', '3'], /Acme <script> has no open run #3[\s\S]*Open runs: #2/],
      [['shift', 'Nobody', '+1d'], /unknown account "Nobody"/],
      [['shift', '--undo', 'Acme <script>', '+1d'], /--undo takes no OFFSET/],
    ];
    for (const [args, message] of cases) {
      const result = box.run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    const csv = join(tempDir(), 'more.csv');
    writeFileSync(csv, 'name,owner,playbook,start\nAcme <script>,minh,churn-response,2026-11-25\n');
    expectSuccess(box.run(['accounts', 'import', csv]));
    const several = box.run(['shift', 'Acme <script>', '+1d']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/has 2 open runs; say which with --run[\s\S]*#2 \(onboarding-30d[\s\S]*#5 \(churn-response/);
    expectSuccess(box.run(['shift', 'Acme <script>', '+1d', '--run', '5']));
  });

  it('leaves alone a step that does not apply and one waiting on its anchor (no due date yet), also in --dry-run and --undo', () => {
    const box = reportBook();
    // Beta's churn response: the on-site visit does not apply; last support and the post-mortem wait on the notice
    const before = dues(box, 'Beta & Co');
    const dry = box.run(['shift', 'Beta & Co', '+2bd', '--dry-run']);
    expectSuccess(dry);
    expect(dry.stdout).toContain('Would move');
    expect(dry.stdout).not.toMatch(/on site|one last time|Post-mortem|internal meeting/i);
    expect(dry.stdout).toContain('4 due dates');
    const moved = box.run(['shift', 'Beta & Co', '+1d']);
    expectSuccess(moved);
    expect(moved.stdout).not.toMatch(/on site|one last time|Post-mortem|internal meeting/i);
    expect(moved.stdout).toContain('4 due dates moved');
    const after = dues(box, 'Beta & Co');
    expect(after['churn-signals']).toBe('2026-11-27');
    for (const step of ['onsite-visit', 'last-support', 'postmortem-setup', 'postmortem-meeting']) expect(after[step], step).toBe(before[step]);
    const undone = box.run(['shift', '--undo', 'Beta & Co']);
    expectSuccess(undone);
    expect(undone.stdout).toContain('4 due dates put back');
    expect(dues(box, 'Beta & Co')).toEqual(before);
  });
});
