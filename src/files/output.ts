/**
 * Writing a file the user named (--out, --html, --ics): refused before any work when it cannot or
 * must not be written, then written whole or not at all.
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CsError, inputError, runtimeError } from '../errors.js';

/** Refuses, before anything is worked out, an --out that cannot or must not be written. */
export function checkTarget(out: string, force: boolean | undefined): string {
  const path = resolve(out);
  const folder = dirname(path);
  let folderIsDir = false;
  try {
    folderIsDir = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!folderIsDir) {
    throw inputError(`cannot write ${out}: the folder ${folder} does not exist`, { hint: `Create it first (mkdir -p ${JSON.stringify(folder)}), or choose another --out.` });
  }
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) throw inputError(`cannot write ${out}: it is a folder`, { hint: 'Give a file name, e.g. --out recap.eml' });
  if (existing && !force) throw inputError(`${out} already exists; nothing was written`, { hint: 'Add --force to overwrite it, or choose another file.' });
  return path;
}

function writeError(out: string, error: unknown): CsError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return inputError(`${out} already exists; nothing was written`, { hint: 'Add --force to overwrite it, or choose another file.' });
  if (code === 'ENOENT') return inputError(`cannot write ${out}: its folder does not exist`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return inputError(`cannot write ${out}: permission denied`, { hint: 'Choose a folder you can write to.' });
  if (code === 'ENOSPC') return runtimeError(`cannot write ${out}: the disk is full; nothing was written`);
  return runtimeError(`cannot write ${out}: ${(error as Error).message}`, { cause: error });
}

/**
 * Writes the whole file or nothing (`content` as one text, or chunks written in turn): a temp file in the same folder, flushed, then moved into
 * place. Without `force`, a hard link refuses an existing file atomically (no check-then-write
 * race); where links are not supported, a last check before the rename does.
 */
export function writeFileAtomically(out: string, content: string | Iterable<string>, force: boolean | undefined): void {
  const path = checkTarget(out, force);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      // a long file comes in chunks (cs agenda --ics): never held whole in memory
      for (const chunk of typeof content === 'string' ? [content] : content) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (force) renameSync(temp, path);
    else {
      try {
        linkSync(temp, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
        checkTarget(out, false);
        renameSync(temp, path);
      }
    }
  } catch (error) {
    throw error instanceof CsError ? error : writeError(out, error);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already moved into place
    }
  }
}

