/** `cs db check`, `cs db backup <file>` and `cs db copy <from> <to>`, on SQLite and PostgreSQL alike. */
import { inputError, runtimeError } from '../../errors.js';
import { writeOutputWith } from '../../files/output.js';
import { databaseExists, databaseName, databasePath, isPostgresUrl } from '../../store/location.js';
import type { Context } from '../context.js';

function requireDatabase(context: Context, what: string): void {
  if (!databaseExists(context.dbPath)) throw inputError(`there is no database at ${context.dbName} ${what}`, { hint: 'It is created by the first cs onboard start (or --db / CS_DB points elsewhere).' });
}

export async function check(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  requireDatabase(context, 'yet');
  const result = await context.store().check();
  if (flags.json) ui.out(JSON.stringify({ path: context.dbName, ok: result.problems.length === 0, ...result }, null, 2));
  else {
    ui.out(`${context.dbName}: schema ${result.schemaVersion}, ${result.accounts} accounts, ${result.runs} runs (${result.openRuns} open), ${result.answers} answers`);
    if (result.problems.length === 0) ui.out(ui.style.green('✓ integrity check passed'));
  }
  if (result.problems.length > 0) {
    throw runtimeError(`the database ${context.dbName} is damaged`, {
      details: result.problems.slice(0, 20),
      hint: isPostgresUrl(context.dbPath)
        ? 'Restore it from a backup (cs db backup makes one).'
        : 'Restore it from a backup (cs db backup makes one), or copy what can be read with the sqlite3 tool\'s .recover.',
    });
  }
}

export async function backup(context: Context, file: string, flags: { force?: boolean }): Promise<void> {
  requireDatabase(context, 'to back up');
  // the same rules as render --out: never the database itself (or its -wal…), never a FIFO or a device
  const written = await writeOutputWith(file, (temp) => context.store().backup(temp), { force: flags.force, protect: [context.dbPath], mode: 0o600 });
  context.ui.out(`Backed up ${context.dbName} to ${written.path}.`);
}

/** `cs db copy <from> <to>`: each a file path or a postgres:// URL. */
export async function copy(context: Context, fromArgument: string, toArgument: string, flags: { force?: boolean }): Promise<void> {
  const from = databasePath(fromArgument, {});
  const to = databasePath(toArgument, {});
  if (from === to) throw inputError('the copy must go to another database than its source');
  if (!databaseExists(from)) throw inputError(`there is no database at ${databaseName(from)} to copy`);
  const { openStore } = await import('../../store/index.js');
  const { copyDatabase } = await import('../../store/copy.js');
  const source = openStore(from);
  try {
    const target = openStore(to);
    try {
      const figures = await copyDatabase(source, target, flags);
      const rows = figures.map((figure) => `${figure.table} ${figure.rows}`).join(', ');
      context.ui.out(`Copied ${databaseName(from)} to ${databaseName(to)}: ${rows}; counts and checksums verified.`);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
