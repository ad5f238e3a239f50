/** `cs db check` and `cs db backup <file>`. */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError, runtimeError } from '../../errors.js';
import type { Context } from '../context.js';

export async function check(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  if (!existsSync(context.dbPath)) throw inputError(`there is no database at ${context.dbPath} yet`, { hint: 'It is created by the first cs onboard start (or --db / CS_DB points elsewhere).' });
  const result = context.store().check();
  if (flags.json) ui.out(JSON.stringify({ path: context.dbPath, ok: result.problems.length === 0, ...result }, null, 2));
  else {
    ui.out(`${context.dbPath}: schema ${result.schemaVersion}, ${result.accounts} accounts, ${result.runs} runs (${result.openRuns} open), ${result.answers} answers`);
    if (result.problems.length === 0) ui.out(ui.style.green('✓ integrity check passed'));
  }
  if (result.problems.length > 0) {
    throw runtimeError(`the database ${context.dbPath} is damaged`, {
      details: result.problems.slice(0, 20),
      hint: 'Restore it from a backup (cs db backup makes one), or copy what can be read with the sqlite3 tool\'s .recover.',
    });
  }
}

export async function backup(context: Context, file: string, flags: { force?: boolean }): Promise<void> {
  const destination = resolve(file);
  if (destination === resolve(context.dbPath)) throw inputError('the backup must go to another file than the database itself');
  if (!existsSync(context.dbPath)) throw inputError(`there is no database at ${context.dbPath} to back up`);
  if (!existsSync(dirname(destination)) || !statSync(dirname(destination)).isDirectory()) {
    throw inputError(`the folder ${dirname(destination)} does not exist`, { hint: 'Create it first, or choose another path.' });
  }
  if (existsSync(destination) && !flags.force) throw inputError(`${destination} already exists`, { hint: 'Add --force to overwrite it.' });
  // copied beside the destination, then renamed over it: a half-written backup never has its name
  const partial = `${destination}.partial-${process.pid}`;
  try {
    await context.store().backup(partial);
    renameSync(partial, destination);
  } finally {
    rmSync(partial, { force: true });
  }
  context.ui.out(`Backed up ${context.dbPath} to ${destination}.`);
}
