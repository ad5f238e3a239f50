/**
 * `cs report --html`: the journey report as one self-contained HTML file that works offline. The
 * charts are Vega-Lite specs rendered to SVG here, in Node (vega and vega-lite are loaded only by
 * this module); the page holds no script, no stylesheet link and no request of any kind. Every text
 * from the book (account, owner, step and playbook names, skip reasons) is escaped. The page speaks
 * the language it is given (the interface's: the report is the user's own), its words from the
 * catalogue, its dates and numbers as the language writes them, in the charts too.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { BookReport, PlaybookFigures, Spread, StepFigures } from '../engine/report.js';
import { formatDate, formatNumber, formatPercent, formatTenths } from '../i18n/formats.js';
import type { Lang } from '../i18n/lang.js';
import { localeOf } from '../i18n/lang.js';
import { tIn } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/messages.js';
import { escapeHtml } from './formats.js';

/** Markup to put into a sentence as it is (already escaped). */
interface Markup {
  html: string;
}

/**
 * A catalogue sentence as HTML: its text escaped, its values escaped too unless they are Markup
 * (a <strong> around a figure). Each Markup value stands in the sentence as a marker until the
 * sentence is escaped, so the catalogue's words are never taken for markup.
 */
function sentence(lang: Lang, key: MessageKey, params: Record<string, string | number | Markup> = {}): string {
  const markups: string[] = [];
  const plain: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) plain[name] = typeof value === 'object' ? `\u0001${markups.push(value.html) - 1}\u0001` : value;
  return escapeHtml(tIn(lang, key, plain)).replace(/\u0001(\d+)\u0001/g, (_whole, index: string) => markups[Number(index)]!);
}

function strong(html: string): Markup {
  return { html: `<strong>${html}</strong>` };
}

/** The words and number formats of one page, worked out once. */
interface Words {
  lang: Lang;
  say(key: MessageKey, params?: Record<string, string | number>): string;
  count(value: number): string;
  days(value: number): string;
  spread(value: Spread | null): string;
  percent(rate: number | null): string;
  date(iso: string): string;
}

function wordsOf(lang: Lang): Words {
  return {
    lang,
    say: (key, params) => tIn(lang, key, params),
    count: (value) => formatNumber(value, lang),
    days: (value) => formatTenths(value, lang),
    spread(value) {
      return value === null ? '—' : `${this.days(value.median)} / ${this.days(value.p90)}`;
    },
    percent: (rate) => (rate === null ? '—' : formatPercent(rate, lang)),
    date: (iso) => formatDate(iso, lang),
  };
}

/**
 * The language's digits for the charts' axes (vega formats with d3-format, whose locale is given as
 * separators): taken from Intl, so 10.000 and 2,5 in Vietnamese as everywhere else in cs.
 */
function chartLocale(lang: Lang): { number: { decimal: string; thousands: string; grouping: number[]; currency: [string, string] } } {
  const parts = new Intl.NumberFormat(localeOf(lang)).formatToParts(12345.6);
  const part = (type: string, otherwise: string) => parts.find((each) => each.type === type)?.value ?? otherwise;
  return { number: { decimal: part('decimal', '.'), thousands: part('group', ','), grouping: [3], currency: ['', ''] } };
}

/** "1. Kickoff": numbered, so that two steps with the same title stay two bars, in order. */
function stepLabel(step: StepFigures, index: number): string {
  return `${index + 1}. ${step.title}`;
}

/**
 * A chart's label: at most CHART_LABEL characters. Without a canvas, vega estimates a text's width
 * generously (0.8 em a character) and cuts labels longer than labelLimit; cutting them here keeps
 * the label area no wider than it needs to be. The table under the charts has every title whole.
 */
const CHART_LABEL = 44;

function chartLabel(step: StepFigures, index: number): string {
  const label = stepLabel(step, index);
  return label.length <= CHART_LABEL ? label : `${label.slice(0, CHART_LABEL - 1).trimEnd()}…`;
}

const AXIS = { labelLimit: 480, labelFontSize: 12, titleFontSize: 12 };

async function svgOf(spec: TopLevelSpec, lang: Lang): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new View(parse({ ...compiled, config: { ...compiled.config, locale: chartLocale(lang) } }), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function barSpec(title: string, values: Record<string, unknown>[], x: Record<string, unknown>, color?: Record<string, unknown>, extra: Record<string, unknown> = {}): TopLevelSpec {
  return {
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: 420,
    data: { values },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      y: { field: 'step', type: 'nominal', sort: null, title: null, axis: AXIS },
      x: { ...x, axis: { ...AXIS, ...((x.axis as object) ?? {}) } },
      ...(color ? { color } : {}),
      ...extra,
    },
    config: { view: { stroke: null }, font: 'sans-serif' },
  } as TopLevelSpec;
}

