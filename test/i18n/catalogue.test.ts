/**
 * The message catalogues: the same keys in every language, the same placeholders in each
 * translation of a message, and no key that no code uses (nor a key code uses that is missing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import type { Message } from '../../src/i18n/en.js';
import { vi } from '../../src/i18n/vi.js';
import { ROOT } from '../support/cli.js';

const CATALOGUES = { en, vi } as Record<string, Record<string, Message>>;

function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : [message.one ?? '', message.other];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)))].sort();
}

/** Every source file of cs outside the catalogues themselves. */
function sources(): string {
  const folder = join(ROOT, 'src');
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/[\\/]i18n[\\/](en|vi)(-\w+)?\.ts$/.test(join(entry.parentPath, entry.name)))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('message catalogues', () => {
  it('every language has exactly the keys of English', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      expect(Object.keys(catalogue).sort(), lang).toEqual(Object.keys(en).sort());
    }
  });

  it('each translation of a message has the same placeholders, and no message is empty', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      for (const [key, message] of Object.entries(catalogue)) {
        expect(placeholders(message), `${lang} ${key}`).toEqual(placeholders((en as Record<string, Message>)[key]!));
        expect(typeof message === 'string' ? message.trim() : message.other.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('Vietnamese has one plural form (other) and is not English left as it was', () => {
    // the same in both: the date forms, a place before its problem, SQLite's own words, and words Vietnamese teams keep in English (ID, partial, tab, record id)
    const alike = new Set(['prompt.dateHint', 'problem.at', 'eml.from', 'walk.fieldProblem', 'file.label', 'file.at', 'pb.at', 'run.badAnswer', 'script.badAnswer', 'cond.test', 'playbooks.col.id', 'templates.use.partial', 'import.map.tab', 'import.role.playbook', 'import.role.id', 'dates.badValue', 'db.check.sqlite', 'tpl.use', 'book.start']);
    const same = Object.entries(vi).filter(([key, message]) => JSON.stringify(message) === JSON.stringify((en as Record<string, Message>)[key]) && !alike.has(key));
    expect(same.map(([key]) => key)).toEqual([]);
    for (const [key, message] of Object.entries(vi)) if (typeof message !== 'string') expect(message.one, key).toBeUndefined();
  });

  it('every key is used by the code, and every key the code names exists', () => {
    const code = sources();
    const unused = Object.keys(en).filter((key) => !code.includes(`'${key}'`));
    expect(unused).toEqual([]);
    const named = [...code.matchAll(/\b(?:t|tIn|said)\((?:[^,()]*,\s*)?'([a-z]+(?:\.[a-zA-Z]+)+)'/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((key) => !(key in en))).toEqual([]);
  });
});
