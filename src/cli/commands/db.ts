/** `cs db check` and `cs db backup <file>`. */
import { existsSync } from 'node:fs';
import { inputError, runtimeError } from '../../errors.js';
import { writeOutputWith } from '../../files/output.js';
import type { Context } from '../context.js';

export async function check(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  if (!existsSync(context.dbPath)) throw inputError(`there is no database at ${context.dbPath} yet`, { hint: 'It is created by the first cs onboard start (or --db / CS_DB points elsewhere).' });
  const result = await context.store().check();
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
  if (!existsSync(context.dbPath)) throw inputError(`there is no database at ${context.dbPath} to back up`);
  // the same rules as render --out: never the database itself (or its -wal…), never a FIFO or a device
  const written = await writeOutputWith(file, (temp) => context.store().backup(temp), { force: flags.force, protect: [context.dbPath], mode: 0o600 });
  context.ui.out(`Backed up ${context.dbPath} to ${written.path}.`);
}
