/**
 * Terminal escapes, from every source a text can come from — a CSV's extra columns and headers,
 * the database (account and owner names, answers, notes, skip reasons, a run's playbook snapshot:
 * titles, guides, checklist items), playbook and template files, and what a user types on the
 * command line — through every command that prints them. Each hostile text holds OSC 52 (sets the
 * clipboard), OSC 0 (the window title), CSI clear-screen, a one-byte C1 CSI (U+009B), BEL, a bidi
 * override (U+202E), DEL and a lone CR. cs must print each control character as `\uXXXX`: no
 * control byte but \n and \t on stdout or stderr (colour is off), `--json` still valid JSON that
 * parses to the stored strings, and in a real terminal (tmux) the window title untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { expectNoLiveControls, HOSTILE, hostile, hostileShown } from '../support/controls.js';
import { dumpDb } from '../support/db.js';
import { FIXTURES } from '../support/playbooks.js';
import { expectRefusal } from '../support/refusal.js';
import { expectSuccess } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const ACCOUNT = 'Khách hàng Bình An';
let box: Sandbox;
let dir: string;
let env: Record<string, string>;
let seeded: string;

/** The clean walk-test playbook with a hostile text in each kind of place a playbook has text. */
function hostilePlaybook(): string {
  let text = readFileSync(join(FIXTURES, 'playbooks', 'walk-test.yaml'), 'utf8').replace('id: walk-test', 'id: hostile-test');
  const swap = (from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`walk-test.yaml has no ${from}`);
    text = text.replace(from, to);
  };
  swap('title: Kiểm thử hành trình', 'title: "Kiểm thử \\e]0;pwned\\a"'); // an escape in quotes: line 4
  swap('Hỏi khách hàng về mục tiêu.', 'Hỏi khách hàng \u202eabc về mục tiêu.'); // a raw bidi override: line 17
  swap('- Đã gửi chương trình họp', '- "Đã gửi \\x7f"'); // DEL: line 20
  swap('prompt: Mục tiêu của khách hàng?', 'prompt: "Mục tiêu?\\a"'); // BEL: line 23
  swap('choices: [great, ok, worrying]', 'choices: [great, "o\\x9bk", worrying]'); // C1 CSI: line 29
  return text;
}

