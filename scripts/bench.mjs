#!/usr/bin/env node
// `npm run bench`: how fast cs answers, measured against a bare `node -e 0` on this machine.
// Builds cs, then temp databases of 10,000 and 100,000 accounts through `cs accounts import` (CSV
// files of Vietnamese company names), times each command as a child process (medians), and writes
// the table into BENCHMARKS.md between the bench markers. Not part of `npm test`.
// BENCH_RUNS=n changes the number of timed runs; BENCH_KEEP=1 keeps the databases (for profiling).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { random } from './random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'cs.js');
const TODAY = '2026-06-15';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MiB = 1024 * 1024;
/** Rows of a CSV just under cs's 100 MiB limit. */
const BIG_CSV_ROWS = 900_000;

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
 * `count` accounts, one run each, starting over a year from a month before today: about one in
 * twelve runs has begun, the rest are booked ahead, as in a team's real calendar.
 */
function bookCsv(count, seed) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const lines = ['name,owner,playbook,start,region,sector'];
  for (let index = 1; index <= count; index += 1) {
    const name = `${pick(FORMS)} ${pick(WORDS)} ${pick(SECTORS)} ${String(index).padStart(6, '0')}`;
    let roll = next();
    const playbook = PLAYBOOKS.find(([, share]) => (roll -= share) < 0)?.[0] ?? PLAYBOOKS[0][0];
    const start = addDays(TODAY, Math.floor(next() * 365) - 30);
    lines.push([name, pick(OWNERS), playbook, start, pick(REGIONS), pick(SECTORS)].map(quote).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
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

function countAgenda(childEnv) {
  const result = spawnSync(process.execPath, [cli, 'agenda', '--json'], { env: childEnv, encoding: 'utf8', maxBuffer: 1024 * MiB });
  return JSON.parse(result.stdout).length;
}

// ---- the run --------------------------------------------------------------------------------

/**
 * The PostgreSQL rows (when a server answers at BENCH_PG_URL, default the machines' 127.0.0.1):
 * the 10,000-account book imported into a database of its own, then agenda and status timed
 * beside the same commands on SQLite, each within 2× of them. The database is dropped after.
 */
function postgresRows(add, csv10k, env10k, home, sqlite) {
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
    const steps = countAgenda(envPg);
    const within = (of) => ({ vs: of, ratio: 2 });
    add('PostgreSQL: cs agenda --json (10k accounts)', timed([cli, 'agenda', '--json'], { env: envPg }), 's', within(sqlite.agendaJson), `${steps.toLocaleString('en')} steps; target: 2× SQLite's`);
    add('PostgreSQL: cs agenda (10k, table)', timed([cli, 'agenda'], { env: envPg }), 's', within(sqlite.agendaTable), "target: 2× SQLite's");
    add('PostgreSQL: cs status, whole book (10k runs)', timed([cli, 'status'], { env: envPg, runs: 3 }), 's', within(sqlite.statusBook), "median of 3; target: 2× SQLite's");
    add('PostgreSQL: cs status <one account> (10k)', timed([cli, 'status', readFileSync(csv10k, 'utf8').split('\r\n')[5_000].split(',')[0]], { env: envPg }), 's');
    add('PostgreSQL: cs accounts import (10,000 rows)', imported, 's', { seconds: 3 }, 'one run, into an empty database');
  } finally {
    spawnSync('dropdb', [...admin, name], { stdio: 'inherit' });
  }
}

function main() {
  console.log('building…');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const work = mkdtempSync(join(tmpdir(), 'cs-bench-'));
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

    console.log('start-up…');
    const oneAccount = readFileSync(csv10k, 'utf8').split('\r\n')[5_000].split(',')[0];
    const cold = { ...env10k, NODE_DISABLE_COMPILE_CACHE: '1' };
    const [bare, version, status, coldStatus, playbooks, templates, render, draft] = timedInTurns([
      { args: ['-e', '0'] },
      { args: [cli, '--version'], env: env10k },
      { args: [cli, 'status', oneAccount], env: env10k },
      { args: [cli, 'status', oneAccount], env: cold },
      { args: [cli, 'playbooks', 'list'], env: env10k },
      { args: [cli, 'templates', 'list'], env: env10k },
      { args: [cli, 'render', 'kickoff-recap', oneAccount], env: env10k },
      { args: [cli, 'render', 'kickoff-recap', oneAccount, '--format', 'eml'], env: env10k },
    ]);
    add('node -e 0', bare, 's');
    add('cs --version', version, 's', { ratio: 1.3 });
    add('cs status <one account> (10k)', status, 's', { ratio: 1.3 });
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

    console.log('agenda…');
    const rows10k = countAgenda(env10k);
    const rows100k = countAgenda(env100k);
    const sqlite = {
      agendaJson: timed([cli, 'agenda', '--json'], { env: env10k }),
      agendaTable: timed([cli, 'agenda'], { env: env10k }),
      statusBook: timed([cli, 'status'], { env: env10k, runs: 3 }),
    };
    add('cs agenda --json (10k accounts)', sqlite.agendaJson, 's', { seconds: 0.25 }, `${rows10k.toLocaleString('en')} steps`);
    add('cs agenda --json (100k accounts)', timed([cli, 'agenda', '--json'], { env: env100k }), 's', { seconds: 1 }, `${rows100k.toLocaleString('en')} steps`);
    add('cs agenda (10k, table)', sqlite.agendaTable, 's');
    add('cs status, whole book (10k runs)', sqlite.statusBook, 's', undefined, 'every run with its progress and next step; median of 3');
    postgresRows(add, csv10k, env10k, home, sqlite);
    add('cs accounts import (10,000 rows)', import10k, 's', { seconds: 3 }, 'fresh database each run');
    add('cs accounts import (100,000 rows)', import100k, 's', undefined, 'one run');
    add('peak RSS, cs agenda --json (100k)', peakRss([cli, 'agenda', '--json'], env100k), 'MiB', { bytes: 120 * MiB });
    add('peak RSS, cs status --json (100k runs)', peakRss([cli, 'status', '--json'], env100k), 'MiB', { bytes: 300 * MiB }, 'written run by run');
    add('peak RSS, node -e 0', peakRss(['-e', '0'], env10k), 'MiB');

    console.log('a CSV of nearly 100 MiB with one bad row…');
    const badCsv = join(work, 'book-bad.csv');
    const lines = bookCsv(BIG_CSV_ROWS, 7).split('\r\n');
    lines.splice(lines.length >> 1, 0, 'Khách xấu,lan,onboarding-30d,20/11/2026');
    writeFileSync(badCsv, lines.join('\r\n'));
    const badCsvMiB = (readFileSync(badCsv).length / MiB).toFixed(0);
    const refusing = [cli, 'accounts', 'import', badCsv];
    add(`cs accounts import, ${badCsvMiB} MiB with one bad row`, once(refusing, { env: env100k, expectedCode: 2 }), 's', undefined, `${BIG_CSV_ROWS.toLocaleString('en')} rows; refused, the bad row named by line; one run`);
    add('peak RSS, the same import', peakRss(refusing, env100k, 2), 'MiB', { bytes: 500 * MiB });

    report(results, bare);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept the databases and books in ${work} (BENCH_KEEP)`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function report(results, bare) {
  const rows = results.map(({ name, value, unit, target, note, base = bare }) => {
    const shown = unit === 'MiB' ? `${(value / MiB).toFixed(1)} MiB` : `${(value * 1000).toFixed(0)} ms`;
    const ratio = unit === 's' ? `${(value / base).toFixed(2)}×` : '';
    let goal = '';
    let ok = '';
    if (target?.ratio) [goal, ok] = [`≤ ${target.ratio}× node`, value / base <= target.ratio ? 'yes' : '**no**'];
    if (target?.seconds) [goal, ok] = [`≤ ${target.seconds} s`, value <= target.seconds ? 'yes' : '**no**'];
    if (target?.bytes) [goal, ok] = [`≤ ${target.bytes / MiB} MiB`, value <= target.bytes ? 'yes' : '**no**'];
    if (target?.vs) [goal, ok] = [`≤ ${(target.vs * target.ratio * 1000).toFixed(0)} ms`, value <= target.vs * target.ratio ? 'yes' : '**no**'];
    return [name, shown, ratio, goal, ok, note];
  });
  const header = ['measure', 'median', 'vs node -e 0', 'target', 'met', 'note'];
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
