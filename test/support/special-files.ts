/**
 * Files that are not what their names claim, for the reliability tests: FIFOs, sockets, links to
 * devices, folders, text in another encoding, files past a size limit, and a cs database seeded
 * with runs to prove a refusal changed nothing.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { sandbox } from './cli.js';
import type { CliResult, Sandbox } from './cli.js';
import { dumpDb } from './db.js';
import { answersFile, expectSuccess } from './runs.js';
import { tempDir, writeFiles } from './tmp.js';

/** What a test needs to clean up after making a file (a socket's server). */
export type Undo = () => Promise<void> | void;

export interface SpecialFile {
  /** A name for the test title. */
  name: string;
  /** Makes the thing at `path` (its folder exists); returns what to undo after cs has run. */
  make(path: string): Undo | void;
  /** What cs must say about it, wherever it is read. */
  says: RegExp;
}

/**
 * A character device at `path`, the null device (or /dev/zero): a node of its own where the machine
 * lets us make one (root), else a link to the real one. Never the real one where cs might write: a
 * cs that wrongly renamed a file onto /dev/null would replace the machine's, and SQLite opening it
 * would leave its -journal in /dev.
 */
export function makeNullDevice(path: string, which: 'null' | 'zero' = 'null'): void {
  try {
    execFileSync('mknod', ['-m', '666', path, 'c', '1', which === 'null' ? '3' : '5'], { stdio: 'ignore' });
  } catch {
    symlinkSync(`/dev/${which}`, path);
  }
}

export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** A listening Unix socket at `path` (opening it for reading fails with ENXIO). */
export function makeSocket(path: string): Undo {
  const server = createServer();
  server.listen(path);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

export function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

export function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  for (let index = 0; index + 1 < bytes.length; index += 2) [bytes[index], bytes[index + 1]] = [bytes[index + 1]!, bytes[index]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), bytes]);
}

/** A file of `bytes` bytes that takes no disk space (a hole), starting with `head`. */
export function sparseFile(path: string, head: string, bytes: number): void {
  writeFileSync(path, head);
  truncateSync(path, bytes);
}

/** Kinds of path that are not a regular file, with what cs says of each. */
export const NOT_REGULAR: SpecialFile[] = [
  { name: 'a FIFO', make: makeFifo, says: /it is a FIFO \(named pipe\), not a regular file/ },
  { name: 'a symlink to /dev/zero', make: (path) => symlinkSync('/dev/zero', path), says: /it is a character device, not a regular file/ },
  { name: 'a symlink to /dev/null', make: (path) => symlinkSync('/dev/null', path), says: /it is a character device, not a regular file/ },
  { name: 'a folder', make: (path) => mkdirSync(path), says: /it is a folder, not a regular file/ },
  { name: 'a socket', make: makeSocket, says: /it is a socket, not a regular file/ },
  { name: 'a symlink to a FIFO', make: (path) => (makeFifo(`${path}.real`), symlinkSync(`${path}.real`, path)), says: /it is a FIFO \(named pipe\), not a regular file/ },
];

/**
 * Text that is not UTF-8, each with what cs says: `text` is a valid file of the kind being read,
 * so the encoding is the only thing wrong with it.
 */
export function notUtf8(text: string): SpecialFile[] {
  const latin1At = text.indexOf('\n') + 1; // the second line
  const latin1 = Buffer.concat([Buffer.from(text.slice(0, latin1At)), Buffer.from('# caf\u00e9 cr\u00e8me\n', 'latin1'), Buffer.from(text.slice(latin1At))]);
  return [
    { name: 'UTF-16 LE with its BOM', make: (path) => writeFileSync(path, utf16le(text)), says: /it is UTF-16 LE text \(it starts with the byte-order mark FF FE\); cs reads UTF-8/ },
    { name: 'UTF-16 BE with its BOM', make: (path) => writeFileSync(path, utf16be(text)), says: /it is UTF-16 BE text \(it starts with the byte-order mark FE FF\); cs reads UTF-8/ },
    { name: 'Latin-1 bytes on line 2', make: (path) => writeFileSync(path, latin1), says: new RegExp(`:2:6:? not UTF-8: byte 0xE9 at offset ${Buffer.byteLength(text.slice(0, latin1At)) + 5} is not valid UTF-8 \\(the file may be Latin-1`) },
    { name: 'a NUL byte', make: (path) => writeFileSync(path, `${text}\u0000`), says: /not text: a NUL byte at offset \d+/ },
  ];
}

/** C0 and C1 controls other than tab and newline: none may reach the terminal (NO_COLOR is set). */
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export function expectNoControlBytes(result: CliResult): void {
  expect(result.stdout, 'no control byte on stdout').not.toMatch(CONTROL);
  expect(result.stderr, 'no control byte on stderr').not.toMatch(CONTROL);
}

/** A seeded database: Acme (one finished onboarding run), Beta (an open churn-response run, #2). */
export interface Seed {
  db: string;
  dump: string;
}

export function seedDatabase(): Seed {
  const box = sandbox();
  expectSuccess(box.run(['onboard', 'start', 'Acme', '--answers', answersFile('onboarding-30d'), '--no-input']));
  const csv = writeFiles(tempDir(), { 'book.csv': 'name,owner,playbook,start\nBeta,lan,churn-response,2026-11-20\n' });
  expectSuccess(box.run(['accounts', 'import', join(csv, 'book.csv')]));
  const db = join(tempDir('cs-seed-'), 'seed.db');
  copyFileSync(box.db, db);
  return { db, dump: dumpDb(db) };
}

/** A sandbox whose CS_DB is a fresh copy of the seed (named `name`, cs.db unless said). */
export function seededSandbox(seed: Seed, name?: string): Sandbox & { dir: string } {
  const box = sandbox();
  if (name !== undefined) box.db = box.env.CS_DB = join(dirname(box.db), name);
  mkdirSync(dirname(box.db), { recursive: true });
  copyFileSync(seed.db, box.db);
  const dir = join(box.home, 'files');
  mkdirSync(dir, { recursive: true });
  return Object.assign(box, { dir });
}
