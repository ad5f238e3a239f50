/**
 * The one date parser at every entry point, through the built CLI: --start, answers files and CSV
 * accept the same forms (" Tomorrow ", +1w…) and store ISO dates; every due date shown has its
 * weekday; "finished" is a local day that honours CS_TODAY (and the time zone without it).
 * The refusals (out of range, not a date, a bad CS_TODAY) are rows of test/reliability/bad-input.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox, TODAY } from '../support/cli.js';
import { FIXTURES } from '../support/playbooks.js';
import { expectSuccess, statusJson } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const WALK_TEST = join(FIXTURES, 'playbooks');

function box() {
  return sandbox({ playbooks: WALK_TEST });
}

function answers(goLive: string): string {
  const folder = writeFiles(tempDir(), { 'a.yaml': `kickoff: {goals: Mục tiêu}\nsetup: {ready: true, go-live: "${goLive}"}\nhandover: {csm: Chị Mai}\n` });
  return join(folder, 'a.yaml');
}

describe('dates in, as the one parser reads them', () => {
  it.each([
    ['tomorrow', '2026-11-27'],
    [' Tomorrow ', '2026-11-27'],
    ['+1w', '2026-12-03'],
    ['-3d', '2026-11-23'],
    ['2026-12-01', '2026-12-01'],
  ])('--start %j is day 0 %s', (start, day0) => {
    const cs = box();
    expectSuccess(cs.run(['run', 'walk-test', 'Acme', '--start', start, '--answers', answers('2026-12-15'), '--no-input']));
    expect(statusJson(cs)[0]).toMatchObject({ startDate: day0 });
  });

  it.each([
    ['tomorrow', '2026-11-27'],
    ['+1m', '2026-12-26'],
    [' Yesterday ', '2026-11-25'],
  ])('an answers file date %j is stored as %s', (given, stored) => {
    const cs = box();
    expectSuccess(cs.run(['run', 'walk-test', 'Acme', '--answers', answers(given), '--no-input']));
    expect(statusJson(cs)[0]!.answers.setup).toMatchObject({ 'go-live': stored });
  });

  it('a CSV start column reads the same forms', () => {
    const cs = box();
    const folder = writeFiles(tempDir(), { 'book.csv': 'name,playbook,start\nAn,walk-test,tomorrow\nBình,walk-test,+2w\nChi,walk-test,2026-12-01\nDũng,walk-test,\n' });
    expectSuccess(cs.run(['accounts', 'import', join(folder, 'book.csv')]));
    const starts = Object.fromEntries(statusJson(cs).map((run) => [run.account, (run as unknown as { startDate: string }).startDate]));
    expect(starts).toEqual({ An: '2026-11-27', Bình: '2026-12-10', Chi: '2026-12-01', Dũng: TODAY });
  });
});

describe('due dates out, each with its weekday; JSON keeps ISO dates', () => {
  it('status, accounts list, accounts show and agenda', () => {
    const cs = box();
    expectSuccess(cs.run(['run', 'walk-test', 'Acme', '--start', '2026-12-01', '--answers', answers('2026-12-15'), '--no-input']));
    const folder = writeFiles(tempDir(), { 'book.csv': 'name,playbook,start\nBeta,walk-test,2026-11-20\n' });
    expectSuccess(cs.run(['accounts', 'import', join(folder, 'book.csv')]));
    const status = cs.run(['status']);
    expectSuccess(status);
    expect(status.stdout).toMatch(/next: .* — due Sun 2026-11-22 \(4 days overdue\)/);
    const show = cs.run(['status', 'Beta']);
    expect(show.stdout).toMatch(/due Sun 2026-11-22 \(4 days overdue\)/);
    expect(show.stdout).toMatch(/due (Mon|Tue|Wed|Thu|Fri|Sat|Sun) 2026-\d\d-\d\d/);
    expect(show.stdout).not.toMatch(/due 2026-/);
    const list = cs.run(['accounts', 'list']);
    expect(list.stdout).toMatch(/Beta .*Sun 2026-11-22/);
    const accountShow = cs.run(['accounts', 'show', 'Beta']);
    expect(accountShow.stdout).toMatch(/next: .* — due Sun 2026-11-22 \(4 days overdue\)/);
    const agenda = cs.run(['agenda']);
    expect(agenda.stdout).toMatch(/^Sun 2026-11-22 · 4 days overdue$/m);
    const json = JSON.parse(cs.run(['status', '--json']).stdout) as { next: { due: string } | null }[];
    expect(json.map((run) => run.next?.due ?? null)).toContain('2026-11-22');
    expect(cs.run(['agenda', '--json']).stdout).toContain('"due":"2026-11-22"');
    expect(JSON.parse(cs.run(['accounts', 'list', '--json']).stdout)).toContainEqual(expect.objectContaining({ name: 'Beta', nextDue: '2026-11-22' }));
  });
});

describe('finished: a local day, honouring CS_TODAY', () => {
  it('with CS_TODAY pinned, a run finishes on that day (text and JSON)', () => {
    const cs = box();
    expectSuccess(cs.run(['run', 'walk-test', 'Acme', '--answers', answers('2026-12-15'), '--no-input']));
    expect(cs.run(['status']).stdout).toContain(`finished ${TODAY}`);
    expect(cs.run(['accounts', 'show', 'Acme']).stdout).toContain(`finished ${TODAY}`);
    const [run] = JSON.parse(cs.run(['status', '--json']).stdout) as { finishedAt: string }[];
    expect(run!.finishedAt).toMatch(new RegExp(`^${TODAY}T\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$`));
  });

  it.each(['America/Adak', 'Pacific/Kiritimati', 'Asia/Ho_Chi_Minh'])('without CS_TODAY, under TZ=%s, the day is the local one', (zone) => {
    const cs = box();
    const env = { CS_TODAY: undefined, TZ: zone };
    expectSuccess(cs.run(['run', 'walk-test', 'Acme', '--answers', answers('2026-12-15'), '--no-input'], { env }));
    const local = execFileSync('date', ['+%F'], { env: { ...process.env, TZ: zone }, encoding: 'utf8' }).trim();
    expect(cs.run(['status'], { env }).stdout).toContain(`finished ${local}`);
    const [run] = JSON.parse(cs.run(['status', '--json'], { env }).stdout) as { finishedAt: string }[];
    expect(run!.finishedAt.slice(0, 10)).toBe(local);
  });
});

describe('a due date an older cs stored from --start 9999-12-31', () => {
  it('is left out of the agenda with a warning, the rest of the book still shown; status says what it is (exit 0)', async () => {
    const cs = box();
    const folder = writeFiles(tempDir(), { 'book.csv': 'name,playbook,start\nAn,walk-test,2026-11-20\nBình,walk-test,2026-11-20\n' });
    expectSuccess(cs.run(['accounts', 'import', join(folder, 'book.csv')]));
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(cs.db);
    db.prepare("UPDATE steps SET due_date = '+010000-01-02' WHERE run_id = (SELECT r.id FROM runs r JOIN accounts a ON a.id = r.account_id WHERE a.name = 'Bình')").run();
    db.close();
    const agenda = cs.run(['agenda']);
    expectSuccess(agenda);
    expect(agenda.stdout).toMatch(/^Sun 2026-11-22 · 4 days overdue\n {2}An /m);
    expect(agenda.stdout).not.toContain('Bình');
    expect(agenda.stderr).toBe('warning: left out 3 steps whose due date is not a date, written by an older cs from a start date outside 1900–2999: Bình (run #2, due +010000-01-02)\n');
    const json = cs.run(['agenda', '--json']);
    expectSuccess(json);
    const status = cs.run(['status', 'Bình']);
    expectSuccess(status);
    expect(status.stdout).toContain('due +010000-01-02 (not a date: written by an older cs)');
    expect(new Set((JSON.parse(json.stdout) as { account: string }[]).map((entry) => entry.account))).toEqual(new Set(['An']));
  });
});
