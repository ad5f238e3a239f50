/**
 * "Công ty Ánh Dương" → "cong-ty-anh-duong": for file names and for `chosen.<step>.<field>.<choice>`
 * keys, which must be plain ASCII a template author can type.
 */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '') // the accents, now split off their letters
    .replace(/[đĐ]/g, 'd') // đ is a letter of its own, not d with a mark
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
