#!/usr/bin/env node
// Kept tiny on purpose: start-up time is a feature. Everything lives in dist/main.js (built from src/).
import module from 'node:module';

module.enableCompileCache?.(); // Node >= 22.1 only; a no-op elsewhere
try {
  const { main } = await import('../dist/main.js');
  await main(process.argv);
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write('cs: this copy is not built yet. Run `npm install` (or `npm run build`) in its folder.\n');
    process.exitCode = 1;
  } else {
    throw error;
  }
}
