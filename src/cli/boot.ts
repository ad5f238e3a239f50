/**
 * What bin/cs.js runs: turns on the code cache for cs's bundles (code-cache.ts), then the command
 * line. Bundled as CommonJS into dist/boot.cjs, beside dist/main.cjs, so `module`, `require` and
 * `__dirname` below are that file's own.
 */
import { join } from 'node:path';
import { cacheFolder } from '../paths.js';
import { enableCodeCache } from './code-cache.js';
import type { ModuleClass } from './code-cache.js';

/** Each bundle of dist/ with its content hash; written in by scripts/build.mjs. */
declare const __CS_BUNDLES__: Record<string, string>;

export function boot(argv: string[]): Promise<void> {
  const caches = cacheFolder();
  enableCodeCache(module.constructor as unknown as ModuleClass, __dirname, __CS_BUNDLES__, caches && join(caches, 'code'));
  const { main } = require('./main.cjs') as typeof import('./main.js');
  return main(argv);
}
