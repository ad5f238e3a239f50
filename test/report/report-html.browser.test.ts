/**
 * `cs report --html` in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): the page loads offline without a console error or a request of any kind, its
 * SVG charts are there with the step names in them, and the book's text is shown as text. A
 * screenshot is left in /tmp/cs-report-html.png for a person to look at.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectSuccess } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';
import { reportBook } from './book.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOT = '/tmp/cs-report-html.png';

describe('cs report --html in Chromium', () => {
  it('loads offline with no errors or requests; the charts are SVG with the step names; the stuck runs and their owners are listed as text', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`).toBe(true);
    const box = reportBook();
    const file = join(tempDir(), 'report.html');
    expectSuccess(box.run(['report', '--html', file, '--stuck-days', '2']));
    const html = readFileSync(file, 'utf8');
    // self-contained: nothing to fetch, no script at all
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\ssrc=|url\(|@import/i);
    expect(html.match(/\bhref=/g) ?? []).toEqual([]);
    expect(html).toContain('Acme &lt;script&gt;');

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
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});
