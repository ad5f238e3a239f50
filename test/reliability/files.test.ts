/**
 * Files that are not what they claim, wherever cs reads one: a playbook (named, or found in
 * CS_PLAYBOOKS), an answers file, a CSV book, a template, a partial. Each is tried as a FIFO, a
 * socket, a folder, a link to /dev/zero, /dev/null or a FIFO, text in UTF-16 (LE and BE, with their
 * byte-order marks), Latin-1 bytes and NUL bytes, and a file past its size limit. Every one is
 * refused at once (never a hang: each run has a guard) with a message naming the file and what it
 * is, no control byte reaches the terminal, and the database says what it said before; a command
 * that only finds the file in a folder goes on without it and says so. Also: the caches, partials
 * that include themselves, and CS_DB naming something that is not a database file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { dumpDb } from '../support/db.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { expectNoLeak, expectRefusal } from '../support/refusal.js';
import { answersFile, expectSuccess } from '../support/runs.js';
import { expectNoControlBytes, makeFifo, makeNullDevice, makeSocket, NOT_REGULAR, notUtf8, seedDatabase, seededSandbox, sparseFile } from '../support/special-files.js';
import type { Seed, SpecialFile, Undo } from '../support/special-files.js';

/** No command may wait on a file: far longer than any of these takes. */
const HANG_GUARD_MS = 15_000;
const MiB = 1024 * 1024;

const MINI = onePhasePlaybook({ id: 'mini', title: 'Mini', steps: '      - id: s1\n        title: Step 1\n' });
const ANSWERS = readFileSync(answersFile('onboarding-30d'), 'utf8');

/** One place cs reads a file: where the file goes, the command, and what a refusal looks like there. */
interface Place {
  name: string;
  /** Where the file is put, under the sandbox's files folder. */
  file: string;
  /** A valid file of this kind (the encoding cases re-encode it). */
  valid: string;
  /** Its size limit and how a file past it is described. */
  limit: { bytes: number; says: RegExp };
  args(path: string): string[];
  /** 0: the command goes on without the file and says so; 2: it is refused. */
  code: 0 | 2;
  /** What else must be said, besides what the file is. */
  also?: RegExp[];
  /** The command writes (a run is started): the database is checked otherwise. */
  writes?: boolean;
}

const PLAYBOOK_LIMIT = { bytes: 3 * MiB, says: /it is larger than 2 MiB; a playbook should be far smaller/ };
const TEMPLATE_LIMIT = { bytes: 3 * MiB, says: /it is larger than 256 KiB; a template should be far smaller/ };

const PLACES: Place[] = [
  { name: 'cs playbooks validate FILE', file: 'pb/mine.yaml', valid: MINI, limit: PLAYBOOK_LIMIT, args: (path) => ['playbooks', 'validate', path], code: 2, also: [/mine\.yaml:\d+:\d+ /] },
  {
    name: 'cs playbooks list (the file in CS_PLAYBOOKS)',
    file: 'pb/mine.yaml',
    valid: MINI,
    limit: PLAYBOOK_LIMIT,
    args: () => ['playbooks', 'list'],
    code: 0,
    also: [/warning: 1 playbook file has problems and was skipped \(.*mine\.yaml\); see cs playbooks validate/],
  },
  {
    name: 'cs onboard start (the file in CS_PLAYBOOKS)',
    file: 'pb/mine.yaml',
    valid: MINI,
    limit: PLAYBOOK_LIMIT,
    args: () => ['onboard', 'start', 'Khách mới', '--answers', answersFile('onboarding-30d'), '--no-input'],
    code: 0,
    also: [/warning: 1 playbook file has problems and was skipped \(.*mine\.yaml\)/],
    writes: true,
  },
  {
    name: 'cs onboard start --answers FILE',
    file: 'answers.yaml',
    valid: ANSWERS,
    limit: { bytes: 3 * MiB, says: /it is larger than 2 MiB; answers for one run are far smaller/ },
    args: (path) => ['onboard', 'start', 'Khách mới', '--answers', path, '--no-input'],
    code: 2,
  },
  {
    name: 'cs accounts import FILE',
    file: 'book.csv',
    valid: 'name,owner,playbook,start\nKhách mới,lan,onboarding-30d,2026-11-20\n',
    limit: { bytes: 101 * MiB, says: /it is larger than 100 MiB; split it into files of up to 100 MiB and import each/ },
    args: (path) => ['accounts', 'import', path],
    code: 2,
  },
  { name: 'cs templates show (the file in CS_TEMPLATES)', file: 'tpl/mine.mustache', valid: '---\ntitle: Mine\n---\nHello {{account.name}}\n', limit: TEMPLATE_LIMIT, args: () => ['templates', 'show', 'mine'], code: 2 },
  {
    name: 'cs templates list (the file in CS_TEMPLATES)',
    file: 'tpl/mine.mustache',
    valid: '---\ntitle: Mine\n---\nHello {{account.name}}\n',
    limit: TEMPLATE_LIMIT,
    args: () => ['templates', 'list'],
    code: 0,
    also: [/^mine\s+broken\s+user\s+see: cs templates show mine/m, /kickoff-recap/],
  },
  {
    name: 'cs render (a partial in CS_TEMPLATES)',
    file: 'tpl/partials/mine.mustache',
    valid: 'Hello {{account.name}}\n',
    limit: TEMPLATE_LIMIT,
    args: () => ['render', 'letter', 'Acme'],
    code: 2,
  },
];

