/**
 * A walk in a real terminal (tmux) under LANG=vi_VN.UTF-8: the menus, the checklist, the prompts
 * and the choices in Vietnamese (from the catalogue and the playbook's translation), numbers and
 * dates typed the Vietnamese way (1.000, 08/01/2027; "1.5" refused with what to write), có/không,
 * and the resume hint. What is stored is the same as in English: 1000, 2027-01-08, choice values.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, TODAY } from '../support/cli.js';
import { TmuxSession, tmuxAvailable, walkEnv } from '../support/tmux.js';

const PLAYBOOK = `id: call-check
title: Call check
kind: other
version: 1
phases:
  - id: p1
    title: Signals
    due: 7d
    steps:
      - id: usage
        title: Check the usage
        checklist: [Looked at the PBX call volume]
        fields:
          - id: calls
            prompt: How many calls last month?
            type: number
            required: true
          - id: since
            prompt: Since when is it falling?
            type: date
          - id: trend
            prompt: How is usage moving?
            type: select
            choices: [stable, falling sharply]
          - id: escalate
            prompt: Escalate to engineering?
            type: confirm
      - id: visit
        title: Visit the customer
        fields:
          - id: notes
            prompt: What did you see?
            type: text
`;

const TRANSLATION = `translates: call-check
title: Kiểm tra cuộc gọi
phases:
  - id: p1
    title: Dấu hiệu
    steps:
      - id: usage
        title: Kiểm tra mức độ sử dụng
        checklist: [Đã xem lưu lượng call trên PBX]
        fields:
          - id: calls
            prompt: Tháng trước có bao nhiêu cuộc gọi?
          - id: since
            prompt: Bắt đầu giảm từ ngày nào?
          - id: trend
            prompt: Mức độ sử dụng thay đổi ra sao?
            choices: { stable: ổn định, falling sharply: giảm mạnh }
          - id: escalate
            prompt: Chuyển cho kỹ thuật?
      - id: visit
        title: Đi thực tế khảo sát
        fields:
          - id: notes
            prompt: Bạn thấy gì?
`;

const KEYS_PLAYBOOK = `id: keys-check
title: Keys check
kind: other
version: 1
phases:
  - id: p1
    title: Calls
    steps:
      - id: calls
        title: Log the calls
        fields:
          - id: channels
            prompt: Which channels?
            type: multiselect
            required: true
            choices: [phone, email, chat]
          - id: caller
            prompt: Who called?
            type: text
            required: true
      - id: later
        title: Later
        fields:
          - id: notes
            prompt: Notes?
            type: text
`;

let home: string;
const sessions: TmuxSession[] = [];

function csEnv(): Record<string, string> {
  return walkEnv(home, TODAY, { CS_PLAYBOOKS: join(home, 'playbooks'), LANG: 'vi_VN.UTF-8', LC_ALL: undefined });
}

/** `cs run <playbook>` for Công ty Ánh Dương in a fresh home holding these playbook files, in a terminal under LANG=vi_VN.UTF-8. */
async function walk(playbook: string, files: Record<string, string>): Promise<TmuxSession> {
  home = mkdtempSync(join(tmpdir(), 'cs-tmux-vi-'));
  mkdirSync(join(home, 'playbooks'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, 'playbooks', name), text);
  const session = await TmuxSession.start({
    command: [process.execPath, BIN, 'run', playbook, 'Công ty Ánh Dương'],
    env: csEnv(),
    unset: ['EDITOR', 'VISUAL', 'FORCE_COLOR', 'CS_DEBUG', 'CS_TEMPLATES', 'CS_LANG', 'LC_ALL', 'LC_MESSAGES'],
    cwd: ROOT,
    width: 110,
    height: 40,
  });
  sessions.push(session);
  return session;
}

