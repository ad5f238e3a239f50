/**
 * `cs config set|get|unset|list`: who you are (user.name, user.email, user), like git config. Reads
 * and writes one small file; loads no library (no YAML, no prompts, no database).
 */
import { runtimeError } from '../../errors.js';
import { checkValue, CONFIG_KEYS, configPath, requireKey, setting, settings, writeSetting } from '../../config/config.js';
import { displayPath } from '../../paths.js';
import { t } from '../../i18n/messages.js';
import type { Context } from '../context.js';

export async function set(context: Context, key: string, value: string): Promise<void> {
  const { ui } = context;
  const definition = requireKey(key);
  const clean = checkValue(definition, value);
  const path = writeSetting(definition.key, clean, context.env);
  ui.out(`${ui.style.green('✓')} ${definition.key} = ${clean} ${ui.style.dim(t('config.in', { file: displayPath(path) }))}`);
  const override = context.env[definition.env]?.trim();
  if (override) ui.err(ui.style.yellow(t('config.overridden', { env: definition.env, value: JSON.stringify(override) })));
}

export async function unset(context: Context, key: string): Promise<void> {
  const { ui } = context;
  const definition = requireKey(key);
  const path = writeSetting(definition.key, undefined, context.env);
  ui.out(`${ui.style.green('✓')} ${t('config.removed', { key: definition.key })} ${ui.style.dim(t('config.from', { file: displayPath(path) }))}`);
}

/** The value alone on stdout, for scripts; exit 1 when it is not set, as `git config` does. */
export async function get(context: Context, key: string): Promise<void> {
  const definition = requireKey(key);
  const found = setting(definition.key, context.env);
  if (!found) {
    throw runtimeError(t('config.notSet', { key: definition.key }), { hint: t('config.setIt', { command: `cs config set ${definition.key} "${definition.example}"`, env: definition.env }) });
  }
  context.ui.out(found.value);
}

export async function list(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const found = settings(context.env);
  if (flags.json) {
    ui.out(JSON.stringify({ file: configPath(context.env), settings: found.map(({ key, value, origin, from }) => ({ key, value, origin, from })) }, null, 2));
    return;
  }
  if (found.length === 0) {
    ui.out(t('config.nothingSet', { name: `cs config set user.name "${CONFIG_KEYS[0]!.example}"`, email: `cs config set user.email ${CONFIG_KEYS[1]!.example}` }));
    return;
  }
  for (const each of found) ui.out(`${each.key}=${each.value}${each.origin === 'env' ? ui.style.dim(`  ${t('config.from', { file: each.from })}`) : ''}`);
}
