/**
 * Two real cs processes walking the same run (two terminals, tmux), and a walk whose database is
 * locked by another program (python3's sqlite3 holding BEGIN IMMEDIATE).
 *
 * - A ticks item 1 while B, which read the step before, ticks item 2: both ticks are stored, and A
 *   is not asked item 2 again (it goes on from what is stored).
 * - A and B answer the same field: B is shown both values and keeps the one chosen; nothing is
 *   silently lost.
 * - A tick while the database is locked: no ✔ is shown for it; cs says exactly what was not saved and
 *   how to resume (exit 1). Without a terminal (--answers --no-input) the same message.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { dumpDb } from '../support/db.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { LEAKS } from '../support/refusal.js';
import { statusJson } from '../support/runs.js';
import type { StepJson } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const ACCOUNT = 'Công ty Ánh Dương';
const PLAYBOOK = onePhasePlaybook({
  id: 'same-run',
  title: 'Two walks of one run',
  steps: `
      - id: kickoff
        title: Kickoff call
        checklist: [Shared the timeline, Sent the agenda, Booked the training]
        fields:
          - { id: contact, prompt: Contact name, type: text, required: true }
      - id: wrap-up
        title: Wrap-up
        fields:
          - { id: happy, prompt: Is the customer happy, type: confirm }
`,
});

const sessions: TmuxSession[] = [];
const holders: ChildProcess[] = [];
let box: Sandbox;

function fresh(): void {
  box = sandbox({ playbooks: writeFiles(tempDir(), { 'same-run.yaml': PLAYBOOK }) });
  // the open run, started without walking it
  const book = join(writeFiles(tempDir(), { 'book.csv': `name,owner,playbook,start\n${ACCOUNT},lan,same-run,2026-11-26\n` }), 'book.csv');
  const result = box.run(['accounts', 'import', book]);
  expect(result.code, result.stderr).toBe(0);
}

/** `cs <args…>` in tmux against the sandbox. */
async function cs(args: string[], env: Record<string, string> = {}): Promise<TmuxSession> {
  const keep = ['HOME', 'CS_DB', 'CS_TODAY', 'NO_COLOR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'CS_PLAYBOOKS'];
  const session = await TmuxSession.start({
    command: [process.execPath, BIN, ...args],
    env: { ...Object.fromEntries(keep.map((key) => [key, box.env[key]!])), LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...env },
    unset: ['EDITOR', 'VISUAL', 'CS_TEMPLATES', 'CS_DEBUG', 'FORCE_COLOR', 'CS_TRACE'],
    cwd: box.home,
    width: 110,
    height: 40,
  });
  sessions.push(session);
  return session;
}

function kickoff(): StepJson {
  return statusJson(box, ACCOUNT)[0]!.stepList.find((step) => step.id === 'kickoff')!;
}

/** A walk of the open run, at the first checklist question of the kickoff step. */
async function atChecklist(env: Record<string, string> = {}): Promise<TmuxSession> {
  const walk = await cs(['resume', ACCOUNT], env);
  await walk.prompt('What now?');
  await walk.answer('');
  await walk.prompt('Shared the timeline');
  return walk;
}

/** Holds the database's write lock from another program until the returned function is called. */
async function holdLock(db: string): Promise<() => Promise<void>> {
  const script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\nsys.stdin.read()\nc.execute('ROLLBACK')\n";
  const child = spawn('python3', ['-c', script, db], { stdio: ['pipe', 'pipe', 'inherit'] });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => data.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited ${code}`)));
  });
  return async () => {
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));
  };
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.kill()));
  for (const holder of holders.splice(0)) holder.stdin?.end();
});

describe.skipIf(!tmuxAvailable())('two cs processes walking the same run (tmux)', { timeout: 60_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
  });

  it('A ticks item 1, B ticks item 2 meanwhile: both ticks are kept, and A goes on from what is stored', async () => {
    fresh();
    const a = await atChecklist();
    const b = await atChecklist();
    // B: not item 1, yes item 2 (committed now), then waits at item 3
    await b.answer('n');
    await b.prompt('Sent the agenda');
    await b.answer('y');
    await b.prompt('Booked the training');
    // A, which read the step before B's tick: yes item 1
    await a.answer('y');
    const screen = await a.prompt(/Booked the training|Contact name/);
    expect(screen, 'A is not asked item 2: it sees B\'s tick').not.toContain('Done: Sent the agenda?');
    expect(kickoff().checklist.map((item) => item.checked)).toStrictEqual([true, true, false]);
  });

  it('A and B answer the same field: B is shown both, keeps its own on its choice; nothing else is lost', async () => {
    fresh();
    const [a, b] = [await atChecklist(), await atChecklist()];
    for (const walk of [a, b]) {
      for (const [item, answer] of [['Shared the timeline', walk === a ? 'y' : 'n'], ['Sent the agenda', 'n'], ['Booked the training', walk === b ? 'y' : 'n']] as const) {
        await walk.prompt(item);
        await walk.answer(answer);
      }
      await walk.prompt('Contact name');
    }
    await a.answer('Chị Lan');
    await a.prompt('What now?'); // A's step is done
    await b.type('Anh Minh');
    await b.press('Enter');
    const screen = await b.prompt('Which one should be kept?');
    expect(screen).toContain('⚠ Changed meanwhile by another walk of this run: the answer to "Contact name" on step Kickoff call');
    expect(screen).toContain('    stored now: Chị Lan\n    yours:      Anh Minh');
    expect(TmuxSession.activePrompt(screen)).toContain('❯ Keep mine (replaces the stored one)');
    await b.answer('');
    await b.prompt('What now?');
    const step = kickoff();
    expect(step.answers).toStrictEqual({ contact: 'Anh Minh' });
    expect(step.checklist.map((item) => item.checked), 'A ticked item 1, B item 3: both kept').toStrictEqual([true, false, true]);
    expect(step.status).toBe('done');
  });

  it('a tick while another program holds the lock: no ✔ for it, "Not saved: the tick of …", the resume command, exit 1', async () => {
    fresh();
    const walk = await atChecklist({ CS_BUSY_TIMEOUT_MS: '300' });
    const before = dumpDb(box.db);
    const release = await holdLock(box.db);
    await walk.type('y');
    await walk.press('Enter');
    expect(await walk.exitCode()).toBe(1);
    await release();
    const screen = await walk.screen();
    expect(screen).not.toContain('✔ Done: Shared the timeline? Yes');
    expect(screen.replace(/\s+/g, ' ')).toContain(
      `cs: Not saved: the tick of "Shared the timeline" on step Kickoff call — the database ${box.db} is locked by another program (waited 0.3 s)`,
    );
    expect(screen.replace(/\s+/g, ' ')).toContain(`continue with: cs resume "${ACCOUNT}"`);
    for (const leak of LEAKS) expect(screen).not.toMatch(leak);
    expect(dumpDb(box.db)).toBe(before);
  });
});

describe('a walk without a terminal while another program holds the lock', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
  });

  it('--answers --no-input: exit 1 naming what was not saved and the command to resume; the database unchanged', async () => {
    fresh();
    const answers = join(writeFiles(tempDir(), { 'a.yaml': 'kickoff:\n  _checklist: [2]\n  contact: Chị Lan\n' }), 'a.yaml');
    const before = dumpDb(box.db);
    const release = await holdLock(box.db);
    const { runCs } = await import('../support/async-cli.js');
    const result = await runCs(box, ['resume', ACCOUNT, '--answers', answers, '--no-input'], { env: { CS_BUSY_TIMEOUT_MS: '200' } });
    await release();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cs: Not saved: the tick of "Sent the agenda" on step Kickoff call — the database ${box.db} is locked by another program (waited 0.2 s)`);
    expect(result.stderr).toContain(`Everything before it is saved; continue with: cs resume "${ACCOUNT}"`);
    for (const leak of LEAKS) expect(result.stderr).not.toMatch(leak);
    expect(dumpDb(box.db)).toBe(before);
  });
});