describe.skipIf(!tmuxAvailable())('a walk in Vietnamese (tmux, LANG=vi_VN.UTF-8)', { timeout: 60_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('menus, checklist, prompts and choices in Vietnamese; 1.000 and 08/01/2027 typed; the resume hint', async () => {
    const session = await walk('call-check', { 'call-check.yaml': PLAYBOOK, 'call-check.vi.yaml': TRANSLATION });

    let screen = await session.prompt('Tiếp theo làm gì?');
    expect(screen).toContain('Công ty Ánh Dương · Kiểm tra cuộc gọi (call-check v1, lượt #1, ngày 0 26/11/2026)');
    expect(screen).toContain("Dấu hiệu · bước 1/2 · hạn Thứ Năm, 03/12/2026 (còn 7 ngày)");
    expect(screen).toContain('Kiểm tra mức độ sử dụng');
    for (const choice of ['Làm bước này', 'Bỏ qua (nêu lý do)', 'Thêm ghi chú', 'Dừng ở đây (mọi thứ đã được lưu)']) expect(screen).toContain(choice);
    await session.answer('');

    screen = await session.prompt('Đã xong: Đã xem lưu lượng call trên PBX?');
    expect(screen).toContain('Danh sách kiểm tra (1 mục):');
    expect(screen).toContain('(c/K)');
    await session.answer('có');

    await session.prompt('Tháng trước có bao nhiêu cuộc gọi?');
    await session.type('1.5');
    await session.press('Enter');
    screen = await session.waitFor('"1.5": trong tiếng Việt dấu chấm ngăn cách hàng nghìn (1.000 là một nghìn); số thập phân viết 1,5.');
    await session.press('BSpace', 'BSpace', 'BSpace');
    await session.answer('1.000');

    screen = await session.prompt('Bắt đầu giảm từ ngày nào?');
    expect(screen.replace(/\s+/g, ' ')).toContain('DD/MM/YYYY, YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m, hôm nay, ngày mai');
    await session.answer('08/01/2027');

    screen = await session.prompt('Mức độ sử dụng thay đổi ra sao?');
    expect(screen).toContain('ổn định');
    expect(screen).toContain('giảm mạnh');
    await session.answer('', ['Down', 'Enter']);

    await session.prompt('Chuyển cho kỹ thuật?');
    await session.answer('k');

    screen = await session.prompt('Tiếp theo làm gì?');
    expect(screen).toContain('✓ Kiểm tra mức độ sử dụng');
    expect(screen).toContain('Đi thực tế khảo sát');
    // stop at the second step: the resume hint, in Vietnamese
    await session.answer('', ['Down', 'Down', 'Down', 'Down', 'Enter']);
    expect(await session.exitCode()).toBe(0);
    screen = await session.screen();
    expect(screen).toContain('Đã lưu. Làm tiếp bằng lệnh: cs resume "Công ty Ánh Dương"');

    // stored as in any language: the number, the ISO date, the choice's value
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...csEnv() };
    const [run] = JSON.parse(execFileSync(process.execPath, [BIN, 'status', 'Công ty Ánh Dương', '--json'], { env, encoding: 'utf8', timeout: 20_000 })) as { answers: Record<string, unknown> }[];
    expect(run!.answers).toStrictEqual({ usage: { calls: 1000, since: '2027-01-08', trend: 'falling sharply', escalate: false } });
  });

  it("inquirer's key help and its refusals in Vietnamese: a menu, a multiselect, a required text", async () => {
    const session = await walk('keys-check', { 'keys-check.yaml': KEYS_PLAYBOOK });

    // a menu (select): ↑↓ di chuyển • ⏎ chọn
    let screen = await session.prompt('Tiếp theo làm gì?');
    expect(screen).toContain('↑↓ di chuyển • ⏎ chọn');
    await session.answer('');

    // a multiselect (checkbox): space, a, i, ⏎ said in Vietnamese; submitting nothing is refused in Vietnamese
    screen = await session.prompt('Which channels?');
    expect(screen).toContain('↑↓ di chuyển • phím cách chọn • a chọn tất cả • i đảo lựa chọn • ⏎ xác nhận');
    await session.press('Enter');
    screen = await session.waitFor('Hãy chọn ít nhất một mục.');
    await session.answer('', ['Space', 'Enter']);

    // a required text: Enter on nothing is refused in Vietnamese, not with inquirer's English
    await session.prompt('Who called?');
    await session.press('Enter');
    screen = await session.waitFor('Cần có câu trả lời.');
    await session.answer('Lan');

    screen = await session.prompt('Tiếp theo làm gì?');
    await session.answer('', ['Down', 'Down', 'Down', 'Down', 'Enter']);
    expect(await session.exitCode()).toBe(0);
    screen = await session.screen();
    for (const english of ['navigate', '⏎ select', 'space select', 'invert', 'submit', 'You must', 'At least one choice', 'must provide']) expect(screen).not.toContain(english);
  });
});
