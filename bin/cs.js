#!/usr/bin/env node
// Kept tiny on purpose: start-up time is a feature. CommonJS (bin/package.json), because Node 20
// starts a CommonJS entry ~5 ms sooner than an ES module. Everything lives in dist/, built from src/.
'use strict';

let boot;
try {
  ({ boot } = require('../dist/boot.cjs'));
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('boot.cjs')) throw error;
  process.stderr.write('cs: this copy is not built yet. Run `npm install` (or `npm run build`) in its folder.\n');
  process.exitCode = 1;
}
boot?.(process.argv);