/** Every kind of wrong file, for one place. */
function kindsFor(place: Place): SpecialFile[] {
  const tooLarge: SpecialFile = { name: `${place.limit.bytes / MiB} MiB`, make: (path) => sparseFile(path, place.valid, place.limit.bytes), says: place.limit.says };
  return [...NOT_REGULAR, ...notUtf8(place.valid), tooLarge];
}

let seed: Seed;
beforeAll(() => {
  seed = seedDatabase();
}, 60_000);

/** Runs `args` in a seeded sandbox with its own CS_PLAYBOOKS and CS_TEMPLATES (pb/, tpl/). */
async function inSeededBox(prepare: (dir: string) => Undo | void, args: (dir: string) => string[], env: Record<string, string> = {}) {
  const box = seededSandbox(seed);
  for (const folder of ['pb', 'tpl/partials']) mkdirSync(join(box.dir, folder), { recursive: true });
  writeFileSync(join(box.dir, 'tpl', 'letter.mustache'), '---\ntitle: Letter\n---\nDear {{account.name}},\n{{> mine}}\n');
  const undo = prepare(box.dir);
  let result: CliResult;
  try {
    result = await runCs(box, args(box.dir), { env: { CS_PLAYBOOKS: join(box.dir, 'pb'), CS_TEMPLATES: join(box.dir, 'tpl'), ...env }, timeout: HANG_GUARD_MS });
  } finally {
    await undo?.();
  }
  return { box, result };
}

describe('a file that is not what it claims, wherever cs reads one', () => {
  for (const place of PLACES) {
    describe(place.name, () => {
      for (const kind of kindsFor(place)) {
        it(`${kind.name}: ${place.code === 0 ? 'skipped, and said so' : 'refused'} at once`, { concurrent: true, timeout: 60_000 }, async () => {
          const { box, result } = await inSeededBox(
            (dir) => kind.make(join(dir, place.file)),
            (dir) => place.args(join(dir, place.file)),
          );
          const said = `${result.stdout}\n${result.stderr}`;
          expect(result.signal, `not hanging: ${said}`).toBeNull();
          expect(result.code, said).toBe(place.code);
          const name = place.file.split('/').pop()!.replace('.', '\\.');
          if (place.code === 2) expectRefusal(result, [], 2);
          else expectNoLeak(result);
          // the list commands name the file; the rest say what it is too
          const wanted = place.name.includes(' list') || place.name.includes('onboard start (') ? [new RegExp(name)] : [new RegExp(name), kind.says];
          if (place.name.startsWith('cs templates list')) wanted.push(kind.says);
          for (const pattern of [...wanted, ...(place.also ?? [])]) expect(said).toMatch(pattern);
          expectNoControlBytes(result);
          if (!place.writes) expect(dumpDb(box.db), 'the database is unchanged').toBe(seed.dump);
        });
      }
    });
  }
});

