/**
 * The runs the render tests work on: every bundled playbook walked end to end, without prompts,
 * from its answers file in test/fixtures/answers/, by the built CLI (build first).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';

export const ANH_DUONG = 'Công ty Ánh Dương';
export const HOA_SEN = 'Công ty Cổ phần Hoa Sen Việt';
export const MINH_KHANG = 'Công ty TNHH Tư vấn Minh Khang';
export const BINH_MINH = 'Công ty Viễn thông Bình Minh';
export const TUAN = 'Phạm Minh Tuấn <tuan.pham@example.com>';
export const AN_PHAT = 'Công ty An Phát';

export interface FixtureRun {
  playbook: string;
  account: string;
  /** --owner; Bình Minh's churn run has an owner without an address, its win-back run none. */
  owner?: string;
  start: string;
}

/** In the order they are started, so run ids are 1 to 7 in a fresh database. */
export const FIXTURE_RUNS: FixtureRun[] = [
  { playbook: 'onboarding-30d', account: ANH_DUONG, owner: TUAN, start: '2026-11-01' },
  { playbook: 'onboarding-90d', account: HOA_SEN, owner: TUAN, start: '2026-09-01' },
  { playbook: 'proserv-onboarding', account: MINH_KHANG, owner: TUAN, start: '2026-10-01' },
  { playbook: 'churn-response', account: BINH_MINH, owner: 'Lan', start: '2026-10-05' },
  { playbook: 'winback-followup', account: BINH_MINH, start: '2026-10-31' },
  { playbook: 'customer-advocacy', account: ANH_DUONG, owner: TUAN, start: '2026-11-16' },
  { playbook: 'journey-mapping', account: AN_PHAT, owner: TUAN, start: '2026-11-26' },
];

export function answersFile(playbook: string): string {
  return join(ROOT, 'test', 'fixtures', 'answers', `${playbook}.yaml`);
}

/** The answers file as data: step id → field id → answer (and _skip, _note, _checklist). */
export function fixtureAnswers(playbook: string): Record<string, Record<string, unknown>> {
  return parse(readFileSync(answersFile(playbook), 'utf8')) as Record<string, Record<string, unknown>>;
}

export function walk(box: Sandbox, run: FixtureRun): CliResult {
  const owner = run.owner ? ['--owner', run.owner] : [];
  // --no-winback: the win-back fixture is walked as a run of its own, and run ids stay 1 to 7
  return box.run(['run', run.playbook, run.account, ...owner, '--answers', answersFile(run.playbook), '--no-input', '--no-winback', '--start', run.start]);
}

/** Walks every fixture run in `box`; throws with the CLI's output when one fails. */
export function walkAll(box: Sandbox): void {
  for (const run of FIXTURE_RUNS) {
    const result = walk(box, run);
    if (result.code !== 0) throw new Error(`walking ${run.playbook} for ${run.account} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
