/** `cs accounts import` of real-shaped CRM exports, end to end: the built CLI in a temp sandbox. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { FIXTURES } from '../support/playbooks.js';
import { tempDir } from '../support/tmp.js';
import { tableCounts } from '../agenda/helpers.js';

const CRM = join(FIXTURES, 'csv', 'crm');
const HUBSPOT = join(CRM, 'hubspot-companies.csv');
const counts = (box: Sandbox) => tableCounts(box.db, ['accounts', 'runs', 'steps']);

function edited(path: string, edit: (text: string) => string): string {
  const out = join(tempDir(), path.split('/').at(-1)!);
  writeFileSync(out, edit(readFileSync(path, 'utf8')));
  return out;
}

function shown(box: Sandbox, name: string) {
  const result = box.run(['accounts', 'show', name, '--json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { name: string; owner: string | null; fields: Record<string, string>; runs: { playbook: { id: string }; startDate: string; owner: string | null }[] };
}

describe('cs accounts import: the four CRMs on a fresh database', () => {
  it.each([
    ['hubspot-companies.csv', 4, 'Công ty TNHH Ánh Dương', { owner: 'Nguyễn Thị Lan', start: '2026-11-20', field: ['Record ID', '18420551201'] }],
    ['salesforce-accounts.csv', 3, 'Doanh nghiệp tư nhân Phú Quý', { owner: 'Phạm Thu Thảo', start: '2026-11-03', field: ['Account ID', '0015g00000XyZ2AAAB'] }],
    ['pipedrive-organizations.csv', 3, 'Ước Mơ Việt', { owner: 'Hoàng Khánh', start: '2026-11-26', field: ['Organization - ID', '414'] }],
    ['zoho-accounts.csv', 3, 'Tập đoàn Đông Á', { owner: 'Vũ Thị Hương', start: '2026-11-13', field: ['Record Id', 'zcrm_5725767000000412002'] }],
  ] as const)('%s', (fixture, rows, name, expected) => {
    const box = sandbox();
    const result = box.run(['accounts', 'import', join(CRM, fixture)]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`Imported ${rows} accounts, started ${rows} runs (0 unchanged).\n`);
    const account = shown(box, name);
    expect(account.owner).toBe(expected.owner);
    expect(account.fields[expected.field[0]]).toBe(expected.field[1]);
    expect(account.runs).toHaveLength(1);
    // no playbook column: the default onboarding playbook, owned by the account's owner
    expect(account.runs[0]).toMatchObject({ playbook: { id: 'onboarding-30d' }, startDate: expected.start, owner: expected.owner });
    expect(counts(box)).toMatchObject({ accounts: rows, runs: rows });
  });

  it('--dry-run prints how the columns are read, then what each row would do', () => {
    const box = sandbox();
    const dry = box.run(['accounts', 'import', join(CRM, 'salesforce-accounts.csv'), '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const lines = dry.stdout.split('\n');
    expect(lines.slice(1, 10).map((line) => line.trim().replace(/ {2,}/g, ' | '))).toEqual([
      'read as | Salesforce export',
      'delimiter | ";"',
      'account name | "Account Name"',
      'owner | "Account Owner"',
      'playbook | (no column: onboarding-30d, the default onboarding playbook)',
      'start date | "Created Date" (dd/mm/yyyy)',
      'record id | "Account ID"',
      'fields | "Type", "Billing City", "Last Activity", "Account ID"',
      '',
    ]);
    expect(dry.stdout).toMatch(/^LINE +ACCOUNT +WOULD$/m);
    expect(dry.stdout).toMatch(/^3 +Doanh nghiệp tư nhân Phú Quý +create account · start onboarding-30d on 2026-11-03$/m);
    expect(lines.at(-2)).toBe('Dry run: would import 3 accounts and start 3 runs (0 unchanged). Nothing was written.');
  });

  it('anything else: --map and --date-format', () => {
    const box = sandbox();
    const sheet = join(CRM, 'custom-sheet.tsv');
    const refused = box.run(['accounts', 'import', sheet, '--map', 'name=Company,owner=Rep,start=Close Date']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/custom-sheet\.tsv:2: start "11\/20\/2026": the column writes the month first/);
    const result = box.run(['accounts', 'import', sheet, '--map', 'name=Company,owner=Rep,start=Close Date', '--date-format', 'mm/dd/yyyy', '--kind', 'churn']);
    expect(result.stdout).toBe('Imported 2 accounts, started 2 runs (0 unchanged).\n');
    const account = shown(box, 'Hải Âu Logistics');
    expect(account).toMatchObject({ owner: 'minh', fields: { Segment: 'Mid-market', 'Signed on': '11/03/2026' } });
    expect(account.runs[0]).toMatchObject({ playbook: { id: 'churn-response' }, startDate: '2026-11-24' });
  });
});

describe('cs accounts import: re-importing an export', () => {
  it('the same export again changes nothing, and says so', () => {
    const box = sandbox();
    box.run(['accounts', 'import', HUBSPOT]);
    const before = counts(box);
    const again = box.run(['accounts', 'import', HUBSPOT]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe('Nothing changed: all 4 rows are already imported.\n');
    expect(counts(box)).toEqual(before);
  });

  it('with no start column, the same export on a later day is still unchanged (the open run is the one)', () => {
    const box = sandbox();
    box.run(['accounts', 'import', HUBSPOT, '--map', 'start=']);
    const later = box.run(['accounts', 'import', HUBSPOT, '--map', 'start='], { env: { CS_TODAY: '2026-12-03' } });
    expect(later.stdout).toBe('Nothing changed: all 4 rows are already imported.\n');
    expect(counts(box)).toMatchObject({ accounts: 4, runs: 4 });
  });

  it('matches by the record id: a company renamed in the CRM is the same account (named as stored)', () => {
    const box = sandbox();
    box.run(['accounts', 'import', HUBSPOT]);
    const renamed = edited(HUBSPOT, (text) => text.replace('Công ty TNHH Ánh Dương', 'Ánh Dương Retail JSC'));
    const dry = box.run(['accounts', 'import', renamed, '--dry-run']);
    expect(dry.stdout).toMatch(/^2 +Công ty TNHH Ánh Dương +matched by record id \(named "Ánh Dương Retail JSC" in the file\) · unchanged \(run #1 of onboarding-30d, started 2026-11-20\)$/m);
    expect(box.run(['accounts', 'import', renamed]).stdout).toBe('Nothing changed: all 4 rows are already imported.\n');
    expect(counts(box)).toMatchObject({ accounts: 4, runs: 4 });
  });

  it('a name stored under another record id is a bad row (two CRM records, one name)', () => {
    const box = sandbox();
    box.run(['accounts', 'import', HUBSPOT]);
    const clash = edited(HUBSPOT, (text) => text.replace('"18420551203"', '"99999999999"'));
    const result = box.run(['accounts', 'import', clash]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('hubspot-companies.csv:4: "Tập đoàn Đại Việt" is stored with Record ID 18420551203, not 99999999999');
  });

  it('an owner that differs from the stored one is kept and reported; --update-owners takes the file\'s', () => {
    const box = sandbox();
    box.run(['accounts', 'import', HUBSPOT]);
    const moved = edited(HUBSPOT, (text) => text.replace('"Trần Văn Minh"', '"Lê Văn Hùng"').replace('"Tập đoàn Đại Việt",""', '"Tập đoàn Đại Việt","Lê Văn Hùng"'));
    const dry = box.run(['accounts', 'import', moved, '--dry-run']);
    expect(dry.stdout).toMatch(/^3 +Công ty Cổ phần Sông Hồng +owner differs \(stored Trần Văn Minh, file Lê Văn Hùng; kept\) · unchanged/m);
    expect(dry.stdout).toMatch(/^4 +Tập đoàn Đại Việt +update account · unchanged/m); // it had no owner: it gets one
    const kept = box.run(['accounts', 'import', moved]);
    expect(kept.code).toBe(0);
    expect(kept.stderr.replaceAll(`${moved.slice(0, -'hubspot-companies.csv'.length)}`, '')).toBe(
      'hubspot-companies.csv:3: Công ty Cổ phần Sông Hồng is owned by Trần Văn Minh, the file says Lê Văn Hùng: stays Trần Văn Minh\'s\n' +
        "1 owner in the file differs from the stored one and was kept as stored; --update-owners takes the file's.\n",
    );
    expect(kept.stdout).toBe('Imported 0 accounts, started 0 runs (4 unchanged); updated the owner or fields of 1 existing account.\n');
    expect(shown(box, 'Công ty Cổ phần Sông Hồng').owner).toBe('Trần Văn Minh');
    expect(shown(box, 'Tập đoàn Đại Việt').owner).toBe('Lê Văn Hùng');
    const taken = box.run(['accounts', 'import', moved, '--update-owners']);
    expect(taken.stderr.replaceAll(`${moved.slice(0, -'hubspot-companies.csv'.length)}`, '')).toBe('hubspot-companies.csv:3: Công ty Cổ phần Sông Hồng is owned by Trần Văn Minh, the file says Lê Văn Hùng: is now Lê Văn Hùng\'s\n');
    expect(shown(box, 'Công ty Cổ phần Sông Hồng').owner).toBe('Lê Văn Hùng');
  });
});
