/**
 * What the command line says around the work itself: one error prefix whoever found the problem,
 * options listed only where they mean something, an unknown account answered with the closest
 * ones, and hints whose commands work as printed (`npx cs …` under npx when cs is not on PATH).
 * Runs the built CLI (`npm run build` first).
 */
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, sandbox } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { FIXTURES } from '../support/playbooks.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const ANSWERS_30D = join(FIXTURES, 'answers', 'onboarding-30d.yaml');

function refused(result: CliResult): string {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(2);
  return result.stderr;
}

/** The options a command's --help lists. */
function optionsOf(box: Sandbox, args: string[]): string[] {
  const help = box.run([...args, '--help']);
  expect(help.code).toBe(0);
  return [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]!);
}

describe('one error prefix', () => {
  it('commander\'s usage errors and cs\'s own both start with "cs: ", and nothing says "error:"', () => {
    const box = sandbox();
    const cases: [string[], RegExp][] = [
      [['statsu'], /^cs: unknown command 'statsu'$/m],
      [['status', '--bogus'], /^cs: unknown option '--bogus'$/m],
      [['render', 'kickoff-recap'], /^cs: missing required argument 'account'$/m],
      [['status', 'a', 'b'], /^cs: too many arguments for 'status'/m],
      [['agenda', '--days'], /^cs: option '--days <n>' argument missing$/m],
      [['status', 'Nobody'], /^cs: unknown account "Nobody"$/m],
      [['playbooks', 'show', 'nope'], /^cs: unknown playbook "nope"/m],
    ];
    for (const [args, first] of cases) {
      const stderr = refused(box.run(args));
      expect(stderr.split('\n')[0], `cs ${args.join(' ')}`).toMatch(first);
      expect(stderr, `cs ${args.join(' ')}`).not.toMatch(/^error:/im);
    }
  });
});

describe('options where they mean something', () => {
  it('--no-winback only on cs churn start and cs resume; --playbook not on cs run', () => {
    const box = sandbox();
    expect(optionsOf(box, ['churn', 'start'])).toEqual(expect.arrayContaining(['--playbook', '--no-winback']));
    expect(optionsOf(box, ['resume'])).toEqual(expect.arrayContaining(['--no-winback', '--playbook', '--run']));
    for (const verb of ['onboard', 'winback']) {
      const listed = optionsOf(box, [verb, 'start']);
      expect(listed).toContain('--playbook');
      expect(listed, `cs ${verb} start --help`).not.toContain('--no-winback');
    }
    const run = optionsOf(box, ['run']);
    expect(run).toEqual(expect.arrayContaining(['--start', '--owner', '--answers', '--no-input']));
    expect(run).not.toContain('--playbook');
    expect(run).not.toContain('--no-winback');
  });

  it('where it is not listed it is refused: --playbook beside the positional id, --no-winback on onboarding', () => {
    const box = sandbox();
    expect(refused(box.run(['run', 'onboarding-30d', 'Acme', '--playbook', 'churn-response']))).toMatch(/^cs: unknown option '--playbook'/m);
    expect(refused(box.run(['onboard', 'start', 'Acme', '--no-winback', '--answers', ANSWERS_30D, '--no-input']))).toMatch(/^cs: unknown option '--no-winback'/m);
    expect(box.run(['status', '--json']).stdout.trim()).toBe('[]');
  });
});

describe('cs playbooks show', () => {
  it('says which numbers are whole and which choices stand alone', () => {
    const result = sandbox().run(['playbooks', 'show', 'churn-response']);
    expect(result.stdout).toContain('? How many requests have they raised recently? (request-count: whole number)');
    expect(result.stdout).toContain('(support-requested: multiselect, number porting | contact list export | other data export | nothing (alone))');
  });
});

describe('an unknown account', () => {
  /** Accounts Acme, Beta Telecom, Công ty Ánh Dương, Công ty Đại Việt, with open runs. */
  function withAccounts(): Sandbox {
    const box = sandbox();
    const csv = writeFiles(tempDir(), {
      'book.csv':
        'name,owner,playbook,start\nAcme,lan,onboarding-30d,2026-11-20\nBeta Telecom,minh,churn-response,2026-11-20\n' +
        'Công ty Ánh Dương,lan,onboarding-30d,2026-11-20\nCông ty Đại Việt,lan,onboarding-30d,2026-11-20\n',
    });
    expect(box.run(['accounts', 'import', join(csv, 'book.csv')]).code).toBe(0);
    return box;
  }

  it('suggests the closest: a typo, the name without diacritics, part of the name', () => {
    const box = withAccounts();
    expect(refused(box.run(['status', 'Acm']))).toMatch(/^cs: unknown account "Acm" \(did you mean "Acme"\?\)$/m);
    expect(refused(box.run(['status', 'cong ty anh duong']))).toMatch(/\(did you mean "Công ty Ánh Dương"\?\)/);
    expect(refused(box.run(['resume', 'Beta']))).toMatch(/\(did you mean "Beta Telecom"\?\)/);
    expect(refused(box.run(['render', 'kickoff-recap', 'Dai Viet']))).toMatch(/\(did you mean "Công ty Đại Việt"\?\)/);
    expect(refused(box.run(['status', 'Công ty']))).toMatch(/\(did you mean one of "Công ty Ánh Dương", "Công ty Đại Việt"\?\)/);
  });

  it('with nothing close, says how to list the accounts rather than "See cs status"', () => {
    const box = withAccounts();
    const stderr = refused(box.run(['status', 'Nobody']));
    expect(stderr).toBe('cs: unknown account "Nobody"\nNo account has a name like it (4 accounts). List them with: cs accounts list\n');
  });

  it('with no accounts at all, says how to start one', () => {
    expect(refused(sandbox().run(['status', 'Nobody']))).toContain('There are no accounts yet. Start one with: cs onboard start "Nobody"');
  });
});

