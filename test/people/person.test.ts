/** Owners as people: parsed as typed, looked up by handle, name or address, matched however stored. */
import { describe, expect, it } from 'vitest';
import { identityKeys, ownerKeysOf, ownerLabel, ownerQueryKeys, parsePerson, person, personText, resolvePerson } from '../../src/people/person.js';

const LAN = person({ name: 'Nguyễn Thị Lan', email: 'lan@anhduong.vn', handle: 'lan' })!;

describe('parsePerson', () => {
  it('reads "Name <address>", an address alone, a name alone', () => {
    expect(parsePerson('Nguyễn Thị Lan <lan@anhduong.vn>')).toMatchObject({ name: 'Nguyễn Thị Lan', email: 'lan@anhduong.vn' });
    expect(parsePerson('"Lan, CS" <lan@anhduong.vn>')).toMatchObject({ name: 'Lan, CS', email: 'lan@anhduong.vn' });
    expect(parsePerson(' lan@anhduong.vn ')).toMatchObject({ name: 'lan@anhduong.vn', email: 'lan@anhduong.vn' });
    expect(parsePerson('Nguyễn  Thị   Lan')).toMatchObject({ name: 'Nguyễn Thị Lan' });
    expect(parsePerson('Lan <not an address>')).toMatchObject({ name: 'Lan <not an address>' });
    expect(parsePerson('Lan <not an address>')!.email).toBeUndefined();
    expect(parsePerson('  ')).toBeUndefined();
    expect(String(parsePerson('Nguyễn Thị Lan <lan@anhduong.vn>'))).toBe('Nguyễn Thị Lan');
  });

  it('is written back as it is read', () => {
    expect(personText(parsePerson('Nguyễn Thị Lan <lan@anhduong.vn>')!)).toBe('Nguyễn Thị Lan <lan@anhduong.vn>');
    expect(personText(parsePerson('lan@anhduong.vn')!)).toBe('lan@anhduong.vn');
    expect(personText(parsePerson('Lan')!)).toBe('Lan');
  });
});

describe('resolvePerson: the directory knows the whole person', () => {
  it('by handle, name (any case, NFC or NFD) or address', () => {
    for (const typed of ['lan', 'LAN', 'Nguyễn Thị Lan', 'nguyễn thị lan'.normalize('NFD'), 'lan@anhduong.vn', 'Lan N. <LAN@anhduong.vn>']) {
      expect(resolvePerson(typed, [LAN]), typed).toMatchObject({ name: 'Nguyễn Thị Lan', email: 'lan@anhduong.vn', handle: 'lan' });
    }
  });

  it('an owner nobody knows stays as typed', () => {
    expect(resolvePerson('minh', [LAN])).toMatchObject({ name: 'minh' });
    expect(resolvePerson('minh', [LAN])!.email).toBeUndefined();
  });
});

describe('owner matching', () => {
  const matches = (stored: string, query: string, directory = [LAN]) => {
    const wanted = new Set(ownerQueryKeys(query, directory));
    return ownerKeysOf(stored).some((key) => wanted.has(key));
  };

  it('a run stored as "Name <address>" is found by its name, its address, or the handle of that person', () => {
    const stored = 'Nguyễn Thị Lan <lan@anhduong.vn>';
    expect(matches(stored, 'Nguyễn Thị Lan', [])).toBe(true); // the issue: no directory needed
    expect(matches(stored, 'LAN@anhduong.vn', [])).toBe(true);
    expect(matches(stored, 'lan')).toBe(true);
    expect(matches(stored, 'lan', [])).toBe(false); // "lan" is nobody's handle without the directory
  });

  it('a run stored by handle is found by the full name and the address', () => {
    expect(matches('lan', 'Nguyễn Thị Lan')).toBe(true);
    expect(matches('lan', 'lan@anhduong.vn')).toBe(true);
    expect(matches('minh', 'Nguyễn Thị Lan')).toBe(false);
    expect(matches('Nguyễn Thị Lành', 'Nguyễn Thị Lan')).toBe(false);
  });

  it('keys are folded: any case, spacing and normalisation', () => {
    expect(identityKeys(parsePerson('  NGUYỄN   Thị Lan '.normalize('NFD'))!)).toEqual(['nguyễn thị lan']);
  });

  it('lists show the name alone, the full name of a known handle', () => {
    expect(ownerLabel('Nguyễn Thị Lan <lan@anhduong.vn>')).toBe('Nguyễn Thị Lan');
    expect(ownerLabel('lan', [LAN])).toBe('Nguyễn Thị Lan');
    expect(ownerLabel('minh', [LAN])).toBe('minh');
    expect(ownerLabel(null)).toBeUndefined();
  });
});
