/**
 * Vietnamese end to end (built CLI): every bundled template rendered for a Vietnamese account with
 * no English left in it, an English user rendering for a Vietnamese account, the account's
 * language from the CSV and from `cs accounts set`, --lang, the fallback to English with a
 * warning, and `playbooks validate` checking translations against their base.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { FIXTURE_RUNS, walkAll } from '../render/fixture-runs.js';

const VI = { LANG: 'vi_VN.UTF-8' };

/** Each bundled template's id and the run (1 to 6, FIXTURE_RUNS' order) whose playbook produces it. */
function bundledTemplates(): { id: string; run: number }[] {
  const producers = new Map<string, number>();
  FIXTURE_RUNS.forEach((run, index) => {
    const playbook = parse(readFileSync(join(ROOT, 'playbooks', `${run.playbook}.yaml`), 'utf8')) as { phases: { steps: { produces?: string }[] }[] };
    for (const step of playbook.phases.flatMap((phase) => phase.steps)) if (step.produces && !producers.has(step.produces)) producers.set(step.produces, index + 1);
  });
  return readdirSync(join(ROOT, 'templates'))
    .filter((name) => /^[a-z0-9-]+\.mustache$/.test(name))
    .map((name) => name.replace(/\.mustache$/, ''))
    .map((id) => ({ id, run: producers.get(id)! }));
}