describe('hints that work as printed', () => {
  /** A folder as npx leaves it: its own node_modules/.bin with a cs link, first on PATH. */
  function npxLike(): { env: Record<string, string>; folder: string } {
    const folder = tempDir('cs-npx-');
    const npxBin = join(folder, '_npx', 'node_modules', '.bin');
    mkdirSync(npxBin, { recursive: true });
    symlinkSync(BIN, join(npxBin, 'cs'));
    return {
      folder,
      env: { npm_command: 'exec', npm_lifecycle_event: 'npx', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js', PATH: `${npxBin}:${dirname(process.execPath)}:/usr/bin:/bin` },
    };
  }

  /** Acme with an open run; a second `cs onboard start` without a terminal is refused with the resume command. */
  function resumeHint(env: Record<string, string>): string {
    const box = sandbox();
    const csv = writeFiles(tempDir(), { 'book.csv': 'name,owner,playbook,start\nAcme,lan,onboarding-30d,2026-11-20\n' });
    expect(box.run(['accounts', 'import', join(csv, 'book.csv')]).code).toBe(0);
    const stderr = refused(box.run(['onboard', 'start', 'Acme', '--answers', ANSWERS_30D, '--no-input'], { env }));
    return /^Continue it with: (.*)$/m.exec(stderr)?.[1] ?? `(no hint in:\n${stderr})`;
  }

  it('run by npx with no cs on PATH: `npx cs resume …`', () => {
    expect(resumeHint(npxLike().env)).toBe('npx cs resume "Acme" --run 1');
  });

  it('run by npx with another program called cs on PATH: still `npx cs`', () => {
    const { env, folder } = npxLike();
    const other = join(folder, 'other-bin');
    mkdirSync(other);
    writeFileSync(join(other, 'cs'), '#!/bin/sh\necho "some other cs"\n');
    chmodSync(join(other, 'cs'), 0o755);
    expect(resumeHint({ ...env, PATH: `${env.PATH}:${other}` })).toBe('npx cs resume "Acme" --run 1');
  });

  it('run by npx after `npm link` (a cs on PATH that is this one): `cs resume …`', () => {
    const { env, folder } = npxLike();
    const linked = join(folder, 'global-bin');
    mkdirSync(linked);
    symlinkSync(BIN, join(linked, 'cs'));
    expect(resumeHint({ ...env, PATH: `${env.PATH}:${linked}` })).toBe('cs resume "Acme" --run 1');
  });

  it('run as cs itself: `cs resume …`', () => {
    expect(resumeHint({})).toBe('cs resume "Acme" --run 1');
  });

  it('every "start one with" and "continue with" follows the same rule', () => {
    const { env } = npxLike();
    const box = sandbox();
    expect(refused(box.run(['status', 'Nobody'], { env }))).toContain('Start one with: npx cs onboard start "Nobody"');
    expect(box.run(['status'], { env }).stdout).toContain('No runs yet. Start one with: npx cs onboard start "<account>"');
    expect(box.run(['accounts', 'list'], { env }).stdout).toContain('Import a book of business with: npx cs accounts import FILE.csv (or start one with npx cs onboard start "<account>")');
    const csv = writeFiles(tempDir(), { 'book.csv': 'name,owner,playbook,start\nAcme,lan,onboarding-30d,2026-11-20\n' });
    expect(box.run(['accounts', 'import', join(csv, 'book.csv')]).code).toBe(0);
    const render = box.run(['render', 'kickoff-recap', 'Acme', '--strict'], { env });
    expect(render.stderr).toContain('Fill them in with: npx cs resume "Acme"');
    expect(refused(box.run(['resume', 'Acme', '--run', '7'], { env }))).toMatch(/Open runs: #1/);
    // and without npx, the same lines say cs
    expect(box.run(['status', 'Nobody']).stderr).toContain('List them with: cs accounts list');
  });
});
