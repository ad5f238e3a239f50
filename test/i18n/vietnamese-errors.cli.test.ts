/**
 * Refusals that domain code hands up as a key and values (the engine's, the agenda's), said in
 * Vietnamese under CS_LANG=vi (built CLI): the message and its hint, with nothing English left.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const VI = { CS_LANG: 'vi' };

describe('engine and agenda refusals in Vietnamese', () => {
  const box = sandbox();

  it('agenda: a bad --limit, and --ics with --json', () => {
    const limit = box.run(['agenda', '--limit', '0'], { env: VI });
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit phải là một số nguyên từ 1 trở lên; nhận được "0"');
    const both = box.run(['agenda', '--ics', join(tempDir(), 'a.ics'), '--json'], { env: VI });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('không thể dùng --ics cùng với --json');
  });

  it('CS_TODAY that is not a real date: the month is said in Vietnamese, and so is the hint', () => {
    const result = box.run(['agenda'], { env: { ...VI, CS_TODAY: '2026-02-30' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CS_TODAY: 2026-02-30 không phải là ngày có thật: tháng 2 năm 2026 có 28 ngày');
    expect(result.stderr).toContain('Bỏ CS_TODAY để dùng ngày thật');
    expect(result.stderr).not.toMatch(/February|is not a real date/);
  });

  it('report --stuck-days 0 and an unknown --map role', () => {
    const stuck = box.run(['report', '--stuck-days', '0'], { env: VI });
    expect(stuck.code).toBe(2);
    expect(stuck.stderr).toContain('--stuck-days phải là một số ngày nguyên từ 1 đến 9999; nhận được "0"');
    const file = join(tempDir(), 'book.csv');
    writeFileSync(file, 'name,owner\nKhách A,lan\n');
    const map = box.run(['accounts', 'import', file, '--map', 'boss=Owner'], { env: VI });
    expect(map.code).toBe(2);
    expect(map.stderr).toContain('--map: không có vai trò "boss"; các vai trò là name, owner, playbook, start, id');
    expect(map.stderr).toContain('Các cột không gán vai trò được giữ làm trường của khách hàng.');
  });
});