/** Bars of several series per step: each series' name (the legend's words) and its colour. */
function seriesSpec(title: string, axisTitle: string, field: string, series: { name: string; color: string }[], values: Record<string, unknown>[], axis: Record<string, unknown> = {}): TopLevelSpec {
  const names = series.map((each) => each.name);
  return barSpec(
    title,
    values,
    { field, type: 'quantitative', title: axisTitle, axis },
    { field: 'what', type: 'nominal', title: null, scale: { domain: names, range: series.map((each) => each.color) } },
    { yOffset: { field: 'what', sort: names } },
  );
}

/** Reached, done and skipped per step, in the playbook's order. */
function funnelSpec(playbook: PlaybookFigures, words: Words): TopLevelSpec {
  const [reached, done, skipped] = (['report.col.reached', 'report.col.done', 'report.col.skipped'] as const).map((key) => words.say(key));
  const values = playbook.steps.flatMap((step, index) => [
    { step: chartLabel(step, index), what: reached, runs: step.reached },
    { step: chartLabel(step, index), what: done, runs: step.done },
    { step: chartLabel(step, index), what: skipped, runs: step.skipped },
  ]);
  const series = [{ name: reached!, color: '#9ecae1' }, { name: done!, color: '#3182bd' }, { name: skipped!, color: '#fdae6b' }];
  return seriesSpec(words.say('report.html.funnelTitle'), words.say('report.html.funnelAxis'), 'runs', series, values, { tickMinStep: 1 });
}

function daysSpec(playbook: PlaybookFigures, words: Words): TopLevelSpec {
  const [median, p90] = [words.say('report.html.median'), words.say('report.html.p90')];
  const values = playbook.steps.flatMap((step, index) =>
    step.days === null ? [] : [{ step: chartLabel(step, index), what: median, days: step.days.median }, { step: chartLabel(step, index), what: p90, days: step.days.p90 }],
  );
  const series = [{ name: median, color: '#31a354' }, { name: p90, color: '#a1d99b' }];
  return seriesSpec(words.say('report.html.daysTitle'), words.say('report.html.daysAxis'), 'days', series, values);
}

function onTimeSpec(playbook: PlaybookFigures, words: Words): TopLevelSpec {
  const values = playbook.steps.flatMap((step, index) => (step.onTimeRate === null ? [] : [{ step: chartLabel(step, index), rate: step.onTimeRate }]));
  return barSpec(words.say('report.html.onTimeTitle'), values, {
    field: 'rate',
    type: 'quantitative',
    title: words.say('report.html.onTimeAxis'),
    scale: { domain: [0, 1] },
    axis: { format: '%' },
  }, { value: '#756bb1' });
}

const STEP_COLUMNS: MessageKey[] = ['report.col.step', 'report.col.reached', 'report.col.done', 'report.col.skipped', 'report.col.days', 'report.col.onTime', 'report.col.daysLate', 'report.col.waiting', 'report.col.skipReasons'];

function headRow(keys: readonly MessageKey[], words: Words): string {
  return `<thead><tr>${keys.map((key) => `<th>${escapeHtml(words.say(key))}</th>`).join('')}</tr></thead>`;
}

function cells(values: readonly string[]): string {
  return values.map((value) => `<td>${escapeHtml(value)}</td>`).join('');
}

function stepTable(playbook: PlaybookFigures, words: Words): string {
  const rows = playbook.steps.map((step, index) => {
    const reasons = step.skipReasons.map((each) => `${each.reason} (${words.count(each.count)})`).join(', ');
    return `<tr><th scope="row">${escapeHtml(stepLabel(step, index))}</th>${cells([
      words.count(step.reached),
      words.count(step.done),
      words.count(step.skipped),
      words.spread(step.days),
      words.percent(step.onTimeRate),
      step.daysLate === null ? '—' : words.days(step.daysLate.median),
      step.waiting === null ? '—' : words.say('report.waiting', { count: step.waiting.count, days: words.days(step.waiting.median) }),
      reasons || '—',
    ])}</tr>`;
  });
  return `<table>${headRow(STEP_COLUMNS, words)}<tbody>${rows.join('')}</tbody></table>`;
}