describe('the settings file (~/.config/cs/config.yaml)', () => {
  for (const kind of [...NOT_REGULAR, ...notUtf8('user.name: "Lan"\nuser.email: lan@example.com\n')]) {
    it(`${kind.name}: cs config list refuses it at once`, { concurrent: true, timeout: 60_000 }, async () => {
      const box = seededSandbox(seed);
      const path = join(box.configHome, 'cs', 'config.yaml');
      mkdirSync(join(box.configHome, 'cs'), { recursive: true });
      const undo = kind.make(path);
      let result: CliResult;
      try {
        result = await runCs(box, ['config', 'list'], { timeout: HANG_GUARD_MS });
      } finally {
        await undo?.();
      }
      expect(result.signal, 'not hanging').toBeNull();
      expectRefusal(result, [/config\.yaml/, kind.says]);
      expectNoControlBytes(result);
      expect(dumpDb(box.db)).toBe(seed.dump);
    });
  }
});

describe('what is fine', () => {
  it('a UTF-8 byte-order mark is accepted in a playbook, an answers file, a CSV and a template', async () => {
    const bom = '\uFEFF';
    const { result } = await inSeededBox(
      (dir) => void writeFileSync(join(dir, 'pb', 'mine.yaml'), bom + MINI),
      (dir) => ['playbooks', 'validate', join(dir, 'pb', 'mine.yaml')],
    );
    expectSuccess(result);
    const { box, result: rendered } = await inSeededBox(
      (dir) => void writeFileSync(join(dir, 'tpl', 'partials', 'mine.mustache'), `${bom}Hello from the partial\n`),
      () => ['render', 'letter', 'Acme'],
    );
    expectSuccess(rendered);
    expect(rendered.stdout).toContain('Dear Acme,\nHello from the partial');
    expect(rendered.stdout).not.toContain(bom);
    const answers = join(box.dir, 'answers-bom.yaml');
    writeFileSync(answers, bom + ANSWERS);
    expectSuccess(await runCs(box, ['onboard', 'start', 'Khách BOM', '--answers', answers, '--no-input']));
    const csv = join(box.dir, 'book-bom.csv');
    writeFileSync(csv, `${bom}name,owner,playbook,start\nKhách CSV,lan,onboarding-30d,2026-11-20\n`);
    const imported = await runCs(box, ['accounts', 'import', csv]);
    expectSuccess(imported);
    expect(imported.stdout).toMatch(/Imported 1 account, started 1 run/);
  });

  it('a symlink to a regular file is read through', async () => {
    const { result } = await inSeededBox(
      (dir) => {
        writeFileSync(join(dir, 'real.yaml'), MINI);
        symlinkSync(join(dir, 'real.yaml'), join(dir, 'pb', 'mine.yaml'));
      },
      () => ['playbooks', 'show', 'mini'],
    );
    expectSuccess(result);
    expect(result.stdout).toContain('Mini');
  });
});

