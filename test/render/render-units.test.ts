/**
 * The pieces of src/render/ on their own: template files and their mistakes, the missing-value
 * check, the data model (`produced` across the three reviews of onboarding-90d), the formats, and
 * the eml helpers.
 */
import { say } from '../../src/i18n/messages.js';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { startRun } from '../../src/engine/run.js';
import type { LoadedRun } from '../../src/store/store.js';
import { parsePerson, producingStep, templateData } from '../../src/render/data.js';
import { renderDocument } from '../../src/render/document.js';
import { recipients } from '../../src/render/eml.js';
import { describeMiss, fill } from '../../src/render/fill.js';
import { keepLines, LINE_BREAK, oneLine, tidy, toHtmlBody, toText } from '../../src/render/formats.js';
import { slug } from '../../src/render/slug.js';
import { parseTemplate } from '../../src/render/template-file.js';
import type { Template } from '../../src/render/template-file.js';
import { variablesOf } from '../../src/render/variables.js';
import { bundledPlaybook } from '../support/playbooks.js';

function template(text: string, id = 't'): Template {
  const { template: parsed, problems } = parseTemplate(text, `${id}.mustache`, id, 'user');
  if (!parsed) throw new Error(problems.map((problem) => `${problem.line}:${problem.col} ${say(problem.message)}`).join('\n'));
  return parsed;
}

function problemsOf(text: string): string[] {
  return parseTemplate(text, 'x.mustache', 'x', 'user').problems.map((problem) => `${problem.line}:${problem.col} ${say(problem.message)}`);
}

describe('template files', () => {
  it('reads the front matter and knows where the body starts', () => {
    const parsed = template('---\ntitle: Recap\nformat: email\nsubject: "Hi {{account.name}}"\n---\nHello {{owner}}\n');
    expect(parsed).toMatchObject({ title: 'Recap', format: 'email' });
    expect(parsed.subject?.text).toBe('Hi {{account.name}}');
    expect(parsed.body.firstLine).toBe(6);
    expect(variablesOf(parsed).map((use) => `${use.line}:${use.col} ${use.name}`)).toEqual(['4:14 account.name', '6:7 owner']);
  });

  it('without front matter: a document titled by its id; CRLF and BOM are fine', () => {
    const parsed = template('\uFEFFLine {{a}}\r\n', 'notes');
    expect(parsed).toMatchObject({ title: 'notes', format: 'document' });
    expect(parsed.body.text).toBe('Line {{a}}\n');
  });

  it('reports every front matter mistake at its line', () => {
    expect(problemsOf('---\ntitle: [a\n---\n')).toEqual([expect.stringMatching(/^2:\d+ front matter: YAML syntax/)]);
    expect(problemsOf('---\nformat: letter\nsubjet: x\n---\n')).toEqual([
      '2:1 front matter: format must be one of document, email; got "letter"',
      '3:1 front matter: unknown key "subjet" (did you mean "subject"?); expected one of title, format, subject, to',
    ]);
    expect(problemsOf('---\nformat: email\n---\nbody\n')).toEqual(['1:1 front matter: an email template needs a subject, e.g. subject: "Recap of our call — {{account.name}}"']);
    expect(problemsOf('---\ntitle: x\n')).toEqual(['1:1 the front matter opened here is never closed: add a line "---" after it']);
    expect(problemsOf('---\n- a\n---\n')).toEqual(['2:1 front matter must be a mapping of title, format, subject, to']);
  });

  it('reports unbalanced Mustache at the line a person must fix', () => {
    expect(problemsOf('---\ntitle: x\n---\none\n{{#a}}\ntwo\n')).toEqual(['5:1 section {{#a}} is never closed; add {{/a}} where it ends']);
    expect(problemsOf('one\n  {{/a}}\n')).toEqual(['2:3 {{/a}} closes a section that was never opened; add {{#a}} before it or remove it']);
    expect(problemsOf('{{#a}}\n{{#b}}\n{{/a}}\n')).toEqual(['2:1 section {{#b}} is closed by {{/a}}; close it with {{/b}} first']);
    expect(problemsOf('one\ntwo {{name\n')).toEqual(['2:5 a tag opened with {{ is never closed with }}']);
    expect(problemsOf('---\nformat: email\nsubject: "Hi {{#x}}"\n---\n')).toEqual(['3:14 section {{#x}} is never closed; add {{/x}} where it ends']);
  });
});

