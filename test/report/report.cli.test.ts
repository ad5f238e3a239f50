/** `cs report` and the health column of `cs status`, end to end on the book of ./book.ts (today 2026-11-26). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookReport } from '../../src/engine/report.js';
import { sandbox } from '../support/cli.js';
import { expectSuccess } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';
import { reportBook } from './book.js';

/** The line of the step table that starts with `title`, split into its columns. */
function row(stdout: string, title: string): string[] {
  const line = stdout.split('\n').find((each) => each.trimStart().startsWith(`${title}  `));
  expect(line, `no row for ${title} in\n${stdout}`).toBeDefined();
  return line!.trim().slice(title.length).trim().split(/\s{2,}/);
}

describe('cs report', () => {
  const box = reportBook();

  it('prints per playbook and step: reached, done, skipped, days median / p90, on time, days late, waiting now', () => {
    const result = box.run(['report']);
    expectSuccess(result);
    const out = result.stdout;
    expect(out).toMatch(/^Journey report, 2026-11-26 · stuck = overdue with no commit for 14 days/);
    expect(out).toContain('30-day onboarding (onboarding-30d) · 3 runs: 3 open, 0 finished');
    expect(out).toContain('open runs: 1 on track, 1 behind, 1 stuck');
    // days 1 and 4: median 2.5, p90 4; one of two on time; Acme 2 days late
    expect(row(out, 'Handoff from Sales')).toEqual(['2', '2', '0', '2.5 / 4', '50%', '2', '—']);
    // Ánh Dương: 7 days after the handoff, 4 days late; Acme waits here since 11-24
    expect(row(out, 'Prepare the kickoff call')).toEqual(['2', '1', '0', '7 / 7', '0%', '4', '1 · 2 d']);
    expect(row(out, 'Kickoff call')).toEqual(['1', '0', '0', '—', '—', '—', '1 · 17 d']);
    expect(out).toContain('most open runs wait at: Prepare the kickoff call — 1 run, median 2 days so far');
    expect(out).toContain('Churn response and lessons learned (churn-response) · 1 run: 1 open, 0 finished');
    expect(out).toMatch(/Stuck runs \(1\)/);
    expect(out).toMatch(/#1\s+Công ty Ánh Dương\s+lan\s+onboarding-30d\s+at Kickoff call\s+8 steps overdue since 2026-11-06\s+no commit for 17 days/);
    expect(out).not.toMatch(/#2\s+Acme/);
  });

  it('--json: the same figures, every open run with its health', () => {
    const report = JSON.parse(box.run(['report', '--json']).stdout) as BookReport;
    const onboarding = report.playbooks.find((each) => each.playbookId === 'onboarding-30d')!;
    expect(onboarding.steps[0]).toMatchObject({ stepId: 'sales-handoff', reached: 2, done: 2, days: { count: 2, median: 2.5, p90: 4 }, onTimeRate: 0.5, daysLate: { median: 2 } });
    expect(onboarding.stall).toMatchObject({ stepId: 'kickoff-prep', runs: 1, medianDays: 2 });
    expect(report.runs.map((run) => [run.runId, run.health, run.daysSinceCommit])).toEqual([
      [1, 'stuck', 17],
      [2, 'behind', 2],
      [4, 'on track', 6],
      [3, 'on track', 1],
    ]);
  });

  it('--stuck-days and CS_STUCK_DAYS set N; --owner, --playbook and --since narrow the runs', () => {
    const lenient = JSON.parse(box.run(['report', '--json', '--stuck-days', '20']).stdout) as BookReport;
    expect(lenient.runs.find((run) => run.runId === 1)!.health).toBe('behind');
    const strict = JSON.parse(box.run(['report', '--json'], { env: { CS_STUCK_DAYS: '2' } }).stdout) as BookReport;
    expect(strict.runs.filter((run) => run.health === 'stuck').map((run) => run.runId)).toEqual([1, 2]);
    const minh = JSON.parse(box.run(['report', '--json', '--owner', 'MINH']).stdout) as BookReport;
    expect(minh.runs.map((run) => run.account)).toEqual(['Acme <script>']);
    const churn = box.run(['report', '--playbook', 'churn-response']);
    expect(churn.stdout).toContain('Churn response and lessons learned');
    expect(churn.stdout).not.toContain('30-day onboarding');
    const since = JSON.parse(box.run(['report', '--json', '--since', '2026-11-20']).stdout) as BookReport;
    expect(since.runs.map((run) => run.runId).sort()).toEqual([2, 3, 4]);
    expect(box.run(['report', '--owner', 'nobody']).stdout).toContain('No runs match.');
  });

  it('under CS_LANG=vi: Vietnamese words, the translations\' titles, dates 06/11/2026 and 2,5; --json the same data as in English, its field names and stored titles English', () => {
    const VI = { CS_LANG: 'vi' };
    const result = box.run(['report', '--since', '2026-11-01'], { env: VI });
    expectSuccess(result);
    const out = result.stdout;
    expect(out).toMatch(/^Báo cáo hành trình, 26\/11\/2026 · lượt bắt đầu từ 01\/11\/2026 · bị tắc = trễ hạn và 14 ngày không có cập nhật/);
    expect(out).toContain('Quy trình onboarding 30 ngày (onboarding-30d) · 3 lượt: 3 đang mở, 0 đã hoàn tất');
    expect(out).toContain('lượt đang mở: 1 đúng tiến độ, 1 chậm tiến độ, 1 bị tắc');
    expect(row(out, 'Chuyển giao khách hàng từ Sales')).toEqual(['2', '2', '0', '2,5 / 4', '50%', '2', '—']);
    expect(row(out, 'Chuẩn bị cuộc gọi khởi động')).toEqual(['2', '1', '0', '7 / 7', '0%', '4', '1 · 2 ngày']);
    expect(out).toContain('phần lớn lượt đang mở dừng ở: Chuẩn bị cuộc gọi khởi động — 1 lượt, trung vị đến nay 2 ngày');
    expect(out).toMatch(/#1\s+Công ty Ánh Dương\s+lan\s+onboarding-30d\s+ở Cuộc gọi khởi động \(kickoff call\)\s+8 bước trễ hạn từ 06\/11\/2026\s+17 ngày không có cập nhật/);
    expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}|\b(runs?|open|finished|on track|behind|stuck|median|days?)\b|Handoff|Kickoff call|onboarding \(/);

    const english = JSON.parse(box.run(['report', '--json']).stdout) as BookReport;
    const vietnamese = JSON.parse(box.run(['report', '--json'], { env: VI }).stdout) as BookReport;
    expect(vietnamese).toEqual(english);
    expect(vietnamese.playbooks.find((each) => each.playbookId === 'onboarding-30d')).toMatchObject({ title: '30-day onboarding', health: { 'on track': 1, behind: 1, stuck: 1 } });
  });

  it('refuses bad input with exit 2 and says what is expected', () => {
    for (const [args, message] of [
      [['--since', '2026-02-30'], /--since: 2026-02-30 is not a real date/],
      [['--stuck-days', '0'], /--stuck-days must be a whole number of days from 1/],
      [['--json', '--html', 'x.html'], /--json and --html cannot be used together/],
      [['--html', join(tempDir(), 'missing', 'r.html')], /the folder .* does not exist/],
    ] as const) {
      const result = box.run(['report', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('on a new machine says there is nothing to report, and creates no database', () => {
    const fresh = sandbox();
    const result = fresh.run(['report']);
    expectSuccess(result);
    expect(result.stdout).toContain('No runs match.');
    expect(() => readFileSync(fresh.db)).toThrow(/ENOENT/);
  });
});

describe('cs status: on track / behind / stuck', () => {
  const box = reportBook();

  it('says it after the step counts, and --json has it as health', () => {
    const text = box.run(['status']).stdout;
    expect(text).toMatch(/Công ty Ánh Dương[\s\S]*2 done · 0 skipped · 12 open · 8 overdue · stuck \(no commit for 17 days\)/);
    expect(text).toMatch(/Acme <script>[\s\S]*1 done · 0 skipped · 13 open · 2 overdue · behind/);
    expect(text).toMatch(/Beta & Co[\s\S]*0 overdue · on track/);
    const runs = JSON.parse(box.run(['status', '--json']).stdout) as { id: number; health: string; daysSinceCommit: number }[];
    expect(Object.fromEntries(runs.map((run) => [run.id, run.health]))).toEqual({ 1: 'stuck', 2: 'behind', 3: 'on track', 4: 'on track' });
    const lenient = JSON.parse(box.run(['status', '--json', '--stuck-days', '30']).stdout) as { id: number; health: string }[];
    expect(lenient.find((run) => run.id === 1)!.health).toBe('behind');
  });
});
