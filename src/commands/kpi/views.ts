import {
  kpiDetailCard,
  kpiSummaryCard,
  type KpiDetailData,
  type KpiRowData,
  type KpiSummaryData,
} from '../../cards/kpi.js';
import type { Fact } from '../../cards/core.js';
import { dayText, pageOf, RAG_VIEW, sparkline, trendText } from '../../cards/views.js';
import {
  assessKpi,
  HISTORY_SHOWN,
  ragOf,
  targetOf,
  yearToDate,
  type KpiAssessment,
  type KpiDefinition,
  type KpiReading,
  type KpiRules,
} from '../../domain/kpi-assessment.js';
import { amberLimit, formatKpiValue, formatTolerance } from '../../domain/kpi.js';
import { targetIn, type YearTarget } from '../../domain/kpi-targets.js';
import { councilLabel, type Partnership } from '../../domain/partnership.js';
import {
  financialYearLabel,
  periodFromLabel,
  shortLabel,
  type FinancialPeriod,
  type PeriodsAt,
} from '../../domain/periods.js';
import { countRag, ragOrder, type RagCounts, type RagStatus } from '../../domain/rag.js';
import { recentOf, type KpiEntry } from '../../storage/kpis.js';
import { cardReply, type Reply } from '../types.js';
import { naturalCompare } from '../../domain/names.js';
import { plural } from '../../domain/vocabulary.js';

/** Rows per summary card: 20 rows of long, non-ASCII names stay under Teams' card size limit; the rest come with "Show more". */
export const PAGE_SIZE = 20;

export const STATUS_FILTERS = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  nodata: 'No data',
} as const satisfies Record<string, RagStatus>;
export type StatusFilter = keyof typeof STATUS_FILTERS;

/** `red`, `Red`, `no data`, `no-data` → the filter; anything else is not one. */
export function statusFilter(query: string): StatusFilter | undefined {
  const word = query.toLowerCase().replace(/[\s-]+/g, '');
  return word in STATUS_FILTERS ? (word as StatusFilter) : undefined;
}

/** The target a reading of `period` is rated against: `≥ 80%`. */
export function targetText(kpi: KpiRules, period: FinancialPeriod): string {
  return yearTargetText(kpi, targetOf(kpi, period));
}

export function yearTargetText(kpi: KpiRules, year: YearTarget): string {
  return `${kpi.polarity === 'higher' ? '≥' : '≤'} ${formatKpiValue(kpi.unit, year.target)}`;
}

/** The Amber band of a year's target: `5% — Amber down to 76%`. */
function toleranceText(kpi: KpiRules, year: YearTarget): string {
  const limit = amberLimit({ ...year, polarity: kpi.polarity });
  return `${formatTolerance(year.tolerance, kpi.unit)} — Amber ${kpi.polarity === 'higher' ? 'down' : 'up'} to ${formatKpiValue(kpi.unit, limit)}`;
}

export function periodText(label: string): string {
  const p = periodFromLabel(label);
  return p ? shortLabel(p) : label;
}

export interface AssessedKpi {
  readonly entry: KpiEntry;
  readonly assessment: KpiAssessment;
}

/** Assessments of entries as read (an entry read again from an unchanged shard is the same object), by period. */
const assessed = new WeakMap<KpiEntry, { key: string; assessment: KpiAssessment }>();

function assessEntry(entry: KpiEntry, at: PeriodsAt): KpiAssessment {
  const key = `${at.current[entry.frequency].sortKey}`;
  const held = assessed.get(entry);
  if (held?.key === key) return held.assessment;
  const assessment = assessKpi(entry, recentOf(entry), at);
  assessed.set(entry, { key, assessment });
  return assessment;
}

/** Every KPI assessed against the periods of this request, Red first, then by name. */
export function assessAll(entries: readonly KpiEntry[], at: PeriodsAt): AssessedKpi[] {
  return entries
    .map((entry) => ({ entry, assessment: assessEntry(entry, at) }))
    .sort(
      (a, b) =>
        ragOrder(a.assessment.status) - ragOrder(b.assessment.status) ||
        naturalCompare(a.entry.name, b.entry.name) ||
        naturalCompare(a.entry.code, b.entry.code),
    );
}

function row({ entry, assessment }: AssessedKpi): KpiRowData {
  const latest = assessment.latest;
  const lastKnown = [...assessment.history].reverse().find((h) => h.value !== undefined);
  return {
    code: entry.code,
    name: entry.name,
    value: latest
      ? formatKpiValue(entry.unit, latest.value)
      : lastKnown?.value !== undefined
        ? `${formatKpiValue(entry.unit, lastKnown.value)} (${shortLabel(lastKnown.period)})`
        : '—',
    target: targetText(entry, assessment.due),
    rag: RAG_VIEW[assessment.status],
    trend: trendText(assessment.trend),
    sparkline: sparkline(assessment.history.map((h) => h.value)),
    period: shortLabel(assessment.due),
  };
}

