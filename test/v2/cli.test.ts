/**
 * The v2 format end to end, through the built CLI: a run with a condition that does not hold, an
 * anchored due date, a computed band and action items — on the agenda until `cs actions done`; the
 * preview of a playbook before any run exists; `cs playbooks upgrade --dry-run`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybookFile } from '../../src/playbook/catalog.js';
import { openStore } from '../../src/store/index.js';
import { sandbox } from '../support/cli.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const ANSWERS = `churn-notice: { date: 2026-11-20, reason: price }
response: { remote-fix: worked }
postmortem:
  actions:
    - { what: Xuất danh bạ liên hệ, who: Lan, due: 2026-11-30 }
    - { what: Chuyển IP số, who: Minh, due: 2026-12-20 }
nps: { score: 9 }
`;

function started() {
  const box = sandbox({ playbooks: FIXTURES });
  const answers = join(tempDir(), 'answers.yaml');
  writeFileSync(answers, ANSWERS);
  const result = box.run(['run', 'churn-v2', 'Beta Telecom', '--start', '2026-11-18', '--answers', answers, '--no-input']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { box, answers };
}

describe('a v2 run', () => {
  it('status shows the step whose condition does not hold as not applicable, and the computed band', () => {
    const { box } = started();
    const text = box.run(['status', 'Beta Telecom']).stdout;
    expect(text).toContain('4 done · 0 skipped · 0 open · 0 overdue · 1 not applicable');
    expect(text).toMatch(/–\s+Visit\s+not applicable: response\.remote-fix is "failed" does not hold/);
    expect(text).toContain('band: promoter');
    const json = JSON.parse(box.run(['status', 'Beta Telecom', '--json']).stdout)[0];
    const visit = json.stepList.find((step: { id: string }) => step.id === 'on-site-visit');
    expect(visit).toMatchObject({ applicable: false, condition: 'response.remote-fix is "failed"' });
    const postmortem = json.stepList.find((step: { id: string }) => step.id === 'postmortem');
    expect(postmortem.due).toBe('2026-12-04'); // 2w from the notice date
    const response = json.stepList.find((step: { id: string }) => step.id === 'response');
    expect(response.due).toBe('2026-11-30'); // 2 business days after the notice was done (Thu 26 → Mon 30)
  });

  it('an action item with an owner is on the agenda until it is done', () => {
    const { box } = started();
    const agenda = box.run(['agenda', '--days', '30']).stdout;
    expect(agenda).toMatch(/Beta Telecom\s+Churn v2\s+☐ Xuất danh bạ liên hệ \(Post-mortem\)\s+Lan/);
    expect(agenda).toContain('☐ Chuyển IP số (Post-mortem)');
    expect(agenda).toContain('2 action items');
    const mine = JSON.parse(box.run(['agenda', '--days', '30', '--owner', 'lan', '--json']).stdout);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ account: 'Beta Telecom', due: '2026-11-30', owner: 'Lan', action: { n: 1, what: 'Xuất danh bạ liên hệ', who: 'Lan' } });
    const list = box.run(['actions', 'list']).stdout;
    expect(list).toMatch(/Beta Telecom\s+1\s+Xuất danh bạ liên hệ\s+Lan\s+2026-11-30/);
    const done = box.run(['actions', 'done', 'Beta Telecom', '1']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('✓ Done: Xuất danh bạ liên hệ');
    const after = box.run(['agenda', '--days', '30']).stdout;
    expect(after).not.toContain('Xuất danh bạ');
    expect(after).toContain('Chuyển IP số');
    const items = JSON.parse(box.run(['actions', 'list', 'Beta Telecom', '--json']).stdout);
    expect(items.map((item: { done: boolean }) => item.done)).toEqual([true, false]);
    expect(box.run(['actions', 'list', '--owner', 'minh']).stdout).not.toContain('Xuất danh bạ');
  });

  it('actions done refuses what does not exist, exit 2', () => {
    const { box } = started();
    const missing = box.run(['actions', 'done', 'Beta Telecom', '7']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Beta Telecom has no action item 7 (it has 2)');
    expect(box.run(['actions', 'done', 'Beta Telecom', 'two']).code).toBe(2);
  });

  it('an answers file may not give a computed value', () => {
    const box = sandbox({ playbooks: FIXTURES });
    const file = join(tempDir(), 'a.yaml');
    writeFileSync(file, 'churn-notice: { date: 2026-11-20 }\nnps: { score: 3, band: promoter }\n');
    const result = box.run(['run', 'churn-v2', 'Acme', '--answers', file, '--no-input']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nps.band is computed from score; leave it out of the answers');
  });
});

describe('cs playbooks preview', () => {
  it('shows the timeline with anchors and conditions, and renders every document, with no run and no database', () => {
    const box = sandbox({ playbooks: FIXTURES });
    const answers = join(tempDir(), 'answers.yaml');
    writeFileSync(answers, ANSWERS.replace('worked', 'failed'));
    const result = box.run(['playbooks', 'preview', 'churn-v2', '--start', '2026-11-18', '--answers', answers]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Wed 2026-11-18\s+The customer gives notice/);
    expect(result.stdout).toMatch(/Fri 2026-11-20\s+Fast response\s+2bd after "The customer gives notice"/);
    expect(result.stdout).toMatch(/\d{4}-\d{2}-\d{2}\s+Visit\s+when response\.remote-fix is "failed"/);
    expect(result.stdout).toMatch(/Fri 2026-12-04\s+Post-mortem\s+2w from churn-notice\.date/);
    const json = JSON.parse(box.run(['playbooks', 'preview', 'churn-v2', '--start', '2026-11-18', '--json']).stdout);
    expect(json.steps.find((step: { id: string }) => step.id === 'on-site-visit')).toMatchObject({ applicable: false });
    expect(json.steps.find((step: { id: string }) => step.id === 'postmortem')).toMatchObject({ due: null, waiting: '2w from churn-notice.date' });
    expect(box.run(['status']).stdout).toContain('No runs yet');
  });

  it('--out writes each produced document', () => {
    const folder = writeFiles(tempDir(), {
      'pm.yaml': readFileSync(join(FIXTURES, 'churn-v2.yaml'), 'utf8').replace('          - id: actions\n', '          - id: actions\n').replace('        title: Post-mortem\n', '        title: Post-mortem\n        produces: pm-minutes\n'),
    });
    const templates = writeFiles(tempDir(), { 'pm-minutes.mustache': '---\ntitle: Minutes\n---\n# Minutes for {{account.name}}\n\nProposals:\n\n{{answers.postmortem.actions}}\n' });
    const box = sandbox({ playbooks: folder, templates });
    const answers = join(tempDir(), 'answers.yaml');
    writeFileSync(answers, ANSWERS);
    const out = join(tempDir(), 'preview');
    const result = box.run(['playbooks', 'preview', 'churn-v2', '--answers', answers, '--out', out, '--start', '2026-11-18']);
    expect(result.code).toBe(0);
    expect(readdirSync(out)).toEqual(['pm-minutes.md']);
    const minutes = readFileSync(join(out, 'pm-minutes.md'), 'utf8');
    expect(minutes).toContain('# Minutes for Preview customer');
    expect(minutes).toContain('| 2 | Chuyển IP số | Minh | 2026-12-20 | no |');
  });
});

describe('cs playbooks upgrade --dry-run', () => {
  it('lists each open run of an older version with what it keeps and drops, and changes nothing', async () => {
    const v2 = readFileSync(join(FIXTURES, 'churn-v2.yaml'), 'utf8').replace('            prompt: Score\n', '            prompt: Score\n            required: true\n');
    const folder = writeFiles(tempDir(), { 'churn-v2.yaml': v2 });
    const box = sandbox({ playbooks: folder });
    // an open run with the notice answered and done, as a walk stopped after it leaves it
    const store = openStore(box.db);
    const { loaded } = loadPlaybookFile(join(folder, 'churn-v2.yaml'));
    const run = await store.createRun(await store.ensureAccount('Acme'), loaded!.playbook, { startDate: '2026-11-18' });
    for (const event of [
      { type: 'answer', stepId: 'churn-notice', fieldId: 'date', value: '2026-11-20' },
      { type: 'answer', stepId: 'churn-notice', fieldId: 'reason', value: 'support' },
      { type: 'complete', stepId: 'churn-notice', on: '2026-11-20' },
    ] as const) {
      await store.commit(run.run.id, event);
    }
    await store.close();
    const text = readFileSync(join(folder, 'churn-v2.yaml'), 'utf8')
      .replace('version: 2', 'version: 3')
      .replace("              - { value: support, label: Quality of support }\n", '              - { value: bugs, label: Bugs }\n');
    writeFileSync(join(folder, 'churn-v2.yaml'), text);
    const dry = box.run(['playbooks', 'upgrade', 'churn-v2', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('1 open run of churn-v2 would move to v3 (dry run: nothing changed)');
    expect(dry.stdout).toContain('Acme');
    expect(dry.stdout).toContain('churn-notice.reason: expected one of price, bugs; got "support"');
    expect(JSON.parse(box.run(['status', 'Acme', '--json']).stdout)[0].playbook.version).toBe(2);
    const moved = box.run(['playbooks', 'upgrade', 'churn-v2']);
    expect(moved.stdout).toContain('moved to v3');
    expect(JSON.parse(box.run(['status', 'Acme', '--json']).stdout)[0].playbook.version).toBe(3);
  });
});
