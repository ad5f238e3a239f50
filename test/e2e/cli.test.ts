/**
 * The built CLI as a user runs it: a child process with its own HOME and database, no terminal.
 * Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { backend } from '../support/backend.js';
import { BIN, ROOT, STACK_LINE, TODAY, runCli, sandbox } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { bundledPlaybook, FIXTURES, requiredAnswers } from '../support/playbooks.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const NAME = 'Công ty Ánh Dương';
const NFD_NAME = NAME.normalize('NFD');
const ANSWERS = join(FIXTURES, 'answers', 'onboarding-30d.yaml');
const fixture = parseYaml(readFileSync(ANSWERS, 'utf8')) as Record<string, Record<string, unknown>>;

/** A failure a person can act on: the exit code, the message, and never a stack trace. */
function expectCleanFailure(result: CliResult, code: number | number[], message: RegExp): void {
  const codes = Array.isArray(code) ? code : [code];
  expect(codes, `exit ${result.code}; stderr:\n${result.stderr}`).toContain(result.code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toMatch(/unexpected error|This is a bug/);
}

function expectOk(result: CliResult): void {
  expect(result.code, `stderr:\n${result.stderr}`).toBe(0);
  expect(result.stderr).not.toMatch(STACK_LINE);
}

interface RunJson {
  id: number;
  account: string;
  playbook: { id: string; kind: string; version: number };
  status: string;
  startDate: string;
  steps: { total: number; done: number; skipped: number; open: number; overdue: number };
  stepList: { id: string; status: string; skipReason: string | null; note: string | null; checklist: { item: string; checked: boolean }[] }[];
  answers: Record<string, Record<string, unknown>>;
}

function statusJson(box: Sandbox, ...args: string[]): RunJson[] {
  const result = box.run(['status', ...(args.length === 0 ? ['--full'] : args), '--json']);
  expectOk(result);
  return JSON.parse(result.stdout) as RunJson[];
}

/** Starts the 30-day onboarding for NAME from the answers fixture. */
function onboardFromFixture(box: Sandbox, ...extra: string[]): CliResult {
  return box.run(['onboard', 'start', NAME, '--answers', ANSWERS, ...extra]);
}

/** An open run made through the store directly (a non-interactive start always finishes or refuses). */
async function seedOpenRun(box: Sandbox, account: string, playbookId: string): Promise<number> {
  const store = openStore(box.db);
  try {
    return (await store.createRun(await store.ensureAccount(account), bundledPlaybook(playbookId), { startDate: TODAY })).run.id;
  } finally {
    await store.close();
  }
}

describe('version and help', () => {
  it('--version prints the package version', async () => {
    const result = runCli(['--version']);
    expectOk(result);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(result.stdout.trim()).toBe(version);
  });

  it('--help lists the commands, with examples', async () => {
    const result = runCli(['--help']);
    expectOk(result);
    for (const command of ['onboard', 'churn', 'winback', 'run', 'resume', 'status', 'playbooks']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('cs onboard start "Công ty Ánh Dương"');
  });

  it('an unknown command: exit 2 with a suggestion', async () => {
    expectCleanFailure(runCli(['frobnicate']), 2, /unknown command 'frobnicate'/);
    expectCleanFailure(runCli(['stauts']), 2, /Did you mean status\?/);
  });
});

describe('cs playbooks', () => {
  it('list shows the 7 bundled playbooks and the default of each kind', async () => {
    const result = runCli(['playbooks', 'list']);
    expectOk(result);
    const rows = result.stdout.trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([
      'churn-response',
      'customer-advocacy',
      'journey-mapping',
      'onboarding-30d',
      'onboarding-90d',
      'proserv-onboarding',
      'winback-followup',
    ]);
    const defaults = rows.filter((row) => row.includes('(default)')).map((row) => row.split(/\s+/)[0]);
    expect(defaults).toEqual(['churn-response', 'onboarding-30d', 'winback-followup']);
  });

  it('list --json parses, with kinds, defaults and sources', async () => {
    const result = runCli(['playbooks', 'list', '--json']);
    expectOk(result);
    const list = JSON.parse(result.stdout) as { id: string; kind: string; default: boolean; source: string; steps: number }[];
    expect(list).toHaveLength(7);
    expect(list.filter((entry) => entry.default).map((entry) => [entry.kind, entry.id])).toEqual([
      ['churn', 'churn-response'],
      ['onboarding', 'onboarding-30d'],
      ['winback', 'winback-followup'],
    ]);
    expect(list.every((entry) => entry.source === 'bundled' && entry.steps > 0)).toBe(true);
    expect(list.find((entry) => entry.id === 'onboarding-30d')?.steps).toBe(14);
  });

  it('validate passes on the bundled playbooks', async () => {
    const result = runCli(['playbooks', 'validate']);
    expectOk(result);
    expect(result.stdout).toContain('7 playbooks and 7 translations valid.');
    expect(result.stdout.match(/^✓ /gm)).toHaveLength(14);
  });

  it('validate fails on a broken file: exit 2, file:line:col on stderr, no stack trace', async () => {
    const folder = writeFiles(tempDir(), {
      'broken.yaml': 'id: broken\ntitle: Broken\nkind: onbording\nversion: 1\nphases:\n  - id: p\n    title: P\n    steps:\n      - id: s\n        title: S\n        fields:\n          - id: f\n            prompt: F\n            type: txt\n',
    });
    const file = join(folder, 'broken.yaml');
    const result = runCli(['playbooks', 'validate', file]);
    expectCleanFailure(result, 2, /2 problems in 1 file/);
    expect(result.stderr).toContain(`${file}:3:7 kind must be one of onboarding, churn, winback, other; got "onbording" (did you mean "onboarding"?)`);
    expect(result.stderr).toContain(`${file}:14:19 phases[0].steps[0].fields[0].type must be one of text, longtext, select, multiselect, confirm, number, date, computed, actions; got "txt"`);
  });

  it('validate without arguments also checks the folders of CS_PLAYBOOKS', async () => {
    const folder = writeFiles(tempDir(), { 'mine.yaml': 'id: mine\ntitle: Mine\nkind: other\nversion: 1\nphases: []\n' });
    const result = runCli(['playbooks', 'validate'], { playbooks: folder });
    expectCleanFailure(result, 2, new RegExp(`${join(folder, 'mine.yaml')}:5:9 phases must have at least 1 item; got 0`));
  });

  it('show of an unknown id: exit 2 with a did-you-mean', async () => {
    expectCleanFailure(runCli(['playbooks', 'show', 'onboarding-3d']), 2, /unknown playbook "onboarding-3d" \(did you mean "onboarding-30d"\?\)/);
  });

  it('a reader that goes away (cs playbooks show … | head -1) gives no stack trace', async () => {
    const box = sandbox();
    const head = box.pipe(['playbooks', 'show', 'onboarding-30d'], 'head -1');
    expect(head.stdout).toBe('30-day onboarding (onboarding-30d v2, onboarding, default)\n');
    expect(head.stderr).not.toMatch(STACK_LINE);
    expect(head.stderr).toMatch(/cs-exit=0\s*$/);
    // a reader gone before cs writes anything: EPIPE on the very first write
    const gone = box.pipe(['playbooks', 'show', 'onboarding-90d'], 'true');
    expect(gone.stderr).toBe('cs-exit=0\n');
  });

  it('an error told to a reader of stderr that has gone away still exits with its own code', async () => {
    const box = sandbox();
    // stderr into the pipe, stdout to the test: cs writes its error after `true` has ended
    const result = spawnSync('bash', ['-c', `${process.execPath} ${BIN} status "Nobody" 2>&1 1>/dev/null | true; echo "cs-exit=\${PIPESTATUS[0]}"`], {
      env: box.env,
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('cs-exit=2\n');
    expect(result.stderr).toBe('');
  });
});

describe('a whole onboarding without a terminal, from an answers file', () => {
  it('keeps every answer by step and field id, Vietnamese intact, and finishes the run', async () => {
    const box = sandbox();
    const result = onboardFromFixture(box, '--no-input');
    expectOk(result);
    const skipped = Object.values(fixture).filter((step) => typeof step._skip === 'string').length;
    expect(skipped).toBeGreaterThan(0);
    expect(result.stdout).toContain(`✓ 30-day onboarding finished for ${NAME}: ${14 - skipped} done, ${skipped} skipped.`);

    const [run, ...others] = statusJson(box);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ account: NAME, playbook: { id: 'onboarding-30d', kind: 'onboarding' }, status: 'finished', startDate: TODAY });
    expect(run!.steps).toEqual({ total: 14, done: 14 - skipped, skipped, open: 0, overdue: 0 });

    const playbook = bundledPlaybook('onboarding-30d');
    const steps = playbook.phases.flatMap((phase) => phase.steps);
    expect(Object.keys(fixture).sort()).toEqual(steps.map((step) => step.id).sort()); // the fixture covers every step
    for (const step of steps) {
      const given = fixture[step.id]!;
      const listed = run!.stepList.find((each) => each.id === step.id)!;
      if (typeof given._skip === 'string') {
        expect(listed).toMatchObject({ status: 'skipped', skipReason: given._skip });
        continue;
      }
      expect(listed.status).toBe('done');
      // every answer of the file is kept under its step and field id, exactly as given
      const answered = Object.fromEntries(Object.entries(given).filter(([key]) => !key.startsWith('_')));
      expect(run!.answers[step.id] ?? {}).toEqual(answered);
      for (const field of step.fields ?? []) if (field.required) expect(answered[field.id]).toBeDefined();
      if (given._note !== undefined) expect(listed.note).toBe(given._note);
      const ticked = listed.checklist.flatMap((item, index) => (item.checked ? [index + 1] : []));
      const wanted = given._checklist === true ? listed.checklist.map((_, index) => index + 1) : ((given._checklist as number[] | undefined) ?? []);
      expect(ticked).toEqual(wanted);
    }
    expect(JSON.stringify(run!.answers)).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u);
  });

  it('cs status finds the account by its NFD spelling', async () => {
    const box = sandbox();
    expectOk(onboardFromFixture(box));
    const result = box.run(['status', NFD_NAME]);
    expectOk(result);
    expect(result.stdout.split('\n')[0]).toBe(NAME);
    expect(result.stdout).toMatch(/\d+ done · \d+ skipped · 0 open · 0 overdue/);
    expect(result.stdout).toContain(`csm-name: ${String(fixture['csm-handover']!['csm-name'])}`);
    expect(statusJson(box, NFD_NAME)[0]!.account).toBe(NAME);
  });

  it('a second start of the same playbook while a run is open: exit 2 pointing at cs resume', async () => {
    const box = sandbox();
    const runId = await seedOpenRun(box, NAME, 'onboarding-30d');
    const result = onboardFromFixture(box);
    expectCleanFailure(result, 2, new RegExp(`already has an open run #${runId} of onboarding-30d`));
    expect(result.stderr).toContain(`cs resume "${NAME}"`);
    expect(statusJson(box)).toHaveLength(1);
    // and resuming it from the answers file finishes it
    const resumed = box.run(['resume', NFD_NAME, '--answers', ANSWERS]);
    expectOk(resumed);
    expect(statusJson(box).map((run) => [run.id, run.status])).toEqual([[runId, 'finished']]);
  });

  it('cs churn start and cs winback start use their default playbooks', async () => {
    const box = sandbox();
    for (const [verb, id, kind] of [
      ['churn', 'churn-response', 'churn'],
      ['winback', 'winback-followup', 'winback'],
    ] as const) {
      const file = join(box.home, `${id}.json`);
      writeFileSync(file, JSON.stringify(requiredAnswers(bundledPlaybook(id))));
      // --no-winback belongs to churn start only (a win-back run schedules nothing)
      const result = box.run([verb, 'start', 'Beta Telecom', '--answers', file, '--no-input', ...(verb === 'churn' ? ['--no-winback'] : [])]);
      expectOk(result);
      expect(result.stdout).toMatch(new RegExp(`finished for Beta Telecom`));
      const runs = statusJson(box, 'Beta Telecom');
      expect(runs.at(-1)).toMatchObject({ playbook: { id, kind }, status: 'finished', account: 'Beta Telecom' });
    }
  });
});

describe('refusals that write nothing', () => {
  it('stdin not a terminal and no --answers: exit 2 at once, saying how to answer', async () => {
    const box = sandbox();
    for (const input of [undefined, 'yes\n']) {
      const result = box.run(['onboard', 'start', NAME], { input, timeout: 10_000 });
      expect(result.ms).toBeLessThan(5000);
      expectCleanFailure(result, 2, /not an interactive terminal/);
      expect(result.stderr).toMatch(/--answers/);
    }
    expect(statusJson(box)).toEqual([]);
  });

  it('--no-input with a required answer missing: exit 2 naming step and field, nothing written', async () => {
    const box = sandbox();
    const partial = structuredClone(fixture);
    delete partial['kickoff-call']!.goals;
    const file = join(box.home, 'partial.json');
    writeFileSync(file, JSON.stringify(partial));
    const result = box.run(['onboard', 'start', NAME, '--answers', file, '--no-input']);
    expectCleanFailure(result, 2, /step kickoff-call, field goals: a required answer is missing; nothing was written/);
    expect(result.stderr).toContain('kickoff-call.goals: What does the customer want to reach in the coming month?');
    expect(statusJson(box)).toEqual([]);
    expectCleanFailure(box.run(['status', NAME]), 2, /unknown account/);
  });

  it('an answers file with mistakes: exit 2 listing each, nothing written', async () => {
    const box = sandbox();
    const file = join(box.home, 'typos.yaml');
    writeFileSync(file, 'kickof-call:\n  goals: x\nsetup:\n  user-count: nhiều\n');
    const result = box.run(['onboard', 'start', NAME, '--answers', file]);
    expectCleanFailure(result, 2, /2 problems in the answers/);
    expect(result.stderr).toContain('unknown step "kickof-call" (did you mean "kickoff-call"?)');
    expect(result.stderr).toContain('setup.user-count (number): expected a number; got "nhiều"');
    expect(statusJson(box)).toEqual([]);
  });

  it('an answers file that is missing or not YAML: exit 2 naming it (with line:col), nothing written', async () => {
    const box = sandbox();
    const missing = join(box.home, 'missing.yaml');
    expectCleanFailure(box.run(['onboard', 'start', NAME, '--answers', missing]), 2, new RegExp(`cannot read the answers file ${missing}: no such file`));
    const broken = join(box.home, 'broken.yaml');
    writeFileSync(broken, 'kickoff-call:\n  goals: [Tăng doanh thu\n');
    expectCleanFailure(box.run(['onboard', 'start', NAME, '--answers', broken]), 2, new RegExp(`${broken}:\\d+:\\d+: the answers file is not valid YAML or JSON`));
    expect(statusJson(box)).toEqual([]);
  });

  it('cs run with an unknown playbook: exit 2 with a did-you-mean, nothing written', async () => {
    const box = sandbox();
    expectCleanFailure(box.run(['run', 'onboardin-30d', NAME, '--answers', ANSWERS]), 2, /unknown playbook "onboardin-30d" \(did you mean "onboarding-30d"\?\)/);
    expect(statusJson(box)).toEqual([]);
  });

  it("a user's broken copy of a bundled playbook is not silently replaced by the bundled one", async () => {
    const folder = tempDir();
    const file = join(folder, 'onboarding-30d.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'playbooks', 'onboarding-30d.yaml'), 'utf8').replace('\nkind: onboarding\n', '\nkind: onbording\n'));
    const box = sandbox({ playbooks: folder });
    const result = box.run(['onboard', 'start', NAME, '--answers', ANSWERS]);
    // the user edited onboarding-30d and made a typo: they must hear about it, not get ours without a word
    expect(result.stderr).toContain(file);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('--start 2026-02-30: exit 2, nothing written', async () => {
    const box = sandbox();
    expectCleanFailure(onboardFromFixture(box, '--start', '2026-02-30'), 2, /--start: 2026-02-30 is not a real date: February 2026 has 28 days/);
    expect(statusJson(box)).toEqual([]);
  });

  it('a given --start is the run’s day 0', async () => {
    const box = sandbox();
    expectOk(onboardFromFixture(box, '--start', '2028-02-29'));
    expect(statusJson(box)[0]!.startDate).toBe('2028-02-29');
  });
});

describe('unknown accounts', () => {
  it('cs resume of an unknown account: exit 2', async () => {
    expectCleanFailure(runCli(['resume', 'Không Có Ai']), 2, /unknown account "Không Có Ai"/);
  });

  it('cs status of an unknown account: exit 2 with did-you-mean', async () => {
    const box = sandbox();
    expectOk(onboardFromFixture(box));
    expectCleanFailure(box.run(['status', 'Cong ty Anh Duong']), 2, /unknown account "Cong ty Anh Duong" \(did you mean "Công ty Ánh Dương"\?\)/);
  });
});

// files on disk: SQLite's alone (test/postgres has the server's refusals)
if (backend === 'sqlite') describe('database files cs must not use', () => {
  /** Runs `cs status` on `path`; the file must be named, left byte for byte, and nothing left beside it. */
  function expectUntouched(box: Sandbox, path: string, codes: number[], message: RegExp): void {
    const before = readFileSync(path);
    const siblings = readdirSync(join(path, '..')).sort();
    const result = box.run(['--db', path, 'status']);
    expectCleanFailure(result, codes, message);
    expect(result.stderr).toContain(path);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(join(path, '..')).sort()).toEqual(siblings);
  }

  it('a file of random bytes', async () => {
    const box = sandbox();
    const path = join(tempDir(), 'random.db');
    writeFileSync(path, Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 2654435761) % 251)));
    expectUntouched(box, path, [2], /is not a cs database/);
  });

  it('an SQLite header followed by garbage', async () => {
    const box = sandbox();
    const path = join(tempDir(), 'header.db');
    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 7919 + 3) % 256));
    writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), garbage]));
    expectUntouched(box, path, [1, 2], /not a cs database|damaged/);
  });

  it('a cs database damaged after its first page', async () => {
    const box = sandbox();
    expectOk(onboardFromFixture(box));
    const bytes = readFileSync(box.db);
    const pageSize = bytes.readUInt16BE(16);
    for (let index = pageSize; index < bytes.length; index += 1) bytes[index] = (index * 131 + 7) % 256;
    writeFileSync(box.db, bytes);
    expectUntouched(box, box.db, [1], /the database .* is damaged/);
  });

  it('--db pointing at a folder: exit 2', async () => {
    const box = sandbox();
    const result = box.run(['--db', box.home, 'status']);
    expectCleanFailure(result, 2, new RegExp(`the database path ${box.home} is a folder`));
  });

  it('a new database is created 0600 where CS_DB says', async () => {
    const box = sandbox();
    expect(existsSync(box.db)).toBe(false);
    expectOk(onboardFromFixture(box));
    expect(statSync(box.db).mode & 0o777).toBe(0o600);
    expect(statSync(join(box.db, '..')).mode & 0o777).toBe(0o700);
  });
});