describe('partials that include themselves', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a partial including itself', { a: 'A {{> a}}' }, /template loop: partial a includes itself \(a → a\)/],
    ['two partials including each other', { a: 'A {{> b}}', b: 'B {{> a}}' }, /template loop: partial a includes itself \(a → b → a\)/],
    ['a loop of three, entered through another partial', { start: 'S {{> a}}', a: 'A {{> b}}', b: 'B {{> c}}', c: 'C {{> a}}' }, /template loop: partial a includes itself \(a → b → c → a\)/],
    ['a loop inside a section', { a: '{{#account}}{{> b}}{{/account}}', b: '{{#account}}{{> a}}{{/account}}' }, /partial a includes itself \(a → b → a\)/],
    [
      'forty partials nested without a loop',
      Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`p${index}`, index < 39 ? `{{> p${index + 1}}}` : 'end'])),
      /template loop: partials are nested more than 32 deep \(p0 → p1 → .* → p32\)/,
    ],
  ];
  for (const [name, partials, message] of cases) {
    it(`${name}: a template error showing the chain, exit 2`, { concurrent: true, timeout: 60_000 }, async () => {
      const first = Object.keys(partials)[0]!;
      const { box, result } = await inSeededBox(
        (dir) => {
          writeFileSync(join(dir, 'tpl', 'loop.mustache'), `---\ntitle: Loop\n---\nHello {{> ${first}}}\n`);
          for (const [partial, text] of Object.entries(partials)) writeFileSync(join(dir, 'tpl', 'partials', `${partial}.mustache`), text);
        },
        () => ['render', 'loop', 'Acme'],
      );
      expectRefusal(result, [message, /a partial cannot include itself/]);
      expect(result.stderr).not.toMatch(/call stack/i);
      expectNoControlBytes(result);
      expect(dumpDb(box.db)).toBe(seed.dump);
    });
  }
});

describe('the caches', () => {
  /** `cs playbooks list` and its output, with the parse cache of the sandbox's home. */
  async function listTwice() {
    const box = sandbox();
    const first = await runCs(box, ['playbooks', 'list'], { timeout: HANG_GUARD_MS });
    expectSuccess(first);
    const folder = join(box.home, '.cache', 'cs', 'playbooks');
    return { box, first, folder, files: readdirSync(folder).filter((name) => name.endsWith('.json')) };
  }

  const damages: [string, (path: string) => void][] = [
    ['cut in half', (path) => writeFileSync(path, readFileSync(path).subarray(0, statSync(path).size >> 1))],
    ['a playbook that does not match its hash', (path) => writeFileSync(path, readFileSync(path, 'utf8').replace(/"title\\":\\"[^\\]*\\"/, '"title\\":\\"Tampered\\"'))],
    ['valid JSON of another shape', (path) => writeFileSync(path, '{"path": 1, "playbook": null}')],
    ['not UTF-8', (path) => writeFileSync(path, Buffer.from([0xff, 0xfe, 0x00, 0x7b]))],
    ['a FIFO', (path) => (rmSync(path), makeFifo(path))],
    ['a folder', (path) => (rmSync(path), mkdirSync(path))],
    ['a symlink to /dev/zero', (path) => (rmSync(path), symlinkSync('/dev/zero', path))],
  ];
  for (const [name, damage] of damages) {
    it(`a parse-cache entry ${name} is ignored (and rebuilt when it can be)`, { concurrent: true, timeout: 60_000 }, async () => {
      const { box, first, folder, files } = await listTwice();
      expect(files.length).toBe(7);
      for (const file of files) damage(join(folder, file));
      const again = await runCs(box, ['playbooks', 'list'], { timeout: HANG_GUARD_MS });
      expectSuccess(again);
      expect(again.stdout).toBe(first.stdout);
      expect(again.stdout).not.toContain('Tampered');
      for (const file of files) {
        const path = join(folder, file);
        if (!statSync(path).isFile()) continue; // a folder cannot be replaced by a file: the cache is simply not used
        const entry = JSON.parse(readFileSync(path, 'utf8')) as { playbook: string };
        expect(JSON.parse(entry.playbook), `${file} was written again`).toHaveProperty('id');
      }
    });
  }

  it('a code-cache file that is a FIFO, a folder, a link to /dev/zero or garbage costs only time', { timeout: 60_000 }, async () => {
    const box = sandbox();
    const folder = join(box.home, '.cache', 'cs', 'code');
    const damages: ((path: string) => void)[] = [makeFifo, (path) => mkdirSync(path), (path) => symlinkSync('/dev/zero', path), (path) => writeFileSync(path, 'not V8 code')];
    for (const damage of damages) {
      expectSuccess(await runCs(box, ['status'], { timeout: HANG_GUARD_MS }));
      const caches = readdirSync(folder).filter((name) => name.endsWith('.v8'));
      expect(caches.length).toBeGreaterThan(0);
      for (const name of caches) {
        rmSync(join(folder, name), { recursive: true });
        damage(join(folder, name));
      }
      const result = await runCs(box, ['status'], { timeout: HANG_GUARD_MS });
      expectSuccess(result);
      expect(result.stdout).toMatch(/No runs yet/);
      for (const name of caches) rmSync(join(folder, name), { recursive: true, force: true });
    }
  });
});

