/**
 * `cs resume --upgrade` (a run moved to the new version of its edited playbook), the snapshot that
 * protects a run from edits otherwise, and `cs db check` / `cs db backup`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/engine/run.js';
import { openStore } from '../../src/store/index.js';
import { loadPlaybookFile } from '../../src/playbook/catalog.js';
import { sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const V1 = `id: mini
title: Mini
kind: other
version: 1
phases:
  - id: p
    title: Giai đoạn
    steps:
      - id: a
        title: Bước A
        fields:
          - {id: x, prompt: "X?", type: text, required: true}
          - {id: y, prompt: "Y?", type: select, choices: [tốt, xấu]}
      - id: b
        title: Bước B
        fields:
          - {id: z, prompt: "Z?", type: text, required: true}
`;
const ACCOUNT = 'Công ty Ánh Dương';

/** A sandbox with the mini playbook and an open run of it: step a answered, step b open. */
async function openRun() {
  const folder = tempDir();
  const file = join(folder, 'mini.yaml');
  writeFileSync(file, V1);
  const box = sandbox({ playbooks: folder });
  const store = openStore(box.db);
  const { loaded } = loadPlaybookFile(file);
  const account = await store.ensureAccount(ACCOUNT);
  const run = await store.createRun(account, loaded!.playbook, { startDate: '2026-11-20' });
  let state = run.state;
  for (const event of [
    { type: 'answer', stepId: 'a', fieldId: 'x', value: 'giữ nguyên' },
    { type: 'answer', stepId: 'a', fieldId: 'y', value: 'xấu' },
    { type: 'complete', stepId: 'a' },
  ] as const) {
    const next = apply(state, event);
    await store.commit(run.run.id, event);
    state = next;
  }
  await store.close();
  return { box, file };
}

function answersOf(box: ReturnType<typeof sandbox>) {
  const [run] = JSON.parse(box.run(['status', '--json', '--full']).stdout) as { answers: Record<string, Record<string, unknown>>; playbook: { version: number }; status: string }[];
  return run!;
}

describe('cs resume --upgrade', () => {
  it('without --upgrade the run keeps its snapshot, and says a newer version exists', async () => {
    const { box, file } = await openRun();
    writeFileSync(file, V1.replace('version: 1', 'version: 2').replace('title: Bước B', 'title: Bước B (mới)'));
    const answers = join(tempDir(), 'b.yaml');
    writeFileSync(answers, 'b: {z: xong}\n');
    const result = box.run(['resume', ACCOUNT, '--answers', answers, '--no-input']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is at v2; this run follows v1');
    expect(result.stderr).toContain(`cs resume "${ACCOUNT}" --upgrade`);
    const run = answersOf(box);
    expect(run.playbook.version).toBe(1);
    expect(run.status).toBe('finished');
  });

  it('moves the run to the new version, keeps what fits and lists what it drops', async () => {
    const { box, file } = await openRun();
    writeFileSync(file, V1.replace('version: 1', 'version: 2').replace('choices: [tốt, xấu]', 'choices: [tốt, ổn]'));
    const answers = join(tempDir(), 'b.yaml');
    writeFileSync(answers, 'b: {z: xong}\n');
    const result = box.run(['resume', ACCOUNT, '--upgrade', '--answers', answers, '--no-input']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('moved from mini v1 to v2');
    expect(result.stdout).toContain('a.y: expected one of tốt, ổn; got "xấu"');
    const run = answersOf(box);
    expect(run.playbook.version).toBe(2);
    expect(run.answers).toEqual({ a: { x: 'giữ nguyên' }, b: { z: 'xong' } });
  });

  it('refuses when the new version is invalid, and changes nothing', async () => {
    const { box, file } = await openRun();
    writeFileSync(file, V1.replace('version: 1', 'version: 2').replace('type: select', 'type: selec'));
    const before = readFileSync(box.db);
    const result = box.run(['resume', ACCOUNT, '--upgrade', '--no-input']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mini\.yaml:\d+:\d+ .*type must be one of/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(answersOf(box).playbook.version).toBe(1);
    expect(readFileSync(box.db).equals(before)).toBe(true);
  });
});

describe('cs db', () => {
  it('check reports the schema and counts; backup makes a sound copy and refuses to overwrite', async () => {
    const { box } = await openRun();
    const check = box.run(['db', 'check', '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, problems: [], accounts: 1, runs: 1, openRuns: 1, answers: 2 });
    const copy = join(tempDir(), 'backup.db');
    expect(box.run(['db', 'backup', copy]).code).toBe(0);
    const again = box.run(['db', 'backup', copy]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    const db = new Database(copy, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM answers').pluck().get()).toBe(2);
    db.close();
    expect(box.run(['--db', copy, 'status', ACCOUNT, '--json']).stdout).toContain('giữ nguyên');
  });

  it('check finds the figures kept per run disagreeing with its steps (a step changed behind cs): exit 1, named', async () => {
    const { box } = await openRun();
    expect(box.run(['db', 'check']).code).toBe(0);
    const db = new Database(box.db);
    db.prepare("UPDATE steps SET status = 'skipped' WHERE step_id = 'b'").run();
    db.close();
    const result = box.run(['db', 'check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("run_summaries: 1 run's figures disagree with its steps");
    expect(box.run(['db', 'check'], { env: { CS_LANG: 'vi' } }).stderr).toContain('run_summaries: số liệu của 1 lượt chạy không khớp với các bước của nó');
  });

  it('status of the whole book prints where each run stands from the kept figures; --full (and one account) every step, answer and commit', async () => {
    const { box } = await openRun();
    const [standing] = JSON.parse(box.run(['status', '--json']).stdout) as Record<string, unknown>[];
    expect(Object.keys(standing!)).toEqual(['id', 'account', 'playbook', 'owner', 'status', 'startDate', 'finishedAt', 'phase', 'steps', 'health', 'daysSinceCommit', 'next']);
    expect(standing).toMatchObject({ account: ACCOUNT, phase: { id: 'p', title: 'Giai đoạn' }, steps: { total: 2, done: 1, skipped: 0, open: 1 }, next: { id: 'b', title: 'Bước B' } });
    const full = box.run(['status', '--json', '--full']).stdout;
    const [run] = JSON.parse(full) as Record<string, unknown>[];
    expect(run).toMatchObject({ ...standing, answers: { a: { x: 'giữ nguyên', y: 'xấu' } }, startedBy: null });
    expect((run!.commits as { event: string }[]).map((commit) => commit.event)).toEqual(['start', 'answer', 'answer', 'complete']);
    expect(box.run(['status', ACCOUNT, '--json']).stdout).toBe(full);
    // the text of the whole book: each run's lines, not its steps; --full adds them
    const text = box.run(['status']).stdout;
    expect(text).toContain('1 done · 0 skipped · 1 open');
    expect(text).not.toContain('Bước A');
    expect(box.run(['status', '--full']).stdout).toBe(box.run(['status', ACCOUNT]).stdout);
  });

  it('check finds a damaged file: exit 1, named, no stack trace', async () => {
    const { box } = await openRun();
    const bytes = readFileSync(box.db);
    // damage a page in the middle of the file (not the header)
    for (let offset = 4096 * 2; offset < 4096 * 2 + 2000; offset += 1) bytes[offset] = 0x5a;
    writeFileSync(box.db, bytes);
    const result = box.run(['db', 'check']);
    expect([1]).toContain(result.code);
    expect(result.stderr).toContain(box.db);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
