/**
 * Where cs writes a path the user named (`cs render --out`, `cs db backup`): never the database in
 * use or its -wal / -shm / -journal, whatever path names them (the file itself, a hard link, a
 * symlink, another spelling of the path); never a FIFO, a device, a socket or a folder (and never
 * hanging on one); a symlink to a regular file is written through, the link kept. Each refusal:
 * exit 2, a message naming the path and what it is, the database saying what it said before and
 * its file keeping its bytes, the target untouched.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { dumpDb, integrityCheck } from '../support/db.js';
import { expectRefusal } from '../support/refusal.js';
import { expectSuccess } from '../support/runs.js';
import { expectNoControlBytes, makeFifo, makeNullDevice, makeSocket, seedDatabase, seededSandbox } from '../support/special-files.js';
import type { Seed, Undo } from '../support/special-files.js';

const HANG_GUARD_MS = 15_000;

function hash(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '(missing)';
}

/** What a target is before and after: its kind, and its bytes when it is a regular file. */
function describeTarget(path: string): string {
  try {
    const link = lstatSync(path);
    const stats = statSync(path);
    const kind = link.isSymbolicLink() ? `link to ${readlinkSync(path)}, ` : '';
    return `${kind}${stats.isFile() ? `file ${hash(path)}` : stats.isDirectory() ? 'folder' : stats.isFIFO() ? 'fifo' : stats.isSocket() ? 'socket' : 'device'}`;
  } catch {
    return '(missing)';
  }
}

let seed: Seed;
beforeAll(() => {
  seed = seedDatabase();
}, 60_000);

interface Target {
  name: string;
  /** Makes the target (the database is at `db`, a folder of files at `dir`); returns its path, as given to cs. */
  make(db: string, dir: string): { out: string; undo?: Undo };
  says: RegExp[];
  /** Keep the database open in WAL mode meanwhile, so that its -wal and -shm exist. */
  walOpen?: boolean;
}

const IS_DATABASE = /it is the database cs is using \(.*csdata\); nothing was written/;
const NOT_REGULAR = (kind: string) => new RegExp(`it is ${kind}, not a regular file; nothing was written`);