/** The English sentences a template writes itself (its text between tags, 3 words or more), front matter included. */
function englishSentences(templateId: string): string[] {
  const text = readFileSync(join(ROOT, 'templates', `${templateId}.mustache`), 'utf8');
  const partials = readdirSync(join(ROOT, 'templates', 'partials')).filter((name) => /^[a-z0-9-]+\.mustache$/.test(name));
  const sources = [text, ...partials.map((name) => readFileSync(join(ROOT, 'templates', 'partials', name), 'utf8'))];
  const pieces: string[] = [];
  const collect = (tokens: unknown[][]) => {
    for (const token of tokens) {
      if (token[0] === 'text') pieces.push(...String(token[1]).split(/\n|[.:;!?]\s|\*\*|—|\(|\)/));
      if (Array.isArray(token[4])) collect(token[4] as unknown[][]);
    }
  };
  for (const source of sources) {
    const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source) ?? [undefined, '', source];
    collect(Mustache.parse(body!) as unknown as unknown[][]);
    for (const line of front!.split('\n')) collect(Mustache.parse(line.replace(/^\w+:\s*/, '').replace(/^"|"$/g, '')) as unknown as unknown[][]);
  }
  return [...new Set(pieces.map((piece) => piece.replace(/^[\s#>*_-]+|[\s*_,]+$/g, '').trim()).filter((piece) => (piece.match(/[A-Za-z]{2,}/g) ?? []).length >= 3))];
}

/** The English catalogue's sentences, their placeholders cut out (each fixed part of 3 words or more). */
function catalogueSentences(): string[] {
  return Object.values(en)
    .flatMap((message) => (typeof message === 'string' ? [message] : [message.one ?? '', message.other]))
    .flatMap((text) => text.split(/\{\w+\}/))
    .map((part) => part.trim())
    .filter((part) => (part.match(/[A-Za-z]{2,}/g) ?? []).length >= 3);
}

describe('every bundled template, rendered for a Vietnamese account', () => {
  let box: Sandbox;
  beforeAll(() => {
    box = sandbox();
    walkAll(box);
    for (const account of new Set(FIXTURE_RUNS.map((run) => run.account))) expect(box.run(['accounts', 'set', account, '--lang', 'vi']).code).toBe(0);
  }, 120_000);

  for (const { id, run } of bundledTemplates()) {
    it(`${id}: Vietnamese throughout, no English sentence of the template, the playbook or the catalogue`, () => {
      const account = FIXTURE_RUNS[run - 1]!.account;
      const result = box.run(['render', id, account, '--run', String(run), '--format', 'txt']);
      expect(result.code, result.stderr).toBe(0);
      // no fallback: the template and its playbook have their Vietnamese translations
      expect(result.stderr).not.toMatch(/translation/);
      const english = englishSentences(id).filter((sentence) => result.stdout.includes(sentence));
      expect(english).toEqual([]);
      expect(catalogueSentences().filter((sentence) => result.stdout.includes(sentence))).toEqual([]);
      expect(result.stdout).not.toMatch(/\b(yes|no|Dear|Hello|Best regards|Kind regards)\b/);
      // dates the way Vietnamese write them, never an English weekday or month
      expect(result.stdout).not.toMatch(/\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|July|August|September|October|November|December)\b/);
    });
  }
});

describe('whose language', () => {
  function onboarded(options: { csv?: string } = {}): Sandbox {
    const box = sandbox();
    const csv = join(tempDir(), 'book.csv');
    writeFileSync(csv, options.csv ?? 'name,owner,playbook,start,lang\nCông ty Ánh Dương,lan,onboarding-30d,2026-11-20,vi_VN\nAcme Ltd,lan,onboarding-30d,2026-11-20,\n');
    const imported = box.run(['accounts', 'import', csv]);
    expect(imported.code, imported.stderr).toBe(0);
    for (const account of ['Công ty Ánh Dương', 'Acme Ltd']) {
      const resumed = box.run(['resume', account, '--answers', join(ROOT, 'test', 'fixtures', 'answers', 'onboarding-30d.yaml'), '--no-input']);
      expect(resumed.code, resumed.stderr).toBe(0);
    }
    return box;
  }

  it('an English user renders a Vietnamese account\'s recap in Vietnamese, and is told so in English', () => {
    const box = onboarded();
    const result = box.run(['render', 'kickoff-recap', 'Công ty Ánh Dương']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Subject: Tóm tắt cuộc gọi khởi động — Công ty Ánh Dương');
    expect(result.stdout).toMatch(/^Kính gửi /m);
    expect(result.stdout).toMatch(/Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy), \d{2}\/\d{2}\/\d{4}|Chủ Nhật, \d{2}\/\d{2}\/\d{4}/);
    expect(result.stdout).toContain('Trân trọng,');
    expect(result.stdout).not.toContain('Best regards');
    // the English account, same user, same command: English
    const english = box.run(['render', 'kickoff-recap', 'Acme Ltd']);
    expect(english.stdout).toContain('Subject: Recap of our kickoff call — Acme Ltd');
    expect(english.stdout).toContain('Best regards,');
  });

  it('--lang overrides the account; cs accounts set --lang changes it; a Vietnamese user gets an English account\'s document in English', () => {
    const box = onboarded();
    expect(box.run(['render', 'kickoff-recap', 'Công ty Ánh Dương', '--lang', 'en']).stdout).toContain('Recap of our kickoff call');
    expect(box.run(['render', 'kickoff-recap', 'Acme Ltd', '--lang', 'vi']).stdout).toContain('Tóm tắt cuộc gọi khởi động');
    const set = box.run(['accounts', 'set', 'Acme Ltd', '--lang', 'vi']);
    expect(set.stdout).toBe('Acme Ltd: documents in tiếng Việt from now on.\n');
    expect(box.run(['render', 'kickoff-recap', 'Acme Ltd']).stdout).toContain('Tóm tắt cuộc gọi khởi động');
    expect(box.run(['accounts', 'show', 'Acme Ltd', '--json']).stdout).toContain('"lang": "vi"');
    expect(box.run(['accounts', 'set', 'Acme Ltd', '--lang', 'en'], { env: VI }).stdout).toBe('Acme Ltd: từ nay tài liệu bằng English.\n');
    expect(box.run(['render', 'kickoff-recap', 'Acme Ltd'], { env: VI }).stdout).toContain('Recap of our kickoff call');
  });

  it('refuses a language cs does not speak, in the CSV, in accounts set and in --lang', () => {
    const bad = sandbox();
    const csv = join(tempDir(), 'book.csv');
    writeFileSync(csv, 'name,owner,playbook,start,lang\nAcme,lan,onboarding-30d,2026-11-20,fr\n');
    const imported = bad.run(['accounts', 'import', csv]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('lang must be one of en, vi; got "fr"');
    const box = onboarded();
    const set = box.run(['accounts', 'set', 'Acme Ltd', '--lang', 'klingon']);
    expect(set.code).toBe(2);
    expect(set.stderr).toBe('cs: --lang must be one of en, vi; got "klingon"\n');
    const render = box.run(['render', 'kickoff-recap', 'Acme Ltd', '--lang', 'de'], { env: VI });
    expect(render.code).toBe(2);
    expect(render.stderr).toBe('cs: --lang phải là một trong en, vi; nhận được "de"\n');
    expect(box.run(['accounts', 'set', 'Acme Ltd']).stderr).toContain('nothing to set: give --lang');
  });

  it('a template with no translation falls back to English with a warning, never a blank', () => {
    const box = onboarded();
    const templates = tempDir();
    writeFileSync(join(templates, 'kickoff-recap.mustache'), '---\ntitle: Our own recap\n---\nHello {{account.name}}, see you {{answers.kickoff-call.next-meeting.long}}.\n');
    const result = box.run(['render', 'kickoff-recap', 'Công ty Ánh Dương'], { env: { CS_TEMPLATES: templates } });
    expect(result.code, result.stderr).toBe(0);
    // the user's own template wins over ours, and the bundled Vietnamese one is not paired with it
    expect(result.stdout).toMatch(/^Hello Công ty Ánh Dương, see you Thứ \S+, \d{2}\/\d{2}\/\d{4}\.$/m);
    expect(result.stderr).toContain('warning: kickoff-recap has no tiếng Việt translation; rendered in English');
  });
});

describe('playbooks validate checks a translation against its base', () => {
  function folderWith(translation: string): string {
    const folder = tempDir();
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'churn-response.vi.yaml'), translation);
    return folder;
  }
  const validate = (folder: string) => sandbox({ playbooks: folder }).run(['playbooks', 'validate']);

  it('an id the base lacks, and a key that is not text, are errors at their line:col; the translation is then not used', () => {
    const folder = folderWith('translates: churn-response\ntitle: Xử lý churn\nkind: churn\nphases:\n  - id: signals\n    steps:\n      - id: churn-signalz\n        title: Kiểm tra\n');
    const result = validate(folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/churn-response\.vi\.yaml:3:1 "kind" is not text a translation may hold; expected title, description, phases\n/);
    expect(result.stderr).toMatch(/churn-response\.vi\.yaml:7:13 step "churn-signalz" is not in churn-response \(signals\); its steps are churn-signals\n/);
  });

  it('text left in English is listed as warnings at line:col; the file is still valid', () => {
    const folder = folderWith('translates: churn-response\ntitle: Xử lý churn\nphases:\n  - id: signals\n    title: Dấu hiệu\n    steps:\n      - id: churn-signals\n        title: Kiểm tra\n        fields:\n          - id: usage-trend\n            prompt: Xu hướng?\n            choices: { stable: ổn định }\n');
    const result = validate(folder);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: \S*churn-response\.vi\.yaml:1:1 untranslated: description\n/);
    expect(result.stderr).toMatch(/warning: \S*churn-response\.vi\.yaml:7:9 untranslated: signals\.churn-signals\.guide\n/);
    expect(result.stderr).toMatch(/warning: \S*churn-response\.vi\.yaml:12:22 untranslated: signals\.churn-signals\.usage-trend\.choices\.falling\n/);
    expect(result.stderr).toMatch(/untranslated: phase respond\n/);
  });

  it('a choice the field does not have, and a checklist of the wrong length, are errors', () => {
    const folder = folderWith('translates: churn-response\nphases:\n  - id: signals\n    steps:\n      - id: churn-signals\n        checklist: [một]\n        fields:\n          - id: usage-trend\n            choices: { stabel: ổn định }\n');
    const result = validate(folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/:6:20 signals\.churn-signals\.checklist must list 4 items/);
    expect(result.stderr).toMatch(/:9:24 signals\.churn-signals\.usage-trend\.choices: the field has no choice "stabel"/);
  });

  it('the bundled translations are clean: no problem, and nothing left untranslated', () => {
    const result = sandbox().run(['playbooks', 'validate']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/untranslated/);
    expect(result.stdout).toContain('✓ playbooks/onboarding-30d.vi.yaml');
  });
});
