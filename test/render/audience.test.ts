/**
 * The audience check (src/render/audience.ts): every way an email template can show an internal
 * answer, found from the token tree at its file:line:col, and the ways that are not a leak.
 */
import { say } from '../../src/i18n/messages.js';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import type { Playbook } from '../../src/playbook/types.js';
import { internalUses } from '../../src/render/audience.js';
import type { PartialSource } from '../../src/render/audience.js';
import type { Token } from '../../src/render/syntax.js';
import { parseTemplate } from '../../src/render/template-file.js';

const PLAYBOOK: Playbook = {
  id: 'kick',
  title: 'Kick',
  kind: 'onboarding',
  version: 1,
  phases: [
    {
      id: 'p1',
      title: 'Phase 1',
      steps: [
        { id: 'handoff', title: 'Sales handoff', audience: 'internal', fields: [{ id: 'politics', prompt: 'Politics', type: 'longtext' }] },
        {
          id: 'call',
          title: 'Kickoff call',
          fields: [
            { id: 'summary', prompt: 'Summary', type: 'longtext' },
            { id: 'why-bought', prompt: 'Why', type: 'longtext', audience: 'internal' },
            { id: 'health', prompt: 'Health', type: 'select', choices: ['great', 'worrying'], audience: 'internal' },
            { id: 'next', prompt: 'Next', type: 'date' },
          ],
        },
        { id: 'recap', title: 'Recap', produces: 't', fields: [{ id: 'note', prompt: 'Note', type: 'text' }, { id: 'mood', prompt: 'Mood', type: 'text', audience: 'internal' }] },
      ],
    },
  ],
};
const OPEN: Playbook = { ...PLAYBOOK, phases: [{ ...PLAYBOOK.phases[0]!, steps: PLAYBOOK.phases[0]!.steps.filter((step) => step.id !== 'handoff') }] };

function email(body: string, format = 'email') {
  const raw = `---\ntitle: T\nformat: ${format}\nsubject: "Hello {{account.name}}"\n---\n${body}`;
  const { template, problems } = parseTemplate(raw, 'templates/t.mustache', 't', 'user');
  expect(problems).toEqual([]);
  return template!;
}

function partials(files: Record<string, string>): PartialSource {
  return (name) => {
    const text = files[name];
    return text === undefined ? undefined : { file: `templates/partials/${name}.mustache`, text, tokens: Mustache.parse(text) as unknown as Token[] };
  };
}

/** "line:col {{tag}}" of each problem, and the message of the first, for reading. */
function found(body: string, options: { playbook?: Playbook; partials?: Record<string, string>; format?: string } = {}): string[] {
  return internalUses(email(body, options.format), [options.playbook ?? PLAYBOOK], partials(options.partials ?? {})).map(
    (problem) => `${problem.file}:${problem.line}:${problem.col} ${say(problem.message).split(':')[0]}`,
  );
}

