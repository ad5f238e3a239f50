#!/usr/bin/env node
// `npm run bench`: how fast cs answers, measured against a bare `node -e 0` on this machine.
// Builds cs, then temp databases of 10,000 and 100,000 accounts through `cs accounts import` (CSV
// files of Vietnamese company names), times each command as a child process (medians), and writes
// the table into BENCHMARKS.md between the bench markers. Not part of `npm test`.
// BENCH_RUNS=n changes the number of timed runs; BENCH_KEEP=1 keeps the databases (for profiling);
// BENCH_SETUP=<folder> only writes the two books, imports and works them there, and stops.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { random } from './random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'cs.js');
const TODAY = '2026-06-15';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MiB = 1024 * 1024;
/** Rows of a CSV just under cs's 100 MiB limit. */
const BIG_CSV_ROWS = 900_000;
const floorScript = join(root, 'scripts', 'floor.mjs');

// ---- data: a book of business, deterministic ------------------------------------------------


const FORMS = ['Công ty TNHH', 'Công ty Cổ phần', 'Tập đoàn', 'Doanh nghiệp tư nhân', 'Hợp tác xã'];
const WORDS = ['Ánh Dương', 'Bình Minh', 'Sông Hồng', 'Đại Việt', 'Hưng Thịnh', 'Phú Quý', 'Thành Đạt', 'Ngọc Lan', 'Trường Sơn', 'Hải Âu', 'Sao Mai', 'Đông Á', 'Việt Tiến', 'Hoà Bình', 'Kim Ngân', 'Ước Mơ', 'Ênh Sáng'];
const SECTORS = ['Thương mại', 'Công nghệ', 'Xây dựng', 'Vận tải', 'Thực phẩm', 'Dệt may', 'Du lịch'];
const OWNERS = ['lan', 'minh', 'hùng', 'thảo', 'quân', 'ngọc', 'tuấn', 'hương', 'đức', 'vy', 'khánh', 'phương'];
const REGIONS = ['Hà Nội', 'TP. Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Huế'];
// How a real book is split between playbooks.
const PLAYBOOKS = [['onboarding-30d', 0.5], ['onboarding-90d', 0.2], ['churn-response', 0.15], ['winback-followup', 0.15]];

