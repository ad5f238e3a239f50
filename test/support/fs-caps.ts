/**
 * File-system conditions a test needs and a machine may or may not allow: a read-only database
 * file, a small file system that fills up. Each helper finds what works here (we usually run as
 * root, for whom file modes mean nothing) and says which mechanism it used.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const isRoot = () => process.getuid?.() === 0;

function quietly(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Can this process open `path` for writing? */
function writable(path: string): boolean {
  try {
    closeSync(openSync(path, 'r+'));
    return true;
  } catch {
    return false;
  }
}

export interface ReadOnly {
  /** How the file was made read-only: "chmod 0444", "chattr +i" or "read-only bind mount". */
  mechanism: string;
  undo(): void;
}

/**
 * Makes the file `path` (and, for a bind mount, its folder) read-only for this machine's user.
 * chmod 0444 is enough for a normal user; root ignores file modes (and a read-only folder), so as
 * root the file is made immutable (`chattr +i`, ext4/xfs/btrfs) or, where chattr is refused (tmpfs,
 * overlayfs), its folder is bind-mounted read-only. Throws when nothing works.
 */
export function makeReadOnly(path: string, folder: string): ReadOnly {
  if (!isRoot()) {
    chmodSync(path, 0o444);
    return { mechanism: 'chmod 0444', undo: () => chmodSync(path, 0o600) };
  }
  if (quietly('chattr', ['+i', path])) {
    if (!writable(path)) return { mechanism: 'chattr +i', undo: () => void quietly('chattr', ['-i', path]) };
    quietly('chattr', ['-i', path]);
  }
  if (quietly('mount', ['--bind', '-o', 'ro', folder, folder])) {
    if (!writable(path)) return { mechanism: 'read-only bind mount', undo: () => void quietly('umount', [folder]) };
    quietly('umount', [folder]);
  }
  throw new Error(`cannot make ${path} read-only here: running as root, and neither chattr +i nor a read-only bind mount works`);
}

/** A file system that can be filled (a few MiB): the database goes in `dir`. */
export interface SmallDisk {
  /** "tmpfs", "loop-mounted ext4" or "ulimit -f": what made writes fail. */
  mechanism: string;
  /** A real file system that fills up (ENOSPC), or a per-file size limit (EFBIG). */
  kind: 'mounted' | 'file-size-limit';
  dir: string;
  /**
   * For `ulimit -f`: the limit (KiB) to run cs under; undefined when the file system itself is full
   * or not (tmpfs, loop), so cs runs normally.
   */
  limitKib?: number;
  /** Leaves about `bytes` of room. */
  leave(bytes: number): void;
  /** Leaves no room at all. */
  fill(): void;
  /** Room again (as after the user deleted something). */
  free(): void;
  /** Unmounts and removes everything. */
  dispose(): void;
}

const FILLER = 'filler.bin';

/** A mounted file system of a few MiB, filled with a filler file as asked. */
function mountedDisk(mechanism: string, dir: string, unmount: () => void): SmallDisk {
  const filler = join(dir, FILLER);
  const available = () => {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  /** Writes the filler until `room` bytes are left, or the disk refuses more. */
  const grow = (room: number) => {
    const fd = openSync(filler, 'a');
    try {
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      for (let left = available() - room; left > 0; left = available() - room) {
        try {
          writeSync(fd, chunk, 0, Math.min(chunk.length, left));
        } catch {
          break; // ENOSPC: full
        }
      }
    } finally {
      closeSync(fd);
    }
  };
  /** tmpfs accounts in pages: fills the last partial one too; returns the bytes it could write. */
  const topUp = () => {
    let written = 0;
    const fd = openSync(join(dir, 'filler-2.bin'), 'a');
    try {
      for (;;) written += writeSync(fd, Buffer.alloc(512));
    } catch {
      // full now
    } finally {
      closeSync(fd);
    }
    return written;
  };
  return {
    mechanism,
    kind: 'mounted',
    dir,
    leave: (bytes) => {
      rmSync(filler, { force: true });
      grow(bytes);
    },
    fill: () => {
      rmSync(filler, { force: true });
      // Space a process that just ended had mapped (SQLite's -shm) can come back a moment later:
      // top up until a pass finds nothing more to take.
      for (let pass = 0; pass < 10; pass += 1) {
        grow(0);
        if (topUp() === 0 && pass > 0) break;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    },
    free: () => {
      rmSync(filler, { force: true });
      rmSync(join(dir, 'filler-2.bin'), { force: true });
    },
    dispose: unmount,
  };
}

function tryTmpfs(): SmallDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cs-tmpfs-'));
  if (!quietly('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', dir])) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return mountedDisk('tmpfs (mount -t tmpfs -o size=16m)', dir, () => {
    quietly('umount', [dir]) || quietly('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
}

function tryLoop(): SmallDisk | undefined {
  const base = mkdtempSync(join(tmpdir(), 'cs-loop-'));
  const image = join(base, 'disk.img');
  const dir = join(base, 'mnt');
  mkdirSync(dir);
  const cleanup = () => {
    quietly('umount', [dir]) || quietly('umount', ['-l', dir]);
    rmSync(base, { recursive: true, force: true });
  };
  // -m 0: no blocks reserved for root, or root would write on past "full"
  const ok =
    quietly('truncate', ['-s', '16M', image]) && quietly('mkfs.ext4', ['-q', '-F', '-m', '0', image]) && quietly('mount', ['-o', 'loop', image, dir]);
  if (!ok) {
    cleanup();
    return undefined;
  }
  return mountedDisk('loop-mounted ext4 (16 MiB image)', dir, cleanup);
}

/** No mounting allowed: RLIMIT_FSIZE (`ulimit -f`) makes any write past the limit fail (EFBIG). */
export function fileSizeLimitDisk(): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'cs-ulimit-'));
  const disk: SmallDisk = {
    mechanism: 'ulimit -f (RLIMIT_FSIZE, SIGXFSZ ignored)',
    kind: 'file-size-limit',
    dir,
    limitKib: undefined,
    // a file may grow to `bytes` (the WAL starts empty after each clean close)
    leave: (bytes) => void (disk.limitKib = Math.max(1, Math.floor(bytes / 1024))),
    fill: () => void (disk.limitKib = 0),
    free: () => void (disk.limitKib = undefined),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  return disk;
}

/** The first that works here, in this order: a small tmpfs, a loop-mounted image, `ulimit -f`. */
export function smallDisk(): SmallDisk {
  return (isRoot() ? (tryTmpfs() ?? tryLoop()) : undefined) ?? fileSizeLimitDisk();
}