describe('an email template may not use an internal answer', () => {
  it('by name: at its line and column, naming the field and where it is internal', () => {
    const [problem] = internalUses(email('Dear you,\n\nYou chose us because {{answers.call.why-bought}}.\n'), [PLAYBOOK], partials({}));
    expect({ ...problem, message: say(problem!.message) }).toEqual({
      file: 'templates/t.mustache',
      line: 8,
      col: 22,
      message: '{{answers.call.why-bought}}: call.why-bought is internal (audience: internal in kick): a format: email template goes to the customer and must not use it',
    });
  });

  it('in the subject, unescaped, as a section guard, as a choice flag', () => {
    const raw = '---\ntitle: T\nformat: email\nsubject: "About {{answers.call.why-bought}}"\n---\n{{{answers.call.why-bought}}}\n{{#chosen.call.health.worrying}}Sorry!{{/chosen.call.health.worrying}}\n{{^answers.call.health}}x{{/answers.call.health}}\n';
    const template = parseTemplate(raw, 'templates/t.mustache', 't', 'user').template!;
    expect(internalUses(template, [PLAYBOOK], partials({})).map((problem) => `${problem.line}:${problem.col} ${say(problem.message).split(':')[0]}`)).toEqual([
      '4:17 {{answers.call.why-bought}}',
      '6:1 {{{answers.call.why-bought}}}',
      '7:1 {{#chosen.call.health.worrying}}',
      '8:1 {{^answers.call.health}}',
    ]);
  });

  it('of a step marked internal as a whole', () => {
    expect(found('{{answers.handoff.politics}}\n')).toEqual(['templates/t.mustache:6:1 {{answers.handoff.politics}}']);
  });

  it('through a section that names the step: the name inside resolves to the field', () => {
    expect(found('{{#answers.call}}\nWhy: {{why-bought}}\nSummary: {{summary}}\n{{/answers.call}}\n')).toEqual(['templates/t.mustache:7:6 {{why-bought}}']);
    expect(found('{{#answers}}{{#call}}{{health}}{{/call}}{{/answers}}\n')).toEqual(['templates/t.mustache:6:22 {{health}}']);
  });

  it('by iterating the steps: their answers, and the titles of internal steps', () => {
    expect(found('{{#steps}}\n{{#answers}}\n- {{prompt}}: {{value}}\n{{/answers}}\n{{/steps}}\n', { playbook: OPEN })).toEqual(['templates/t.mustache:7:1 {{#answers}}']);
    expect(found('{{#phases}}{{#steps}}{{title}}{{/steps}}{{/phases}}\n')).toEqual(['templates/t.mustache:6:22 {{title}}']);
    expect(found('{{#producedStep}}{{#answers}}{{value}}{{/answers}}{{/producedStep}}\n')).toEqual(['templates/t.mustache:6:18 {{#answers}}']);
  });

  it('through produced, the answers of the step that produces the template', () => {
    expect(found('{{produced.note}} {{produced.mood}}\n')).toEqual(['templates/t.mustache:6:19 {{produced.mood}}']);
  });

  it('in a partial: at the partial\'s own file and line', () => {
    const sig = 'Regards,\n{{owner}}\n{{answers.call.health}}\n';
    expect(found('Hello\n{{> sig}}\n', { partials: { sig } })).toEqual(['templates/partials/sig.mustache:3:1 {{answers.call.health}}']);
    // a partial inside a section sees the section's context
    expect(found('{{#answers.call}}{{> inner}}{{/answers.call}}\n', { partials: { inner: '{{why-bought}}' } })).toEqual(['templates/partials/inner.mustache:1:1 {{why-bought}}']);
  });
});

describe('what is not a leak', () => {
  it('customer-facing answers, wherever they are named from', () => {
    const body = [
      '{{answers.call.summary}} {{answers.call.next.long}} {{answers.recap.note}} {{produced.note}}',
      '{{#answers.call.summary}}{{answers.call.summary}} {{.}}{{/answers.call.summary}}',
      '{{#answers.call}}{{summary}} {{account.name}} {{owner}}{{/answers.call}}',
      '{{#steps}}{{#done}}{{id}}{{/done}}{{/steps}}',
      '{{#steps}}{{title}}: {{#answers}}{{value}}{{/answers}}{{/steps}}',
      '',
    ].join('\n');
    const onlyOpenSteps: Playbook = {
      ...OPEN,
      phases: [{ ...OPEN.phases[0]!, steps: OPEN.phases[0]!.steps.map((step) => ({ ...step, fields: step.fields?.filter((field) => field.audience !== 'internal') })) }],
    };
    expect(found(body, { playbook: onlyOpenSteps })).toEqual([]);
    expect(found(body.split('\n').slice(0, 3).join('\n'))).toEqual([]);
    // with an internal step, listing the steps at all lists it
    expect(found('{{#steps}}{{#done}}{{id}}{{/done}}{{/steps}}\n')).toEqual(['templates/t.mustache:6:11 {{#done}}']);
  });

  it('anything at all in a document (minutes, handover notes)', () => {
    expect(found('{{answers.call.why-bought}}{{#steps}}{{#answers}}{{value}}{{/answers}}{{/steps}}\n', { format: 'document' })).toEqual([]);
  });
});
