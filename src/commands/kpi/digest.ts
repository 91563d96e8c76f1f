import { dayText } from '../../cards/views.js';
import { londonDate } from '../../domain/calendar.js';
import { formatKpiValue } from '../../domain/kpi.js';
import { periodEnd, periodsAt, shortLabel } from '../../domain/periods.js';
import { countRag, type RagStatus } from '../../domain/rag.js';
import { reminderDueDate } from '../../domain/schedule.js';
import type { KpiEntry, KpiRepository } from '../../storage/kpis.js';
import type { CommandFamily, DigestSection, ReminderItem } from '../types.js';
import { assessAll, countsLine, targetText, type AssessedKpi } from './views.js';

/**
 * The KPI family's part of the committee digest (and of `status`): the RAG counts with the Red and
 * Amber KPIs, and the figures due and missing; and the reminders owed by KPI owners whose figure
 * for the last complete period is still missing five working days after it ended.
 */
export function kpiDigest(kpis: KpiRepository): Required<Pick<CommandFamily, 'digest' | 'reminders'>> {
  return {
    digest: async ({ partnership, now }) => kpiSections(await kpis.list(partnership.id), now),
    reminders: async ({ partnership, now }) => kpiReminders(await kpis.list(partnership.id), now),
  };
}

/** The worst RAG among those reported (Red, then Amber, then Green); none when nothing was reported. */
function worstOf(statuses: readonly RagStatus[]): RagStatus | undefined {
  return (['Red', 'Amber', 'Green'] as const).find((rag) => statuses.includes(rag));
}

interface Missing {
  readonly kpi: AssessedKpi;
  /** The day the figure should be in by: five working days after its period ended. */
  readonly dueBy: string;
  readonly late: boolean;
}

function missingFigures(all: readonly AssessedKpi[], now: Date): Missing[] {
  const today = londonDate(now);
  const dueByOf = new Map<string, string>();
  return all
    .filter((k) => k.assessment.status === 'No data')
    .map((kpi) => {
      const end = periodEnd(kpi.assessment.due);
      const dueBy = dueByOf.get(end) ?? reminderDueDate(end);
      dueByOf.set(end, dueBy);
      return { kpi, dueBy, late: today >= dueBy };
    });
}

export function kpiSections(entries: readonly KpiEntry[], now: Date): DigestSection[] {
  if (entries.length === 0) {
    return [{ key: 'kpi', title: 'KPIs', summary: 'No KPIs yet.', items: [] }];
  }
  const all = assessAll(entries, periodsAt(now));
  const statuses = all.map((k) => k.assessment.status);
  const counts = countRag(statuses);
  const flagged = all.filter((k) => k.assessment.status === 'Red' || k.assessment.status === 'Amber');
  const worst = worstOf(statuses);
  const ragSection: DigestSection = {
    key: 'kpi',
    title: 'KPIs',
    summary: flagged.length === 0 ? `${countsLine(counts)}; none is Red or Amber.` : `${countsLine(counts)}.`,
    ...(worst ? { rag: worst } : {}),
    items: flagged.map(({ entry, assessment }) => ({
      text: `${entry.name} (${entry.code}): ${assessment.latest ? formatKpiValue(entry.unit, assessment.latest.value) : '—'} in ${shortLabel(assessment.due)}, target ${targetText(entry, assessment.due)}`,
      rag: assessment.status,
    })),
  };

  const missing = missingFigures(all, now);
  const late = missing.filter((m) => m.late).length;
  const missingSection: DigestSection = {
    key: 'kpi',
    title: 'KPI figures due and missing',
    summary:
      missing.length === 0
        ? 'Every KPI figure due is in.'
        : `${missing.length} KPI${missing.length === 1 ? ' has' : 's have'} no figure for the last complete period${late > 0 ? `; ${late} past the five working days allowed` : ''}.`,
    items: missing.map(({ kpi: { entry, assessment }, dueBy, late: isLate }) => ({
      text: `${entry.name} (${entry.code}): ${shortLabel(assessment.due)}, ${isLate ? 'late, was due by' : 'due by'} ${dayText(dueBy)} · ${entry.owner ? `owner ${entry.owner.name}` : 'no owner'}`,
    })),
  };
  return [ragSection, missingSection];
}

/** One item per KPI whose owner owes its figure: missing five working days after its period ended. */
export function kpiReminders(entries: readonly KpiEntry[], now: Date): ReminderItem[] {
  const all = assessAll(entries, periodsAt(now));
  return missingFigures(all, now)
    .filter((m) => m.late && m.kpi.entry.owner !== undefined)
    .map(({ kpi: { entry, assessment }, dueBy }) => ({
      kind: 'figure',
      person: { id: entry.owner!.id, name: entry.owner!.name },
      ref: `${entry.code}|${assessment.due.label}`,
      text: `${entry.name} (${entry.code}): the ${shortLabel(assessment.due)} figure, due by ${dayText(dueBy)}. Type: kpi record ${entry.code} <value> period=${assessment.due.label.includes(' ') ? `"${assessment.due.label}"` : assessment.due.label}`,
    }));
}