function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function quote(value) {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * `count` accounts, one run each, as a team onboarding a book now has them: runs started within
 * ±45 days of today. Every fifth row has no start (today); the rest are ISO dates.
 */
function bookCsv(count, seed) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const lines = ['name,owner,playbook,start,region,sector'];
  for (let index = 1; index <= count; index += 1) {
    const name = `${pick(FORMS)} ${pick(WORDS)} ${pick(SECTORS)} ${String(index).padStart(6, '0')}`;
    let roll = next();
    const playbook = PLAYBOOKS.find(([, share]) => (roll -= share) < 0)?.[0] ?? PLAYBOOKS[0][0];
    const start = next() < 0.2 ? '' : addDays(TODAY, Math.floor(next() * 91) - 45);
    lines.push([name, pick(OWNERS), playbook, start, pick(REGIONS), pick(SECTORS)].map(quote).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Work done on the book, as a team's looks: in each run its earliest steps done, from none to two
 * thirds of them (a third of all steps), and about one step in seventeen of the rest skipped; and
 * action items: two churn runs in three agreed on one to four proposals at their post-mortem (what,
 * who, by when: from ten days ago to three weeks on), a quarter of them done. Written straight into
 * the database (a bench's setup, not a cs command), answers and action_items rows alike.
 */
let summaries;

/**
 * Recomputes every run's summary (run_summaries) from its steps with the store's own statement
 * (src/store/summaries.ts, bundled here): the bench writes steps straight into its databases, so it
 * keeps the summaries right as every cs write does (`cs db check` would find them drifted).
 */
function refreshSummaries(handle) {
  if (!summaries) {
    const [bundle] = buildSync({ entryPoints: [join(root, 'src', 'store', 'summaries.ts')], bundle: true, format: 'cjs', platform: 'node', write: false }).outputFiles;
    const module = { exports: {} };
    new Function('module', 'exports', bundle.text)(module, module.exports);
    summaries = module.exports;
  }
  handle.exec(summaries.refreshSummariesSql('true'));
}

function workTheBook(db, seed) {
  const handle = new Database(db);
  try {
    handle.exec(`
      CREATE TEMP TABLE sizes (run_id INTEGER PRIMARY KEY, n INTEGER);
      INSERT INTO sizes SELECT run_id, count(*) FROM steps GROUP BY run_id;
      UPDATE steps SET status = 'done', updated_at = '${TODAY}T09:00:00.000Z', completed_at = '${TODAY}T09:00:00.000Z', done_on = '${TODAY}'
        WHERE position < (SELECT n FROM sizes WHERE sizes.run_id = steps.run_id) * ((run_id % 7) / 9.0);
      UPDATE steps SET status = 'skipped', skip_reason = 'not needed for this customer', updated_at = '${TODAY}T09:00:00.000Z', completed_at = '${TODAY}T09:00:00.000Z', done_on = '${TODAY}'
        WHERE status = 'open' AND (run_id + position) % 17 = 0;`);
    const next = random(seed);
    const pick = (list) => list[Math.floor(next() * list.length)];
    const WHAT = ['Gọi lại khách hàng mỗi tuần trong quý đầu', 'Viết bài học vào sổ tay CS', 'Sửa lỗi tổng đài báo cáo nhiều lần', 'Rà soát hợp đồng trước khi gia hạn', 'Đào tạo lại đội hỗ trợ'];
    const meetings = handle.prepare("SELECT run_id FROM steps WHERE step_id = 'postmortem-meeting' AND run_id % 3 <> 0").pluck().all();
    const answer = handle.prepare("INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (?, 'postmortem-meeting', 'proposals', ?, ?)");
    const item = handle.prepare("INSERT INTO action_items (run_id, step_id, field_id, n, what, who, due, done) VALUES (?, 'postmortem-meeting', 'proposals', ?, ?, ?, ?, ?)");
    let items = 0;
    handle.transaction(() => {
      for (const runId of meetings) {
        const proposals = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({ what: pick(WHAT), who: pick(OWNERS), due: addDays(TODAY, Math.floor(next() * 31) - 10), done: next() < 0.25 }));
        answer.run(runId, JSON.stringify(proposals), `${TODAY}T09:00:00.000Z`);
        proposals.forEach((proposal, index) => item.run(runId, index + 1, proposal.what, proposal.who, proposal.due, proposal.done ? 1 : 0));
        items += proposals.length;
      }
    })();
    refreshSummaries(handle);
    return [...handle.prepare('SELECT status, count(*) AS n FROM steps GROUP BY status').all(), { status: 'action items', n: items }];
  } finally {
    handle.close();
  }
}

// ---- measuring ------------------------------------------------------------------------------

function env(db, home) {
  return { ...process.env, CS_DB: db, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), CS_TODAY: TODAY, NO_COLOR: '1' };
}

/** Runs a command once (expecting exit `expectedCode`, 0 unless said); stdout to /dev/null (as when piped onwards), seconds elapsed. */
function once(args, options = {}) {
  const sink = openSync('/dev/null', 'w');
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env: options.env ?? process.env, stdio: ['ignore', sink, 'pipe'], encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== (options.expectedCode ?? 0)) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return seconds;
  } finally {
    closeSync(sink);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Medians of `runs` timed runs of each case, after one warm-up each, taken in turns so that a busy
 * moment of the machine weighs on every case alike rather than on whichever ran then. A case's
 * `before` prepares each of its runs (untimed).
 */
function timedInTurns(cases, runs = RUNS * 3) {
  const run = ({ args, env: childEnv, before }) => {
    before?.();
    return once(args, { env: childEnv });
  };
  cases.forEach(run);
  const times = cases.map(() => []);
  for (let index = 0; index < runs; index += 1) cases.forEach((each, which) => times[which].push(run(each)));
  return times.map(median);
}

/** Median of `runs` timed runs of one command, after one warm-up. */
function timed(args, { runs = RUNS, env: childEnv, before } = {}) {
  return timedInTurns([{ args, env: childEnv, before }], runs)[0];
}

/** Peak resident memory of a child, in bytes: GNU time when present, else the child's own report. */
function peakRss(args, childEnv, expectedCode = 0) {
  const sink = openSync('/dev/null', 'w');
  try {
    if (existsSync('/usr/bin/time')) {
      const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env: childEnv, stdio: ['ignore', sink, 'pipe'], encoding: 'utf8' });
      const kib = Number(result.stderr.trim().split('\n').pop());
      if (result.status === expectedCode && Number.isFinite(kib)) return kib * 1024;
    }
    // A wrapper that runs cs in-process and reports its own peak (maxRSS is in KiB).
    const wrapper = `process.argv.splice(1, 1); process.on('exit', () => process.stderr.write('\\nmaxrss ' + process.resourceUsage().maxRSS + '\\n')); await import(${JSON.stringify(cli)});`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', wrapper, cli, ...args.slice(1)], { env: childEnv, stdio: ['ignore', sink, 'pipe'], encoding: 'utf8' });
    return Number(/maxrss (\d+)/.exec(result.stderr)?.[1]) * 1024;
  } finally {
    closeSync(sink);
  }
}

