/**
 * The bundled content does what the seeds say, walked end to end with answers files and read back
 * from the documents it renders: the NPS band computed from the score (003), the detractor called
 * back within 2 business days, the win-back call 30–60 days after the churn date (002).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT, sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

function fixture(playbook: string): Record<string, Record<string, unknown>> {
  return parse(readFileSync(join(ROOT, 'test', 'fixtures', 'answers', `${playbook}.yaml`), 'utf8'));
}

function answersFile(data: unknown): string {
  const file = join(tempDir(), 'answers.yaml');
  writeFileSync(file, stringify(data));
  return file;
}

function stepOf(box: ReturnType<typeof sandbox>, account: string, stepId: string) {
  const runs = JSON.parse(box.run(['status', account, '--json']).stdout);
  return runs[runs.length - 1].stepList.find((step: { id: string }) => step.id === stepId);
}

describe('customer-advocacy (seed 003)', () => {
  it('a score of 9 is a promoter: the band is computed, the follow-up thanks them and asks for a review', () => {
    const box = sandbox();
    const answers = fixture('customer-advocacy');
    answers['nps-survey']!.score = 9;
    delete answers['detractor-callback'];
    delete answers['tell-what-changed'];
    const result = box.run(['run', 'customer-advocacy', 'Công ty Ánh Dương', '--answers', answersFile(answers), '--no-input', '--start', '2026-11-16']);
    expect(result.code, result.stderr).toBe(0);
    expect(stepOf(box, 'Công ty Ánh Dương', 'nps-survey').answers.band).toBe('promoter');
    expect(stepOf(box, 'Công ty Ánh Dương', 'detractor-callback').applicable).toBe(false);
    const email = box.run(['render', 'nps-followup', 'Công ty Ánh Dương']).stdout;
    expect(email).toContain('Subject: Thank you for your feedback');
    expect(email).toContain('We are delighted you would recommend us');
    expect(email).not.toContain('We are sorry');
    expect(email).not.toContain('## What we are changing');
  });

  it('a score of 6 is a detractor: called back within 2 business days of the answer, told what changed', () => {
    const box = sandbox();
    const answers = fixture('customer-advocacy');
    // played out before any run: the survey is answered on its due day (Thu 19), the callback 2 business days later
    const preview = JSON.parse(box.run(['playbooks', 'preview', 'customer-advocacy', '--answers', answersFile({ 'nps-survey': answers['nps-survey'] }), '--start', '2026-11-16', '--json']).stdout);
    const callback = preview.steps.find((step: { id: string }) => step.id === 'detractor-callback');
    expect(callback).toMatchObject({ applicable: true, due: '2026-11-23', anchor: '2bd after "NPS survey"' });
    expect(preview.steps.find((step: { id: string }) => step.id === 'nps-survey').due).toBe('2026-11-19');
    const full = sandbox();
    const walked = full.run(['run', 'customer-advocacy', 'Beta', '--answers', answersFile(answers), '--no-input', '--start', '2026-11-16']);
    expect(walked.code, walked.stderr).toBe(0);
    const email = full.run(['render', 'nps-followup', 'Beta']).stdout;
    expect(email).toContain('We are sorry we have not lived up to your expectations');
    expect(email).not.toContain('We are delighted');
    expect(stepOf(full, 'Beta', 'tell-what-changed')).toMatchObject({ applicable: true, status: 'done' });
  });
});


describe('churn-response (seed 002)', () => {
  it('anchored on the notice date; the on-site visit only when remote fixing failed; the minutes tell the case from the run log; proposals on the agenda until done', () => {
    const box = sandbox();
    const answers = fixture('churn-response');
    answers['engineering-push']!['remote-fix'] = 'worked';
    delete answers['onsite-visit'];
    const result = box.run(['churn', 'start', 'Bình Minh', '--answers', answersFile(answers), '--no-input', '--no-winback', '--owner', 'Lan', '--start', '2026-10-01']);
    expect(result.code, result.stderr).toBe(0);
    // due dates count from the day the customer gave notice (2026-10-24), not from day 0
    expect(stepOf(box, 'Bình Minh', 'last-support').due).toBe('2026-10-31');
    expect(stepOf(box, 'Bình Minh', 'postmortem-meeting').due).toBe('2026-11-14');
    expect(stepOf(box, 'Bình Minh', 'onsite-visit').applicable).toBe(false);
    const minutes = box.run(['render', 'churn-postmortem', 'Bình Minh']).stdout;
    expect(minutes).toContain('## The case as it unfolded');
    expect(minutes).toMatch(/- 2026-11-26 · Check the churn signals: done by Lan/);
    expect(minutes).toContain('Visit the customer on site: not applicable (engineering-push.remote-fix is one of "dragging", "failed" does not hold)');
    expect(minutes).toContain('- Contract value: 240000000 VND a year');
    expect(minutes).toContain('8 months left ("chưa đáo hạn")');
    expect(minutes).toContain('- Reason: service quality (errors, outages)');
    expect(minutes).toContain('- Could we have prevented it? partly');
    expect(minutes).toContain('- **Sales:** Hứa thời gian xử lý không thực tế.');
    expect(minutes).toContain('| 1 | Cảnh báo tự động khi lưu lượng giảm quá 30% | Tuấn | 2026-12-15 | no |');
    const agenda = box.run(['agenda', '--days', '30', '--owner', 'Tuấn']).stdout;
    expect(agenda).toContain('☐ Cảnh báo tự động khi lưu lượng giảm quá 30% (Post-mortem meeting and minutes)');
    expect(box.run(['actions', 'done', 'Bình Minh', '1']).code).toBe(0);
    expect(box.run(['agenda', '--days', '30', '--owner', 'Tuấn']).stdout).not.toContain('Cảnh báo tự động');
  });
});

describe('onboarding handover (seed 000)', () => {
  it('finishing the handover makes the CSM it names the owner of the account; the onboarding run stays with its COS', () => {
    const box = sandbox();
    const started = box.run(['run', 'onboarding-30d', 'Công ty Hoa Sen', '--owner', 'Trần Văn Nam', '--answers', answersFile(fixture('onboarding-30d')), '--no-input', '--start', '2026-11-02']);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain('Handed over: Đỗ Thị Mai is now the owner of Công ty Hoa Sen.');
    const [run] = JSON.parse(box.run(['status', 'Công ty Hoa Sen', '--json']).stdout);
    expect(run.owner).toBe('Trần Văn Nam');
    const accounts = JSON.parse(box.run(['accounts', 'list', '--json']).stdout);
    expect(accounts.find((each: { name: string }) => each.name === 'Công ty Hoa Sen').owner).toBe('Đỗ Thị Mai');
    expect(JSON.parse(box.run(['accounts', 'list', '--owner', 'Trần Văn Nam', '--json']).stdout)).toEqual([]);
    // the account's next run is the CSM's
    box.run(['run', 'customer-advocacy', 'Công ty Hoa Sen', '--no-input', '--answers', answersFile(fixture('customer-advocacy'))]);
    const runs = JSON.parse(box.run(['status', 'Công ty Hoa Sen', '--json']).stdout);
    expect(runs.map((each: { owner: string }) => each.owner)).toEqual(['Trần Văn Nam', 'Đỗ Thị Mai']);
  });
});

describe('account.NAME anchors on imported runs', () => {
  it('a run started by cs accounts import counts its due date from the account column the row gives', () => {
    const folder = tempDir();
    writeFileSync(
      join(folder, 'renewal-prep.yaml'),
      stringify({
        id: 'renewal-prep',
        title: 'Renewal preparation',
        kind: 'other',
        version: 1,
        phases: [{ id: 'renewal', title: 'Renewal', steps: [
          { id: 'review', title: 'Renewal review', due: { from: 'account.renewal', in: '-90d' } },
          { id: 'enterprise-call', title: 'Enterprise call', due: '5d', when: { account: 'segment', is: 'enterprise' } },
        ] }],
      }),
    );
    const box = sandbox({ playbooks: folder });
    const book = join(tempDir(), 'book.csv');
    writeFileSync(book, 'name,owner,playbook,start,renewal,segment\nCông ty Sao Mai,lan,renewal-prep,2026-11-02,2027-06-30,enterprise\nCông ty Bình Minh,lan,renewal-prep,2026-11-02,2027-03-31,smb\n');
    const imported = box.run(['accounts', 'import', book]);
    expect(imported.code, imported.stderr).toBe(0);
    const sao = stepOf(box, 'Công ty Sao Mai', 'review');
    expect(sao.due).toBe('2027-04-01');
    expect(stepOf(box, 'Công ty Sao Mai', 'enterprise-call').applicable).toBe(true);
    expect(stepOf(box, 'Công ty Bình Minh', 'review').due).toBe('2026-12-31');
    expect(stepOf(box, 'Công ty Bình Minh', 'enterprise-call').applicable).toBe(false);
    // the agenda reads the stored due dates: they were worked out from the columns as the runs started
    const agenda = JSON.parse(box.run(['agenda', '--days', '400', '--json']).stdout) as { account: string; stepId: string; due: string }[];
    expect(agenda.map((entry) => `${entry.account} ${entry.stepId} ${entry.due}`).sort()).toEqual(['Công ty Bình Minh review 2026-12-31', 'Công ty Sao Mai enterprise-call 2026-11-07', 'Công ty Sao Mai review 2027-04-01']);
  });
});

describe('pro-services onboarding (seed 001)', () => {
  it('produces a kickoff recap of the scope, who is responsible for what and how we will work together', () => {
    const box = sandbox();
    const walked = box.run(['run', 'proserv-onboarding', 'Minh Khang', '--answers', answersFile(fixture('proserv-onboarding')), '--no-input', '--start', '2026-10-01']);
    expect(walked.code, walked.stderr).toBe(0);
    const recap = box.run(['render', 'kickoff-recap', 'Minh Khang']).stdout;
    expect(recap).toContain('To: Anh Hoàng Long <long.hoang@minhkhang.vn>');
    expect(recap).toMatch(/## Scope\n\n\*\*In scope:\*\*\n\n.+\n\n\*\*Out of scope \(the boundaries\):\*\*\n\nKhối sản xuất; phần mềm tuyển dụng\./);
    expect(recap).toContain('## Who is responsible for what\n\nTuấn dẫn dự án; anh Long là đầu mối phía khách hàng.');
    expect(recap).toContain('## How we will work together\n\nHọp thứ Năm; báo cáo tuần qua email; quyết định do bà Thu.');
    expect(recap).not.toContain('What is still unclear'); // internal
  });
});
