import {
  programmeDetailCard,
  programmeListCard,
  type ProgrammeDetailData,
  type ProgrammeListData,
  type ProgrammeRowData,
} from '../../cards/budget.js';
import { bar, dayText } from '../../cards/views.js';
import { formatMoney, formatMoneyShort, type Pence } from '../../domain/money.js';
import { financialYearLabel } from '../../domain/periods.js';
import { paybackOf, remainingBudget, type Payback, type Programme } from '../../domain/programme.js';
import type { ProgrammeRecord } from '../../storage/programmes.js';
import { cardReply, type Reply } from '../types.js';
import { plural } from '../../domain/vocabulary.js';

/** How programmes read: short amounts in the list, exact pounds on one programme's card. */

const short = formatMoneyShort;

/** Spend as a whole percentage of budget, rounded down so that 99.6% never reads as done. */
function spentShare(programme: Pick<Programme, 'spendToDate' | 'totalBudget'>): string {
  if (programme.totalBudget <= 0) return 'no budget';
  return `${Math.floor((programme.spendToDate * 100) / programme.totalBudget)}% of budget`;
}

/** `£800k in 2024/25, then £2.67m a year from 2025/26`. */
export function benefitsText(programme: Programme, money: (p: Pence) => string = short): string {
  const benefits = programme.benefits;
  const last = benefits.at(-1);
  if (!last) return 'none given';
  const before = benefits.slice(0, -1).map((b) => `${money(b.amount)} in ${financialYearLabel(b.fyStart)}`);
  const recurring = `${money(last.amount)} a year from ${financialYearLabel(last.fyStart)}`;
  return before.length > 0 ? `${before.join(', ')}, then ${recurring}` : recurring;
}

/** `2026/27, 4 years` or why there is none. */
export function paybackText(payback: Payback): string {
  if (payback.fyStart === undefined || payback.years === undefined) {
    return 'not within the years counted: the benefits do not reach the cost';
  }
  return `${financialYearLabel(payback.fyStart)}, ${plural(payback.years, 'year')}`;
}

function spendBar(programme: Programme, width: number): string {
  return `Spent ${bar(programme.spendToDate, programme.totalBudget, width)} ${spentShare(programme)}`;
}

export function programmesReply(partnershipName: string, programmes: readonly ProgrammeRecord[]): Reply {
  const rows: ProgrammeRowData[] = programmes.map((p) => ({
    name: p.name,
    budget: short(p.totalBudget),
    spend: short(p.spendToDate),
    spendBar: spendBar(p, 10),
    benefits: benefitsText(p),
    payback: `Payback ${paybackText(paybackOf(p))}`,
  }));
  const data: ProgrammeListData = {
    title: `Programmes — ${partnershipName}`,
    rows,
    hasRows: rows.length > 0,
    emptyMessage:
      'No programmes yet. An editor can add one with: programme add "Gemini" budget=£5.1m benefits="2024/25:£0.8m,2025/26:£2.67m"',
  };
  const text = [
    data.title,
    ...(rows.length > 0
      ? rows.map((r) => `${r.name}: budget ${r.budget}, ${r.spend} spent, benefits ${r.benefits}. ${r.payback}`)
      : [data.emptyMessage]),
  ].join('\n');
  return cardReply(programmeListCard, data, text);
}

/** One programme in exact pounds: budget, spend, benefits, the payback year and the years that lead to it. */
export function programmeReply(programme: ProgrammeRecord): Reply {
  const payback = paybackOf(programme);
  const facts = [
    { title: 'Budget', value: formatMoney(programme.totalBudget) },
    {
      title: 'Spend to date',
      value: `${formatMoney(programme.spendToDate)} (${spentShare(programme)})${programme.spendRecordedAt ? `, as at ${dayText(programme.spendRecordedAt)}` : ''}`,
    },
    { title: 'Remaining', value: formatMoney(remainingBudget(programme)) },
    { title: 'Starts', value: financialYearLabel(programme.startYear) },
    { title: 'Benefits', value: benefitsText(programme, formatMoney) },
    { title: 'Payback', value: paybackText(payback) },
  ];
  const data: ProgrammeDetailData = {
    name: programme.name,
    headline:
      payback.years === undefined
        ? 'Does not pay back in the years counted'
        : `Pays back in ${plural(payback.years, 'year')}, by the end of ${financialYearLabel(payback.fyStart!)}`,
    facts,
    spendBar: spendBar(programme, 20),
    schedule: payback.schedule.map((y) => ({
      year: `${y.year} (year ${y.yearNumber})`,
      cost: formatMoney(y.cost),
      benefit: formatMoney(y.benefit),
      cumulativeCost: formatMoney(y.cumulativeCost),
      cumulativeBenefit: formatMoney(y.cumulativeBenefit),
    })),
  };
  const text = [
    `Programme: ${programme.name}`,
    data.headline,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    data.spendBar,
    'Year by year (cost, benefit, cumulative cost, cumulative benefit):',
    ...data.schedule.map((y) => `  ${y.year}: ${y.cost}, ${y.benefit}, ${y.cumulativeCost}, ${y.cumulativeBenefit}`),
  ].join('\n');
  return cardReply(programmeDetailCard, data, text);
}
