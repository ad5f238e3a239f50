/** Where cs finds its bundled content and the user's own folders (PRODUCT.md, "Where things live"). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xdgCache, xdgConfig } from 'xdg-basedir';

let root: string | undefined;

/** The folder holding package.json, playbooks/ and templates/ (works from src/ and from dist/). */
export function packageRoot(): string {
  if (root) return root;
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  root = folder;
  return folder;
}

export type ContentKind = 'playbooks' | 'templates';

export interface ContentFolder {
  path: string;
  source: 'bundled' | 'user';
}

/**
 * Folders searched, lowest precedence first: bundled, then ~/.config/cs/<kind>
 * ($XDG_CONFIG_HOME), then each folder of CS_PLAYBOOKS / CS_TEMPLATES (`:`-separated).
 */
export function contentFolders(kind: ContentKind, env: NodeJS.ProcessEnv = process.env): ContentFolder[] {
  const variable = kind === 'playbooks' ? env.CS_PLAYBOOKS : env.CS_TEMPLATES;
  const fromEnv = (variable ?? '').split(':').filter((folder) => folder.trim() !== '');
  return [
    { path: join(packageRoot(), kind), source: 'bundled' },
    { path: join(xdgConfig ?? join(homedir(), '.config'), 'cs', kind), source: 'user' },
    ...fromEnv.map((folder) => ({ path: resolve(folder), source: 'user' as const })),
  ];
}

/** cs's own config folder: $XDG_CONFIG_HOME/cs, else ~/.config/cs (the user's playbooks live below it). */
export function configFolder(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'cs');
}

/**
 * cs's caches (compiled code, parsed playbooks): $XDG_CACHE_HOME/cs, else ~/.cache/cs. Undefined
 * when NODE_DISABLE_COMPILE_CACHE is set, Node's own switch for its compile cache, which turns off
 * cs's as well.
 */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.NODE_DISABLE_COMPILE_CACHE ? undefined : join(xdgCache ?? join(homedir(), '.cache'), 'cs');
}

/** How a path is shown in messages: relative to the working folder when that is shorter. */
export function displayPath(path: string): string {
  const near = relative(process.cwd(), path);
  return near !== '' && !near.startsWith('..') && near.length < path.length ? near : path;
}
