/** Account names (src/engine/names.ts): one customer whatever the Unicode form, case or spacing. */
import { describe, expect, it } from 'vitest';
import { inputRefusal } from '../support/errors.js';
import { accountKey, cleanAccountName } from '../../src/engine/names.js';

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
