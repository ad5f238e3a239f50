#!/usr/bin/env node
/**
 * `npm run stress`: the kill -9 and concurrency tests at full counts, then the figures they measured.
 *
 *   CS_STRESS_KILLS    kill -9 rounds                       (default here 50; npm test runs 12)
 *   CS_STRESS_WRITERS  processes writing one database at once (default 4; npm test runs 2 and 4)
 *   CS_STRESS_OPS      walks per writer, shared-account rounds (default 10; npm test runs 2)
 *   CS_STRESS_OPENERS  processes creating one new database at once (default 16; npm test runs 8)
 *   CS_STRESS_OPEN_ROUNDS  rounds of that race                (default 20; npm test runs 2)
 *   CS_STRESS_SEED     replay a kill sequence
 *   CS_STRESS_PG_PROCESSES, CS_STRESS_PG_ANSWERS, CS_STRESS_PG_IMPORT  on PostgreSQL: processes
 *                      answering at once, answers each, rows imported beside them (8, 200, 1,000;
 *                      npm test runs 4, 20, 100). The PostgreSQL half runs when a server answers.
 *
 * Builds first (as npm test does). Exits with vitest's code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'cs-stress-'));
const report = join(folder, 'figures.jsonl');
const counts = {
  CS_STRESS_KILLS: process.env.CS_STRESS_KILLS || '50',
  CS_STRESS_WRITERS: process.env.CS_STRESS_WRITERS || '4',
  CS_STRESS_OPS: process.env.CS_STRESS_OPS || '10',
  CS_STRESS_OPENERS: process.env.CS_STRESS_OPENERS || '16',
  CS_STRESS_OPEN_ROUNDS: process.env.CS_STRESS_OPEN_ROUNDS || '20',
  CS_STRESS_PG_PROCESSES: process.env.CS_STRESS_PG_PROCESSES || '8',
  CS_STRESS_PG_ANSWERS: process.env.CS_STRESS_PG_ANSWERS || '200',
  CS_STRESS_PG_IMPORT: process.env.CS_STRESS_PG_IMPORT || '1000',
};

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (run(process.execPath, [join(root, 'scripts', 'build.mjs')]) !== 0) process.exit(1);

console.log(`\nstress: ${Object.entries(counts).map(([key, value]) => `${key}=${value}`).join(' ')}\n`);
const started = Date.now();
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const code = run(process.execPath, [vitest, 'run', 'test/reliability/kill.test.ts', 'test/reliability/concurrency.test.ts', 'test/postgres/answers-at-once.test.ts'], {
  ...process.env,
  ...counts,
  CS_STRESS_REPORT: report,
});
const seconds = Math.round((Date.now() - started) / 1000);

const figures = existsSync(report)
  ? readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
rmSync(folder, { recursive: true, force: true });

console.log(`\nstress figures (${seconds} s, vitest exit ${code}):`);
for (const { name, ...rest } of figures) {
  if (name === 'kill') {
    console.log(`  kill -9: ${rest.survived} of ${rest.killed} kills survived (${rest.rounds} rounds: ${rest.midWalk} mid-run, ${rest.beforeAnyCommit} before any commit; ${rest.eventsPerWalk} commits a walk; seed ${rest.seed})`);
  } else if (name === 'concurrency') {
    console.log(`  ${rest.writers} writers × ${rest.opsPerWriter} walks (+${rest.scheduled} win-back runs scheduled) + import of ${rest.imported} rows: ${rest.processes} processes, ${rest.failures} failures, ${rest.seconds} s`);
  } else {
    console.log(`  ${name}: ${Object.entries(rest).map(([key, value]) => `${key} ${value}`).join(', ')}`);
  }
}
if (figures.length === 0) console.log('  (none reported: see the vitest output above)');
process.exit(code);
