import type { KpiDetailData, KpiRowData, KpiSummaryData } from '../cards/catalogue.js';
import {
  assessKpi,
  HISTORY_SHOWN,
  ragOf,
  SHARED,
  sparkline,
  yearToDate,
  type KpiAssessment,
  type KpiDefinition,
  type KpiReading,
  type Trend,
} from '../domain/kpi-assessment.js';
import { amberLimit, formatKpiValue, formatTolerance, ragOrder, summariseRag, type KpiStatus } from '../domain/kpi.js';
import type { Partnership } from '../domain/partnership.js';
import { parsePeriod, shortLabel } from '../domain/periods.js';
import type { StoredKpi } from '../storage/kpis.js';
import { cardReply, type Reply } from './types.js';

/** Rows per summary card: 20 rows of long, non-ASCII names stay under Teams' card size limit; the rest come with "show more". */
export const PAGE_SIZE = 20;

export const STATUS_FILTERS = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  nodata: 'No data',
} as const satisfies Record<string, KpiStatus>;
export type StatusFilter = keyof typeof STATUS_FILTERS;

const COLOURS: Record<KpiStatus, KpiRowData['color']> = {
  Green: 'good',
  Amber: 'warning',
  Red: 'attention',
  'No data': 'default',
};
const TRENDS: Record<Trend, string> = { better: '▲ better', worse: '▼ worse', same: '▶ same' };

export function trendText(trend: Trend | undefined): string {
  return trend ? TRENDS[trend] : '–';
}

export function targetText(kpi: KpiDefinition): string {
  return `${kpi.polarity === 'higher' ? '≥' : '≤'} ${formatKpiValue(kpi.unit, kpi.target)}`;
}