/**
 * How many entries a JSON array printed by `args` holds. cs's --json lists and the floors print one
 * entry a line, so they are counted by line: `cs status --json` at 100,000 runs is larger than the
 * longest string V8 can hold. The output goes through a file; one under 64 MiB is also parsed.
 */
function countJson(args, childEnv) {
  const file = join(tmpdir(), `cs-bench-count-${process.pid}.json`);
  const sink = openSync(file, 'w');
  try {
    const result = spawnSync(process.execPath, args, { env: childEnv, stdio: ['ignore', sink, 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  } finally {
    closeSync(sink);
  }
  try {
    const size = statSync(file).size;
    if (size < 64 * MiB) return JSON.parse(readFileSync(file, 'utf8')).length;
    const buffer = Buffer.alloc(MiB);
    const fd = openSync(file, 'r');
    let lines = 0;
    try {
      for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
        for (let index = buffer.indexOf(10); index !== -1 && index < read; index = buffer.indexOf(10, index + 1)) lines += 1;
      }
    } finally {
      closeSync(fd);
    }
    return lines - 2; // "[" and "]" on lines of their own
  } finally {
    rmSync(file, { force: true });
  }
}

/** The floor of a query command (scripts/floor.mjs), checked to print as many rows as cs. */
function floorOf(what, db, csArgs, childEnv) {
  const args = [floorScript, what, db, TODAY, addDays(TODAY, 7)];
  const [cs, floor] = [countJson([cli, ...csArgs], childEnv), countJson(args, childEnv)];
  if (cs !== floor) throw new Error(`floor ${what}: ${floor} rows, cs ${csArgs.join(' ')}: ${cs}`);
  return { args, rows: cs };
}

/** The steps of `cs agenda --json` (and `extra`). */
function countAgenda(childEnv, extra = []) {
  return countJson([cli, 'agenda', '--json', ...extra], childEnv);
}

/**
 * Progress written straight into a bench database (the CLI would take hours to walk 100,000 runs):
 * of the steps due before TODAY, 75% done (within a week either side of the due date), 10% skipped,
 * the rest left open; each run's last commit is its latest step done. Returns the steps changed.
 */
function bookInProgress(db, seed) {
  const next = random(seed);
  const connection = new Database(db);
  try {
    const steps = connection.prepare("SELECT run_id, step_id, due_date FROM steps WHERE status = 'open' AND due_date <> '' AND due_date < ?").all(TODAY);
    const done = connection.prepare("UPDATE steps SET status = ?, skip_reason = ?, completed_at = ? WHERE run_id = ? AND step_id = ?");
    const REASONS = ['not needed', 'customer declined', 'done by sales'];
    let changed = 0;
    connection.transaction(() => {
      for (const step of steps) {
        const roll = next();
        if (roll >= 0.85) continue;
        const day = addDays(step.due_date, Math.floor(next() * 14) - 7);
        const when = `${day < TODAY ? day : addDays(TODAY, -1)}T09:00:00.000Z`;
        if (roll < 0.75) done.run('done', null, when, step.run_id, step.step_id);
        else done.run('skipped', REASONS[Math.floor(next() * REASONS.length)], when, step.run_id, step.step_id);
        changed += 1;
      }
      connection.exec("UPDATE runs SET updated_at = COALESCE((SELECT max(completed_at) FROM steps WHERE steps.run_id = runs.id), updated_at)");
      refreshSummaries(connection);
    })();
    return changed;
  } finally {
    connection.close();
  }
}

// ---- the run --------------------------------------------------------------------------------

/**
 * The PostgreSQL rows (when a server answers at BENCH_PG_URL, default the machines' 127.0.0.1): the
 * 10,000-account import into an empty database of its own, then the worked SQLite book copied in
 * (cs db copy, so both hold the same rows) and agenda and status timed in turns beside the same
 * commands on SQLite, each within 2× of them. The database is dropped after.
 */
function postgresRows(add, csv10k, db10k, env10k, home) {
  const base = new URL(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  if (spawnSync('pg_isready', ['-q', '-h', base.hostname, '-p', base.port || '5432']).status !== 0) {
    console.log('PostgreSQL: no server answers, so no PostgreSQL rows');
    return;
  }
  const name = `cs_bench_${process.pid}`;
  const admin = ['-h', base.hostname, '-p', base.port || '5432', '-U', decodeURIComponent(base.username || 'postgres')];
  if (spawnSync('createdb', [...admin, name], { stdio: 'inherit' }).status !== 0) return;
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    const envPg = env(url.toString(), home);
    console.log('PostgreSQL: importing 10,000 accounts…');
    const imported = once([cli, 'accounts', 'import', csv10k], { env: envPg });
    add('PostgreSQL: cs accounts import (10,000 rows)', imported, 's', { seconds: 3 }, 'one run, into an empty database');
    console.log('PostgreSQL: the worked 10k book copied in…');
    once([cli, 'db', 'copy', db10k, url.toString(), '--force'], { env: envPg });
    const oneAccount = readFileSync(csv10k, 'utf8').split('\r\n')[5_000].split(',')[0];
    const steps = countAgenda(envPg);
    if (steps !== countAgenda(env10k)) throw new Error(`PostgreSQL's agenda has ${steps} steps, SQLite's ${countAgenda(env10k)}`);
    const ROWS = [
      ['agenda --json', ['agenda', '--json'], `${steps.toLocaleString('en')} steps`],
      ['agenda (text)', ['agenda'], ''],
      ['status --json', ['status', '--json'], 'every run'],
      ['status (text)', ['status'], 'every run'],
      ['status <one account>', ['status', oneAccount], ''],
    ];
    for (const [label, args, note] of ROWS) {
      const [sqlite, postgres] = timedInTurns([{ args: [cli, ...args], env: env10k }, { args: [cli, ...args], env: envPg }], RUNS);
      add(`SQLite: cs ${label} (10k)`, sqlite, 's', undefined, 'the floor of the next row');
      add(`PostgreSQL: cs ${label} (10k)`, postgres, 's', { ratio: 2, of: 'SQLite' }, note, sqlite);
    }
  } finally {
    spawnSync('dropdb', [...admin, name], { stdio: 'inherit' });
  }
}

function main() {
  console.log('building…');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const setupOnly = process.env.BENCH_SETUP;
  const work = setupOnly ? (mkdirSync(setupOnly, { recursive: true }), setupOnly) : mkdtempSync(join(tmpdir(), 'cs-bench-'));
  const home = join(work, 'home');
  try {
    const results = [];
    const add = (name, value, unit, target, note = '', base = undefined) => results.push({ name, value, unit, target, note, base });

    console.log('writing the books…');
    const csv10k = join(work, 'book-10k.csv');
    const csv100k = join(work, 'book-100k.csv');
    writeFileSync(csv10k, bookCsv(10_000, 10));
    writeFileSync(csv100k, bookCsv(100_000, 100));

    console.log('importing 100,000 accounts…');
    const db100k = join(work, 'cs-100k.db');
    const import100k = once([cli, 'accounts', 'import', csv100k], { env: env(db100k, home) });

    console.log('importing 10,000 accounts (timed)…');
    const db10k = join(work, 'cs-10k.db');
    const fresh = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${db10k}${suffix}`, { force: true });
    };
    const import10k = timed([cli, 'accounts', 'import', csv10k], { runs: Math.min(RUNS, 5), env: env(db10k, home), before: fresh });
    const env10k = env(db10k, home);
    const env100k = env(db100k, home);
    if (setupOnly) {
      console.log(`imported in ${import100k.toFixed(2)} s (100,000 rows) and ${import10k.toFixed(2)} s (10,000); working the books…`);
      workTheBook(db10k, 10);
      workTheBook(db100k, 100);
      return;
    }

    console.log('start-up…');
    const oneAccount = readFileSync(csv10k, 'utf8').split('\r\n')[5_000].split(',')[0];
    const cold = { ...env10k, NODE_DISABLE_COMPILE_CACHE: '1' };
    const vietnamese = { ...env10k, LANG: 'vi_VN.UTF-8', LC_ALL: '', LC_MESSAGES: '', CS_LANG: '' };
    const [bare, version, status, statusVi, coldStatus, playbooks, templates, render, draft] = timedInTurns([
      { args: ['-e', '0'] },
      { args: [cli, '--version'], env: env10k },
      { args: [cli, 'status', oneAccount], env: env10k },
      { args: [cli, 'status', oneAccount], env: vietnamese },
      { args: [cli, 'status', oneAccount], env: cold },
      { args: [cli, 'playbooks', 'list'], env: env10k },
      { args: [cli, 'templates', 'list'], env: env10k },
      { args: [cli, 'render', 'kickoff-recap', oneAccount], env: env10k },
      { args: [cli, 'render', 'kickoff-recap', oneAccount, '--format', 'eml'], env: env10k },
    ]);
    add('node -e 0', bare, 's');
    add('cs --version', version, 's', { ratio: 1.3 });
    add('cs status <one account> (10k)', status, 's', { ratio: 1.3 });
    add('cs status <one account>, in Vietnamese', statusVi, 's', { ratio: 1.3 }, 'LANG=vi_VN.UTF-8: also reads dist/lang/vi.cjs');
    add('cs status, without the code cache', coldStatus, 's', undefined, 'as on the first run after an install');
    // PRODUCT.md's bar for any command that does not prompt
    add('cs playbooks list', playbooks, 's', { ratio: 1.5 }, 'six playbooks, from the parse cache');
    add('cs templates list', templates, 's', { ratio: 1.5 });
    add('cs render kickoff-recap <one account>', render, 's', { ratio: 1.5 }, 'markdown to stdout');
    add('cs render … --format eml', draft, 's', { ratio: 1.5 }, 'an email draft: the mail library and its crypto');
    // Node reads NODE_EXTRA_CA_CERTS at every start, before any script: a bundle of certificates
    // there makes `node -e 0` slower and every ratio smaller. The same three without it:
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const without = (childEnv) => {
        const copy = { ...(childEnv ?? process.env) };
        delete copy.NODE_EXTRA_CA_CERTS;
        return copy;
      };
      const [bareAlone, versionAlone, statusAlone] = timedInTurns([
        { args: ['-e', '0'], env: without() },
        { args: [cli, '--version'], env: without(env10k) },
        { args: [cli, 'status', oneAccount], env: without(env10k) },
      ]);
      const note = 'NODE_EXTRA_CA_CERTS unset; ratio to the node -e 0 above it';
      add('node -e 0, without extra CA certificates', bareAlone, 's', undefined, note, bareAlone);
      add('cs --version, without them', versionAlone, 's', undefined, note, bareAlone);
      add('cs status <one account>, without them', statusAlone, 's', undefined, note, bareAlone);
    }

    console.log('working the books (a third of the steps done, some skipped, action items)…');
    const worked = [workTheBook(db10k, 10), workTheBook(db100k, 100)];
    console.log(worked.map((counts) => counts.map(({ status, n }) => `${status} ${n}`).join(', ')).join(' | '));

    // Each query command beside its floor, in turns; at 100,000 accounts also its peak memory.
    const QUERIES = [
      ['agenda --json', 'agenda', ['agenda', '--json'], 'steps'],
      ['status --json', 'status', ['status', '--json'], 'runs'],
      ['accounts list --json', 'accounts', ['accounts', 'list', '--json'], 'accounts'],
      // every step, answer and commit of every run (for export): at 10,000 accounts only
      ['status --json --full', 'status-full', ['status', '--json', '--full'], 'runs', { only: '10k' }],
    ];
    const TEXT = [
      ['agenda (text)', 'agenda', ['agenda']],
      ['status (text)', 'status', ['status']],
      ['accounts list (text)', 'accounts', ['accounts', 'list']],
    ];
    for (const [size, db, childEnv, big] of [['10k', db10k, env10k, false], ['100k', db100k, env100k, true]]) {
      console.log(`queries, ${size} accounts…`);
      const runs = big ? Math.min(RUNS, 3) : RUNS;
      for (const [name, what, args, unit, { only } = {}] of QUERIES) {
        if (only && only !== size) continue;
        let floor;
        try {
          floor = floorOf(what, db, args, childEnv);
        } catch (error) {
          // a command that fails at this size is a row of its own, not the end of the bench
          add(`cs ${name} (${size})`, NaN, 's', big ? { seconds: 1 } : { ratio: 1.5, of: 'floor' }, `**fails**: ${String(error.message).split('\n')[0].replace(/\|/g, '/')}`);
          continue;
        }
        const [cs, bareFloor] = timedInTurns([{ args: [cli, ...args], env: childEnv }, { args: floor.args, env: childEnv }], runs);
        add(`floor: ${what} SQL → JSON (${size})`, bareFloor, 's', undefined, `scripts/floor.mjs: ${floor.rows.toLocaleString('en')} ${unit}`);
        add(`cs ${name} (${size})`, cs, 's', big ? { seconds: 1 } : { ratio: 1.5, of: 'floor' }, '', bareFloor);
        if (big) add(`peak RSS, cs ${name} (100k)`, peakRss([cli, ...args], childEnv), 'MiB', { bytes: 300 * MiB });
      }
      if (!big) {
        for (const [name, what, args] of TEXT) {
          let floor;
          try {
            floor = floorOf(what, db, QUERIES.find(([, query]) => query === what)[2], childEnv);
          } catch {
            continue;
          }
          const [cs, bareFloor] = timedInTurns([{ args: [cli, ...args], env: childEnv }, { args: floor.args, env: childEnv }], runs);
          add(`cs ${name} (${size})`, cs, 's', { ratio: 2, of: 'floor' }, 'to a pipe: every line', bareFloor);
        }
      }
    }
    postgresRows(add, csv10k, db10k, env10k, home);
    add('cs accounts import (10,000 rows)', import10k, 's', { seconds: 3 }, 'fresh database each run');
    add('cs accounts import (100,000 rows)', import100k, 's', { seconds: 8 }, 'one run');
    add('peak RSS, node -e 0', peakRss(['-e', '0'], env10k), 'MiB');

    console.log('calendar…');
    const rows10k = countAgenda(env10k);
    // the same steps both ways: the agenda as a person reads it (the next 7 days), and as a calendar
    const [agendaWeek, icsWeek, icsAll] = timedInTurns(
      [
        { args: [cli, 'agenda'], env: env10k },
        { args: [cli, 'agenda', '--ics', '-', '--days', '7'], env: env10k },
        { args: [cli, 'agenda', '--ics', '-'], env: env10k },
      ],
      RUNS,
    );
    add('cs agenda (10k, the next 7 days)', agendaWeek, 's', undefined, 'the floor of the next row');
    add('cs agenda --ics - --days 7 (10k)', icsWeek, 's', { ratio: 1.5 }, `the same ${rows10k.toLocaleString('en')} steps as events; ratio to the agenda above`, agendaWeek);
    add('cs agenda --ics - (10k, every open step)', icsAll, 's', undefined, `the whole plan: ${countAgenda(env10k, ['--days', '9999']).toLocaleString('en')} events; ratio to the agenda above`, agendaWeek);
    add('peak RSS, cs agenda --ics - (10k, every open step)', peakRss([cli, 'agenda', '--ics', '-'], env10k), 'MiB');

    console.log('report…');
    // a book in progress: the steps due before today mostly done (some late), some skipped
    const progress10k = bookInProgress(db10k, 10);
    const progress100k = bookInProgress(db100k, 100);
    const [bareAgain, report10k, report100k] = timedInTurns(
      [
        { args: ['-e', '0'] },
        { args: [cli, 'report'], env: env10k },
        { args: [cli, 'report'], env: env100k },
      ],
      RUNS,
    );
    add('cs report (10k runs)', report10k, 's', { seconds: 1 }, `${progress10k.toLocaleString('en')} steps done or skipped`, bareAgain);
    add('cs report (100k runs)', report100k, 's', { seconds: 3 }, `${progress100k.toLocaleString('en')} steps done or skipped`, bareAgain);
    add('cs report --json (100k runs)', timed([cli, 'report', '--json'], { env: env100k }), 's', undefined, 'every open run with its health', bareAgain);
    add('peak RSS, cs report (100k)', peakRss([cli, 'report'], env100k), 'MiB', { bytes: 300 * MiB });
    add('peak RSS, cs report --json (100k)', peakRss([cli, 'report', '--json'], env100k), 'MiB', { bytes: 300 * MiB });

    console.log('a CSV of nearly 100 MiB with one bad row…');
    const badCsv = join(work, 'book-bad.csv');
    const lines = bookCsv(BIG_CSV_ROWS, 7).split('\r\n');
    lines.splice(lines.length >> 1, 0, 'Khách xấu,lan,onboarding-30d,31/02/2026,Huế,Bán lẻ');
    writeFileSync(badCsv, lines.join('\r\n'));
    const badCsvMiB = (readFileSync(badCsv).length / MiB).toFixed(0);
    const refusing = [cli, 'accounts', 'import', badCsv];
    add(`cs accounts import, ${badCsvMiB} MiB with one bad row`, once(refusing, { env: env100k, expectedCode: 2 }), 's', undefined, `${BIG_CSV_ROWS.toLocaleString('en')} rows; refused, the bad row named by line; one run`);
    add('peak RSS, the same import', peakRss(refusing, env100k, 2), 'MiB', { bytes: 500 * MiB });

    report(results, bare);
  } finally {
    if (process.env.BENCH_KEEP || setupOnly) console.log(`kept the databases and books in ${work} (BENCH_KEEP or BENCH_SETUP)`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function report(results, bare) {
  const rows = results.map(({ name, value, unit, target, note, base = bare }) => {
    const shown = Number.isNaN(value) ? '—' : unit === 'MiB' ? `${(value / MiB).toFixed(1)} MiB` : `${(value * 1000).toFixed(0)} ms`;
    const ratio = unit === 's' && !Number.isNaN(value) ? `${(value / base).toFixed(2)}×` : '';
    let goal = '';
    let ok = '';
    if (target?.ratio) [goal, ok] = [`≤ ${target.ratio}× ${target.of ?? (base === bare ? 'node' : 'that')}`, value / base <= target.ratio ? 'yes' : '**no**'];
    if (target?.seconds) [goal, ok] = [`≤ ${target.seconds} s`, value <= target.seconds ? 'yes' : '**no**'];
    if (target?.bytes) [goal, ok] = [`≤ ${target.bytes / MiB} MiB`, value <= target.bytes ? 'yes' : '**no**'];
    return [name, shown, ratio, goal, ok, note];
  });
  const header = ['measure', 'median', 'vs node -e 0 (or its floor)', 'target', 'met', 'note'];
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  const cpu = cpus();
  const machine = `${cpu.length} cores, ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}; measured ${new Date().toISOString().slice(0, 10)}, medians of ${RUNS} runs (start-up: ${RUNS * 3} rounds taken in turns; import of 10,000 rows: ${Math.min(RUNS, 5)}; of 100,000: one).`;
  const block = `<!-- bench:start (written by npm run bench) -->\n${machine}\n\n${table}\n<!-- bench:end -->`;
  console.log(`\n${machine}\n\n${table}\n`);
  const file = join(root, 'BENCHMARKS.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n<!-- bench:start --><!-- bench:end -->\n';
  const updated = /<!-- bench:start[^]*?<!-- bench:end -->/.test(current)
    ? current.replace(/<!-- bench:start[^]*?<!-- bench:end -->/, () => block)
    : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, updated);
  console.log(`written to ${file}`);
}

main();
