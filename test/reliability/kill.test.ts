/**
 * kill -9 at random moments of a scripted walk, over and over on one database.
 *
 * `cs onboard start X --answers onboarding-30d.yaml --no-input` runs with CS_TRACE=commits, which
 * prints `saved {event}` on stderr right after each transition is committed. Each round kills it
 * with SIGKILL either right after the k-th `saved` line (k random) or after a random number of ms
 * (which also lands in start-up, migration and account creation). Then:
 * - `PRAGMA integrity_check` is ok (the file opened read-only);
 * - every event acknowledged on stderr before the process died is in the database;
 * - `cs resume X --answers <same> --no-input` (or `start` again, if the kill came before the run
 *   existed) finishes the run, which then holds exactly the file's answers, notes, skips and ticks,
 *   and is the account's only run.
 *
 * CS_STRESS_KILLS rounds (default 12; `npm run stress` runs 50), CS_STRESS_SEED to replay a sequence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { runCs, startCs } from '../support/async-cli.js';
import { databaseThere, integrityCheck, storedRuns } from '../support/db.js';
import { envCount, reportFigures } from '../support/figures.js';
import { expectNoLeak } from '../support/refusal.js';
import { answersFile, eventsNotKept, expectedFrom, expectRunMatches, expectSuccess, parseStatus, savedEvents } from '../support/runs.js';
import { random } from '../../scripts/random.mjs';

const ROUNDS = envCount('CS_STRESS_KILLS', 12);
const SEED = envCount('CS_STRESS_SEED', Date.now() % 1_000_000);
const ANSWERS = answersFile('onboarding-30d');
const EXPECTED = expectedFrom(ANSWERS);
const TRACE = { CS_TRACE: 'commits' };


const walk = (account: string) => ['onboard', 'start', account, '--answers', ANSWERS, '--no-input'];

/** A whole walk, undisturbed: how many `saved` lines it prints, and how long it takes. */
let calibration = { events: 0, ms: 0 };

beforeAll(async () => {
  const box = sandbox();
  const result = await runCs(box, walk('Hiệu chuẩn'), { env: TRACE });
  expectSuccess(result);
  calibration = { events: savedEvents(result.stderr).length, ms: result.ms };
  expect(calibration.events, 'a whole walk of onboarding-30d commits well over a hundred transitions').toBeGreaterThan(100);
}, 60_000);

interface Round {
  account: string;
  how: string;
  killed: boolean;
  acknowledged: number;
  recoveredWith: 'resume' | 'start' | 'nothing (already finished)';
}

/** One kill, its checks, and the recovery. */
async function killAndRecover(box: Sandbox, account: string, next: () => number): Promise<Round> {
  const byLine = next() < 2 / 3;
  const k = 1 + Math.floor(next() * calibration.events);
  const ms = Math.floor(next() * calibration.ms * 1.1);
  let seen = 0;
  const running = startCs(box, walk(account), {
    env: TRACE,
    onStderrLine: (line, child) => {
      if (byLine && line.startsWith('saved ') && ++seen === k) child.kill('SIGKILL');
    },
  });
  const timer = byLine ? undefined : setTimeout(() => running.child.kill('SIGKILL'), ms);
  const result = await running.result;
  clearTimeout(timer);
  const how = byLine ? `after saved line ${k} of ${calibration.events}` : `after ${ms} ms of ~${Math.round(calibration.ms)}`;
  const killed = result.signal === 'SIGKILL';
  if (!killed) expectSuccess(result, `the walk of ${account} (not killed in time, ${how})`);

  // Everything acknowledged before death is there, in a sound file.
  const events = savedEvents(result.stderr);
  if (!databaseThere(box.db)) expect(events, `no database after the kill ${how}, yet events were acknowledged`).toStrictEqual([]);
  else expect(integrityCheck(box.db), `integrity after the kill ${how}`).toStrictEqual(['ok']);
  const runs = databaseThere(box.db) ? storedRuns(box.db, account) : [];
  expect(runs.length, `runs of ${account} after the kill ${how}`).toBeLessThanOrEqual(1);
  expect(eventsNotKept(events, runs[0]), `acknowledged events lost by the kill ${how}`).toStrictEqual([]);

  // Then the same answers finish the run.
  const recoveredWith = runs.length === 0 ? 'start' : runs[0]!.status === 'open' ? 'resume' : 'nothing (already finished)';
  if (recoveredWith !== 'nothing (already finished)') {
    const args = recoveredWith === 'start' ? walk(account) : ['resume', account, '--answers', ANSWERS, '--no-input'];
    const recovery = await runCs(box, args);
    expectSuccess(recovery, `cs ${args[0]} after the kill ${how}`);
    expectNoLeak(recovery);
  }
  const status = await runCs(box, ['status', account, '--json']);
  expectSuccess(status, `cs status ${account} --json after the kill ${how} and ${recoveredWith}`);
  const [run, ...others] = parseStatus(status);
  expect(others, `${account} has one run`).toStrictEqual([]);
  expectRunMatches(run!, EXPECTED, `${account} (killed ${how}, recovered with ${recoveredWith})`);
  return { account, how, killed, acknowledged: events.length, recoveredWith };
}

describe('kill -9 during a scripted walk', () => {
  it(`loses nothing acknowledged and resumes to the file's answers, ${ROUNDS} rounds (seed ${SEED})`, { timeout: 30_000 + ROUNDS * 8_000 }, async () => {
    const box = sandbox();
    const next = random(SEED);
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.push(await killAndRecover(box, `Công ty Ánh Dương ${round + 1}`, next));
    }
    if (databaseThere(box.db)) expect(integrityCheck(box.db)).toStrictEqual(['ok']);
    const killed = rounds.filter((round) => round.killed);
    reportFigures('kill', {
      rounds: ROUNDS,
      killed: killed.length,
      survived: killed.length,
      midWalk: killed.filter((round) => round.acknowledged > 0 && round.recoveredWith === 'resume').length,
      beforeAnyCommit: killed.filter((round) => round.acknowledged === 0).length,
      recoveredByStart: rounds.filter((round) => round.recoveredWith === 'start').length,
      eventsPerWalk: calibration.events,
      seed: SEED,
    });
    // The rounds must really have killed something mid-walk, or this test proves nothing.
    expect(killed.length, 'rounds that ended in SIGKILL').toBeGreaterThanOrEqual(Math.ceil(ROUNDS / 2));
    if (ROUNDS >= 6) expect(rounds.some((round) => round.killed && round.recoveredWith === 'resume'), 'at least one kill mid-run').toBe(true);
  });
});
