/**
 * The one way cs writes a file the user named (`cs render --out`, `cs db backup`). The rules
 * (README, "Where cs writes"):
 * - the path must not exist yet, or (with --force) be a regular file; a folder, a FIFO, a device
 *   node or a socket is refused before anything is produced;
 * - the database in use, its -wal, -shm and -journal are refused, whatever path names them (the
 *   same file through a hard link or a symlink is found by device and inode);
 * - a symbolic link is written through: its regular-file target gets the new content and the link
 *   stays as it is; a link to nothing is refused;
 * - the whole file or nothing: the content goes to a temporary file beside the target, flushed,
 *   then renamed onto it (so other hard links to the old file keep the old content).
 */
import { closeSync, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CsError, inputError, runtimeError } from '../errors.js';
import { describeKind } from './input.js';

export interface OutputOptions {
  /** Replace an existing regular file. */
  force?: boolean;
  /** Database files that must never be written over (each with its -wal, -shm and -journal). */
  protect?: string[];
  /** The mode of a new file (an existing file keeps its own). */
  mode?: number;
}

/** Where the content will go, once checked. */
export interface OutputTarget {
  /** As the user gave it, for messages. */
  out: string;
  /** The file to replace: the path itself, or the regular file a symlink leads to. */
  path: string;
  /** Set when `out` is a symbolic link (the link is left as it is). */
  throughLink: boolean;
  existing?: Stats;
}

const DATABASE_FILES: [string, string][] = [
  ['', 'the database cs is using'],
  ['-wal', "the database's write-ahead log"],
  ['-shm', "the database's shared-memory index"],
  ['-journal', "the database's rollback journal"],
];

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The path with its folder's links resolved (the file itself need not exist). */
function canonical(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return resolve(path);
  }
}

function refuseDatabase(target: OutputTarget, protect: string[]): void {
  for (const database of protect) {
    if (database === ':memory:') continue;
    for (const [suffix, what] of DATABASE_FILES) {
      const file = `${database}${suffix}`;
      const stats = statOrUndefined(file);
      const same = stats && target.existing ? stats.dev === target.existing.dev && stats.ino === target.existing.ino : canonical(file) === target.path;
      if (same) {
        throw inputError(`cannot write ${target.out}: it is ${what} (${file}); nothing was written`, {
          hint: 'Choose another file name: cs never writes over the database it is using.',
        });
      }
    }
  }
}

/**
 * Refuses, before anything is produced, a path that cannot or must not be written (see above); the
 * file the content will go to otherwise.
 */
export function checkOutput(out: string, options: OutputOptions = {}): OutputTarget {
  const absolute = resolve(out);
  const folder = dirname(absolute);
  const folderStats = statOrUndefined(folder);
  if (folderStats && !folderStats.isDirectory()) throw inputError(`cannot write ${out}: ${folder} is ${describeKind(folderStats)}, not a folder`, { hint: 'Choose another --out.' });
  if (!folderStats) {
    throw inputError(`cannot write ${out}: the folder ${folder} does not exist`, { hint: `Create it first (mkdir -p ${JSON.stringify(folder)}), or choose another --out.` });
  }
  let entry: Stats | undefined;
  try {
    entry = lstatSync(absolute);
  } catch {
    entry = undefined;
  }
  const target: OutputTarget = { out, path: canonical(absolute), throughLink: false };
  if (entry?.isSymbolicLink()) {
    const leadsTo = statOrUndefined(absolute);
    if (!leadsTo) {
      let where = '';
      try {
        where = ` ${readlinkSync(absolute)}`;
      } catch {
        // gone meanwhile
      }
      throw inputError(`cannot write ${out}: it is a symbolic link to${where}, which does not exist`, { hint: 'Point the link at a file, or choose another --out.' });
    }
    target.path = realpathSync(absolute);
    target.throughLink = true;
    target.existing = leadsTo;
  } else {
    target.existing = entry;
  }
  const existing = target.existing;
  if (existing?.isDirectory()) throw inputError(`cannot write ${out}: it is a folder`, { hint: 'Give a file name, e.g. --out recap.eml' });
  if (existing && !existing.isFile()) {
    throw inputError(`cannot write ${out}: it is ${describeKind(existing)}, not a regular file; nothing was written`, { hint: 'cs writes only regular files: choose a file name.' });
  }
  refuseDatabase(target, options.protect ?? []);
  if (existing && !options.force) throw inputError(`${out} already exists; nothing was written`, { hint: 'Add --force to overwrite it, or choose another file.' });
  return target;
}

function writeError(out: string, error: unknown): CsError {
  if (error instanceof CsError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return inputError(`${out} already exists; nothing was written`, { hint: 'Add --force to overwrite it, or choose another file.' });
  if (code === 'ENOENT') return inputError(`cannot write ${out}: its folder does not exist`);
  if (code === 'EISDIR') return inputError(`cannot write ${out}: it is a folder`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return inputError(`cannot write ${out}: permission denied`, { hint: 'Choose a folder you can write to.' });
  if (code === 'ENOSPC') return runtimeError(`cannot write ${out}: the disk is full; nothing was written`);
  return runtimeError(`cannot write ${out}: ${(error as Error).message}`, { cause: error });
}

function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/**
 * Moves the finished temporary file onto the target. Without `force`, a hard link refuses a file
 * that appeared meanwhile, atomically; where links are not supported, a last check does.
 */
function moveIntoPlace(temp: string, target: OutputTarget, options: OutputOptions): void {
  if (options.force) {
    renameSync(temp, target.path);
    return;
  }
  try {
    linkSync(temp, target.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
    checkOutput(target.out, options);
    renameSync(temp, target.path);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already moved into place
  }
}

/** Writes `content` to `out` by the rules above: the whole file or nothing. */
export function writeOutput(out: string, content: string | Buffer | Iterable<string>, options: OutputOptions = {}): OutputTarget {
  const target = checkOutput(out, options);
  const temp = temporaryBeside(target.path);
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o644);
    try {
      if (target.existing) fchmodSync(fd, target.existing.mode & 0o7777);
      // a large document (a calendar of the whole plan) may come in chunks, never held whole
      const chunks = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content;
      for (const chunk of chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    moveIntoPlace(temp, target, options);
  } catch (error) {
    throw writeError(out, error);
  } finally {
    removeQuietly(temp);
  }
  return target;
}

/** The same, for content that something else writes to a path (a database backup). */
export async function writeOutputWith(out: string, produce: (temp: string) => Promise<void>, options: OutputOptions = {}): Promise<OutputTarget> {
  const target = checkOutput(out, options);
  const temp = temporaryBeside(target.path);
  try {
    await produce(temp);
    moveIntoPlace(temp, target, options);
  } catch (error) {
    throw writeError(out, error);
  } finally {
    removeQuietly(temp);
  }
  return target;
}
