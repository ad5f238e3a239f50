/** `cs db check` and `cs db backup <file>`. */
import { existsSync } from 'node:fs';
import { inputError, runtimeError } from '../../errors.js';
import { writeOutputWith } from '../../files/output.js';
import type { Context } from '../context.js';
import { t } from '../../i18n/messages.js';

export async function check(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  if (!existsSync(context.dbPath)) throw inputError(t('db.none', { path: context.dbPath }), { hint: t('db.noneHint') });
  const result = context.store().check();
  if (flags.json) ui.out(JSON.stringify({ path: context.dbPath, ok: result.problems.length === 0, ...result }, null, 2));
  else {
    const { schemaVersion: schema, accounts, runs, openRuns: open, answers } = result;
    ui.out(t('db.summary', { path: context.dbPath, schema, accounts, runs, open, answers }));
    if (result.problems.length === 0) ui.out(ui.style.green(`✓ ${t('db.passed')}`));
  }
  if (result.problems.length > 0) {
    throw runtimeError(t('db.damaged', { path: context.dbPath }), { details: result.problems.slice(0, 20), hint: t('db.damagedHint') });
  }
}

export async function backup(context: Context, file: string, flags: { force?: boolean }): Promise<void> {
  if (!existsSync(context.dbPath)) throw inputError(t('db.noneToBackUp', { path: context.dbPath }));
  // the same rules as render --out: never the database itself (or its -wal…), never a FIFO or a device
  const written = await writeOutputWith(file, (temp) => context.store().backup(temp), { force: flags.force, protect: [context.dbPath], mode: 0o600 });
  context.ui.out(t('db.backedUp', { path: context.dbPath, file: written.path }));
}
