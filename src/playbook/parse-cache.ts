/**
 * Playbooks that parsed and checked cleanly before, kept so that a command need not parse their
 * YAML again: parsing the six bundled playbooks (~90 KB) takes ~65 ms of a cold process, more than
 * all the rest of `cs playbooks list`. One file per playbook path holds the exact text it was made
 * from and the build of cs that made it; anything else is a miss, and a miss simply parses. Only
 * clean playbooks are kept: a file with problems is parsed every time, so its messages (with their
 * line:col) are always those of the file as it is now. An entry that is damaged (cut short, changed,
 * not a file at all) is a miss too, and is written again.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS, readOwnFile } from '../files/input.js';
import type { Playbook } from './types.js';

export interface ParseCache {
  get(path: string, text: string): Playbook | undefined;
  put(path: string, text: string, playbook: Playbook): void;
}

interface Entry {
  path: string;
  build: string;
  text: string;
  /** The playbook as JSON, and its hash: a damaged entry must not pass for a playbook. */
  playbook: string;
  sum: string;
}

/** FNV-1a, in hex. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A short, stable file name for a path (the path itself is checked inside the file). */
function nameOf(path: string): string {
  return `${fnv1a(path)}.json`;
}

/** A cache in `folder`, valid for one `build` of cs (anything else there is a miss). Best effort. */
export function fileParseCache(folder: string, build: string): ParseCache {
  return {
    get(path, text) {
      try {
        const bytes = readOwnFile(join(folder, nameOf(path)), LIMITS.parseCacheEntry);
        if (!bytes) return undefined;
        const entry = JSON.parse(bytes.toString('utf8')) as Partial<Entry>;
        if (entry.path !== path || entry.build !== build || entry.text !== text) return undefined;
        if (typeof entry.playbook !== 'string' || fnv1a(entry.playbook) !== entry.sum) return undefined;
        return JSON.parse(entry.playbook) as Playbook;
      } catch {
        return undefined; // none yet, or unreadable: parse
      }
    },
    put(path, text, playbook) {
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        const file = join(folder, nameOf(path));
        const temporary = `${file}.${process.pid}.tmp`;
        const body = JSON.stringify(playbook);
        writeFileSync(temporary, JSON.stringify({ path, build, text, playbook: body, sum: fnv1a(body) } satisfies Entry), { mode: 0o600 });
        renameSync(temporary, file); // atomically: another cs may be reading it
      } catch {
        // a read-only or full disk: the next command parses again
      }
    },
  };
}
