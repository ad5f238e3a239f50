/**
 * `--help` of every command in Vietnamese (built CLI, CS_LANG=vi): commander's own words, every
 * description and the placeholders from the catalogue, with no English left besides command
 * names, flags, ids and the examples. And commander's usage errors in Vietnamese.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';

/** Every command's path: [], ['onboard'], ['onboard', 'start'], … */
function commandPaths(command: Command, path: string[] = []): string[][] {
  return [path, ...command.commands.flatMap((sub) => commandPaths(sub, [...path, sub.name()]))];
}

const program = buildProgram();
const PATHS = commandPaths(program);
// commander's own help command is not in the tree
const COMMAND_NAMES = new Set([...PATHS.flat(), 'help']);

/** English words that a Vietnamese help must not hold (outside names, flags and examples); "From" is a header name. */
// whole words only: a letter with a diacritic is no word boundary ("toàn" is not "to")
const ENGLISH = new RegExp(String.raw`(?<![\p{L}\p{N}])(the|of|and|to|with|for|or|is|are|this|that|from|when|which|its|by|display|help|command|commands|usage|options|arguments|examples|default|print|every|only|show|Usage|Options|Arguments|Commands|Examples)(?![\p{L}\p{N}])`, 'u');

/** The help's text that should be Vietnamese: not the example lines, and no command name, flag, id, path or variable. */
function prose(help: string): string[] {
  const [body] = help.split(/\n(?:Ví dụ|Examples):\n/);
  return body!
    .split('\n')
    .map((line) =>
      line
        .split(/\s+/)
        .filter((word) => word !== '' && !COMMAND_NAMES.has(word.replace(/[(),;:.]+$/g, '')) && !/^[(]?-|[./~_=<>@{}*$]|\w,\w|^[A-Z0-9_]+[),;:]*$/.test(word))
        .join(' '),
    )
    .filter((line) => line.trim() !== '');
}

/** English sentences of a description (three words or more), to look for in the Vietnamese. */
function descriptions(help: string): string[] {
  const [body] = help.split(/\nExamples:\n/);
  return [...body!.matchAll(/^ {2}\S.*?\s{2,}(.+)$/gm)].map((match) => match[1]!.trim()).filter((text) => text.split(/\s+/).length >= 3);
}

function helpOf(box: Sandbox, path: string[], lang: string): string {
  const result = box.run([...path, '--help'], { env: { CS_LANG: lang } });
  expect(result.code, `cs ${path.join(' ')} --help`).toBe(0);
  return result.stdout;
}

describe('--help in Vietnamese', () => {
  it('every command: commander\'s titles, the descriptions and the placeholders in Vietnamese; no English sentence left', () => {
    const box = sandbox();
    expect(PATHS.length).toBeGreaterThan(30);
    for (const path of PATHS) {
      const label = `cs ${path.join(' ')} --help`;
      const vi = helpOf(box, path, 'vi');
      const en = helpOf(box, path, 'en');
      expect(vi, label).toMatch(/^Cách dùng: cs/);
      expect(vi, label).toContain('Tùy chọn');
      expect(vi, label).toContain('-h, --help');
      expect(vi, label).toContain('hiện trợ giúp của lệnh');
      // placeholders keep ASCII brackets, as in English: <khách-hàng>, never a guillemet
      expect(vi, label).not.toMatch(/[\u2039\u203a\u00ab\u00bb]/);
      for (const line of prose(vi)) expect(line, `${label}: ${line}`).not.toMatch(ENGLISH);
      // the same check finds the English help's words: it can fail
      expect(prose(en).some((line) => ENGLISH.test(line)), label).toBe(true);
      for (const sentence of descriptions(en)) expect(vi, `${label}: "${sentence}"`).not.toContain(sentence);
      // the flags and command names stay as they are typed
      for (const flag of en.match(/--[a-z][\w-]*/g) ?? []) expect(vi, label).toContain(flag);
    }
  });

  it('placeholders of arguments and options are translated, flags are not', () => {
    const box = sandbox();
    const render = helpOf(box, ['render'], 'vi');
    expect(render).toContain('Cách dùng: cs render [tùy-chọn] <id-template> <khách-hàng>');
    expect(render).toContain('--format <định-dạng>');
    expect(render).toMatch(/^Tham số:$/m);
    expect(render).toMatch(/^ {2}khách-hàng +khách hàng có câu trả lời để điền vào$/m);
    expect(helpOf(box, [], 'vi')).toMatch(/^Lệnh:$/m);
    expect(helpOf(box, ['agenda'], 'vi')).toMatch(/^Tùy chọn chung:$/m);
    expect(helpOf(box, ['config'], 'vi')).toMatch(/^Các khóa:$/m);
    expect(helpOf(box, ['resume'], 'vi')).toContain('Cách dùng: cs resume [tùy-chọn] <khách-hàng>');
    const copy = helpOf(box, ['db', 'copy'], 'vi');
    expect(copy).toContain('Cách dùng: cs db copy [tùy-chọn] <nguồn> <đích>');
    expect(copy).toMatch(/^ {2}đích +nơi chép tới: một file, hoặc một URL postgres:\/\/$/m);
    expect(helpOf(box, ['db', 'copy'], 'en')).toContain('Usage: cs db copy [options] <from> <to>');
    expect(helpOf(box, ['team', 'add'], 'vi')).toContain('Cách dùng: cs team add [tùy-chọn] <mã>');
    expect(helpOf(box, ['render'], 'en')).toContain('Usage: cs render [options] <template-id> <account>');
  });
});

describe("commander's usage errors in Vietnamese", () => {
  it('unknown command and option (with the suggestion), missing and excess arguments, an option without its value', () => {
    const box = sandbox();
    const cases: [string[], string][] = [
      [['statsu'], "cs: không có lệnh 'statsu'\n(Có phải status?)\n(thêm --help để xem cách dùng)\n"],
      [['agenda', '--dyas'], "cs: không có tùy chọn '--dyas'\n(Có phải --days?)\n(thêm --help để xem cách dùng)\n"],
      [['render', 'kickoff-recap'], "cs: thiếu tham số bắt buộc 'khách-hàng'\n(thêm --help để xem cách dùng)\n"],
      [['status', 'a', 'b'], "cs: thừa tham số cho 'status': cần 1 tham số nhưng nhận được 2.\n(thêm --help để xem cách dùng)\n"],
      [['agenda', '--days'], "cs: tùy chọn '--days <n>' cần một giá trị\n(thêm --help để xem cách dùng)\n"],
    ];
    for (const [args, stderr] of cases) {
      const result = box.run(args, { env: { CS_LANG: 'vi' } });
      expect(result.code, `cs ${args.join(' ')}`).toBe(2);
      expect(result.stderr, `cs ${args.join(' ')}`).toBe(stderr);
    }
  });
});
