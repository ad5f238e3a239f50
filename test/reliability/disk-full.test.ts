/**
 * A full disk. The database lives on a file system that fills up: the first of these that works on
 * this machine: a small tmpfs, a loop-mounted ext4 image (both need root), else `ulimit -f`
 * (RLIMIT_FSIZE with SIGXFSZ ignored, so a write past the limit fails with EFBIG). `ulimit -f` is
 * also run on its own, so both paths stay tested wherever a mount works.
 *
 * Expected: a clear error (exit 1) that names the disk or the failed write, no stack trace; what was
 * written before stays intact (integrity_check ok, every acknowledged event there); with room again,
 * `cs resume` finishes the run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { dumpDb, integrityCheck, storedRuns } from '../support/db.js';
import { reportFigures } from '../support/figures.js';
import { fileSizeLimitDisk, smallDisk } from '../support/fs-caps.js';
import type { SmallDisk } from '../support/fs-caps.js';
import { expectRefusal } from '../support/refusal.js';
import { answersFile, eventsNotKept, expectedFrom, expectRunMatches, expectSuccess, parseStatus, savedEvents } from '../support/runs.js';

const ANSWERS = answersFile('onboarding-30d');
const EXPECTED = expectedFrom(ANSWERS);
const walk = (account: string) => ['onboard', 'start', account, '--answers', ANSWERS, '--no-input'];

const MECHANISMS: [string, () => SmallDisk][] = [
  ['the first mechanism that works here (tmpfs, loop, ulimit -f)', smallDisk],
  ['ulimit -f', fileSizeLimitDisk],
];

describe.each(MECHANISMS)('a full disk: %s', (name, make) => {
  let disk: SmallDisk;
  /** The sandbox's database, on the small disk. */
  const onDisk = (name: string): Sandbox => {
    const box = sandbox();
    box.env.CS_DB = join(disk.dir, `${name}.db`);
    return Object.assign(box, { db: box.env.CS_DB });
  };
  /** cs under the disk's current limits. */
  const cs = (box: Sandbox, args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    runCs(box, args, { env, fileSizeLimitKib: disk.limitKib });
  /** Exit 1, the disk or the failed write named, no trace; `precisely`: the message says the disk is full and what to do. */
  const expectDiskError = (result: CliResult, precisely = disk.kind === 'mounted') => {
    if (precisely) expectRefusal(result, [/the disk holding .* is full/, /Free some space/], 1);
    else expectRefusal(result, [/disk|space|write|too large/i], 1);
  };

  beforeAll(() => {
    disk = make();
    reportFigures('disk-full', { mechanism: disk.mechanism });
  });
  afterAll(() => disk?.dispose());

  it('a walk that runs out of room stops with exit 1; what was acknowledged is intact; with room again, resume finishes it', { timeout: 60_000 }, async () => {
    const box = onDisk('walk');
    disk.leave(320 * 1024);
    const result = await cs(box, walk('Công ty Ánh Dương'), { CS_TRACE: 'commits' });
    expectDiskError(result);
    const events = savedEvents(result.stderr);
    expect(events.length, 'some answers were saved before the disk filled').toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'finish'), 'the disk filled before the end of the walk').toBe(false);

    disk.free();
    expect(integrityCheck(box.db)).toStrictEqual(['ok']);
    const [run] = storedRuns(box.db, 'Công ty Ánh Dương');
    expect(eventsNotKept(events, run)).toStrictEqual([]);

    expectSuccess(await cs(box, ['resume', 'Công ty Ánh Dương', '--answers', ANSWERS, '--no-input']));
    const [finished, ...others] = parseStatus(await cs(box, ['status', 'Công ty Ánh Dương', '--json']));
    expect(others).toStrictEqual([]);
    expectRunMatches(finished!, EXPECTED);
  });

  it('with the disk already full, a new run fails with exit 1 and the database says what it said before', { timeout: 60_000 }, async () => {
    const box = onDisk('full');
    disk.free();
    expectSuccess(await cs(box, walk('Khách đã xong')));
    const before = dumpDb(box.db);

    disk.fill();
    const refused = await cs(box, walk('Khách mới'));
    disk.free();
    expectDiskError(refused, false); // how precisely: see the known bug below
    expect(integrityCheck(box.db)).toStrictEqual(['ok']);
    expect(dumpDb(box.db)).toBe(before);
    expectRunMatches(parseStatus(await cs(box, ['status', 'Khách đã xong', '--json']))[0]!, EXPECTED);
  });

  it('render --out onto a full disk: exit 1, no file and no temp file left behind', { timeout: 60_000 }, async () => {
    // The database stays where there is room; only the document goes to the full disk (with ulimit -f
    // every file is limited, so there the database cannot be opened either: still exit 1, no file).
    const box = disk.kind === 'mounted' ? sandbox() : onDisk('render');
    disk.free();
    expectSuccess(await cs(box, walk('Khách hàng')));
    const out = join(disk.dir, 'recap.eml');

    disk.fill();
    const result = await cs(box, ['render', 'kickoff-recap', 'Khách hàng', '--out', out]);
    disk.free();
    if (disk.kind === 'mounted') expectRefusal(result, [/cannot write .*recap\.eml: the disk is full; nothing was written/], 1);
    else expectRefusal(result, [/disk|write|too large/i], 1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(disk.dir).filter((name) => name.includes('recap')), 'leftovers of the atomic write').toStrictEqual([]);
  });

  it('on a disk with no room left, any command says so and what to do (or works, when it only reads)', { timeout: 60_000 }, async () => {
    const box = onDisk('read');
    disk.free();
    expectSuccess(await cs(box, walk('Khách hàng')));
    disk.fill();
    const read = await cs(box, ['status']);
    const write = await cs(box, walk('Khách mới'));
    disk.free();
    const full = [/disk is full|file size limit/, /Free some space/];
    if (disk.kind === 'mounted') {
      // opening a WAL database needs its 32 KiB -shm: SQLITE_IOERR_SHMSIZE, explained since b28e13f
      if (read.code !== 0) expectRefusal(read, full, 1);
      else expect(read.stdout).toContain('Khách hàng');
      expectRefusal(write, full, 1);
    } else {
      for (const result of [read, write]) expectRefusal(result, [/disk|write|limit|large/i], 1);
    }
    expect(integrityCheck(box.db)).toStrictEqual(['ok']);
  });

  if (name === 'ulimit -f') {
    // under `ulimit -f 0` SQLite cannot even create the -shm file (SQLITE_IOERR_SHMOPEN)
    it('under a file size limit, a command that cannot open the database names the limit', { timeout: 60_000 }, async () => {
      const box = onDisk('limit');
      disk.free();
      expectSuccess(await cs(box, walk('Khách hàng')));
      disk.fill();
      const read = await cs(box, ['status']);
      disk.free();
      expectRefusal(read, [/disk is full|file size limit/, /Free some space/], 1);
    });
  }
});