export function periodText(label: string): string {
  const p = parsePeriod(label);
  return p ? shortLabel(p) : label;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

export interface AssessedKpi {
  readonly stored: StoredKpi;
  readonly assessment: KpiAssessment;
}

export function assessAll(kpis: readonly StoredKpi[], now: Date): AssessedKpi[] {
  return kpis
    .map((stored) => ({ stored, assessment: assessKpi(stored.definition, stored.recent, now) }))
    .sort(
      (a, b) =>
        ragOrder(a.assessment.status) - ragOrder(b.assessment.status) ||
        a.stored.definition.name.localeCompare(b.stored.definition.name),
    );
}

function row({ stored, assessment }: AssessedKpi): KpiRowData {
  const kpi = stored.definition;
  const latest = assessment.latest;
  const lastKnown = assessment.history.at(-1);
  return {
    code: kpi.code,
    name: kpi.name,
    value: latest
      ? formatKpiValue(kpi.unit, latest.value)
      : lastKnown
        ? `${formatKpiValue(kpi.unit, lastKnown.value)} (${periodText(lastKnown.period)})`
        : '—',
    target: targetText(kpi),
    status: assessment.status,
    color: COLOURS[assessment.status],
    trend: trendText(assessment.trend),
    sparkline: sparkline(assessment.history.map((h) => h.value)),
    period: shortLabel(assessment.due),
  };
}

export function countsLine(counts: ReturnType<typeof summariseRag>): string {
  const base = `${counts.total} KPI${counts.total === 1 ? '' : 's'}: ${counts.Green} Green, ${counts.Amber} Amber, ${counts.Red} Red`;
  return counts['No data'] > 0 ? `${base}, ${counts['No data']} with no data` : base;
}

export function summaryReply(
  partnership: Partnership,
  all: readonly AssessedKpi[],
  options: { filter?: StatusFilter; council?: string; offset: number; now: Date },
): Reply {
  const inScope = options.council ? all.filter((k) => k.stored.definition.council === options.council) : all;
  const counts = summariseRag(inScope.map((k) => k.assessment.status));
  const shown = options.filter
    ? inScope.filter((k) => k.assessment.status === STATUS_FILTERS[options.filter!])
    : inScope;
  const page = shown.slice(options.offset, options.offset + PAGE_SIZE);
  const rows = page.map(row);
  const scope = [
    options.council ? `council ${options.council}` : '',
    options.filter ? `${STATUS_FILTERS[options.filter]} only` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const title = `KPIs — ${partnership.name}`;
  const subtitle = `${countsLine(counts)} · as at ${dateFormat.format(options.now)}${scope ? ` · ${scope}` : ''}`;
  const next = options.offset + PAGE_SIZE;
  const emptyMessage =
    all.length === 0
      ? 'No KPIs yet. An editor can add one with: kpi add "First time fix" target=80 unit=% polarity=higher'
      : `No KPIs ${options.filter ? `are ${STATUS_FILTERS[options.filter]}` : 'match'}${options.council ? ` for ${options.council}` : ''}.`;
  const data: KpiSummaryData = {
    title,
    subtitle,
    counts: {
      green: counts.Green,
      amber: counts.Amber,
      red: counts.Red,
      noData: counts['No data'],
      total: counts.total,
    },
    rows,
    hasRows: rows.length > 0,
    emptyMessage,
    ...(shown.length > PAGE_SIZE
      ? { range: `${options.offset + 1}–${Math.min(next, shown.length)}`, total: shown.length }
      : {}),
    ...(next < shown.length
      ? { more: { filter: options.filter ?? '', council: options.council ?? '', offset: next } }
      : {}),
  };
  const text = [
    title,
    subtitle,
    ...(rows.length > 0 ? rows.map((r) => `${r.status}: ${r.code} ${r.value} (target ${r.target})`) : [emptyMessage]),
    ...(data.range ? [`Showing ${data.range} of ${data.total}.`] : []),
  ].join('\n');
  return cardReply('kpi-summary', data, text);
}

export function detailReply(stored: StoredKpi, readings: readonly KpiReading[], now: Date): Reply {
  const kpi = stored.definition;
  const assessment = assessKpi(kpi, readings, now);
  const byPeriod = new Map(readings.map((r) => [r.period, r]));
  const shownReadings = [...assessment.history].reverse().map((h) => {
    const reading = byPeriod.get(h.period);
    const rag = ragOf(kpi, h.value);
    return {
      period: periodText(h.period),
      value: formatKpiValue(kpi.unit, h.value),
      status: rag,
      color: COLOURS[rag],
      by: reading?.recordedBy ?? '',
    };
  });
  const latestWithComment = [...readings].reverse().find((r) => r.commentary.trim() !== '');
  const ytd = yearToDate(kpi, readings, assessment.due);
  const band = `Amber ${kpi.polarity === 'higher' ? 'down' : 'up'} to ${formatKpiValue(kpi.unit, amberLimit(kpi))}`;
  const facts = [
    { title: 'Target', value: `${targetText(kpi)} (${kpi.polarity === 'higher' ? 'higher' : 'lower'} is better)` },
    { title: 'Tolerance', value: `${formatTolerance(kpi.tolerance, kpi.unit)} — ${band}` },
    { title: 'Frequency', value: kpi.frequency },
    { title: 'Owner', value: kpi.owner?.name ?? 'not set' },
    { title: 'Council', value: kpi.council === SHARED ? 'shared' : kpi.council },
    ...(ytd
      ? [
          {
            title: 'Year to date',
            value: `${formatKpiValue(kpi.unit, ytd.value)} over ${ytd.months} month${ytd.months === 1 ? '' : 's'}${ytd.lastYear !== undefined ? `, against ${formatKpiValue(kpi.unit, ytd.lastYear)} over the same months last year` : ''}`,
          },
        ]
      : []),
  ];
  const latest = assessment.latest
    ? `${formatKpiValue(kpi.unit, assessment.latest.value)} in ${shortLabel(assessment.due)}${assessment.trend ? ` · ${trendText(assessment.trend)}${assessment.trend === 'same' ? ' as' : ' than'} the reading before` : ''}`
    : `No reading for ${shortLabel(assessment.due)} yet`;
  const lastYear = assessment.lastYear
    ? `${formatKpiValue(kpi.unit, assessment.lastYear.value)} in ${periodText(assessment.lastYear.period)} (this year is ${assessment.lastYear.trend ?? 'the same'})`
    : 'No reading for the same period last year';
  const data: KpiDetailData = {
    code: kpi.code,
    name: kpi.name,
    description: kpi.description,
    facts,
    status: assessment.status,
    color: COLOURS[assessment.status],
    latest,
    sparkline: sparkline(assessment.history.map((h) => h.value)),
    commentary: latestWithComment
      ? `“${latestWithComment.commentary}” — ${latestWithComment.recordedBy}, ${periodText(latestWithComment.period)}`
      : 'No commentary yet.',
    lastYear,
    readings: shownReadings,
    hasReadings: shownReadings.length > 0,
  };
  const text = [
    `${kpi.name} (${kpi.code}): ${assessment.status}`,
    latest,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    `Same period last year: ${lastYear}`,
    `Last ${Math.min(HISTORY_SHOWN, shownReadings.length)} readings: ${shownReadings.map((r) => `${r.period} ${r.value} ${r.status}`).join('; ')}`,
  ].join('\n');
  return cardReply('kpi-detail', data, text);
}
