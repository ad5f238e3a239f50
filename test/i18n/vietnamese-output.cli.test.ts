/**
 * What a Vietnamese CSM sees (built CLI, CS_LANG=vi) where stored runs and playbooks are shown:
 * playbook and step titles from the translations (preview, accounts show, actions, shift --undo,
 * the win-back line), dates the Vietnamese way (import --dry-run, actions, status answers, the
 * shift's time), choice labels (status, playbooks show), the "other" kind, a Vietnamese template
 * and Vietnamese placeholders — with the English gone. English keeps ISO dates.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { expectSuccess } from '../support/runs.js';

const VI = { CS_LANG: 'vi' };
const EN = { CS_LANG: 'en' };
const example = (name: string) => join(ROOT, 'examples', name);

describe('stored runs and playbooks shown in Vietnamese', () => {
  let box: Sandbox;
  let churn: string;

  beforeAll(() => {
    box = sandbox();
    expectSuccess(box.run(['onboard', 'start', 'Công ty Ánh Dương', '--owner', 'lan', '--answers', example('onboarding-30d.yaml'), '--no-input'], { env: VI }), 'onboard');
    // started by npx: the hints say `npx cs`
    const run = box.run(['churn', 'start', 'Beta Telecom', '--answers', example('churn-response.yaml'), '--no-input'], { env: { ...VI, npm_command: 'exec' } });
    expectSuccess(run, 'churn');
    churn = run.stdout;
  });

  it('the churn run schedules the win-back in Vietnamese: its step title, its day, npx cs agenda', () => {
    expect(churn).toContain('Đã lên lịch lượt #3 của winback-followup cho Beta Telecom từ 02/11/2026; bước đầu tiên "CS và Sales cùng lên kế hoạch" hạn Thứ Hai, 09/11/2026 (trễ 17 ngày). Lượt này sẽ hiện trong npx cs agenda.');
    expect(churn).not.toContain('Plan the follow-up together');
    expect(churn).not.toContain('2026-11-02');
  });

  it('playbooks preview: the whole playbook in Vietnamese', () => {
    const preview = box.run(['playbooks', 'preview', 'onboarding-30d'], { env: VI });
    expectSuccess(preview, 'preview');
    expect(preview.stdout).toContain('Quy trình onboarding 30 ngày (onboarding-30d v2) · ngày 0 Thứ Năm, 26/11/2026');
    expect(preview.stdout).toMatch(/Thứ Bảy, 28\/11\/2026 +Chuyển giao khách hàng từ Sales/);
    for (const english of ['30-day onboarding', 'Handoff from Sales', 'Kickoff call', 'Send the CSM everything you know']) expect(preview.stdout).not.toContain(english);
  });

  it('accounts show: the run\'s playbook title in Vietnamese', () => {
    const shown = box.run(['accounts', 'show', 'Công ty Ánh Dương'], { env: VI });
    expectSuccess(shown, 'accounts show');
    expect(shown.stdout).toContain('#1 Quy trình onboarding 30 ngày (onboarding-30d v2) · bắt đầu 26/11/2026');
    expect(shown.stdout).not.toContain('30-day onboarding');
    const beta = box.run(['accounts', 'show', 'Beta Telecom'], { env: VI });
    expect(beta.stdout).toContain('#3 Hỏi thăm khách hàng để winback (winback-followup v2)');
    expect(beta.stdout).toContain('tiếp theo: CS và Sales cùng lên kế hoạch — hạn Thứ Hai, 09/11/2026 (trễ 17 ngày)');
  });

  it('actions list and actions done: the step in Vietnamese, the due day as 10/12/2026', () => {
    const list = box.run(['actions', 'list'], { env: VI });
    expectSuccess(list, 'actions list');
    expect(list.stdout).toMatch(/Beta Telecom +1 +Cảnh báo tự động khi chất lượng cuộc gọi giảm +Lan +10\/12\/2026 +Họp rút kinh nghiệm và biên bản/);
    expect(list.stdout).not.toContain('2026-12-10');
    expect(list.stdout).not.toContain('Post-mortem meeting and minutes');
    const done = box.run(['actions', 'done', 'Beta Telecom', '2'], { env: VI });
    expectSuccess(done, 'actions done');
    expect(done.stdout).toContain('✓ Đã xong: Kiểm tra codec theo đường truyền khi triển khai (Beta Telecom, Họp rút kinh nghiệm và biên bản)');
    expect(done.stdout).not.toContain('Post-mortem');
    // English keeps ISO
    expect(box.run(['actions', 'list'], { env: EN }).stdout).toMatch(/2026-12-10 +Post-mortem meeting and minutes/);
  });

  it('status <account>: choice labels (both languages), dates the Vietnamese way; --json keeps the values', () => {
    const vi = box.run(['status', 'Beta Telecom'], { env: VI });
    expectSuccess(vi, 'status');
    expect(vi.stdout).toContain('usage-trend: giảm mạnh');
    expect(vi.stdout).toContain('detected-on: 05/10/2026');
    expect(vi.stdout).toContain('meeting-date: 12/11/2026');
    expect(vi.stdout).toContain('responded-immediately: Có');
    expect(vi.stdout).not.toMatch(/usage-trend: falling sharply|detected-on: 2026-10-05|tolerance: at the limit/);
    const en = box.run(['status', 'Beta Telecom'], { env: EN });
    expect(en.stdout).toContain('detected-by: usage fell (e.g. call volume on the PBX)');
    expect(en.stdout).toContain('detected-on: 2026-10-05');
    const json = box.run(['status', 'Beta Telecom', '--json'], { env: VI });
    expect(json.stdout).toContain('"usage-trend":"falling sharply"');
    expect(json.stdout).toContain('"detected-by":"usage-drop"');
  });

  it('shift --undo: the steps in Vietnamese, the time the shift was made the Vietnamese way; English keeps UTC', () => {
    expectSuccess(box.run(['accounts', 'import', example('hubspot-companies.csv')], { env: VI }), 'import');
    expectSuccess(box.run(['shift', 'Tập đoàn Đại Việt', '+5bd'], { env: VI }), 'shift');
    const undo = box.run(['shift', '--undo', 'Tập đoàn Đại Việt'], { env: VI });
    expectSuccess(undo, 'shift --undo');
    expect(undo.stdout).toMatch(/\(dời lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC\):/);
    expect(undo.stdout).toMatch(/Chuyển giao khách hàng từ Sales +Thứ Năm, 03\/12\/2026 +→ +Thứ Năm, 26\/11\/2026/);
    expect(undo.stdout).not.toMatch(/Handoff from Sales|\d{4}-\d{2}-\d{2}/);
    expectSuccess(box.run(['shift', 'Tập đoàn Đại Việt', '+1d'], { env: EN }), 'shift');
    const english = box.run(['shift', '--undo', 'Tập đoàn Đại Việt'], { env: EN });
    expect(english.stdout).toMatch(/\(made \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\):/);
    expect(english.stdout).toContain('Handoff from Sales');
  });
});

describe('Vietnamese formats and wording outside runs', () => {
  it('accounts import --dry-run: each run\'s start day as 20/11/2026', () => {
    const box = sandbox();
    const dry = box.run(['accounts', 'import', example('hubspot-companies.csv'), '--dry-run'], { env: VI });
    expectSuccess(dry, 'dry run');
    expect(dry.stdout).toContain('tạo khách hàng · bắt đầu onboarding-30d ngày 20/11/2026');
    expect(dry.stdout).not.toContain('2026-11-20');
    expect(box.run(['accounts', 'import', example('hubspot-companies.csv'), '--dry-run'], { env: EN }).stdout).toContain('2026-11-20');
  });

  it('status with no runs: the placeholder in Vietnamese', () => {
    const box = sandbox();
    const vi = box.run(['status'], { env: VI });
    expect(vi.stdout).toContain('Chưa có lượt nào. Bắt đầu bằng lệnh: cs onboard start "<tên khách hàng>"');
    expect(vi.stdout).not.toContain('<account>');
    expect(box.run(['status'], { env: EN }).stdout).toContain('cs onboard start "<account>"');
  });

  it('playbooks show: choices by their labels (values beside), the "other" kind said', () => {
    const box = sandbox();
    const churn = box.run(['playbooks', 'show', 'churn-response'], { env: VI });
    expectSuccess(churn, 'show');
    expect(churn.stdout).toContain('giảm mạnh [falling sharply]');
    expect(churn.stdout).not.toMatch(/select, bắt buộc, stable \| falling/);
    const english = box.run(['playbooks', 'show', 'churn-response'], { env: EN });
    expect(english.stdout).toContain('usage fell (e.g. call volume on the PBX) [usage-drop]');
    expect(english.stdout).toContain('stable | falling | falling sharply | stopped');
    const other = box.run(['playbooks', 'show', 'journey-mapping'], { env: VI });
    expect(other.stdout).toContain('loại khác');
    expect(other.stdout).not.toContain('loại other');
    expect(box.run(['playbooks', 'list'], { env: VI }).stdout).toMatch(/journey-mapping +khác +5/);
  });

  it('templates show: the Vietnamese template, with a note of which file', () => {
    const box = sandbox();
    const vi = box.run(['templates', 'show', 'kickoff-recap'], { env: VI });
    expectSuccess(vi, 'templates show');
    expect(vi.stdout).toContain('templates/kickoff-recap.vi.mustache');
    expect(vi.stdout).toContain('Bản tiếng Việt của template templates/kickoff-recap.mustache.');
    expect(vi.stdout).toContain('Tiêu đề: Tóm tắt cuộc gọi khởi động');
    expect(vi.stdout).not.toContain('Kickoff recap email');
    const en = box.run(['templates', 'show', 'kickoff-recap'], { env: EN });
    expect(en.stdout).toContain('Kickoff recap email');
    expect(en.stdout).not.toContain('kickoff-recap.vi.mustache');
  });
});
