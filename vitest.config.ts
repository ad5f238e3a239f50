import { spawnSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';

/**
 * Two halves: every test on SQLite, and the store and end-to-end suites again on PostgreSQL
 * (CS_TEST_BACKEND=postgres, each database a schema of its own). Without a server the PostgreSQL
 * half is left out and `npm test` says so; under CI=true or with CS_TEST_PG set, it must run.
 */
const ON_BOTH_BACKENDS = [
  'test/e2e/cli.test.ts',
  'test/unit/concurrent-walks.test.ts',
  'test/reliability/concurrency.test.ts',
  'test/reliability/kill.test.ts',
  'test/postgres/**/*.test.ts',
  'test/report/figures.test.ts',
  'test/report/report.cli.test.ts',
  'test/report/shift.cli.test.ts',
  'test/report/ics.test.ts',
  'test/agenda/agenda.cli.test.ts',
  'test/agenda/summary.test.ts',
  'test/agenda/store.test.ts',
  'test/properties/run-summaries.property.test.ts',
  'test/accounts/store.test.ts',
  'test/accounts/crm.cli.test.ts',
  'test/i18n/vietnamese.cli.test.ts',
  'test/v2/cli.test.ts',
  'test/v2/content.test.ts',
  'test/people/team.cli.test.ts',
  'test/people/store.test.ts',
];

const pgUrl = new URL(process.env.CS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const required = process.env.CI === 'true' || Boolean(process.env.CS_TEST_PG);
const serverUp = spawnSync('pg_isready', ['-q', '-h', pgUrl.hostname, '-p', pgUrl.port || '5432'], { stdio: 'ignore' }).status === 0;
const postgresHalf = serverUp || required;
if (!postgresHalf) {
  process.stderr.write(`\n\u001b[33m!! The PostgreSQL half of the tests was NOT run: no server answers at ${pgUrl.host} (pg_isready). Start one, or set CS_TEST_PG=1 to make this an error.\u001b[0m\n\n`);
}
process.env.CS_TEST_BACKEND_PLAN = postgresHalf ? 'postgres' : 'sqlite';

const common = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { test: { ...common, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/postgres/**'] } },
      ...(postgresHalf ? [{ test: { ...common, name: 'postgres', include: ON_BOTH_BACKENDS, env: { CS_TEST_BACKEND: 'postgres' } } }] : []),
    ],
  },
});
