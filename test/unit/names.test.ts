/** Account names (src/engine/names.ts): one customer whatever the Unicode form, case or spacing. */
import { say } from '../../src/i18n/messages.js';
import { describe, expect, it } from 'vitest';
import { inputRefusal } from '../support/errors.js';
import { accountKey, cleanAccountName, cleanOwner, ownerProblem, personKey } from '../../src/engine/names.js';

const NFC = 'Công ty Ánh Dương';
const NFD = NFC.normalize('NFD');

const refused = (name: string) => inputRefusal(() => cleanAccountName(name));

describe('account names', () => {
  it('NFC and NFD spellings are one name and one key', () => {
    expect(NFD).not.toBe(NFC); // the test means something only if the spellings differ
    expect(cleanAccountName(NFD)).toBe(NFC);
    expect(accountKey(NFD)).toBe(accountKey(NFC));
  });

  it('case and spacing do not make another customer', () => {
    expect(accountKey('  CÔNG TY   ÁNH DƯƠNG ')).toBe(accountKey(NFC));
    expect(accountKey('công ty ánh dương')).toBe(accountKey(NFC));
    expect(cleanAccountName(`  ${NFC}\u00a0 `)).toBe(NFC);
  });

  it('keeps the name as typed (NFC), with inner spaces folded', () => {
    expect(cleanAccountName(' Công  ty   Đại Việt ')).toBe('Công ty Đại Việt');
    expect(accountKey('Công ty Đại Việt')).toBe('công ty đại việt');
  });

  it.each(['', '   ', '\u3000', '\n\t'])('the empty name %j is refused', (name) => {
    const error = refused(name);
    expect(error.message).toBe('the account name is empty');
    expect(error.hint).toMatch(/cs onboard start/);
  });

  it.each(['Acme\u0007', 'Ac\u0000me', '\u202eAcme', 'Acme\u2066x', 'Acme\u009b', '\u001b[31mAcme'])('the name %j with a control character is refused', (name) => {
    expect(refused(name).message).toMatch(/contains control characters/);
  });

  it('refuses a name longer than 200 characters, accepts 200', () => {
    expect(cleanAccountName('ư'.repeat(200))).toBe('ư'.repeat(200));
    expect(refused('a'.repeat(201)).message).toBe('the account name is longer than 200 characters');
  });
});

describe('look-alike names are one key: tone placement (old and new style) and zero-width characters', () => {
  it.each([
    ['Hoà', 'Hòa'],
    ['Hoá', 'Hóa'],
    ['Hoả', 'Hỏa'],
    ['Hoã', 'Hõa'],
    ['Hoạ', 'Họa'],
    ['Toè', 'Tòe'],
    ['Khoẻ', 'Khỏe'],
    ['Khoé', 'Khóe'],
    ['Xoẽ', 'Xõe'],
    ['Loẹ', 'Lọe'],
    ['Thuỳ', 'Thùy'],
    ['Thuý', 'Thúy'],
    ['Thuỷ', 'Thủy'],
    ['Huỹ', 'Hũy'],
    ['Thuỵ', 'Thụy'],
    ['Uý', 'Úy'],
    ['Quý', 'Qúy'],
    ['Công ty Hoà Bình', 'CÔNG TY HÒA BÌNH'],
    ['Thuỷ sản Khánh Hoà', 'Thủy Sản Khánh Hòa'],
    ['Ánh Dương', 'Ánh\u200b Dương'],
    ['Ánh Dương', '\ufeffÁnh Dương\u200d'],
    ['Acme', 'Ac\u00adme'],
    ['Acme', 'A\u2060c\u200cme'],
    ['Acme', 'Acme\u180e'],
  ])('%j and %j', (first, second) => {
    expect(accountKey(second)).toBe(accountKey(first));
    expect(accountKey(second.normalize('NFD'))).toBe(accountKey(first));
    expect(personKey(second)).toBe(personKey(first));
  });

  it.each([
    ['Hoa', 'Hoà'], // a different tone is a different word
    ['Hòa', 'Hóa'],
    ['Đại Việt', 'Dại Việt'],
    ['Cafe', 'Café'],
    ['Hoàn', 'Hoàng'],
  ])('%j and %j stay two names', (first, second) => {
    expect(accountKey(second)).not.toBe(accountKey(first));
  });

  it('keeps the spelling as typed (only invisible characters at the ends go)', () => {
    expect(cleanAccountName('Hòa Bình')).toBe('Hòa Bình');
    expect(cleanAccountName('Hoà Bình')).toBe('Hoà Bình');
    expect(cleanAccountName('\u200bHoà Bình\ufeff ')).toBe('Hoà Bình');
  });
});

describe('names made only of invisible characters', () => {
  it.each(['\u200b', '\u2800', '\u3164', '\u115f', '\u1160', '\ufeff', '\u00ad', '\u180e', '\u2060', '\u200b \u200b', '\u3164\u3164', '\ufe0f', '\u0301', ' \u200c\u200d '])(
    'the account name %j is refused, its code points named',
    (name) => {
      const error = refused(name);
      expect(error.message).toMatch(/^the account name is made only of invisible characters \((U\+[0-9A-F]{4} ?)+\)$/);
      expect(error.message).toContain(`U+${name.replace(/\p{White_Space}/gu, '').codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
      expect(error.hint).toMatch(/cs onboard start/);
    },
  );

  it('an owner too (--owner, a CSV owner column)', () => {
    expect(inputRefusal(() => cleanOwner('\u3164')).message).toBe('the owner is made only of invisible characters (U+3164)');
    expect(say(ownerProblem('\u2800\u2800')!)).toBe('the owner is made only of invisible characters (U+2800 U+2800)');
    expect(ownerProblem('Lan')).toBeUndefined();
    expect(cleanOwner(' Nguyễn  Thị Lan\u200b')).toBe('Nguyễn Thị Lan');
  });

  it('a visible character among them makes a name', () => {
    expect(cleanAccountName('\u200bA\u200b')).toBe('A');
    expect(cleanAccountName('—')).toBe('—');
  });
});

describe('owners are matched with the same folding', () => {
  it.each([
    ['Thuỷ', 'Thủy <thuy@cs.example>'],
    ['Nguyễn Thị Hoà', 'Nguyễn Thị Hòa <hoa@cs.example>'],
    ['NGUYỄN THỊ HÒA', 'Nguyễn Thị Hoà'.normalize('NFD')],
    ['Lan\u200b', 'Lan'],
  ])('--owner %j finds a run owned by %j', async (query, stored) => {
    const { ownerKeysOf, ownerQueryKeys } = await import('../../src/people/person.js');
    const wanted = new Set(ownerQueryKeys(query));
    expect(ownerKeysOf(stored).some((key) => wanted.has(key))).toBe(true);
  });
});