/** A CSV cell in quotes: the hostile text as it is, CR included. */
function csvCell(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** What cs shows of a hostile CSV cell: the CSV parser reads its lone CR as a line break. */
function fromCsv(label: string): string {
  return hostileShown(label).replace(' over\\u000dwrite', '');
}

function run(args: string[]) {
  return box.run(args, { env });
}

beforeAll(() => {
  box = sandbox();
  dir = tempDir();
  const playbooks = join(dir, 'pb');
  const templates = join(dir, 'tpl');
  writeFiles(dir, {
    'pb/hostile.yaml': hostilePlaybook(),
    'tpl/goals.mustache': '---\ntitle: Goals\n---\n# {{account.name}}\n\nGoals: {{answers.kickoff.goals}}\n',
    // raw controls in the body (lines 4 and 6), an escape in the front matter's title
    'tpl/hostile.mustache': `---\ntitle: "Hi \\e[2J"\n---\nHello ${HOSTILE.osc52.text} {{account.name}}\nok\n${HOSTILE.bidi.text}\n`,
    // a CSV's extra column: a hostile header and a hostile value
    'book.csv': `name,owner,playbook,start,${csvCell(hostile('Cột'))}\n${ACCOUNT},lan,walk-test,2026-11-20,${csvCell(hostile('Trường'))}\n`,
  });
  env = { CS_PLAYBOOKS: `${join(FIXTURES, 'playbooks')}:${playbooks}`, CS_TEMPLATES: templates };
  expectSuccess(run(['accounts', 'import', join(dir, 'book.csv')]), 'accounts import');

  // What an older cs, another tool or a damaged import left in the database.
  const db = new Database(box.db);
  db.prepare('UPDATE accounts SET name = ?, owner = ?').run(hostile(ACCOUNT), hostile('Chủ'));
  db.prepare('UPDATE runs SET playbook_title = ?, owner = ?').run(hostile('Sổ tay'), hostile('Chủ'));
  db.prepare("INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (1, 'kickoff', 'goals', ?, '2026-11-21T09:00:00Z')").run(JSON.stringify(hostile('Mục tiêu')));
  db.prepare("UPDATE steps SET note = ? WHERE step_id = 'kickoff'").run(hostile('Ghi chú'));
  db.prepare("UPDATE steps SET status = 'skipped', skip_reason = ? WHERE step_id = 'setup'").run(hostile('Lý do'));
  db.prepare("UPDATE steps SET title = ? WHERE step_id = 'handover'").run(hostile('Bước'));
  const { id, body } = db.prepare('SELECT id, body FROM snapshots').get() as { id: number; body: string };
  const snapshot = JSON.parse(body);
  snapshot.title = hostile('Sổ tay');
  snapshot.phases[0].title = hostile('Giai đoạn');
  snapshot.phases[0].steps[0].title = hostile('Tiêu đề');
  snapshot.phases[0].steps[0].guide = hostile('Hướng dẫn');
  snapshot.phases[0].steps[0].checklist = [hostile('Việc')];
  snapshot.phases[0].steps[0].fields[1].choices = ['great', hostile('Lựa chọn')];
  snapshot.phases[1].steps[0].title = hostile('Bước');
  db.prepare('UPDATE snapshots SET body = ? WHERE id = ?').run(JSON.stringify(snapshot), id);
  db.close();
  seeded = dumpDb(box.db);
});

afterAll(() => {
  expect(dumpDb(box.db), 'no command changed the database').toBe(seeded);
});

describe('text from the database and a CSV, printed by every command that reads it', () => {
  const cases: { args: string[]; shows: string[] }[] = [
    { args: ['status'], shows: [hostileShown(ACCOUNT), hostileShown('Chủ'), hostileShown('Sổ tay'), hostileShown('Giai đoạn')] },
    {
      args: ['status', ACCOUNT],
      shows: [hostileShown('Tiêu đề'), hostileShown('Mục tiêu'), hostileShown('Ghi chú'), hostileShown('Lý do'), hostileShown('Bước')],
    },
    { args: ['agenda', '--days', '90'], shows: [hostileShown(ACCOUNT), hostileShown('Sổ tay'), hostileShown('Bước'), hostileShown('Chủ')] },
    { args: ['accounts', 'list'], shows: [hostileShown(ACCOUNT), hostileShown('Chủ')] },
    { args: ['accounts', 'show', ACCOUNT], shows: [hostileShown(ACCOUNT), fromCsv('Cột'), fromCsv('Trường'), hostileShown('Sổ tay')] },
  ];
  for (const { args, shows } of cases) {
    it(`cs ${args.join(' ')}: every control character shown as \\uXXXX, none live`, () => {
      const result = run(args);
      expectSuccess(result, args.join(' '));
      expectNoLiveControls(result, args.join(' '));
      for (const text of shows) expect(result.stdout).toContain(text);
    });
  }

  const json: { args: string[]; holds: (data: unknown) => string[] }[] = [
    { args: ['status', '--json', '--full'], holds: (data) => { const [runJson] = data as { account: string; answers: { kickoff: { goals: string } }; stepList: { note: string | null; skipReason: string | null }[] }[]; return [runJson!.account, runJson!.answers.kickoff.goals, runJson!.stepList[0]!.note!, runJson!.stepList[1]!.skipReason!]; } },
    { args: ['agenda', '--days', '90', '--json'], holds: (data) => { const [entry] = data as { account: string; owner: string }[]; return [entry!.account, entry!.owner]; } },
    {
      args: ['accounts', 'list', '--json'],
      holds: (data) => {
        const [account] = data as { name: string; fields: Record<string, string> }[];
        const [header, value] = Object.entries(account!.fields).find(([key]) => key.startsWith('Cột'))!;
        expect(header.replace(/\n/g, '\r')).toBe(hostile('Cột'));
        expect(value.replace(/\n/g, '\r')).toBe(hostile('Trường'));
        return [account!.name];
      },
    },
    { args: ['accounts', 'show', ACCOUNT, '--json'], holds: (data) => [(data as { name: string }).name, (data as { owner: string }).owner] },
  ];
  for (const { args, holds } of json) {
    it(`cs ${args.join(' ')}: valid JSON, the stored strings exactly, and no live C1, bidi or DEL in its bytes`, () => {
      const result = run(args);
      expectSuccess(result, args.join(' '));
      expectNoLiveControls(result, args.join(' '));
      const data = JSON.parse(result.stdout);
      const expected = [hostile(ACCOUNT), hostile('Mục tiêu'), hostile('Ghi chú'), hostile('Lý do'), hostile('Chủ'), hostile('Trường')];
      for (const value of holds(data)) expect(expected).toContain(value);
      expect(result.stdout).toContain('\\u009b31m');
      expect(result.stdout).toContain('\\u202eevil\\u202c');
    });
  }

  it('cs render to a pipe writes the document as it is, byte for byte what --out writes', () => {
    const piped = run(['render', 'goals', ACCOUNT]);
    expectSuccess(piped, 'render');
    const out = join(tempDir(), 'goals.md');
    expectSuccess(run(['render', 'goals', ACCOUNT, '--out', out]), 'render --out');
    expect(piped.stdout).toBe(readFileSync(out, 'utf8'));
    expect(piped.stdout).toContain(hostile('Mục tiêu'));
    expect(piped.stderr).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  });
});

describe('control characters in input that an error message echoes', () => {
  const cases: { name: string; args: string[]; expect: RegExp[] }[] = [
    // refused as a name, or not found: either way the name is echoed
    { name: 'an account name (status)', args: ['status', hostile('Nobody')], expect: [/account( name)? "Nobody \\u001b\]52;c;aGFja2Vk\\u0007/] },
    { name: 'an account name (resume)', args: ['resume', hostile('Nobody')], expect: [/account/, /\\u009b31m/] },
    { name: 'an account name (agenda --account)', args: ['agenda', '--account', hostile('Nobody')], expect: [/account/, /\\u202eevil\\u202c/] },
    { name: 'an account name (accounts show)', args: ['accounts', 'show', `Nobody ${HOSTILE.bidi.text}`], expect: [/account/, /\\u202eevil\\u202c/] },
    { name: 'an unknown playbook', args: ['playbooks', 'show', hostile('nope')], expect: [/unknown playbook "nope \\u001b\]52/] },
    { name: 'an unknown template', args: ['templates', 'show', hostile('nope')], expect: [/unknown template "nope \\u001b\]52/] },
    { name: 'an unknown option (commander)', args: ['status', `--x${HOSTILE.clear.text}`], expect: [/unknown option '--x\\u001b\[2J\\u001b\[H'/] },
    { name: 'an unknown command (commander)', args: [`st${HOSTILE.title.text}`], expect: [/unknown command 'st\\u001b\]0;pwned\\u001b\\'/] },
    { name: 'a bad --days', args: ['agenda', '--days', hostile('7')], expect: [/--days must be a whole number/, /\\u0007/] },
    { name: 'a bad --run', args: ['render', 'goals', ACCOUNT, '--run', hostile('1')], expect: [/--run must be a run number/, /\\u007f/] },
  ];
  for (const row of cases) {
    it(`${row.name}: exit 2, the input shown as \\uXXXX`, () => {
      const result = run(row.args);
      expectRefusal(result, row.expect);
      expectNoLiveControls(result, row.name);
    });
  }
});

describe('control characters in playbook and template files are reported where they are', () => {
  it('cs playbooks validate: each at its line:col, exit 2', () => {
    const result = run(['playbooks', 'validate', join(dir, 'pb', 'hostile.yaml')]);
    expectRefusal(result, [
      /hostile\.yaml:4:8 title: contains the control character \\u001b/,
      /hostile\.yaml:17:26 phases\[0\]\.steps\[0\]\.guide: contains the control character \\u202e/,
      /hostile\.yaml:20:13 phases\[0\]\.steps\[0\]\.checklist\[1\]: contains the control character \\u007f/,
      /hostile\.yaml:23:21 phases\[0\]\.steps\[0\]\.fields\[0\]\.prompt: contains the control character \\u0007/,
      /hostile\.yaml:29:30 phases\[0\]\.steps\[0\]\.fields\[1\]\.choices\[1\]: contains the control character \\u009b/,
      /5 problems in 1 file/,
    ]);
    expectNoLiveControls(result);
  });

  it('cs playbooks list and show: the broken playbook named, nothing live', () => {
    const list = run(['playbooks', 'list']);
    expectSuccess(list);
    expectNoLiveControls(list);
    expect(list.stdout).not.toContain('hostile-test');
    const show = run(['playbooks', 'show', 'hostile-test']);
    expectRefusal(show, [/unknown playbook "hostile-test"/, /hostile\.yaml:4:8 title: contains the control character \\u001b/]);
    expectNoLiveControls(show);
  });

  it('cs templates show and list: each control character at its line:col', () => {
    const show = run(['templates', 'show', 'hostile']);
    expectRefusal(show, [/hostile\.mustache:4:7 the template contains the control character \\u001b/, /hostile\.mustache:6:1 the template contains the control character \\u202e/]);
    expectNoLiveControls(show);
    const list = run(['templates', 'list']);
    expectSuccess(list);
    expectNoLiveControls(list);
    expect(list.stderr).toMatch(/hostile\.mustache:4:7 the template contains the control character \\u001b/);
  });

  it('an escape in a template front matter value is reported at that value', () => {
    writeFiles(dir, { 'tpl/quoted.mustache': '---\ntitle: "Hi \\e[2J"\n---\nHello\n' });
    const show = run(['templates', 'show', 'quoted']);
    expectRefusal(show, [/quoted\.mustache:2:8 front matter: title contains the control character \\u001b/]);
    expectNoLiveControls(show);
  });
});

describe.runIf(tmuxAvailable())('in a real terminal (tmux)', () => {
  const sessions: TmuxSession[] = [];
  afterAll(async () => {
    for (const session of sessions) await session.kill();
  });

  async function cs(args: string[]): Promise<TmuxSession> {
    const session = await TmuxSession.start({
      command: [process.execPath, BIN, ...args],
      env: { ...box.env, ...env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      unset: ['EDITOR', 'VISUAL', 'FORCE_COLOR'],
      cwd: ROOT,
      width: 200,
      height: 50,
    });
    sessions.push(session);
    return session;
  }

  async function title(session: TmuxSession): Promise<string> {
    return (await session.tmux('display-message', '-p', '-t', session.name, '#{pane_title}')).trim();
  }

  it('cs status and cs render leave the window title alone and show the escapes', async () => {
    for (const args of [['status', ACCOUNT], ['render', 'goals', ACCOUNT]]) {
      const session = await cs(args);
      expect(await session.exitCode()).toBe(0);
      const screen = await session.screen();
      expect(screen).toContain('\\u001b]0;pwned\\u001b\\');
      expect(screen).toContain('\\u001b]52;c;aGFja2Vk\\u0007');
      expect(await title(session)).not.toContain('pwned');
    }
  });

  it('the walk shows the guide, titles and checklist from the run as text, not as escapes', async () => {
    const session = await cs(['resume', ACCOUNT]);
    await session.prompt('What now?');
    await session.press('Enter');
    await session.prompt('Cuộc gọi thế nào?');
    const screen = await session.screen();
    for (const label of ['Hướng dẫn', 'Tiêu đề', 'Giai đoạn', 'Mục tiêu', 'Ghi chú', 'Lựa chọn']) {
      expect(screen).toContain(hostileShown(label).slice(0, 40));
    }
    expect(screen).not.toContain('pwned\n'); // the clear-screen did not wipe the walk either: its header is still there
    expect(screen).toContain(hostileShown(ACCOUNT).slice(0, 30));
    expect(await title(session)).not.toContain('pwned');
    await session.press('C-c');
    expect(await session.exitCode()).toBe(130);
  });

  it('text pasted into a question is echoed with its control characters visible', async () => {
    const session = await cs(['--db', join(tempDir(), 'paste.db'), 'run', 'walk-test', 'Khách dán']);
    await session.prompt('What now?');
    await session.answer('');
    for (let item = 0; item < 2; item += 1) {
      await session.prompt('Done:');
      await session.answer('n');
    }
    await session.prompt('Mục tiêu của khách hàng?');
    await session.tmux('set-buffer', '-b', 'hostile', `Mục tiêu \u009b2J ${HOSTILE.bidi.text} HẾT-DÁN`);
    await session.tmux('paste-buffer', '-b', 'hostile', '-t', session.name);
    const screen = await session.waitFor('HẾT-DÁN');
    expect(screen).toContain('\\u202eevil\\u202c HẾT-DÁN');
    expect(screen).not.toMatch(/[\u009b\u202e\u202c]/);
    expect(await title(session)).not.toContain('pwned');
    await session.press('C-c');
    expect(await session.exitCode()).toBe(130);
  });
});
