/** `cs db check`, `cs db backup <file>` and `cs db copy <from> <to>`, on SQLite and PostgreSQL alike. */
import { inputError, runtimeError } from '../../errors.js';
import { writeOutputWith } from '../../files/output.js';
import { databaseExists, databaseName, databasePath, isPostgresUrl } from '../../store/location.js';
import type { Context } from '../context.js';
import { sayIn, t } from '../../i18n/messages.js';
import type { MessageKey } from '../../i18n/messages.js';

function requireDatabase(context: Context, missing: MessageKey): void {
  if (!databaseExists(context.dbPath)) throw inputError(t(missing, { path: context.dbName }), { hint: t('db.noneHint') });
}

export async function check(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  requireDatabase(context, 'db.none');
  const result = await context.store().check();
  if (flags.json) ui.out(JSON.stringify({ path: context.dbName, ok: result.problems.length === 0, ...result, problems: result.problems.map((problem) => sayIn('en', problem)) }, null, 2));
  else {
    const { schemaVersion: schema, accounts, runs, openRuns: open, answers } = result;
    ui.out(t('db.summary', { path: context.dbName, schema, accounts, runs, open, answers }));
    if (result.problems.length === 0) ui.out(ui.style.green(`✓ ${t('db.passed')}`));
  }
  if (result.problems.length > 0) {
    throw runtimeError(t('db.damaged', { path: context.dbName }), {
      details: result.problems.slice(0, 20),
      hint: t(isPostgresUrl(context.dbPath) ? 'db.damagedHintPostgres' : 'db.damagedHint'),
    });
  }
}

export async function backup(context: Context, file: string, flags: { force?: boolean }): Promise<void> {
  requireDatabase(context, 'db.noneToBackUp');
  // the same rules as render --out: never the database itself (or its -wal…), never a FIFO or a device
  const written = await writeOutputWith(file, (temp) => context.store().backup(temp), { force: flags.force, protect: [context.dbPath], mode: 0o600 });
  context.ui.out(t('db.backedUp', { path: context.dbName, file: written.path }));
}

/** `cs db copy <from> <to>`: each a file path or a postgres:// URL. */
export async function copy(context: Context, fromArgument: string, toArgument: string, flags: { force?: boolean }): Promise<void> {
  const from = databasePath(fromArgument, {});
  const to = databasePath(toArgument, {});
  if (from === to) throw inputError(t('db.copySame'));
  if (!databaseExists(from)) throw inputError(t('db.noneToCopy', { path: databaseName(from) }));
  const { openStore } = await import('../../store/index.js');
  const { copyDatabase } = await import('../../store/copy.js');
  const source = openStore(from);
  try {
    const target = openStore(to);
    try {
      const figures = await copyDatabase(source, target, flags);
      const rows = figures.map((figure) => t('db.copiedTable', { table: figure.table, rows: figure.rows })).join(', ');
      context.ui.out(t('db.copied', { from: databaseName(from), to: databaseName(to), rows }));
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
