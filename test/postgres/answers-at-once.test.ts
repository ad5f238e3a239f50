/**
 * Many clients on one PostgreSQL database at once: CS_STRESS_PG_PROCESSES processes (npm test 4,
 * npm run stress 8) each giving CS_STRESS_PG_ANSWERS answers (20; 200) one commit each, while one
 * more imports a book of CS_STRESS_PG_IMPORT rows (100; 1,000). Then: 0 errors, 0 answers lost,
 * the import whole. And the conflict rule between two connections: a change to a step someone else
 * changed since it was read is returned as a conflict, nothing overwritten; other changes merge.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { pgDatabase } from '../support/backend.js';
import { sandbox } from '../support/cli.js';
import { runCs } from '../support/async-cli.js';
import { envCount } from '../support/figures.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { expectSuccess, parseStatus } from '../support/runs.js';
import { bundledPlaybook } from '../support/playbooks.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const PROCESSES = envCount('CS_STRESS_PG_PROCESSES', 4);
const ANSWERS = envCount('CS_STRESS_PG_ANSWERS', 20);
const IMPORT_ROWS = envCount('CS_STRESS_PG_IMPORT', 100);

describe('PostgreSQL: many clients at once', () => {
  it(`${PROCESSES} processes × ${ANSWERS} answers + an import of ${IMPORT_ROWS} rows: nothing lost, no error`, { timeout: 120_000 + PROCESSES * ANSWERS * 200 }, async () => {
    const fields = Array.from({ length: ANSWERS }, (_, index) => `          - id: f${index + 1}\n            prompt: Câu hỏi ${index + 1}\n            type: text`).join('\n');
    const folder = writeFiles(tempDir(), {
      'many.yaml': onePhasePlaybook({ id: 'many-answers', title: 'Many answers', steps: `      - id: ask\n        title: Ask everything\n        fields:\n${fields}\n` }),
    });
    const box = sandbox({ playbooks: folder });
    const answersOf = (process: number) => Object.fromEntries(Array.from({ length: ANSWERS }, (_, index) => [`f${index + 1}`, `người ${process} · trả lời ${index + 1}`]));
    const files = writeFiles(tempDir(), {
      ...Object.fromEntries(Array.from({ length: PROCESSES }, (_, p) => [`answers-${p + 1}.json`, JSON.stringify({ ask: answersOf(p + 1) })])),
      'book.csv': `name,owner,playbook,start\n${Array.from({ length: IMPORT_ROWS }, (_, row) => `Sổ ${row + 1},lan,onboarding-30d,2026-11-${String(1 + (row % 25)).padStart(2, '0')}`).join('\n')}\n`,
    });
    expectSuccess(box.run(['status'])); // the schema made once, so the race below is the writers'
    const jobs = [
      ...Array.from({ length: PROCESSES }, (_, p) => runCs(box, ['run', 'many-answers', `Khách ${p + 1}`, '--answers', join(files, `answers-${p + 1}.json`), '--no-input'])),
      runCs(box, ['accounts', 'import', join(files, 'book.csv')]),
    ];
    for (const result of await Promise.all(jobs)) expectSuccess(result);
    const runs = parseStatus(box.run(['status', '--json', '--full']));
    expect(runs.filter((run) => run.playbook.id === 'onboarding-30d')).toHaveLength(IMPORT_ROWS);
    for (let p = 1; p <= PROCESSES; p += 1) {
      const run = runs.find((each) => each.account === `Khách ${p}`)!;
      expect(run.status).toBe('finished');
      expect(run.answers.ask, `answers of process ${p}`).toStrictEqual(answersOf(p));
    }
  });

  it('two connections on one step: a stale change to the same answer is a conflict, other changes merge', async () => {
    const url = pgDatabase();
    const a = openStore(url);
    const b = openStore(url);
    try {
      const playbook = bundledPlaybook('onboarding-30d');
      const created = await a.createRun(await a.ensureAccount('Hai người'), playbook, { startDate: '2026-11-26' });
      const step = created.state.steps.find((each) => each.checked !== undefined && playbook.phases[0]!.steps.some((def) => def.id === each.id && (def.checklist?.length ?? 0) > 1))!;
      const readByA = (await a.loadRun(created.run.id))!;
      const readByB = (await b.loadRun(created.run.id))!;
      const seen = (loaded: typeof readByA) => ({ version: loaded.versions[step.id]!, state: loaded.state.steps.find((each) => each.id === step.id)! });
      // different items of one checklist, at once: both kept
      const [first, second] = await Promise.all([
        a.commit(created.run.id, { type: 'tick', stepId: step.id, item: 0, checked: true }, seen(readByA)),
        b.commit(created.run.id, { type: 'tick', stepId: step.id, item: 1, checked: true }, seen(readByB)),
      ]);
      expect([first.conflict, second.conflict]).toEqual([undefined, undefined]);
      expect((await a.loadRun(created.run.id))!.state.steps.find((each) => each.id === step.id)!.checked.sort()).toEqual([0, 1]);
      // the same note, B having read the step before A changed it: B is told, A's note stays
      const before = (await b.loadRun(created.run.id))!;
      expect((await a.commit(created.run.id, { type: 'note', stepId: step.id, text: 'ghi chú của A' }, seen(before))).conflict).toBeUndefined();
      const stale = await b.commit(created.run.id, { type: 'note', stepId: step.id, text: 'ghi chú của B' }, seen(before));
      expect(stale.conflict).toBeDefined();
      expect((await b.loadRun(created.run.id))!.state.steps.find((each) => each.id === step.id)!.note).toBe('ghi chú của A');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
