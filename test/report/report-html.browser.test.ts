/**
 * `cs report --html` in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): the page loads offline without a console error or a request of any kind, its
 * SVG charts are there with the step names in them, and the book's text is shown as text; under
 * CS_LANG=vi the page is Vietnamese throughout, charts included. Screenshots are left in
 * /tmp/cs-report-html.png and /tmp/cs-report-html-vi.png for a person to look at.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import type { Message } from '../../src/i18n/en.js';
import { vi } from '../../src/i18n/vi.js';
import { expectSuccess } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';
import { reportBook } from './book.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOT = '/tmp/cs-report-html.png';
const SCREENSHOT_VI = '/tmp/cs-report-html-vi.png';

/** Opens the file in an offline Chromium, asserting it loads with no error and no request but its own. */
async function withPage(file: string, use: (page: Page) => Promise<void>): Promise<void> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`).toBe(true);
  const context = await chromium.launchPersistentContext(tempDir('cs-chromium-'), { executablePath: CHROMIUM, headless: true, args: FLAGS, offline: true });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(file).href;
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await use(page);
  } finally {
    await context.close();
  }
}

/**
 * The English catalogue's words for the report, as they would show: each message of the report's
 * (and the counted runs and days it says) cut at its placeholders, the pieces of three letters or
 * more. "p90" and "playbook" are Vietnamese teams' words too.
 */
function englishReportWords(): string[] {
  const keys = Object.keys(en).filter((key) => key.startsWith('report.') || key === 'count.run' || key === 'count.day');
  const texts = keys.flatMap((key) => {
    const message = (en as Record<string, Message>)[key]!;
    return typeof message === 'string' ? [message] : [message.one ?? '', message.other];
  });
  const pieces = texts.flatMap((text) => text.split(/\{\w+\}/)).map((piece) => piece.replace(/^[\s.,:;()·/—–-]+|[\s.,:;()·/—–-]+$/g, ''));
  return [...new Set(pieces.filter((piece) => (piece.match(/[a-z]/gi) ?? []).length >= 3 && !['p90', 'playbook'].includes(piece)))];
}

/** Where `piece` stands as words of its own in `text` (not inside a longer word), any case. */
function containsWords(text: string, piece: string): boolean {
  const escaped = piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

describe('cs report --html in Chromium', () => {
  it('loads offline with no errors or requests; the charts are SVG with the step names; the stuck runs and their owners are listed as text', async () => {
    const box = reportBook();
    const file = join(tempDir(), 'report.html');
    expectSuccess(box.run(['report', '--html', file, '--stuck-days', '2']));
    const html = readFileSync(file, 'utf8');
    // self-contained: nothing to fetch, no script at all
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\ssrc=|url\(|@import/i);
    expect(html.match(/\bhref=/g) ?? []).toEqual([]);
    expect(html).toContain('Acme &lt;script&gt;');

    await withPage(file, async (page) => {
      expect(await page.title()).toBe('Journey report, 2026-11-26');
      const charts = await page.$$eval('section.playbook', (sections) =>
        sections.map((section) => ({
          heading: section.querySelector('h2')?.textContent ?? '',
          svgs: [...section.querySelectorAll('figure > svg')].map((svg) => ({ text: svg.textContent ?? '', width: svg.getBoundingClientRect().width, bars: svg.querySelectorAll('path[aria-roledescription="bar"], g.mark-rect path').length })),
        })),
      );
      const onboarding = charts.find((section) => section.heading.startsWith('30-day onboarding'))!;
      expect(onboarding.svgs).toHaveLength(3); // funnel, days per step, on time per step
      for (const svg of onboarding.svgs) {
        expect(svg.width).toBeGreaterThan(200);
        expect(svg.bars).toBeGreaterThan(0);
      }
      expect(onboarding.svgs[0]!.text).toContain('Step funnel');
      expect(onboarding.svgs[0]!.text).toContain('1. Handoff from Sales');
      // v2 content: the handover (day 26) comes before the introduction, as the 13th step
      expect(onboarding.svgs[0]!.text).toContain('13. Send the CSM everything you know');
      expect(onboarding.svgs[1]!.text).toContain('2. Prepare the kickoff call');
      expect(onboarding.svgs[2]!.text).toContain('1. Handoff from Sales');
      expect(charts.find((section) => section.heading.startsWith('Churn response'))!.svgs[0]!.text).toContain('1. Check the churn signals');

      const stuck = await page.$$eval('section:last-of-type tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
      expect(stuck).toEqual([
        ['#1', 'Công ty Ánh Dương', 'lan', 'onboarding-30d', 'Kickoff call', '8 since 2026-11-06', '17 days'],
        ['#2', 'Acme <script>', 'minh', 'onboarding-30d', 'Prepare the kickoff call', '2 since 2026-11-24', '2 days'],
      ]);
      expect(await page.$$('script')).toHaveLength(0);
      // what the Vietnamese page is searched for: the English page is full of it
      const shown = `${await page.locator('body').innerText()}\n${await page.$$eval('figure svg text', (texts) => texts.map((text) => text.textContent ?? '').join('\n'))}`;
      expect(englishReportWords().filter((piece) => containsWords(shown, piece)).length).toBeGreaterThan(25);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });
  }, 60_000);

  it('under CS_LANG=vi: <html lang="vi">, every heading, label, chart title, axis and legend in Vietnamese, titles from the translations, dates and numbers as Vietnamese write them, nothing of the English catalogue left', async () => {
    const box = reportBook();
    const file = join(tempDir(), 'bao-cao.html');
    const result = box.run(['report', '--html', file, '--stuck-days', '2', '--since', '2026-11-01'], { env: { CS_LANG: 'vi' } });
    expectSuccess(result);
    expect(result.stdout).toContain(`Đã ghi ${file} (2 playbook, 4 lượt đang mở`);
    await withPage(file, async (page) => {
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      expect(await page.title()).toBe('Báo cáo hành trình, 26/11/2026');
      const pageText = await page.locator('body').innerText();
      const chartText = await page.$$eval('figure svg text', (texts) => texts.map((text) => text.textContent ?? '').join('\n'));
      expect(chartText.length).toBeGreaterThan(200);

      // the charts: titles, axes and legends from the Vietnamese catalogue, the steps' Vietnamese titles, decimal commas
      for (const key of ['report.html.funnelTitle', 'report.html.funnelAxis', 'report.col.reached', 'report.col.done', 'report.col.skipped', 'report.html.daysTitle', 'report.html.daysAxis', 'report.html.median', 'report.html.p90', 'report.html.onTimeTitle', 'report.html.onTimeAxis'] as const) {
        expect(chartText, key).toContain(vi[key] as string);
      }
      expect(chartText).toContain('1. Chuyển giao khách hàng từ Sales');
      expect(chartText).toContain('2. Chuẩn bị cuộc gọi khởi động');
      expect(chartText).toContain('1. Kiểm tra các dấu hiệu churn');
      expect(chartText).toMatch(/(^|\n)2,5(\n|$)/); // an axis tick of the days chart
      expect(chartText).not.toMatch(/(^|\n)\d+\.\d+(\n|$)/);

      // the page: headings, health words, table headers, dates and numbers
      const headings = await page.$$eval('h2', (all) => all.map((heading) => heading.textContent));
      expect(headings).toEqual(['Xử lý khách hàng churn và đúc kết kinh nghiệm churn-response', 'Quy trình onboarding 30 ngày onboarding-30d', 'Các lượt bị tắc (2)']);
      expect(pageText).toContain('lượt bắt đầu từ 01/11/2026. Một lượt bị tắc khi có bước trễ hạn và đã 2 ngày không có cập nhật nào.');
      expect(pageText).toContain('3 lượt: 3 đang mở, 0 đã hoàn tất. Lượt đang mở: 1 đúng tiến độ, 0 chậm tiến độ, 2 bị tắc.');
      expect(pageText).toContain('Phần lớn lượt đang mở đang dừng ở Chuẩn bị cuộc gọi khởi động (1 lượt, trung vị đến nay 2 ngày).');
      const headers = await page.$$eval('thead tr', (rows) => rows.map((row) => [...row.querySelectorAll('th')].map((cell) => cell.textContent)));
      expect(headers[0]).toEqual(['bước', 'đã tới', 'đã xong', 'bỏ qua', 'số ngày trung vị / p90', 'đúng hạn', 'số ngày trễ', 'đang chờ · trung vị', 'lý do bỏ qua']);
      expect(headers.at(-1)).toEqual(['lượt', 'khách hàng', 'phụ trách', 'mã playbook', 'đang chờ ở bước', 'số bước trễ hạn', 'không có cập nhật trong']);
      const handoff = await page.$$eval('section.playbook:nth-of-type(2) tbody tr:first-child > *', (cells) => cells.map((cell) => cell.textContent));
      expect(handoff).toEqual(['1. Chuyển giao khách hàng từ Sales', '2', '2', '0', '2,5 / 4', '50%', '2', '—', '—']);
      const stuck = await page.$$eval('section:last-of-type tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
      expect(stuck).toEqual([
        ['#1', 'Công ty Ánh Dương', 'lan', 'onboarding-30d', 'Cuộc gọi khởi động (kickoff call)', '8 bước, từ 06/11/2026', '17 ngày'],
        ['#2', 'Acme <script>', 'minh', 'onboarding-30d', 'Chuẩn bị cuộc gọi khởi động', '2 bước, từ 24/11/2026', '2 ngày'],
      ]);
      expect(pageText).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);

      const english = englishReportWords();
      expect(english).toEqual(expect.arrayContaining(['Step funnel: runs that reached each step, did it, skipped it', 'on track', 'behind', 'stuck', 'median', 'skipped', 'Stuck runs']));
      for (const [where, text] of [['page', pageText], ['charts', chartText]] as const) {
        expect(english.filter((piece) => containsWords(text, piece)), where).toEqual([]);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: SCREENSHOT_VI, fullPage: true });
    });
  }, 60_000);
});
