/**
 * `cs agenda --ics`, read back by ical.js (Thunderbird's parser): all-day events, UIDs that stay
 * the same across exports, SEQUENCE raised when a due date moves (shift, undo).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { expectSuccess } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';
import { reportBook } from './book.js';

interface Parsed {
  uid: string;
  summary: string;
  description: string;
  start: string;
  isDate: boolean;
  end: string;
  sequence: number;
  categories: string[];
}

function parseIcs(text: string): Parsed[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  expect(calendar.getAllSubcomponents('vtodo')).toEqual([]);
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toString(),
      isDate: event.startDate.isDate,
      end: event.endDate.toString(),
      sequence: event.sequence,
      categories: component.getAllProperties('categories').flatMap((property) => property.getValues() as string[]),
    };
  });
}

describe('cs agenda --ics', () => {
  it('writes every open step of every open run as an all-day event: summary "account — step", the guide and the cs resume line to go on with', () => {
    const box = reportBook();
    const file = join(tempDir(), 'agenda.ics');
    const result = box.run(['agenda', '--ics', file]);
    expectSuccess(result);
    const events = parseIcs(readFileSync(file, 'utf8'));
    // 12 + 13 + 4 + 14 open steps with a due date: the whole plan, not only the next 7 days. Beta's
    // churn response (v2 content) has 4: the on-site visit does not apply (remote fixing has not
    // failed) and the last support and post-mortem steps wait on the churn notice, with no date yet
    expect(events).toHaveLength(43);
    expect(result.stdout).toContain(`Wrote ${file} (43 events`);
    expect(events.every((event) => /^\d{4}-\d{2}-\d{2}$/.test(event.start))).toBe(true);
    for (const event of events) {
      expect(event.isDate).toBe(true);
      expect(event.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(event.uid).toMatch(/^cs-\d+-[a-z0-9-]+@[0-9a-f]{32}$/);
    }
    const kickoff = events.find((event) => event.uid.startsWith('cs-1-kickoff-call@'))!;
    expect(kickoff).toMatchObject({ summary: 'Công ty Ánh Dương — Kickoff call', start: '2026-11-06', end: '2026-11-07', sequence: 0 });
    expect(kickoff.description).toMatch(/\n\nTo go on: cs resume "Công ty Ánh Dương" --run 1$/);
    expect(kickoff.description.length).toBeGreaterThan(60); // the step's guide comes first
    const acme = events.find((event) => event.uid.startsWith('cs-2-kickoff-prep@'))!;
    expect(acme.summary).toBe('Acme <script> — Prepare the kickoff call');
    expect(new Set(events.map((event) => event.uid)).size).toBe(events.length);
  });

  it('keeps the UIDs across exports, raises SEQUENCE of the steps a shift moved (and again on undo), and follows --days, --owner, --account', () => {
    const box = reportBook();
    const before = parseIcs(box.run(['agenda', '--ics', '-']).stdout);
    const again = parseIcs(box.run(['agenda', '--ics', '-']).stdout);
    expect(again.map((event) => event.uid)).toEqual(before.map((event) => event.uid));

    expectSuccess(box.run(['shift', 'Acme <script>', '+3d', '--from', 'setup']));
    const shifted = parseIcs(box.run(['agenda', '--ics', '-']).stdout);
    expect(new Set(shifted.map((event) => event.uid))).toEqual(new Set(before.map((event) => event.uid)));
    const byUid = new Map(before.map((event) => [event.uid, event]));
    for (const event of shifted) {
      const old = byUid.get(event.uid)!;
      const moved = event.uid.startsWith('cs-2-') && event.start !== old.start;
      expect(event.sequence, event.uid).toBe(moved ? 1 : 0);
    }
    const setup = shifted.find((event) => event.uid.startsWith('cs-2-setup@'))!;
    expect([byUid.get(setup.uid)!.start, setup.start, setup.sequence]).toEqual(['2026-11-29', '2026-12-02', 1]);
    expect(shifted.filter((event) => event.sequence === 1)).toHaveLength(10); // setup and the 9 steps after it

    expectSuccess(box.run(['shift', '--undo', 'Acme <script>']));
    const undone = parseIcs(box.run(['agenda', '--ics', '-']).stdout).find((event) => event.uid === setup.uid)!;
    expect([undone.start, undone.sequence]).toEqual(['2026-11-29', 2]);

    const week = parseIcs(box.run(['agenda', '--ics', '-', '--days', '3', '--owner', 'minh']).stdout);
    expect(week.every((event) => event.summary.startsWith('Acme <script> — ') && event.start <= '2026-11-29')).toBe(true);
    expect(week.length).toBeGreaterThan(0);
    const beta = parseIcs(box.run(['agenda', '--ics', '-', '--account', 'Beta & Co']).stdout);
    expect(beta.map((event) => event.summary).sort()).toEqual(
      ['Check the churn signals', 'Push engineering to fix it', 'Respond immediately and reassure', 'The customer gives notice'].map((step) => `Beta & Co — ${step}`),
    );
  });

  it('two databases never share a UID; an existing file is kept unless --force', () => {
    const [one, two] = [reportBook(), reportBook()];
    const uids = (box: typeof one) => parseIcs(box.run(['agenda', '--ics', '-']).stdout).map((event) => event.uid);
    const shared = new Set(uids(one));
    expect(uids(two).some((uid) => shared.has(uid))).toBe(false);
    const file = join(tempDir(), 'agenda.ics');
    expectSuccess(one.run(['agenda', '--ics', file]));
    const refused = one.run(['agenda', '--ics', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists; nothing was written[\s\S]*--force/);
    expectSuccess(one.run(['agenda', '--ics', file, '--force']));
    const both = one.run(['agenda', '--ics', '-', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--ics and --json cannot be used together/);
  });

  it("speaks the user's language under CS_LANG=vi (the calendar is the user's own): titles, guides and the playbook from the translations, the resume line said in Vietnamese, folded in whole characters; the same UIDs as in English", () => {
    const box = reportBook();
    const english = new Map(parseIcs(box.run(['agenda', '--ics', '-']).stdout).map((event) => [event.uid, event]));
    const result = box.run(['agenda', '--ics', '-'], { env: { CS_LANG: 'vi' } });
    expectSuccess(result);
    for (const line of result.stdout.split('\r\n')) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    expect(result.stdout).not.toContain('\uFFFD');
    expect(result.stdout).toContain('PRODID:-//cs//agenda//VI');
    const events = parseIcs(result.stdout);
    expect(events.map((event) => event.uid)).toEqual([...english.keys()]);

    const kickoff = events.find((event) => event.uid.startsWith('cs-1-kickoff-call@'))!;
    expect(kickoff).toMatchObject({ summary: 'Công ty Ánh Dương — Cuộc gọi khởi động (kickoff call)', start: '2026-11-06', categories: ['Quy trình onboarding 30 ngày'] });
    expect(kickoff.description).toMatch(/^Giới thiệu rõ cho khách hàng onboarding là gì, tầm quan trọng của onboarding/);
    expect(kickoff.description).toMatch(/\n\nLàm tiếp bằng lệnh: cs resume "Công ty Ánh Dương" --run 1$/);
    const beta = events.filter((event) => event.summary.startsWith('Beta & Co — ')).map((event) => event.summary);
    expect(beta.sort()).toEqual(['Kiểm tra các dấu hiệu churn', 'Khách hàng thông báo dừng dịch vụ', 'Phản hồi ngay và trấn an khách hàng', 'Thúc đẩy kỹ thuật xử lý'].map((step) => `Beta & Co — ${step}`).sort());

    // nothing of the English export is left: no step title, no guide, no playbook title, no "To go on"
    for (const event of events) {
      const before = english.get(event.uid)!;
      expect(event.summary, event.uid).not.toBe(before.summary);
      expect(event.categories, event.uid).not.toEqual(before.categories);
      const guide = before.description.slice(0, before.description.lastIndexOf('\n\nTo go on: '));
      if (guide !== before.description) expect(event.description, event.uid).not.toContain(guide.split('\n')[0]);
      expect(event.description, event.uid).not.toContain('To go on');
      expect(event.description, event.uid).toMatch(/Làm tiếp bằng lệnh: cs resume .+ --run \d+$/);
    }
  });
});
