/**
 * The offer made when a walk completes a step that produces a document (src/cli/produce.ts),
 * through the scripted fake Ui over a real store; and the playbook ↔ template check that
 * `cs playbooks validate` runs (src/render/references.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { offerToRender } from '../../src/cli/produce.js';
import { apply } from '../../src/engine/run.js';
import type { RunEvent } from '../../src/engine/run.js';
import { CsError } from '../../src/errors.js';
import { say } from '../../src/i18n/messages.js';
import { loadPlaybookFile } from '../../src/playbook/catalog.js';
import type { StepDef } from '../../src/playbook/types.js';
import { findTemplates } from '../../src/render/catalog.js';
import { checkTemplateReferences } from '../../src/render/references.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { ROOT } from '../support/cli.js';
import { BUNDLED, bundledPlaybook } from '../support/playbooks.js';
import { ScriptedUi } from '../support/scripted-ui.js';
import type { Expected } from '../support/scripted-ui.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const NAME = 'Công ty Ánh Dương';
const ENV = { CS_TODAY: '2026-11-26' };
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** An onboarding-30d run whose kickoff call and recap step are answered and done. */
async function setup(owner = 'Phạm Minh Tuấn <tuan.pham@example.com>') {
  const store = openStore(join(tempDir(), 'cs.db'));
  stores.push(store);
  const playbook = bundledPlaybook('onboarding-30d');
  let { run, state } = await store.createRun(await store.ensureAccount(NAME, owner), playbook, { startDate: '2026-11-01' });
  const events: RunEvent[] = [
    { type: 'answer', stepId: 'kickoff-call', fieldId: 'summary', value: 'Hai bên thống nhất mục tiêu tháng đầu.' },
    { type: 'answer', stepId: 'kickoff-call', fieldId: 'goals', value: 'Phản hồi đầu tiên dưới 2 giờ' },
    { type: 'answer', stepId: 'kickoff-call', fieldId: 'next-meeting', value: '2026-11-10' },
    { type: 'complete', stepId: 'kickoff-call' },
    { type: 'answer', stepId: 'recap-email', fieldId: 'recipients', value: 'Chị Lan <lan.nguyen@anhduong.vn>' },
    { type: 'complete', stepId: 'recap-email' },
  ];
  for (const event of events) {
    state = apply(state, event);
    await store.commit(run.id, event);
  }
  const step = playbook.phases.flatMap((phase) => phase.steps).find((each) => each.id === 'recap-email')!;
  return { store, runId: run.id, step };
}

async function offer(script: Expected[], ask: boolean, step?: StepDef) {
  const { store, runId, step: recap } = await setup();
  const ui = new ScriptedUi(script);
  await offerToRender({ ui, store, env: ENV, runId, step: step ?? recap, ask });
  ui.assertDone();
  return ui;
}

