/**
 * What a command reads from disk as it starts, the V8 code cache that lets it skip compiling cs's
 * bundles (src/cli/code-cache.ts), and the cache of parsed playbooks (src/playbook/parse-cache.ts).
 * Speed itself is measured by `npm run bench`, not here.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

/** The files of cs (dist/) and of node_modules that a run loaded, as NODE_DEBUG=module reports them. */
function loadedFiles(result: CliResult): string[] {
  const files = [...result.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)].map((match) => relative(ROOT, match[1]!));
  return [...new Set(files)].filter((file) => file.startsWith('dist/') || file.startsWith('node_modules/')).sort();
}

function traced(box: Sandbox, args: string[]): string[] {
  const result = box.run(args, { env: { NODE_DEBUG: 'module' } });
  expect(result.code, result.stderr.slice(-2000)).toBe(0);
  return loadedFiles(result);
}

function withOneAccount(): Sandbox {
  const box = sandbox();
  const csv = join(tempDir(), 'book.csv');
  writeFileSync(csv, 'name,owner,playbook,start\nCông ty Ánh Dương,lan,onboarding-30d,2026-11-20\n');
  expect(box.run(['accounts', 'import', csv]).code).toBe(0);
  return box;
}

const ADDON = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

describe('what each command loads as it starts', () => {
  it('cs --version: the boot file and cs, not even the SQLite addon', () => {
    expect(traced(sandbox(), ['--version'])).toEqual(['dist/boot.cjs', 'dist/main.cjs']);
  });

  it('commands that only read the database load cs and the SQLite addon, and no library of their own', () => {
    const box = withOneAccount();
    for (const args of [['status', 'Công ty Ánh Dương'], ['status', '--json'], ['agenda', '--json'], ['accounts', 'list'], ['accounts', 'show', 'Công ty Ánh Dương'], ['report'], ['report', '--json'], ['shift', 'Công ty Ánh Dương', '+5bd', '--dry-run']]) {
      expect(traced(box, args), args.join(' ')).toEqual(['dist/boot.cjs', 'dist/main.cjs', ADDON]);
    }
  });

  it('a command loads only its language: English is built in; in Vietnamese, dist/lang/vi.cjs as well, and (the translation once cached) nothing else', () => {
    const box = withOneAccount();
    // the first Vietnamese status parses the playbook's translation (YAML) and keeps it in the parse cache
    const first = box.run(['status', 'Công ty Ánh Dương'], { env: { NODE_DEBUG: 'module', LANG: 'vi_VN.UTF-8' } });
    expect(loadedFiles(first)).toContain('dist/vendor/yaml.cjs');
    expect(first.stdout).toContain('Chuyển giao khách hàng từ Sales');
    for (const env of [{ LANG: 'vi_VN.UTF-8' }, { CS_LANG: 'vi' }, { LC_ALL: 'vi_VN.UTF-8', LANG: 'C' }]) {
      const result = box.run(['status', 'Công ty Ánh Dương'], { env: { NODE_DEBUG: 'module', ...env } });
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      expect(loadedFiles(result), JSON.stringify(env)).toEqual(['dist/boot.cjs', 'dist/lang/vi.cjs', 'dist/main.cjs', ADDON]);
      expect(result.stdout).toContain('Quy trình onboarding 30 ngày (onboarding-30d v2) · bắt đầu 20/11/2026');
      expect(result.stdout).toContain('Chuyển giao khách hàng từ Sales');
    }
    // LC_ALL wins over LANG: C is English, and the Vietnamese catalogue is never read
    const english = box.run(['status', 'Công ty Ánh Dương'], { env: { NODE_DEBUG: 'module', LC_ALL: 'C.UTF-8', LANG: 'vi_VN.UTF-8' } });
    expect(loadedFiles(english)).toEqual(['dist/boot.cjs', 'dist/main.cjs', ADDON]);
    expect(english.stdout).toContain('started 2026-11-20');
  });

  it('cs config loads cs alone: no YAML library, no prompts, not even the SQLite addon', () => {
    const box = sandbox();
    for (const args of [['config', 'set', 'user.name', 'Nguyễn Thị Lan'], ['config', 'get', 'user.name'], ['config', 'list'], ['config', 'unset', 'user.name']]) {
      expect(traced(box, args), args.join(' ')).toEqual(['dist/boot.cjs', 'dist/main.cjs']);
    }
  });

  it('each library is read only by the command that uses it', () => {
    const box = withOneAccount();
    expect(traced(box, ['playbooks', 'list'])).toEqual(['dist/boot.cjs', 'dist/main.cjs', 'dist/vendor/yaml.cjs']);
    const render = traced(box, ['render', 'kickoff-recap', 'Công ty Ánh Dương', '--format', 'eml']);
    expect(render).toContain('dist/vendor/mustache.cjs');
    expect(render).toContain('dist/vendor/mail-composer.cjs');
    expect(render).not.toContain('dist/vendor/inquirer.cjs');
    const html = join(tempDir(), 'report.html');
    expect(traced(box, ['report', '--html', html])).toEqual(['dist/boot.cjs', 'dist/main.cjs', 'dist/vendor/vega-lite.cjs', 'dist/vendor/vega.cjs', ADDON]);
    expect(traced(box, ['agenda', '--ics', '-'])).toEqual(['dist/boot.cjs', 'dist/main.cjs', 'dist/vendor/ical-generator.cjs', ADDON]);
  });
});

