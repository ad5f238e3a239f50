/**
 * `cs config` and who the acting user is, through the built CLI: the file (XDG, 0600, atomic), the
 * environment overriding it, a run started without --owner, owners found by handle, name or
 * address, and the signature and From of a document.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { answersFile } from '../render/fixture-runs.js';

const LAN = 'Nguyễn Thị Lan';
const LAN_EMAIL = 'lan@anhduong.vn';

function cs(box: Sandbox, args: string[], env?: Record<string, string | undefined>): CliResult {
  const result = box.run(args, { env });
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result;
}

function configured(): Sandbox {
  const box = sandbox();
  expect(cs(box, ['config', 'set', 'user.name', LAN]).code).toBe(0);
  expect(cs(box, ['config', 'set', 'user.email', LAN_EMAIL]).code).toBe(0);
  return box;
}

function addresses(field: AddressObject | AddressObject[] | undefined): { name: string; address?: string }[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((each) => each.value.map(({ name, address }) => ({ name, address })));
}

describe('cs config', () => {
  it('set writes $XDG_CONFIG_HOME/cs/config.yaml, readable by the user only; get and list read it back', () => {
    const box = sandbox();
    const set = cs(box, ['config', 'set', 'user.name', `  ${LAN.normalize('NFD')}  `]);
    expect(set.code).toBe(0);
    const path = join(box.configHome, 'cs', 'config.yaml');
    expect(set.stdout).toBe(`✓ user.name = ${LAN} (in ${path})\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(cs(box, ['config', 'set', 'user.email', LAN_EMAIL]).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain(`user.name: "${LAN}"\nuser.email: "${LAN_EMAIL}"\n`);
    expect(readdirSync(join(box.configHome, 'cs'))).toEqual(['config.yaml']); // no temp file left behind
    expect(cs(box, ['config', 'get', 'user.name']).stdout).toBe(`${LAN}\n`);
    expect(cs(box, ['config', 'list']).stdout).toBe(`user.name=${LAN}\nuser.email=${LAN_EMAIL}\n`);
    const listed = JSON.parse(cs(box, ['config', 'list', '--json']).stdout) as { file: string; settings: { key: string; origin: string }[] };
    expect(listed.file).toBe(path);
    expect(listed.settings.map((each) => `${each.key}:${each.origin}`)).toEqual(['user.name:file', 'user.email:file']);

    expect(cs(box, ['config', 'unset', 'user.email']).code).toBe(0);
    const missing = cs(box, ['config', 'get', 'user.email']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('cs: user.email is not set');
  });

  it('CS_USER_NAME and CS_USER_EMAIL override the file', () => {
    const box = configured();
    const env = { CS_USER_NAME: 'Trần Văn Minh', CS_USER_EMAIL: 'minh@example.com' };
    expect(cs(box, ['config', 'get', 'user.name'], env).stdout).toBe('Trần Văn Minh\n');
    expect(cs(box, ['config', 'list'], env).stdout).toBe('user.name=Trần Văn Minh  (from CS_USER_NAME)\nuser.email=minh@example.com  (from CS_USER_EMAIL)\n');
  });

  it('bad keys and values: exit 2, the file unchanged', () => {
    const box = configured();
    const path = join(box.configHome, 'cs', 'config.yaml');
    const before = readFileSync(path, 'utf8');
    const cases: [string[], string][] = [
      [['config', 'set', 'user.emial', 'x@y.vn'], 'cs: unknown config key "user.emial" (did you mean "user.email"?)'],
      [['config', 'set', 'user.email', 'lan at anhduong'], 'cs: user.email is not an email address'],
      [['config', 'set', 'user.name', 'Lan <lan@anhduong.vn>'], 'cs: user.name must be the name alone'],
      [['config', 'set', 'user.name', 'Lan\u001b[31m'], 'cs: the value of user.name contains control characters'],
      [['config', 'set', 'user.name', '  '], 'cs: user.name needs a value'],
      [['config', 'get', 'colour'], 'cs: unknown config key "colour"'],
    ];
    for (const [args, message] of cases) {
      const result = cs(box, args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('a config file cs cannot read: exit 2 with its line', () => {
    const box = sandbox();
    mkdirSync(join(box.configHome, 'cs'), { recursive: true });
    writeFileSync(join(box.configHome, 'cs', 'config.yaml'), 'user.name: "Lan"\nuser:\n  name: nested\n');
    const result = cs(box, ['config', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(box.configHome, 'cs', 'config.yaml')}:3:1 expected "key: value"`);
  });
});

describe('the acting user', () => {
  it('owns a run started without --owner; any of handle, name and address finds it', () => {
    const box = configured();
    expect(cs(box, ['config', 'set', 'user', 'lan']).code).toBe(0);
    const walked = cs(box, ['run', 'onboarding-30d', 'Công ty Ánh Dương', '--answers', answersFile('onboarding-30d'), '--no-input', '--start', '2026-11-01']);
    expect(walked.code, walked.stderr).toBe(0);
    const status = JSON.parse(cs(box, ['status', 'Công ty Ánh Dương', '--json']).stdout) as unknown;
    expect(JSON.stringify(status)).toContain(`"owner":"${LAN} <${LAN_EMAIL}>"`);

    // an import row without an owner is the acting user's too; another's is not
    const csv = join(tempDir(), 'book.csv');
    writeFileSync(csv, 'name,owner,playbook,start\nCông ty Hoa Sen,,onboarding-30d,2026-11-20\nCông ty Bình Minh,minh,onboarding-30d,2026-11-20\n');
    expect(cs(box, ['accounts', 'import', csv]).code).toBe(0);
    for (const owner of ['lan', LAN, LAN.toUpperCase().normalize('NFD'), LAN_EMAIL]) {
      const agenda = JSON.parse(cs(box, ['agenda', '--owner', owner, '--json']).stdout) as { account: string; owner: string }[];
      expect([...new Set(agenda.map((entry) => entry.account))], owner).toEqual(['Công ty Hoa Sen']);
      const accounts = JSON.parse(cs(box, ['accounts', 'list', '--owner', owner, '--json']).stdout) as { name: string }[];
      // Ánh Dương's onboarding was walked to its handover: the account is the CSM's now (its run stays lan's)
      expect(accounts.map((each) => each.name).sort(), owner).toEqual(['Công ty Hoa Sen']);
    }
    // lists show the owner's name, not "Name <address>"
    expect(cs(box, ['agenda']).stdout).toMatch(new RegExp(`Công ty Hoa Sen .*${LAN}\\n`));
    expect(cs(box, ['agenda']).stdout).not.toContain(`<${LAN_EMAIL}>`);
  });

  it('an owner given as "Name <address>" is found by the name alone (the issue)', () => {
    const box = sandbox();
    const csv = join(tempDir(), 'book.csv');
    writeFileSync(csv, `name,owner,playbook,start\nCông ty Ánh Dương,${LAN} <${LAN_EMAIL}>,onboarding-30d,2026-11-20\n`);
    expect(cs(box, ['accounts', 'import', csv]).code).toBe(0);
    const agenda = JSON.parse(cs(box, ['agenda', '--owner', LAN, '--json']).stdout) as { account: string }[];
    expect(agenda.length).toBeGreaterThan(0);
    expect(JSON.parse(cs(box, ['agenda', '--owner', 'Nguyễn Thị Lành', '--json']).stdout)).toEqual([]);
  });

  it('signs documents with the full name, and is the From of drafts (CS_FROM still overrides)', async () => {
    const box = configured();
    expect(cs(box, ['config', 'set', 'user', 'lan']).code).toBe(0);
    // the run's owner is the handle: the directory gives the full name and the address
    const walked = cs(box, ['run', 'onboarding-30d', 'Công ty Ánh Dương', '--owner', 'lan', '--answers', answersFile('onboarding-30d'), '--no-input', '--start', '2026-11-01']);
    expect(walked.code, walked.stderr).toBe(0);
    const rendered = cs(box, ['render', 'kickoff-recap', 'Công ty Ánh Dương', '--format', 'eml']);
    expect(rendered.code, rendered.stderr).toBe(0);
    const mail = await simpleParser(rendered.stdout);
    expect(addresses(mail.from)).toEqual([{ name: LAN, address: LAN_EMAIL }]);
    expect(mail.text).toMatch(new RegExp(`\\n${LAN}\\n${LAN_EMAIL}\\n$`));
    const overridden = await simpleParser(cs(box, ['render', 'kickoff-recap', 'Công ty Ánh Dương', '--format', 'eml'], { CS_FROM: 'Đội CSKH <cskh@example.com>' }).stdout);
    expect(addresses(overridden.from)).toEqual([{ name: 'Đội CSKH', address: 'cskh@example.com' }]);
  });
});