describe('the offer after a step that produces a document', () => {
  it('without prompts: one line saying how to render it', async () => {
    const ui = await offer([], false);
    expect(ui.output).toEqual(['  ↳ kickoff-recap is ready to render: cs render kickoff-recap "Công ty Ánh Dương"']);
  });

  it('in a terminal: asks, then writes the draft where the user says (default name from the account)', async () => {
    const out = join(tempDir(), 'recap.eml');
    const ui = await offer(
      [
        { confirm: true, message: 'Render kickoff-recap now?' },
        { select: 'eml', message: 'Format' },
        { select: 'file', message: 'Where to?' },
        { text: out, message: 'File name' },
      ],
      true,
    );
    expect(ui.asked[3]!.options.default).toBe('kickoff-recap-cong-ty-anh-duong.eml');
    expect(ui.output).toEqual([expect.stringContaining(`Wrote ${out} (kickoff-recap, eml, Công ty Ánh Dương, run #1)`)]);
    const draft = readFileSync(out, 'utf8');
    expect(draft).toMatch(/^X-Unsent: 1\r\n/);
    // what the run does not have yet is said, not left blank silently
    expect(ui.errors).toContain('warning: template kickoff-recap line 97: {{answers.kickoff-call.next-steps-us}} is empty');
  });

  it('shows it on the screen when asked, and says how to render it later when declined', async () => {
    const shown = await offer([{ confirm: true }, { select: 'md' }, { select: 'screen' }], true);
    expect(shown.printed).toContain('Subject: Recap of our kickoff call — Công ty Ánh Dương');
    expect(shown.printed).toContain('Phản hồi đầu tiên dưới 2 giờ');
    const declined = await offer([{ confirm: false }], true);
    expect(declined.output).toEqual(['  Later: cs render kickoff-recap "Công ty Ánh Dương"']);
  });

  it('an existing file is only overwritten when the user agrees', async () => {
    const out = join(writeFiles(tempDir(), { 'recap.md': 'kept\n' }), 'recap.md');
    const ui = await offer([{ confirm: true }, { select: 'md' }, { select: 'file' }, { text: out }, { confirm: false, message: 'exists. Overwrite it?' }], true);
    expect(readFileSync(out, 'utf8')).toBe('kept\n');
    expect(ui.output).toEqual(['  Not written. Later: cs render kickoff-recap "Công ty Ánh Dương"']);
  });

  it('a template that cannot be rendered is a warning: the walk goes on', async () => {
    const ui = await offer([{ confirm: true }], true, { id: 'recap-email', title: 'Recap', produces: 'no-such-template' });
    expect(ui.errors[0]).toBe('warning: could not render no-such-template: unknown template "no-such-template"');
    expect(ui.errors.at(-1)).toContain('render it later with: cs render no-such-template "Công ty Ánh Dương"');
  });

  it('Ctrl-C is not swallowed', async () => {
    await expect(offer([{ interrupt: true }], true)).rejects.toBeInstanceOf(CsError);
    await expect(offer([{ interrupt: true }], true)).rejects.toMatchObject({ exitCode: 130 });
  });
});

describe('playbooks checked against templates', () => {
  const folder = tempDir();
  writeFiles(folder, {
    'my.yaml': [
      'id: my',
      'title: Mine',
      'kind: other',
      'version: 1',
      'phases:',
      '  - id: p',
      '    title: P',
      '    steps:',
      '      - id: call',
      '        title: Call',
      '        fields:',
      '          - { id: goals, prompt: Goals, type: text }',
      '          - { id: mood, prompt: Mood, type: select, choices: [calm, upset] }',
      '        produces: recapp',
      '      - id: note',
      '        title: Note',
      '        produces: recap',
      '',
    ].join('\n'),
    'templates/recap.mustache': '---\ntitle: Recap\n---\n{{answers.call.goals}} {{answers.cal.goals}}\n{{answers.call.gaols}} {{chosen.call.mood.angry}} {{produced.goals}}\n',
  });
  const { loaded } = loadPlaybookFile(join(folder, 'my.yaml'));
  const report = checkTemplateReferences([loaded!], findTemplates([{ path: join(folder, 'templates'), source: 'user' }]));

  it('an unknown template in produces is a problem at its line', async () => {
    expect(report.problems.map((problem) => ({ ...problem, message: say(problem.message) }))).toEqual([
      expect.objectContaining({ line: 14, col: 19, message: 'step call produces "recapp", but there is no template recapp (did you mean "recap"?); templates found: recap' }),
    ]);
  });

  it('answers a template reads that no producing playbook has are warnings at the template line', async () => {
    expect(report.warnings.map((warning) => `${warning.line}:${warning.col} ${say(warning.message)}`)).toEqual([
      '4:24 {{answers.cal.goals}}: no step "cal" in my (the playbooks that produce recap); did you mean "call"?',
      '5:1 {{answers.call.gaols}}: step call has no field "gaols" in my (the playbooks that produce recap); did you mean "goals"?',
      '5:24 {{chosen.call.mood.angry}}: call.mood has no choice "angry" (its choices: calm, upset) in my (the playbooks that produce recap)',
      '5:51 {{produced.goals}}: no step that produces recap has a field "goals"',
    ]);
  });

  it('the bundled playbooks and templates agree', async () => {
    const playbooks = ['onboarding-30d', 'onboarding-90d', 'proserv-onboarding', 'churn-response', 'winback-followup', 'customer-advocacy', 'journey-mapping'].map(
      (id) => loadPlaybookFile(join(BUNDLED, `${id}.yaml`)).loaded!,
    );
    const bundled = checkTemplateReferences(playbooks, findTemplates([{ path: join(ROOT, 'templates'), source: 'bundled' }]), { everyTemplate: true });
    expect(bundled).toEqual({ problems: [], warnings: [] });
  });
});
