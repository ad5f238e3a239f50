/** The calendar's line folding (src/render/ics.ts), read back by ical.js. */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { agendaIcs, foldLine } from '../../src/render/ics.js';

describe('foldLine', () => {
  it('keeps every line within 75 octets, never splits a character, and unfolds to the same text', () => {
    const guide = `Gọi điện cho khách hàng 📞 và xác nhận lịch đào tạo; ghi chú: "${'Ánh Dương 😀 '.repeat(30)}"`;
    const entry = { due: '2026-12-10', account: 'Công ty Ánh Dương', runId: 7, playbookId: 'p', playbookTitle: 'Tiếp nhận', stepId: 'kickoff', step: 'Cuộc gọi khởi động', sequence: 3, guide, owner: 'lan' };
    const text = [...agendaIcs({ databaseId: 'abc', entries: [entry, { ...entry, stepId: 'setup', guide: null }] }, { resumeLine: () => 'cs resume "Công ty Ánh Dương" --run 7' })].join('');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    expect(text).not.toContain('\uFFFD');
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    expect(events.map((event) => [event.uid, event.sequence, event.summary])).toEqual([
      ['cs-7-kickoff@abc', 3, 'Công ty Ánh Dương — Cuộc gọi khởi động'],
      ['cs-7-setup@abc', 3, 'Công ty Ánh Dương — Cuộc gọi khởi động'],
    ]);
    expect(events[0]!.description).toBe(`${guide}\n\ncs resume "Công ty Ánh Dương" --run 7`);
    expect(events[1]!.description).toBe('cs resume "Công ty Ánh Dương" --run 7');
  });

  it('leaves a short line alone and folds at 75 octets exactly', () => {
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
    const long = `DESCRIPTION:${'a'.repeat(100)}`;
    const folded = foldLine(long).split('\r\n');
    expect(folded.map((line) => line.length)).toEqual([75, 38]);
    expect(folded.map((line, index) => (index === 0 ? line : line.slice(1))).join('')).toBe(long);
  });
});
