/**
 * A small book for the report, shift and calendar tests, imported through `cs accounts import`, with
 * steps done on days set straight in the file (a commit is stamped with the real clock, and these
 * figures must not depend on it). Today is the sandbox's: 2026-11-26.
 *
 * #1 Công ty Ánh Dương (lan, onboarding-30d, day 0 2026-11-01): sales-handoff (due 11-03) done 11-02,
 *    kickoff-prep (due 11-05) done 11-09; last commit 11-09: 8 steps overdue, 17 days without a commit.
 * #2 Acme <script> (minh, onboarding-30d, 2026-11-20): sales-handoff (due 11-22) done 11-24; last
 *    commit 11-24; kickoff-prep (due 11-24) overdue: behind.
 * #3 Beta & Co (lan, churn-response, 2026-11-25): nothing done, first step due 11-26: on track.
 * #4 Delta (lan, onboarding-30d, 2026-12-10): not started.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawSql, sqlLiteral } from '../support/backend.js';
import { expect } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { refreshSummariesSql } from '../../src/store/summaries.js';

export const BOOK_CSV = `name,owner,playbook,start
Công ty Ánh Dương,lan,onboarding-30d,2026-11-01
Acme <script>,minh,onboarding-30d,2026-11-20
Beta & Co,lan,churn-response,2026-11-25
Delta,lan,onboarding-30d,2026-12-10
`;

function stamp(day: string): string {
  return `${day}T08:00:00.000Z`;
}

export function reportBook(): Sandbox {
  const box = sandbox();
  const csv = join(tempDir(), 'book.csv');
  writeFileSync(csv, BOOK_CSV);
  const imported = box.run(['accounts', 'import', csv]);
  expect(imported.code, imported.stderr).toBe(0);
  const done = (day: string, runId: number, stepId: string) =>
    `UPDATE steps SET status = 'done', completed_at = ${sqlLiteral(stamp(day))}, updated_at = ${sqlLiteral(stamp(day))} WHERE run_id = ${runId} AND step_id = ${sqlLiteral(stepId)};`;
  const touched = (day: string, runId: number) => `UPDATE runs SET updated_at = ${sqlLiteral(stamp(day))} WHERE id = ${runId};`;
  // straight into the database (either backend), as the days went by
  rawSql(
    box.db,
    [
      done('2026-11-02', 1, 'sales-handoff'),
      done('2026-11-09', 1, 'kickoff-prep'),
      done('2026-11-24', 2, 'sales-handoff'),
      touched('2026-11-09', 1),
      touched('2026-11-24', 2),
      touched('2026-11-25', 3),
      touched('2026-11-20', 4),
      // the figures kept per run follow the steps, as every write of cs's keeps them
      `${refreshSummariesSql('true')};`,
    ].join('\n'),
  );
  return box;
}
