/**
 * Temporary folders for tests, removed after the test file's tests have run. Importing this module
 * registers the clean-up with vitest, so a test only calls tempDir().
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

/** A new empty folder under the system's temp dir. */
export function tempDir(prefix = 'cs-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  created.push(folder);
  return folder;
}

/** Writes `files` (path relative to `folder` → content) and returns the folder. */
export function writeFiles(folder: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const path = join(folder, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return folder;
}

export function removeTempDirs(): void {
  for (const folder of created.splice(0)) {
    try {
      chmodSync(folder, 0o700); // a test may have made it read-only
    } catch {
      // already gone
    }
    rmSync(folder, { recursive: true, force: true });
  }
}

afterAll(removeTempDirs);
