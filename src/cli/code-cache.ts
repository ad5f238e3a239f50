/**
 * A V8 code cache for cs's own bundles, so that a command starts without parsing and compiling them
 * again (what module.enableCompileCache does from Node 22.1, which Node 20 lacks). The code V8
 * compiled for a bundle is kept in the user's cache folder, named by the bundle's content hash, and
 * written once, when the process exits, if it was missing or V8 refused it (after a Node upgrade,
 * say). Best effort throughout: a cache that cannot be read or written costs only the start-up time
 * it would have saved. NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node 22's.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { LIMITS, readOwnFile } from '../files/input.js';

/** The parts of Node's CommonJS `Module` class the cache hooks into. */
export interface ModuleClass {
  prototype: { _compile(content: string, filename: string, ...more: unknown[]): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
}

interface LoadingModule {
  exports: unknown;
  require(id: string): unknown;
}

/** `vendor/yaml.cjs` with hash `0a1b2c3d4e5f6789` → `yaml-0a1b2c3d4e5f6789.v8`. */
function cacheFileName(bundle: string, hash: string): string {
  return `${basename(bundle).replace(/\.c?js$/, '')}-${hash}.v8`;
}

/** The bundle a cache file is for: `yaml-0a1b2c3d4e5f6789.v8` → `yaml`. */
function bundleOf(cacheFile: string): string | undefined {
  return /^(.+)-[0-9a-f]+\.v8$/.exec(cacheFile)?.[1];
}

/** The cached code, or undefined (V8 itself refuses cached code that is damaged or stale). */
function readCache(file: string): Buffer | undefined {
  return readOwnFile(file, LIMITS.codeCache);
}

/** Atomically (another cs may be reading it), then removes this bundle's caches of earlier builds. */
function writeCache(file: string, data: Buffer): void {
  try {
    const folder = dirname(file);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
    const bundle = bundleOf(basename(file));
    for (const name of readdirSync(folder)) {
      if (name !== basename(file) && bundleOf(name) === bundle) rmSync(join(folder, name), { force: true });
    }
  } catch {
    // a read-only or full disk: cs runs as fast as it would without the cache
  }
}

/**
 * From now on, each file of `bundles` (paths relative to `distFolder`, with their content hashes)
 * that is required is compiled with its cached code. Other files load as usual.
 */
export function enableCodeCache(
  Module: ModuleClass,
  distFolder: string,
  bundles: Record<string, string>,
  cacheFolder: string | undefined,
): void {
  if (!cacheFolder) return;
  const hashes = new Map(Object.entries(bundles).map(([bundle, hash]) => [join(distFolder, bundle), hash]));
  const unsaved: Array<{ script: Script; file: string }> = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(this: LoadingModule, content: string, filename: string, ...more: unknown[]) {
    const hash = hashes.get(filename);
    if (hash === undefined) return compile.call(this, content, filename, ...more);
    const file = join(cacheFolder, cacheFileName(filename, hash));
    const cachedData = readCache(file);
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) {
      if (unsaved.length === 0) process.once('exit', () => unsaved.forEach((entry) => writeCache(entry.file, entry.script.createCachedData())));
      unsaved.push({ script, file });
    }
    // What Node's own loader hands a module: its require, with resolve and the shared cache.
    const require = (id: string) => this.require(id);
    require.resolve = (request: string, options?: unknown) => Module._resolveFilename(request, this, false, options);
    require.cache = Module._cache;
    require.extensions = Module._extensions;
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
}
