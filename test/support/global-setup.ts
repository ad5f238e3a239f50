/**
 * Once per `npm test`: under CI=true or with CS_TEST_PG set, a PostgreSQL server that does not
 * answer fails the run (vitest.config.ts leaves the half out, and says so, on a laptop without one).
 * Imports nothing of vitest's: it runs outside any test file.
 */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  if (!(process.env.CI === 'true' || process.env.CS_TEST_PG)) return;
  const url = new URL(process.env.CS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const ready = spawnSync('pg_isready', ['-q', '-h', url.hostname, '-p', url.port || '5432'], { stdio: 'ignore' }).status === 0;
  if (!ready) throw new Error(`PostgreSQL is not answering at ${url.host} (pg_isready): the PostgreSQL half of the tests cannot run. Start it (see .ci/run).`);
}