const TARGETS: Target[] = [
  { name: 'the database itself', make: (db) => ({ out: db }), says: [IS_DATABASE, /cs never writes over the database it is using/] },
  // cs runs in ROOT
  { name: 'the database by a relative path', make: (db) => ({ out: relative(ROOT, db) }), says: [IS_DATABASE] },
  { name: 'the database through ./ and ..', make: (db) => ({ out: join(dirname(db), '..', basename(dirname(db)), '.', basename(db)) }), says: [IS_DATABASE] },
  { name: 'a hard link to the database', make: (db, dir) => (linkSync(db, join(dir, 'hard')), { out: join(dir, 'hard') }), says: [IS_DATABASE] },
  { name: 'a symlink to the database', make: (db, dir) => (symlinkSync(db, join(dir, 'link')), { out: join(dir, 'link') }), says: [IS_DATABASE] },
  { name: 'a symlink to a folder holding the database', make: (db, dir) => (symlinkSync(dirname(db), join(dir, 'data')), { out: join(dir, 'data', basename(db)) }), says: [IS_DATABASE] },
  { name: 'its -wal', make: (db) => ({ out: `${db}-wal` }), says: [/it is the database's write-ahead log \(.*csdata-wal\)/], walOpen: true },
  { name: 'its -wal through a hard link', make: (db, dir) => (linkSync(`${db}-wal`, join(dir, 'w')), { out: join(dir, 'w') }), says: [/write-ahead log/], walOpen: true },
  { name: 'its -shm through a symlink', make: (db, dir) => (symlinkSync(`${db}-shm`, join(dir, 's')), { out: join(dir, 's') }), says: [/it is the database's shared-memory index \(.*csdata-shm\)/], walOpen: true },
  { name: 'its -wal before it exists', make: (db) => ({ out: `${db}-wal` }), says: [/write-ahead log/] },
  { name: 'its -journal before it exists', make: (db) => ({ out: `${db}-journal` }), says: [/it is the database's rollback journal/] },
  { name: 'a FIFO', make: (_, dir) => (makeFifo(join(dir, 'out.md')), { out: join(dir, 'out.md') }), says: [NOT_REGULAR('a FIFO \\(named pipe\\)')] },
  { name: 'a symlink to a FIFO', make: (_, dir) => (makeFifo(join(dir, 'fifo')), symlinkSync(join(dir, 'fifo'), join(dir, 'out.md')), { out: join(dir, 'out.md') }), says: [NOT_REGULAR('a FIFO \\(named pipe\\)')] },
  // never /dev/null itself: a cs that renamed onto it would replace the machine's /dev/null
  { name: 'a device node', make: (_, dir) => (makeNullDevice(join(dir, 'null')), { out: join(dir, 'null') }), says: [NOT_REGULAR('a character device')] },
  { name: 'a symlink to /dev/zero', make: (_, dir) => (symlinkSync('/dev/zero', join(dir, 'out.md')), { out: join(dir, 'out.md') }), says: [NOT_REGULAR('a character device')] },
  { name: 'a socket', make: (_, dir) => ({ out: join(dir, 'out-socket'), undo: makeSocket(join(dir, 'out-socket')) }), says: [NOT_REGULAR('a socket')] },
  { name: 'a folder', make: (_, dir) => ({ out: dir }), says: [/cannot write .*: it is a folder/, /Give a file name/] },
  { name: 'a symlink to a folder', make: (_, dir) => (mkdirSync(join(dir, 'sub')), symlinkSync(join(dir, 'sub'), join(dir, 'out.md')), { out: join(dir, 'out.md') }), says: [/it is a folder/] },
  { name: 'a file inside a FIFO', make: (_, dir) => (makeFifo(join(dir, 'pipe')), { out: join(dir, 'pipe', 'out.md') }), says: [/cannot write .*out\.md: .*pipe is a FIFO \(named pipe\), not a folder/] },
  { name: 'a file inside a regular file', make: (_, dir) => (writeFileSync(join(dir, 'plain'), 'x'), { out: join(dir, 'plain', 'out.md') }), says: [/cannot write .*out\.md: .*plain is a regular file, not a folder/] },
  { name: 'a symlink to nothing', make: (_, dir) => (symlinkSync(join(dir, 'nothing.md'), join(dir, 'out.md')), { out: join(dir, 'out.md') }), says: [/it is a symbolic link to .*nothing\.md, which does not exist/] },
];

const COMMANDS: [string, (out: string) => string[]][] = [
  ['cs render --out … --force', (out) => ['render', 'kickoff-recap', 'Acme', '--out', out, '--force']],
  ['cs db backup … --force', (out) => ['db', 'backup', out, '--force']],
];

describe('a path cs must not write', () => {
  for (const [command, args] of COMMANDS) {
    describe(command, () => {
      for (const target of TARGETS) {
        it(`${target.name}: refused, nothing changed`, { concurrent: true, timeout: 60_000 }, async () => {
          // no extension: render refuses --out with one that names no format (.db) before anything else
          const box = seededSandbox(seed, 'csdata');
          // (reading the file in this process after SQLite opened it would drop SQLite's locks)
          const dbBytes = hash(box.db);
          // held open in WAL mode (as another cs would), its -wal and -shm exist
          const holder = target.walOpen ? new Database(box.db) : undefined;
          holder?.pragma('journal_mode = WAL');
          holder?.exec('BEGIN'); // a read transaction: cs, closing, cannot remove them either
          holder?.prepare('SELECT count(*) FROM runs').get();
          const { out, undo } = target.make(box.db, box.dir);
          const before = { db: dbBytes, target: target.walOpen ? describeTarget(out).replace(/file [0-9a-f]+/, 'file') : describeTarget(out) };
          let result: CliResult;
          try {
            result = await runCs(box, args(out), { timeout: HANG_GUARD_MS });
          } finally {
            await undo?.();
          }
          // what SQLite keeps in -wal and -shm changes as anyone reads: only their kind must stay
          const shown = (path: string) => (target.walOpen ? describeTarget(path).replace(/file [0-9a-f]+/, 'file') : describeTarget(path));
          // before the checks below, whose read-only opening of the database may leave an empty -wal
          const targetAfter = shown(out);
          holder?.exec('COMMIT');
          holder?.close();
          expect(result.signal, 'no hang').toBeNull();
          expectRefusal(result, target.says);
          expect(result.stdout).not.toMatch(/Wrote|Backed up/);
          expectNoControlBytes(result);
          if (!target.name.includes('socket')) expect(targetAfter, 'the target is untouched').toBe(before.target);
          if (!target.walOpen) expect(hash(box.db), 'the database keeps its bytes').toBe(before.db);
          expect(dumpDb(box.db), 'the database says what it said').toBe(seed.dump);
          expect(integrityCheck(box.db)).toEqual(['ok']);
        });
      }
    });
  }
});

describe('a symlink to a regular file is written through, the link kept', () => {
  it('cs render --out', { timeout: 60_000 }, async () => {
    const box = seededSandbox(seed);
    const real = join(box.dir, 'real.md');
    const link = join(box.dir, 'recap.md');
    writeFileSync(real, 'bản nháp cũ\n', { mode: 0o640 });
    symlinkSync(real, link);
    const refused = await runCs(box, ['render', 'kickoff-recap', 'Acme', '--out', link]);
    expectRefusal(refused, [/recap\.md already exists; nothing was written/, /Add --force/]);
    expect(readFileSync(real, 'utf8')).toBe('bản nháp cũ\n');
    const result = await runCs(box, ['render', 'kickoff-recap', 'Acme', '--out', link, '--force']);
    expectSuccess(result);
    expect(result.stdout).toContain(`Wrote ${link} (kickoff-recap, md, Acme, run #1, through the link to ${real})`);
    expect(lstatSync(link).isSymbolicLink(), 'the link is still a link').toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toMatch(/^To: .*\nSubject: Recap of our kickoff call — Acme/);
    expect(statSync(real).mode & 0o777, 'the file keeps its mode').toBe(0o640);
    expect(dumpDb(box.db)).toBe(seed.dump);
  });

  it('cs db backup', { timeout: 60_000 }, async () => {
    const box = seededSandbox(seed);
    const real = join(box.dir, 'backup.db');
    const link = join(box.dir, 'latest.db');
    writeFileSync(real, 'an old backup');
    symlinkSync(real, link);
    const result = await runCs(box, ['db', 'backup', link, '--force']);
    expectSuccess(result);
    expect(result.stdout).toContain(`to ${real}.`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(integrityCheck(real)).toEqual(['ok']);
    expect(dumpDb(real)).toBe(seed.dump);
  });

  it('a new file in a folder reached through a symlink is written there', { timeout: 60_000 }, async () => {
    const box = seededSandbox(seed);
    mkdirSync(join(box.dir, 'docs'));
    symlinkSync(join(box.dir, 'docs'), join(box.dir, 'docs-link'));
    expectSuccess(await runCs(box, ['render', 'kickoff-recap', 'Acme', '--out', join(box.dir, 'docs-link', 'recap.md')]));
    expect(readFileSync(join(box.dir, 'docs', 'recap.md'), 'utf8')).toContain('Recap of our kickoff call');
  });
});