describe('the code cache', () => {
  const cacheFolder = (box: Sandbox) => join(box.home, '.cache', 'cs', 'code');

  it('is written by the first run into ~/.cache/cs, readable by the user only, and used as it is afterwards', () => {
    const box = sandbox();
    const first = box.run(['playbooks', 'list']);
    expect(first.code).toBe(0);
    const folder = cacheFolder(box);
    const files = readdirSync(folder).sort();
    expect(files).toEqual([expect.stringMatching(/^main-[0-9a-f]{16}\.v8$/), expect.stringMatching(/^yaml-[0-9a-f]{16}\.v8$/)]);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const main = join(folder, files[0]!);
    expect(statSync(main).mode & 0o777).toBe(0o600);
    const written = { bytes: readFileSync(main), mtime: statSync(main).mtimeMs };

    const second = box.run(['playbooks', 'list']);
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(main).equals(written.bytes)).toBe(true);
    expect(statSync(main).mtimeMs).toBe(written.mtime);
  });

  it('follows XDG_CACHE_HOME', () => {
    const box = sandbox();
    const cacheHome = tempDir();
    expect(box.run(['--version'], { env: { XDG_CACHE_HOME: cacheHome } }).code).toBe(0);
    expect(readdirSync(join(cacheHome, 'cs', 'code')).length).toBe(1);
  });

  it('replaces a damaged cache and removes those of earlier builds, with the same output', () => {
    const box = sandbox();
    const clean = box.run(['playbooks', 'show', 'onboarding-30d']);
    const folder = cacheFolder(box);
    const main = readdirSync(folder).find((name) => name.startsWith('main-'))!;
    const good = readFileSync(join(folder, main));
    writeFileSync(join(folder, main), Buffer.alloc(good.length, 0x5a));
    writeFileSync(join(folder, 'main-0123456789abcdef.v8'), 'the cache of an earlier build');

    const again = box.run(['playbooks', 'show', 'onboarding-30d']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(clean.stdout);
    const rewritten = readFileSync(join(folder, main));
    expect(rewritten.equals(Buffer.alloc(good.length, 0x5a))).toBe(false);
    expect(readdirSync(folder).filter((name) => name.startsWith('main-'))).toEqual([main]);
  });

  it('is not used under NODE_DISABLE_COMPILE_CACHE', () => {
    const box = sandbox();
    expect(box.run(['--version'], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } }).stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(() => readdirSync(join(box.home, '.cache'))).toThrow(/ENOENT/);
  });

  it('a cache folder that cannot be made costs nothing but time: same output, nothing on stderr', () => {
    const box = sandbox();
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const result = box.run(['playbooks', 'list'], { env: { XDG_CACHE_HOME: join(file, 'cache') } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('onboarding-30d');
  });
});

describe('the cache of parsed playbooks', () => {
  const GOOD = 'id: mine\ntitle: Mine\nkind: other\nversion: 1\nphases:\n  - id: only\n    title: Only\n    steps:\n      - id: first\n        title: First step\n';

  it('keeps each clean playbook once, readable by the user only, and gives the same answers from it', () => {
    const box = sandbox();
    const first = box.run(['playbooks', 'list']);
    const folder = join(box.home, '.cache', 'cs', 'playbooks');
    const files = readdirSync(folder);
    expect(files).toHaveLength(7);
    for (const file of files) expect(statSync(join(folder, file)).mode & 0o777).toBe(0o600);
    const kept = files.map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as { path: string; playbook: string });
    expect(kept.map((entry) => (JSON.parse(entry.playbook) as { id: string }).id).sort()).toEqual(first.stdout.split('\n').slice(1, -1).map((line) => line.split(/\s+/)[0]).sort());
    expect(box.run(['playbooks', 'list']).stdout).toBe(first.stdout);
    expect(box.run(['playbooks', 'show', 'onboarding-30d']).stdout).toContain('Handoff from Sales');
  });

  it('a playbook edited since is parsed again: its new problems are reported where they are', () => {
    const folder = tempDir();
    const box = sandbox({ playbooks: folder });
    writeFileSync(join(folder, 'mine.yaml'), GOOD);
    expect(box.run(['playbooks', 'validate']).code).toBe(0);
    writeFileSync(join(folder, 'mine.yaml'), GOOD.replace('title: First step', 'title: First step\n        tittle: typo'));
    const broken = box.run(['playbooks', 'validate']);
    expect(broken.code).toBe(2);
    expect(broken.stdout + broken.stderr).toMatch(/mine\.yaml:11:9 .*unknown key "tittle" \(did you mean "title"\?\)/);
    writeFileSync(join(folder, 'mine.yaml'), GOOD.replace('title: Mine', 'title: Mine, renamed'));
    expect(box.run(['playbooks', 'show', 'mine']).stdout).toContain('Mine, renamed');
  });

  it('problems between files point at the same line:col when the files come from the cache', () => {
    const folder = tempDir();
    const box = sandbox({ playbooks: folder });
    writeFileSync(join(folder, 'a.yaml'), GOOD);
    writeFileSync(join(folder, 'b.yaml'), `# the same id again\n${GOOD}`);
    const parsed = box.run(['playbooks', 'validate']);
    expect(parsed.stdout + parsed.stderr).toMatch(/b\.yaml:2:1 playbook id "mine" is also used by/);
    const cached = box.run(['playbooks', 'validate']);
    expect(cached.stdout).toBe(parsed.stdout);
    expect(cached.stderr).toBe(parsed.stderr);
    expect(cached.code).toBe(parsed.code);
  });

  it('is not kept under NODE_DISABLE_COMPILE_CACHE', () => {
    const box = sandbox();
    expect(box.run(['playbooks', 'list'], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } }).code).toBe(0);
    expect(() => readdirSync(join(box.home, '.cache'))).toThrow(/ENOENT/);
  });
});
