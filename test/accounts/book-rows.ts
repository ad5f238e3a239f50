/** Shared by the import's store tests (both backends) and its SQLite-only ones: books of business as parsed rows. */
import { expect } from 'vitest';
import { parseBook } from '../../src/engine/book-csv.js';
import type { BookRow } from '../../src/engine/book.js';
import type { Playbook } from '../../src/playbook/types.js';
import { testPlaybook } from '../agenda/helpers.js';

const PLAYBOOKS = new Map<string, Playbook>([
  ['test-onboarding', testPlaybook()],
  ['other', testPlaybook('other', 'Khác')],
]);

/** A CSV book parsed as `cs accounts import` would (today 2026-11-26), with no problems. */
export function rows(text: string): BookRow[] {
  const book = parseBook(text, { file: 'book.csv', today: '2026-11-26', playbook: (id) => PLAYBOOKS.get(id), unknownPlaybook: (id) => `unknown ${id}`, defaultPlaybook: () => PLAYBOOKS.get('test-onboarding')! });
  expect(book.problems).toEqual([]);
  return book.rows;
}

/** A book of `count` accounts owned by lan, each a run of test-onboarding started in November. */
export function manyRows(count: number): string {
  const lines = ['name,owner,playbook,start'];
  for (let index = 1; index <= count; index += 1) lines.push(`Khách ${index},lan,test-onboarding,2026-11-${String((index % 28) + 1).padStart(2, '0')}`);
  return lines.join('\n');
}