export function countsLine(counts: RagCounts): string {
  const base = `${plural(counts.total, 'KPI')}: ${counts.Green} Green, ${counts.Amber} Amber, ${counts.Red} Red`;
  return counts['No data'] > 0 ? `${base}, ${counts['No data']} with no data` : base;
}

export interface SummaryOptions {
  readonly filter?: StatusFilter;
  readonly council?: string;
  readonly offset: number;
  readonly now: Date;
}

export function summaryReply(partnership: Partnership, all: readonly AssessedKpi[], options: SummaryOptions): Reply {
  const inScope = options.council ? all.filter((k) => k.entry.council === options.council) : all;
  const counts = countRag(inScope.map((k) => k.assessment.status));
  const shown = options.filter
    ? inScope.filter((k) => k.assessment.status === STATUS_FILTERS[options.filter!])
    : inScope;
  const page = pageOf(shown, options.offset, PAGE_SIZE);
  const rows = page.items.map(row);
  const scope = [
    options.council ? `council ${options.council}` : '',
    options.filter ? `${STATUS_FILTERS[options.filter]} only` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const title = `KPIs — ${partnership.name}`;
  const subtitle = `${countsLine(counts)} · as at ${dayText(options.now)}${scope ? ` · ${scope}` : ''}`;
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
    ...page.view,
    emptyMessage,
    ...(page.next !== undefined
      ? { more: { filter: options.filter ?? '', council: options.council ?? '', offset: page.next } }
      : {}),
  };
  const text = [
    title,
    subtitle,
    ...(rows.length > 0 ? rows.map((r) => `${r.rag.word}: ${r.code} ${r.value} (target ${r.target})`) : [emptyMessage]),
    ...page.showing,
  ].join('\n');
  return cardReply(kpiSummaryCard, data, text);
}

/** The targets of the other years whose readings the card shows, when they differ from the year's. */
function otherYears(kpi: KpiRules, assessment: KpiAssessment): Fact[] {
  const year = targetOf(kpi, assessment.due);
  const shown = [
    ...new Set(assessment.history.filter((h) => h.value !== undefined).map((h) => h.period.fyStart)),
  ].filter((y) => y !== assessment.due.fyStart);
  const differ = shown
    .map((y) => ({ y, t: targetIn(kpi.targets, y) }))
    .filter(
      ({ t }) =>
        t.target !== year.target ||
        t.tolerance.value !== year.tolerance.value ||
        t.tolerance.kind !== year.tolerance.kind,
    )
    .map(
      ({ y, t }) =>
        `${financialYearLabel(y)}: ${yearTargetText(kpi, t)}, tolerance ${formatTolerance(t.tolerance, kpi.unit)}`,
    );
  return differ.length > 0 ? [{ title: 'Other years', value: differ.join('; ') }] : [];
}

export function detailReply(kpi: KpiDefinition, readings: readonly KpiReading[], at: PeriodsAt): Reply {
  const assessment = assessKpi(kpi, readings, at);
  const byPeriod = new Map(readings.map((r) => [r.period, r]));
  const shownReadings = [...assessment.history]
    .reverse()
    .filter((h): h is typeof h & { value: number } => h.value !== undefined)
    .map((h) => {
      const reading = byPeriod.get(h.period.label);
      return {
        period: shortLabel(h.period),
        value: formatKpiValue(kpi.unit, h.value),
        rag: RAG_VIEW[ragOf(kpi, h.value, h.period)],
        by: reading?.recordedBy ?? '',
      };
    });
  const latestWithComment = [...readings].reverse().find((r) => r.commentary.trim() !== '');
  const ytd = yearToDate(kpi, readings, assessment.due);
  const year = targetOf(kpi, assessment.due);
  const facts = [
    {
      title: `Target ${financialYearLabel(assessment.due.fyStart)}`,
      value: `${yearTargetText(kpi, year)} (${kpi.polarity} is better)`,
    },
    { title: 'Tolerance', value: toleranceText(kpi, year) },
    ...otherYears(kpi, assessment),
    { title: 'Frequency', value: kpi.frequency },
    { title: 'Owner', value: kpi.owner?.name ?? 'not set' },
    { title: 'Council', value: councilLabel(kpi.council) },
    ...(ytd
      ? [
          {
            title: 'Year to date',
            value: `${formatKpiValue(kpi.unit, ytd.value)} over ${plural(ytd.months, 'month')}${ytd.lastYear !== undefined ? `, against ${formatKpiValue(kpi.unit, ytd.lastYear)} over the same months last year` : ''}`,
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
    rag: RAG_VIEW[assessment.status],
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
    `Last ${Math.min(HISTORY_SHOWN, shownReadings.length)} readings: ${shownReadings.map((r) => `${r.period} ${r.value} ${r.rag.word}`).join('; ')}`,
  ].join('\n');
  return cardReply(kpiDetailCard, data, text);
}
