/**
 * Big inputs, for what they must say (their memory and time are measured by `npm run bench`, not
 * here): `cs status --json` written run by run is still exactly one JSON document, one
 * run a line (as every --json of a list); a CSV past 100 MiB is refused before it is read; a CSV
 * longer than the rows cs holds at once still reports every bad row by its line, its conflicts
 * with the database too, and imports when it is good; 5,000 unrelated YAML files in CS_PLAYBOOKS
 * give a warning of one short line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { countRows, dumpDb } from '../support/db.js';
import { expectRefusal } from '../support/refusal.js';
import { expectSuccess } from '../support/runs.js';
import { expectNoControlBytes, seedDatabase, seededSandbox, sparseFile } from '../support/special-files.js';
import type { Seed } from '../support/special-files.js';
import { tempDir } from '../support/tmp.js';

const MiB = 1024 * 1024;
/** More rows than an import holds while it reads (HELD_ROWS in src/cli/commands/accounts.ts). */
const LONG_BOOK = 52_000;

let seed: Seed;
beforeAll(() => {
  seed = seedDatabase();
}, 60_000);

function book(rows: number, change: (line: number) => string | undefined = () => undefined): string {
  const lines = ['name,owner,playbook,start,region'];
  for (let index = 1; index <= rows; index += 1) {
    const line = index + 1;
    lines.push(change(line) ?? `Công ty Ánh Dương ${String(index).padStart(6, '0')},lan,onboarding-30d,2026-11-${String((index % 28) + 1).padStart(2, '0')},Hà Nội`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A JSON array as cs's --json writes it: each element on a line of its own. */
const oneALine = (elements: unknown[]) => `[\n${elements.map((element) => `  ${JSON.stringify(element)}`).join(',\n')}\n]\n`;

describe('cs status --json, written run by run', () => {
  it('is one JSON document, one run a line', { timeout: 120_000 }, async () => {
    const box = seededSandbox(seed);
    const csv = join(box.dir, 'book.csv');
    writeFileSync(csv, book(40));
    expectSuccess(await runCs(box, ['accounts', 'import', csv]));
    const result = await runCs(box, ['status', '--json']);
    expectSuccess(result);
    const runs = JSON.parse(result.stdout) as { account: string; steps: { total: number } }[];
    expect(runs).toHaveLength(42);
    expect(result.stdout).toBe(oneALine(runs));
    expect(new Set(runs.map((run) => run.account)).size).toBe(42);
    expect(runs.every((run) => run.steps.total > 0)).toBe(true);
  });

  it('prints [] with no runs, and one account\'s runs with a name', async () => {
    const empty = await runCs(sandbox(), ['status', '--json']);
    expectSuccess(empty);
    expect(empty.stdout).toBe('[]\n');
    const box = seededSandbox(seed);
    const one = await runCs(box, ['status', 'Beta', '--json']);
    expectSuccess(one);
    expect(one.stdout).toBe(oneALine(JSON.parse(one.stdout) as unknown[]));
    expect((JSON.parse(one.stdout) as { account: string }[]).map((run) => run.account)).toEqual(['Beta']);
  });
});

describe('a big CSV', () => {
  it('past 100 MiB is refused before it is read, and quickly says why', { timeout: 60_000 }, async () => {
    const box = seededSandbox(seed);
    for (const size of [100 * MiB + 1, 200 * MiB, 4096 * MiB]) {
      const csv = join(box.dir, `big-${size}.csv`);
      sparseFile(csv, book(3), size);
      const result = await runCs(box, ['accounts', 'import', csv], { timeout: 15_000 });
      expectRefusal(result, [/cannot read the CSV file .*big-\d+\.csv: it is larger than 100 MiB; split it into files of up to 100 MiB and import each/]);
      expectNoControlBytes(result);
    }
    expect(dumpDb(box.db)).toBe(seed.dump);
  });

  it(`longer than what is held (${LONG_BOOK.toLocaleString('en')} rows): every bad row by its line, conflicts with the database too; nothing imported`, { timeout: 180_000 }, async () => {
    const box = seededSandbox(seed);
    const csv = join(box.dir, 'long.csv');
    // the first bad row comes after the rows held: those are checked against the database then
    const bad = new Map<number, string>([
      [100, 'Beta,lan,churn-response,2026-11-25,Huế'], // Beta has run #2 of churn-response open
      [50_800, 'Khách ngày sai,lan,onboarding-30d,31/02/2026,Huế'],
      [LONG_BOOK + 1, 'Khách cuối,lan,no-such-playbook,2026-11-20,Huế'],
    ]);
    writeFileSync(csv, book(LONG_BOOK, (line) => bad.get(line)));
    const result = await runCs(box, ['accounts', 'import', csv], { timeout: 170_000 });
    expectRefusal(result, [
      /long\.csv: 3 bad rows; nothing was imported/,
      /long\.csv:100: "Beta" already has an open run #2 of churn-response \(started 2026-11-20\)/,
      /long\.csv:50800: start\b.*got "31\/02\/2026"/, // the date's own wording is the date parser's
      new RegExp(`long\\.csv:${LONG_BOOK + 1}: unknown playbook "no-such-playbook"`),
    ]);
    expect(dumpDb(box.db)).toBe(seed.dump);
  });

  it(`longer than what is held, and good: imported whole (read twice)`, { timeout: 240_000 }, async () => {
    const box = seededSandbox(seed);
    const csv = join(box.dir, 'long.csv');
    writeFileSync(csv, book(LONG_BOOK));
    const result = await runCs(box, ['accounts', 'import', csv], { timeout: 230_000 });
    expectSuccess(result);
    expect(result.stdout).toContain(`Imported ${LONG_BOOK.toLocaleString('en')} accounts, started ${LONG_BOOK.toLocaleString('en')} runs`);
    expect(countRows(box.db, 'runs')).toBe(LONG_BOOK + 2);
  });
});

describe('a CS_PLAYBOOKS folder of 5,000 unrelated YAML files', () => {
  it('gives one short warning, naming a few files and counting the rest', { timeout: 120_000 }, async () => {
    const folder = tempDir();
    mkdirSync(folder, { recursive: true });
    for (let index = 0; index < 5_000; index += 1) writeFileSync(join(folder, `config-${String(index).padStart(4, '0')}.yaml`), `name: service ${index}\nreplicas: 2\n`);
    const box = sandbox({ playbooks: folder });
    const result = await runCs(box, ['playbooks', 'list'], { timeout: 110_000 });
    expectSuccess(result);
    expect(result.stdout).toMatch(/onboarding-30d/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.length).toBeLessThan(400);
    expect(result.stderr).toMatch(
      /^warning: 5,000 playbook files have problems and were skipped \(.*config-0000\.yaml, .*config-0001\.yaml, .*config-0002\.yaml, .*config-0003\.yaml and 4,996 more\); see cs playbooks validate\n$/,
    );
  });
});
