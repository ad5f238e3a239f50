/**
 * What only a server has: its refusals (foreign tables, a newer schema, no server, a bad login, no
 * such database), passwords never printed, several cs creating the schema at once, and `cs db copy`
 * between SQLite and PostgreSQL both ways, verified. Runs in the postgres half (CS_TEST_BACKEND).
 */
import { join } from 'node:path';
import { CsError } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/store/postgres/schema.js';
import { bundledPlaybook } from '../support/playbooks.js';
import { describe, expect, it } from 'vitest';
import { pgDatabase, psql, schemaUrl } from '../support/backend.js';
import { STACK_LINE, sandbox } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { answersFile, expectedFrom, expectRunMatches, expectSuccess, parseStatus } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';

const NAME = 'Công ty Ánh Dương';
const SECRET = 'kh0ng-ai-biet';

function expectOneLineFailure(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toMatch(/unexpected error|This is a bug/);
  expect(result.stderr.trim().split('\n')).toHaveLength(2); // the message, then what to do
}

/** The schema of a pgDatabase() URL. */
const schemaOf = (url: string) => /search_path=(\w+)/.exec(decodeURIComponent(url))![1]!;

describe('cs on PostgreSQL', () => {
  it('walks a run, lists it, and keeps every answer (status --json as on SQLite)', async () => {
    const box = sandbox();
    expect(box.db).toMatch(/^postgres:\/\//);
    expectSuccess(box.run(['onboard', 'start', NAME, '--answers', answersFile('onboarding-30d'), '--no-input']));
    const [run] = parseStatus(box.run(['status', '--json', '--full']));
    expectRunMatches(run!, expectedFrom(answersFile('onboarding-30d')));
    expect(psql(`SELECT count(*) FROM ${schemaOf(box.db)}.answers`)).not.toBe('0');
  });

  it('refuses a database whose schema holds tables of another program, and changes nothing', async () => {
    const url = pgDatabase();
    const schema = schemaOf(url);
    psql(`CREATE TABLE ${schema}.invoices (id integer)`);
    const result = sandbox().run(['--db', url, 'status']);
    expectOneLineFailure(result, 2, /is not a cs database: it holds tables of another program \(invoices\)/);
    expect(psql(`SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = '${schema}'`)).toBe('invoices');
  });

  it('refuses a schema newer than this cs, with its version', async () => {
    const box = sandbox();
    expectSuccess(box.run(['status']));
    psql(`UPDATE ${schemaOf(box.db)}.cs_schema SET version = 99`);
    expectOneLineFailure(box.run(['status']), 1, new RegExp(`was written by a newer cs \\(schema 99; this cs knows ${PG_SCHEMA_VERSION}\\)`));
  });

  it('migration 2 backfills when each step was done or skipped (its last change, else its run\'s) and gives the database an identity', async () => {
    const url = pgDatabase();
    const schema = schemaOf(url);
    // a database as the first PostgreSQL cs left it: schema 1, one run with a step done and one skipped
    psql(`SET search_path = ${schema}; ${PG_MIGRATIONS[0]} UPDATE cs_schema SET version = 1;
      INSERT INTO accounts (id, name, name_key, created_at) VALUES (1, 'A', 'a', '2026-11-01T00:00:00.000Z');
      INSERT INTO snapshots (id, body, body_hash) VALUES (1, '{}', 'h');
      INSERT INTO runs (id, account_id, playbook_id, playbook_version, playbook_title, kind, snapshot_id, start_date, created_at, updated_at)
        VALUES (1, 1, 'p', 1, 'P', 'onboarding', 1, '2026-11-01', '2026-11-01T00:00:00.000Z', '2026-11-20T00:00:00.000Z');
      INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, status, updated_at) VALUES
        (1, 'kickoff', 0, 'w', 'K', '2026-11-03', 'done', '2026-11-04T10:00:00.000Z'),
        (1, 'setup', 1, 'w', 'S', '2026-11-08', 'skipped', NULL),
        (1, 'handover', 2, 'm', 'H', '2026-12-01', 'open', '2026-11-05T10:00:00.000Z');`);
    const store = openStore(url);
    expect((await store.check()).schemaVersion).toBe(PG_SCHEMA_VERSION);
    await store.close();
    expect(psql(`SELECT string_agg(step_id || '=' || COALESCE(completed_at, '-') || '/' || due_revision, ' ' ORDER BY position) FROM ${schema}.steps`)).toBe(
      'kickoff=2026-11-04T10:00:00.000Z/0 setup=2026-11-20T00:00:00.000Z/0 handover=-/0',
    );
    expect(psql(`SELECT value FROM ${schema}.meta WHERE key = 'database_id'`)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('no server, a login refused, no such database: one line each with what to do; the password never printed', async () => {
    const box = sandbox();
    const refused = box.run(['--db', `postgres://postgres:${SECRET}@127.0.0.1:1/test`, 'status']);
    expectOneLineFailure(refused, 1, /cannot connect to the database server of postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: connection refused/);
    const login = box.run(['--db', `postgres://no_such_role_cs:${SECRET}@127.0.0.1:5432/test`, 'status']);
    expectOneLineFailure(login, 2, /refused the login .*authentication failed/);
    const missing = box.run(['--db', `postgresql://postgres:${SECRET}@127.0.0.1:5432/no_such_db_cs`, 'agenda']);
    expectOneLineFailure(missing, 2, /the database of postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/no_such_db_cs does not exist/);
    for (const result of [refused, login, missing]) expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('a password from PGPASSWORD or ~/.pgpass is used and never printed', async () => {
    const box = sandbox();
    const url = box.db;
    // trust authentication ignores the password; what matters is that giving one changes nothing and shows nowhere
    expectSuccess(box.run(['status'], { env: { PGPASSWORD: SECRET } }));
    const result = box.run(['--db', url.replace('postgres@', `postgres:${SECRET}@`), 'db', 'check']);
    expectSuccess(result);
    expect(result.stdout).toContain('postgres:***@');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('eight cs starting at once on an empty schema create it once', async () => {
    const box = sandbox();
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => runCs(box, ['run', 'onboarding-30d', `Khách ${index + 1}`, '--answers', answersFile('onboarding-30d'), '--no-input'])));
    for (const result of results) expectSuccess(result);
    expect(psql(`SELECT count(*) FROM ${schemaOf(box.db)}.cs_schema`)).toBe('1');
    expect(parseStatus(box.run(['status', '--json']))).toHaveLength(8);
  });
});

describe('cs db copy', () => {
  it('SQLite → PostgreSQL → SQLite: the same runs, verified; a non-empty target needs --force', async () => {
    const box = sandbox();
    const file = join(tempDir(), 'laptop.db');
    const onFile = { env: { CS_DB: file } };
    expectSuccess(box.run(['onboard', 'start', NAME, '--answers', answersFile('onboarding-30d'), '--no-input'], onFile));
    expectSuccess(box.run(['churn', 'start', 'Beta', '--answers', answersFile('churn-response'), '--no-input'], onFile));
    const before = box.run(['status', '--json'], onFile).stdout;
    const up = box.run(['db', 'copy', file, box.db]);
    expectSuccess(up);
    expect(up.stdout).toMatch(/^Copied .*laptop\.db to postgres:\/\/.*: accounts 2, snapshots \d+, runs 3, steps \d+, run_summaries 3, answers \d+, drafts 0, action_items \d+, commits \d+, people 0, shifts 0, shift_steps 0, meta 1; counts and checksums verified\.$/m);
    expect(box.run(['status', '--json']).stdout).toBe(before);
    const again = box.run(['db', 'copy', file, box.db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty/);
    expect(again.stderr).toContain('--force');
    // the server's copy goes on (ids continue after the copied ones), then comes back to a file
    expectSuccess(box.run(['winback', 'start', 'Gamma', '--answers', answersFile('winback-followup'), '--no-input']));
    const back = join(tempDir(), 'back.db');
    expectSuccess(box.run(['db', 'copy', box.db, back]));
    expect(box.run(['status', '--json'], { env: { CS_DB: back } }).stdout).toBe(box.run(['status', '--json']).stdout);
    expect(box.run(['status', '--json', '--full'], { env: { CS_DB: back } }).stdout).toBe(box.run(['status', '--json', '--full']).stdout);
    expect(box.run(['db', 'check'], { env: { CS_DB: back } }).code).toBe(0);
    expect(parseStatus(box.run(['status', '--json'], { env: { CS_DB: back } })).map((run) => run.id).sort()).toEqual([1, 2, 3, 4]);
  });

  it('db backup of PostgreSQL writes an SQLite file that cs reads; db check reports the server database', async () => {
    const box = sandbox();
    expectSuccess(box.run(['onboard', 'start', NAME, '--answers', answersFile('onboarding-30d'), '--no-input']));
    const check = box.run(['db', 'check']);
    expectSuccess(check);
    expect(check.stdout).toMatch(new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:5432/test\\?options=.*: schema ${PG_SCHEMA_VERSION}, 1 accounts, 1 runs \\(0 open\\), \\d+ answers$`, 'm'));
    const file = join(tempDir(), 'backup.db');
    expectSuccess(box.run(['db', 'backup', file]));
    expect(box.run(['status', '--json'], { env: { CS_DB: file } }).stdout).toBe(box.run(['status', '--json']).stdout);
  });
});

describe('a server connection that goes away', () => {
  it('a connection ended by the server: the commit fails with one clear line or succeeds on a new connection; nothing acknowledged is lost, and the next commit goes on', async () => {
    const base = pgDatabase();
    const name = `cs_gone_${schemaOf(base)}`; // this test's connection alone is ended, not those of tests running beside it
    const store = openStore(`${base}&application_name=${name}`);
    try {
      const playbook = bundledPlaybook('onboarding-30d');
      const created = await store.createRun(await store.ensureAccount(NAME), playbook, { startDate: '2026-11-26' });
      const stepId = created.state.steps[0]!.id;
      await store.commit(created.run.id, { type: 'note', stepId, text: 'trước khi mất kết nối' });
      expect(psql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '${name}'`)).toBe('1');
      const during = await store.commit(created.run.id, { type: 'skip', stepId, reason: 'lý do' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (during !== undefined) {
        expect(during).toBeInstanceOf(CsError);
        expect((during as CsError).message).toMatch(/^lost the connection to the database server of postgres:\/\//);
        expect((during as CsError).hint).toMatch(/cs resume/);
        await store.commit(created.run.id, { type: 'skip', stepId, reason: 'lý do' }); // as cs resume would, on a new connection
      }
      const stored = (await store.loadRun(created.run.id))!.state.steps[0]!;
      expect([stored.note, stored.status, stored.skipReason]).toEqual(['trước khi mất kết nối', 'skipped', 'lý do']);
    } finally {
      await store.close();
    }
  });
});

describe('a database changed under cs', () => {
  it('its schema replaced by another program\'s tables: refused (exit 2), no stack trace', async () => {
    const box = sandbox();
    expectSuccess(box.run(['status']));
    const schema = schemaOf(box.db);
    psql(`DROP SCHEMA ${schema} CASCADE`);
    psql(`CREATE SCHEMA ${schema}`);
    psql(`CREATE TABLE ${schema}.other (id integer)`);
    expectOneLineFailure(box.run(['status']), 2, /is not a cs database/);
    expect(decodeURIComponent(schemaUrl(schema))).toBe(decodeURIComponent(box.db));
  });
});
