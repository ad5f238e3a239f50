/**
 * Playbooks that parsed and checked cleanly before, kept so that a command need not parse their
 * YAML again: parsing the six bundled playbooks (~90 KB) takes ~65 ms of a cold process, more than
 * all the rest of `cs playbooks list`. One file per playbook path holds the exact text it was made
 * from and the build of cs that made it; anything else is a miss, and a miss simply parses. Only
 * clean playbooks are kept: a file with problems is parsed every time, so its messages (with their
 * line:col) are always those of the file as it is now.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Playbook } from './types.js';

export interface ParseCache {
  get(path: string, text: string): Playbook | undefined;
  put(path: string, text: string, playbook: Playbook): void;
}

interface Entry {
  path: string;
  build: string;
  text: string;
  playbook: Playbook;
}

/** FNV-1a: a short, stable file name for a path (the path itself is checked inside the file). */
function nameOf(path: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < path.length; index += 1) {
    hash ^= path.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16).padStart(8, '0')}.json`;
}

/** A cache in `folder`, valid for one `build` of cs (anything else there is a miss). Best effort. */
export function fileParseCache(folder: string, build: string): ParseCache {
  return {
    get(path, text) {
      try {
        const entry = JSON.parse(readFileSync(join(folder, nameOf(path)), 'utf8')) as Entry;
        return entry.path === path && entry.build === build && entry.text === text ? entry.playbook : undefined;
      } catch {
        return undefined; // none yet, or unreadable: parse
      }
    },
    put(path, text, playbook) {
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        const file = join(folder, nameOf(path));
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify({ path, build, text, playbook } satisfies Entry), { mode: 0o600 });
        renameSync(temporary, file); // atomically: another cs may be reading it
      } catch {
        // a read-only or full disk: the next command parses again
      }
    },
  };
}