describe('missing values', () => {
  const partials = (name: string) => ({ sig: 'Regards,\n{{owner}}\n' })[name];

  it('are found inside sections and partials, at their file lines; guards are not blanks', () => {
    const parsed = template('---\ntitle: x\n---\n{{#a}}\n{{b}}\n{{/a}}\n{{^c}}none{{/c}}\n{{#d}}{{/d}}\n{{> sig}}\n{{> gone}}\n');
    const { text, misses } = fill(parsed.body, { a: { b: '' } }, 't', partials);
    expect(text).toBe('\nnone\nRegards,\n\n');
    expect(misses.map((miss) => say(describeMiss(miss)))).toEqual([
      'template t line 5: {{b}} is empty',
      'template t, partial sig, line 2: {{owner}} is empty (give the run an owner with --owner, or say who you are: cs config set user.name "Your Name")',
      'template t line 10: partial {{> gone}} not found (partials are templates/partials/<name>.mustache)',
    ]);
  });

  it('an object is not a value; false and 0 are values', () => {
    const parsed = template('{{group}} {{no}} {{zero}} {{list}} {{none}}\n');
    const { text, misses } = fill(parsed.body, { group: { a: 1 }, no: false, zero: 0, list: [], none: null }, 't', partials);
    expect(text).toBe(' no 0  \n');
    expect(misses.map((miss) => `${miss.name}:${miss.kind}`)).toEqual(['group:not-a-value', 'list:empty', 'none:empty']);
  });
});

/** onboarding-90d with only the first review done, then all three. */
function ninetyDayRun(done: string[]): LoadedRun {
  const state = startRun(bundledPlaybook('onboarding-90d'), '2026-09-01');
  for (const step of state.steps) {
    if (!done.includes(step.id)) continue;
    step.status = 'done';
    step.answers = { 'meeting-date': `date of ${step.id}`, summary: `summary of ${step.id}` };
  }
  return {
    run: {
      id: 7, accountId: 1, accountName: 'Công ty Ánh Dương', playbookId: 'onboarding-90d', playbookVersion: 1, playbookTitle: '90-day onboarding',
      kind: 'onboarding', owner: null, startDate: '2026-09-01', status: 'open', createdAt: '', updatedAt: '', finishedAt: null,
    },
    state,
    versions: {},
  };
}

const ACCOUNT = { id: 1, name: 'Công ty Ánh Dương', owner: 'Nguyễn Thị Lan', fields: { region: 'Miền Bắc' }, createdAt: '' };

describe('the data model', () => {
  it('produced: the latest done review, whichever month it is; --step picks another', () => {
    expect(producingStep(ninetyDayRun([]), 'onboarding-review')?.def.id).toBe('review-month-1');
    expect(producingStep(ninetyDayRun(['review-month-1']), 'onboarding-review')?.def.id).toBe('review-month-1');
    const all = ninetyDayRun(['review-month-1', 'review-month-2', 'onboarding-review']);
    expect(producingStep(all, 'onboarding-review')?.def.id).toBe('onboarding-review');
    expect(producingStep(all, 'onboarding-review', 'review-month-2')?.def.id).toBe('review-month-2');
    expect(() => producingStep(all, 'onboarding-review', 'review-month-4')).toThrow(/has no step "review-month-4" \(did you mean "review-month-1"\?\)/);

    const data = templateData({ account: ACCOUNT, loaded: ninetyDayRun(['review-month-1', 'review-month-2']), templateId: 'onboarding-review', today: '2026-11-26' });
    expect(data.produced).toEqual({ 'meeting-date': 'date of review-month-2', summary: 'summary of review-month-2' });
    expect(data.producedStep).toMatchObject({ id: 'review-month-2', title: 'Review meeting: month 2', final: false });
  });

  it('account fields, owner as a person, run progress and due dates, steps by phase', () => {
    const data = templateData({ account: ACCOUNT, loaded: ninetyDayRun(['kickoff-call']), templateId: 'kickoff-recap', today: '2026-11-26' }) as Record<string, any>;
    expect(data.account).toEqual({ region: 'Miền Bắc', name: 'Công ty Ánh Dương', owner: 'Nguyễn Thị Lan' });
    expect(String(data.owner)).toBe('Nguyễn Thị Lan');
    expect(data.run.progress).toMatchObject({ total: 17, done: 1, open: 16 });
    // the kickoff in week 1 (day 0 + 5d), no longer at 2 weeks
    expect(data.run.dueDates['kickoff-call']).toBe('2026-09-06');
    expect(data.phases.map((phase: { id: string; steps: unknown[] }) => `${phase.id}:${phase.steps.length}`)).toEqual(['month-1', 'month-2', 'month-3'].map((id, index) => `${id}:${[7, 5, 5][index]}`));
    // only the fields the step has, in the playbook's order (kickoff-call has no meeting-date)
    expect(data.steps[2]).toMatchObject({ id: 'kickoff-call', phase: 'Month 1 — handoff, kickoff and setup', done: true, answers: [{ id: 'summary', prompt: 'Summary of the conversation', value: 'summary of kickoff-call' }] });
  });

  it('people as typed', () => {
    expect({ ...parsePerson('Nguyễn Thị Lan <lan@example.com>') }).toMatchObject({ name: 'Nguyễn Thị Lan', email: 'lan@example.com' });
    expect({ ...parsePerson('"Lan, CSKH" <lan@example.com>') }).toMatchObject({ name: 'Lan, CSKH', email: 'lan@example.com' });
    expect({ ...parsePerson('lan@example.com') }).toMatchObject({ name: 'lan@example.com', email: 'lan@example.com' });
    expect(parsePerson('Lan')?.email).toBeUndefined();
    expect(parsePerson('  ')).toBeUndefined();
  });
});

