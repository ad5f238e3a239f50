import { withoutDiacritics } from '../engine/names.js';

/**
 * "Công ty Ánh Dương" → "cong-ty-anh-duong": for file names and for `chosen.<step>.<field>.<choice>`
 * keys, which must be plain ASCII a template author can type.
 */
export function slug(text: string): string {
  return withoutDiacritics(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
