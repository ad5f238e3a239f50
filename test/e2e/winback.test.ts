/** Seed 002: a finished churn response schedules the win-back call 1–2 months out, on the agenda. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daysBetween } from '../../src/engine/dates.js';
import { ROOT, sandbox } from '../support/cli.js';

const CHURN_ANSWERS = join(ROOT, 'test', 'fixtures', 'answers', 'churn-response.yaml');
const ACCOUNT = 'Công ty Viễn thông Bình Minh';

interface RunJson {
  id: number;
  playbook: { id: string };
  status: string;
  startDate: string;
  next: { id: string; due: string } | null;
}

describe('churn response → win-back follow-up', () => {
  it('finishing a churn run without prompts schedules a win-back run from the churn date, its call 30–60 days after it, on the agenda', () => {
    const box = sandbox();
    const result = box.run(['churn', 'start', ACCOUNT, '--answers', CHURN_ANSWERS, '--no-input']);
    expect(result.code).toBe(0);
    // day 0 is the day the customer left (last-support.churn-date of the fixture), not the day the run finished
    expect(result.stdout).toMatch(/Scheduled run #2 of winback-followup for Công ty Viễn thông Bình Minh from 2026-10-31/);
    const runs = JSON.parse(box.run(['status', ACCOUNT, '--json']).stdout) as RunJson[];
    expect(runs.map((run) => [run.playbook.id, run.status, run.startDate])).toEqual([
      ['churn-response', 'finished', '2026-11-26'],
      ['winback-followup', 'open', '2026-10-31'],
    ]);
    const agenda = JSON.parse(box.run(['agenda', '--days', '70', '--json']).stdout) as { account: string; playbook: string; stepId: string; due: string }[];
    const call = agenda.find((entry) => entry.stepId === 'winback-call');
    expect(call).toMatchObject({ account: ACCOUNT, playbook: 'winback-followup' });
    // the call itself falls 1–2 months after the churn date (seed 002), however late the churn run finished
    const days = daysBetween('2026-10-31', call!.due);
    expect(days).toBeGreaterThanOrEqual(30);
    expect(days).toBeLessThanOrEqual(60);
  });

  it('--no-winback declines; a second churn run does not schedule a second open win-back', () => {
    const box = sandbox();
    expect(box.run(['churn', 'start', ACCOUNT, '--answers', CHURN_ANSWERS, '--no-input', '--no-winback']).code).toBe(0);
    let runs = JSON.parse(box.run(['status', ACCOUNT, '--json']).stdout) as RunJson[];
    expect(runs.map((run) => run.playbook.id)).toEqual(['churn-response']);

    expect(box.run(['run', 'churn-response', 'Beta', '--answers', CHURN_ANSWERS, '--no-input']).code).toBe(0);
    const again = box.run(['run', 'churn-response', 'Beta', '--answers', CHURN_ANSWERS, '--no-input']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already open for Beta; nothing new scheduled');
    runs = JSON.parse(box.run(['status', 'Beta', '--json']).stdout) as RunJson[];
    expect(runs.filter((run) => run.playbook.id === 'winback-followup')).toHaveLength(1);
  });
});