describe('formats', () => {
  it('tidy folds blank runs left by optional sections', () => {
    expect(tidy('a  \n\n\n\nb\n\n')).toBe('a\n\nb\n');
  });

  it('txt drops the markup, html escapes everything first', () => {
    expect(toText('## Goals\n**For us:** x')).toBe('Goals\nFor us: x');
    expect(toHtmlBody('# T & <b>\n\n- one\n  more\n- two\n\n> said "<hi>"\n\nSee https://wiki.example.com/a?b=1&c=2.')).toBe(
      [
        '<h1>T &amp; &lt;b&gt;</h1>',
        '<ul>\n<li>one<br>\nmore</li>\n<li>two</li>\n</ul>',
        '<blockquote><p>said &quot;&lt;hi&gt;&quot;</p></blockquote>',
        '<p>See <a href="https://wiki.example.com/a?b=1&amp;c=2">https://wiki.example.com/a?b=1&amp;c=2</a>.</p>',
      ].join('\n'),
    );
  });

  it('eml is for email templates only', async () => {
    const document = template('Hi\n');
    await expect(renderDocument({ template: document, data: {}, format: 'eml', partials: () => undefined })).rejects.toThrow(/is a document, not an email/);
  });
});

describe('eml helpers', () => {
  it('one line per header, whatever the answer holds', () => {
    expect(oneLine('Tóm tắt\r\nBcc: x@y.z\u2028tiếp')).toBe('Tóm tắt Bcc: x@y.z tiếp');
  });

  it('recipients: addresses kept, names without one reported', () => {
    expect(recipients('Chị Lan <lan@anhduong.vn>; anh Hùng\n"Võ, Ánh" <anh@x.vn>, b@y.vn')).toEqual({
      addresses: [
        { name: 'Chị Lan', address: 'lan@anhduong.vn' },
        { name: 'Võ, Ánh', address: 'anh@x.vn' },
        { name: '', address: 'b@y.vn' },
      ],
      unaddressed: ['anh Hùng'],
      unreadable: [],
      problems: [],
    });
  });

  it('slug: Vietnamese to a file name', () => {
    expect(slug('Công ty Ánh Dương')).toBe('cong-ty-anh-duong');
    expect(slug('Đội CSKH — Đà Nẵng!')).toBe('doi-cskh-da-nang');
  });
});

describe('keepLines: the lines of an answer stay lines in Markdown', () => {
  const B = LINE_BREAK;
  it('a hard break where a paragraph goes on, none before a block, a blank line or the end', () => {
    expect(keepLines(`Attendees: Lan${B}\nHùng${B}\nVy\n`, 'markdown')).toBe('Attendees: Lan\\\nHùng\\\nVy\n');
    expect(keepLines(`Agreed${B}\n- one${B}\n- two\n`, 'markdown')).toBe('Agreed\n- one\n- two\n');
    expect(keepLines(`a${B}\n${B}\nb\n`, 'markdown')).toBe('a\n\nb\n');
    expect(keepLines(`## Title ${B}\nmore\n`, 'markdown')).toBe('## Title\nmore\n');
    expect(keepLines(`ends with a path C:\\${B}\nnext\n`, 'markdown')).toBe('ends with a path C:\\\nnext\n');
  });

  it("a template's own hard break is kept where a paragraph follows, dropped before a list", () => {
    expect(keepLines('**Question?**\\\nAnswer\n', 'markdown')).toBe('**Question?**\\\nAnswer\n');
    expect(keepLines('**Question?**\\\n- item\n', 'markdown')).toBe('**Question?**\n- item\n');
    expect(keepLines('Best regards,\\\n', 'markdown')).toBe('Best regards,\n');
  });

  it('plain text only drops the marks; txt and html drop hard-break backslashes', () => {
    expect(keepLines(`Lan${B}\nHùng\n`, 'plain')).toBe('Lan\nHùng\n');
    expect(toText('Best regards,\\\nLan\n')).toBe('Best regards,\nLan\n');
    expect(toHtmlBody('Best regards,\\\nLan')).toBe('<p>Best regards,<br>\nLan</p>');
  });

  it('fill marks the line breaks of values only, and takes the mark out of what was typed', () => {
    const part = { text: 'A: {{a}}\nB: {{b}}\n', tokens: Mustache.parse('A: {{a}}\nB: {{b}}\n') as never, firstLine: 1 };
    const { text } = fill(part, { a: `x\ny`, b: `p${B}q` }, 't', () => undefined, { markLineBreaks: true });
    expect(text).toBe(`A: x${B}\ny\nB: pq\n`);
  });
});