describe('CS_DB naming something that is not a database file', () => {
  const targets: [string, (dir: string) => { path: string; undo?: Undo }, RegExp][] = [
    ['a FIFO', (dir) => (makeFifo(join(dir, 'db.fifo')), { path: join(dir, 'db.fifo') }), /the database path .*db\.fifo is a FIFO \(named pipe\), not a regular file/],
    ['a socket', (dir) => ({ path: join(dir, 'db.sock'), undo: makeSocket(join(dir, 'db.sock')) }), /the database path .*db\.sock is a socket, not a regular file/],
    // a null device of its own: a cs that opened /dev/null itself would leave its -journal in /dev
    ['a device node', (dir) => (makeNullDevice(join(dir, 'null.db')), { path: join(dir, 'null.db') }), /the database path .*null\.db is a character device, not a regular file/],
    [
      'a symlink to a zero device',
      (dir) => (makeNullDevice(join(dir, 'zero'), 'zero'), symlinkSync(join(dir, 'zero'), join(dir, 'zero.db')), { path: join(dir, 'zero.db') }),
      /the database path .*zero\.db is a character device, not a regular file/,
    ],
    ['a folder', (dir) => (mkdirSync(join(dir, 'db.d')), { path: join(dir, 'db.d') }), /the database path .*db\.d is a folder/],
  ];
  const commands: [string, string[]][] = [
    ['status', ['status']],
    ['onboard start', ['onboard', 'start', 'Khách mới', '--answers', answersFile('onboarding-30d'), '--no-input']],
    ['db check', ['db', 'check']],
  ];
  for (const [name, make, message] of targets) {
    for (const [command, args] of commands) {
      it(`${name}, for cs ${command}: exit 2, a clear message, nothing left beside it`, { concurrent: true, timeout: 60_000 }, async () => {
        const box = sandbox();
        const dir = join(box.home, 'files');
        mkdirSync(dir, { recursive: true });
        const { path, undo } = make(dir);
        let result: CliResult;
        try {
          result = await runCs(box, args, { env: { CS_DB: path }, timeout: HANG_GUARD_MS });
        } finally {
          await undo?.();
        }
        expect(result.signal).toBeNull();
        expectRefusal(result, [message, /Point --db \(or CS_DB\)|Give a file name/]);
        expectNoControlBytes(result);
        for (const suffix of ['-journal', '-wal', '-shm']) expect(existsSync(`${path}${suffix}`), `${path}${suffix}`).toBe(false);
      });
    }
  }
});

describe('a database locked by another program', () => {
  it('says "another program", with the path and what to do; nothing is lost', { timeout: 60_000 }, async () => {
    const box = seededSandbox(seed);
    const holder = new Database(box.db);
    holder.exec('BEGIN EXCLUSIVE');
    let result: CliResult;
    try {
      // a shorter wait than the 10 s a user gets (CS_BUSY_TIMEOUT_MS), the same message
      result = await runCs(box, ['accounts', 'rename', 'Acme', 'Acme Two'], { env: { CS_BUSY_TIMEOUT_MS: '1500' }, timeout: 40_000 });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expectRefusal(result, [new RegExp(`the database ${box.db.replace(/[.]/g, '\\.')} is locked by another program \\(waited 1\\.5 s\\)`), /a program such as sqlite3/, /run the command again/], 1);
    expect(result.stderr).not.toMatch(/SQLITE_BUSY/);
    expectNoControlBytes(result);
    expect(dumpDb(box.db)).toBe(seed.dump);
    expectSuccess(await runCs(box, ['accounts', 'rename', 'Acme', 'Acme Two']));
  });
});