function playbookSummary(playbook: PlaybookFigures, words: Words): string {
  const { lang } = words;
  const { health, stall } = playbook;
  const runs = sentence(lang, 'report.runs', { count: playbook.runs, open: words.count(playbook.open), finished: words.count(playbook.finished) });
  const parts = [sentence(lang, 'report.onTrack', { count: health['on track'] }), sentence(lang, 'report.behind', { count: health.behind }), `<strong>${sentence(lang, 'report.stuck', { count: health.stuck })}</strong>`];
  const open = sentence(lang, 'report.html.openRuns', { parts: { html: parts.join(', ') } });
  const stalled = stall
    ? ` ${sentence(lang, 'report.html.stall', {
        step: strong(escapeHtml(stall.title)),
        runs: words.say('count.run', { count: stall.runs }),
        days: words.say('count.day', { count: Number(formatTenths(stall.medianDays, 'en')) }),
      })}`
    : '';
  return `${runs}. ${open}${stalled}`;
}

async function playbookSection(playbook: PlaybookFigures, words: Words): Promise<string> {
  // days and on-time rates exist only once a step was done: no empty axes before that
  const anyDone = playbook.steps.some((step) => step.done > 0);
  const specs = playbook.steps.length === 0 ? [] : anyDone ? [funnelSpec(playbook, words), daysSpec(playbook, words), onTimeSpec(playbook, words)] : [funnelSpec(playbook, words)];
  const charts = await Promise.all(specs.map((spec) => svgOf(spec, words.lang)));
  return `<section class="playbook">
<h2>${escapeHtml(playbook.title)} <small>${escapeHtml(playbook.playbookId)}</small></h2>
<p>${playbookSummary(playbook, words)}</p>
<div class="charts">${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}</div>${
    anyDone || playbook.steps.length === 0 ? '' : `\n<p class="note">${sentence(words.lang, 'report.html.nothingDone')}</p>`
  }
${stepTable(playbook, words)}
</section>`;
}

const STUCK_COLUMNS: MessageKey[] = ['report.html.col.run', 'report.html.col.account', 'report.html.col.owner', 'report.html.col.playbook', 'report.html.col.waitingAt', 'report.html.col.overdue', 'report.html.col.noCommit'];

function stuckSection(report: BookReport, words: Words): string {
  const { lang } = words;
  const stuck = report.runs.filter((run) => run.health === 'stuck');
  if (stuck.length === 0) return `<section><h2>${sentence(lang, 'report.html.stuck')}</h2><p>${sentence(lang, 'report.noneStuck')}</p></section>`;
  const rows = stuck.map(
    (run) =>
      `<tr>${cells([
        `#${run.runId}`,
        run.account,
        run.owner ?? '—',
        run.playbookId,
        run.waitingAt?.title ?? '—',
        words.say('report.html.overdueSince', { count: run.overdue, date: run.oldestDue === null ? '—' : words.date(run.oldestDue) }),
        words.say('count.day', { count: run.daysSinceCommit }),
      ])}</tr>`,
  );
  return `<section><h2>${sentence(lang, 'report.stuckRuns', { count: stuck.length })}</h2><p>${sentence(lang, 'report.html.stuckExplain', { count: report.stuckDays })}</p>
<table>${headRow(STUCK_COLUMNS, words)}<tbody>${rows.join('')}</tbody></table></section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h2 small{color:#777;font-weight:normal}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}
table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
td{font-variant-numeric:tabular-nums}`;

/** The page, in `lang`: the report's titles are expected in it already (see src/cli/titles.ts). */
export async function reportHtml(report: BookReport, lang: Lang): Promise<string> {
  const words = wordsOf(lang);
  const { filters } = report;
  const scope = [
    filters.playbook && words.say('report.scope.playbook', { id: filters.playbook }),
    filters.owner && words.say('report.scope.owner', { owner: filters.owner }),
    filters.since && words.say('report.scope.since', { date: words.date(filters.since) }),
  ].filter(Boolean) as string[];
  const sections: string[] = [];
  for (const playbook of report.playbooks) sections.push(await playbookSection(playbook, words));
  const title = sentence(lang, 'report.title', { date: words.date(report.today) });
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<p>${scope.length ? `${escapeHtml(scope.join(' · '))}. ` : ''}${sentence(lang, 'report.html.intro', { count: report.stuckDays })}</p>
${sections.length ? sections.join('\n') : `<p>${sentence(lang, 'report.noRuns')}</p>`}
${stuckSection(report, words)}
</body>
</html>
`;
}
