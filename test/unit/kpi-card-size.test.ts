/**
 * Teams refuses an Adaptive Card well before the 100 KB message limit; the bot keeps each card
 * under 28 KB (CARD_BYTE_LIMIT). These tests build the KPI cards exactly as the bot sends them
 * (summaryReply / detailReply, then renderCard with the plain-text fallback) for a partnership
 * far bigger than any real one, with every text as long as the commands let it be.
 */
import { describe, expect, it } from 'vitest';
import type { KpiDetailData, KpiSummaryData } from '../../src/cards/kpi.js';
import { cardBytes, CARD_BYTE_LIMIT, renderCard } from '../../src/cards/render.js';
import type { Reply } from '../../src/commands/types.js';
import {
  assessAll,
  detailReply,
  PAGE_SIZE,
  STATUS_FILTERS,
  summaryReply,
  type StatusFilter,
} from '../../src/commands/kpi/views.js';
import type { KpiDefinition, KpiReading, ReadingPoint } from '../../src/domain/kpi-assessment.js';
import type { KpiUnit } from '../../src/domain/kpi.js';
import { partnershipIdFor, type Partnership } from '../../src/domain/partnership.js';
import { financialPeriod, periodsAt, periodsBack } from '../../src/domain/periods.js';
import { entryOf, type KpiEntry } from '../../src/storage/kpis.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const AT = periodsAt(NOW);
const OCTOBER = financialPeriod('monthly', 2026, 7);
const SEPTEMBER = financialPeriod('monthly', 2026, 6);

const partnership: Partnership = {
  id: partnershipIdFor('Cheshire ICT Shared Service', '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70'),
  name: 'Cheshire ICT Shared Service',
  tenantId: '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70',
  councils: [
    { code: 'CEC', shareBasisPoints: 5000 },
    { code: 'CWAC', shareBasisPoints: 5000 },
  ],
  createdAt: '2026-04-01T09:00:00Z',
  createdBy: 'Alex Morgan',
};

const longPerson = 'Alexandra Montgomery-Fitzwilliam';

/** Exactly 80 characters, the longest name a KPI may have, unique by its number. */
function longName(i: number): string {
  const name = `Percentage of priority one incidents resolved within four hours, measure ${String(i).padStart(3, '0')}`;
  return name.padEnd(80, '.').slice(0, 80);
}

const UNITS: readonly KpiUnit[] = ['£', '%', 'count', 'days', 'hours', 'score'];

/** A value of the unit as long as it gets when written: £12,345,678.99, 99.99%, 12.34 days. */
function value(unit: KpiUnit, i: number, month: number): number {
  switch (unit) {
    case '£':
      return 1_234_567_899 - month * 100_001 - i;
    case '%':
      return 50 + ((i * 7 + month * 13) % 50) + 0.99;
    case 'count':
      return 1000 + ((i + month * 37) % 900);
    default:
      return 10 + ((i + month * 3) % 89) + 0.25;
  }
}

/** 200 KPIs: a quarter each Green, Amber, Red and No data (readings up to September only), 12 readings each. */
function bigPartnership(count = 200): KpiEntry[] {
  return bigDefinitions(count).map(({ definition, recent }) => entryOf(definition, recent));
}

function bigDefinitions(count: number): Array<{ definition: KpiDefinition; recent: ReadingPoint[] }> {
  return Array.from({ length: count }, (_, i) => {
    const unit = UNITS[i % UNITS.length]!;
    const noData = i % 4 === 3;
    const months = periodsBack(noData ? SEPTEMBER : OCTOBER, 12);
    const recent: ReadingPoint[] = months.map((p, m) => ({ period: p.label, value: value(unit, i, m) }));
    const latest = recent.at(-1)!.value;
    // Green on target; Amber 2% over a lower-is-better target; Red at twice a lower-is-better target.
    const [polarity, target] =
      i % 4 === 0
        ? (['higher', latest] as const)
        : i % 4 === 1
          ? (['lower', latest / 1.02] as const)
          : (['lower', latest / 2] as const);
    const definition: KpiDefinition = {
      code: `PERF${String(i).padStart(3, '0')}XYZ`.slice(0, 10),
      name: longName(i),
      description: '',
      unit,
      polarity,
      targets: [
        {
          from: 2026,
          target: unit === '£' ? Math.round(target) : Math.round(target * 100) / 100,
          tolerance: { kind: 'percent', value: 5 },
        },
      ],
      frequency: 'monthly',
      owner: { id: '29:1owner', name: longPerson, aadObjectId: undefined },
      council: ['CEC', 'CWAC', 'SHARED'][i % 3]!,
      createdAt: '2026-04-01T09:00:00Z',
      createdBy: longPerson,
    };
    return { definition, recent };
  });
}

/** The card as the bot sends it: rendered, with the plain text as its fallback. */
function sent(reply: Reply): { bytes: number; data: KpiSummaryData | KpiDetailData } {
  if (!reply.card) throw new Error('the reply has no card');
  const { template, data } = reply.card;
  return {
    bytes: cardBytes(renderCard(template, data, reply.text)),
    data: data as KpiSummaryData | KpiDetailData,
  };
}

/** Follows "Show more" from the first page to the last, as a person clicking it would. */
function pages(
  all: ReturnType<typeof assessAll>,
  options: { filter?: StatusFilter; council?: string } = {},
): Array<{ bytes: number; data: KpiSummaryData }> {
  const shown: Array<{ bytes: number; data: KpiSummaryData }> = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page = sent(summaryReply(partnership, all, { ...options, offset, now: NOW })) as {
      bytes: number;
      data: KpiSummaryData;
    };
    shown.push(page);
    offset = page.data.more?.offset;
    if (shown.length > 50) throw new Error('Show more never stops');
  }
  return shown;
}

describe('the KPI summary card for 200 KPIs', () => {
  const kpis = bigPartnership();
  const all = assessAll(kpis, AT);

  it('builds a partnership of 80-character names with 12 readings each, in every status', () => {
    expect(kpis.every((k) => k.name.length === 80 && k.recent.length === 12)).toBe(true);
    expect(new Set(all.map((k) => k.assessment.status))).toEqual(new Set(['Green', 'Amber', 'Red', 'No data']));
  });

  it(`stays under ${CARD_BYTE_LIMIT} bytes on every page`, () => {
    const shown = pages(all);
    for (const [i, page] of shown.entries()) expect(page.bytes, `page ${i + 1}`).toBeLessThan(CARD_BYTE_LIMIT);
  });

  it(`shows ${PAGE_SIZE} rows a page, with a sparkline of 12 readings on each`, () => {
    const [first] = pages(all);
    expect(first!.data.rows).toHaveLength(PAGE_SIZE);
    expect(first!.data.rows.every((r) => [...r.sparkline].length === 12)).toBe(true);
  });

  it('shows all 200 KPIs exactly once when paging through', () => {
    const codes = pages(all).flatMap((page) => page.data.rows.map((r) => r.code));
    expect(codes).toHaveLength(200);
    expect(new Set(codes)).toEqual(new Set(kpis.map((k) => k.code)));
  });

  it('counts all 200 on every page and says which rows each page shows', () => {
    const shown = pages(all);
    expect(shown).toHaveLength(Math.ceil(200 / PAGE_SIZE));
    for (const page of shown)
      expect(page.data.counts).toEqual({ green: 50, amber: 50, red: 50, noData: 50, total: 200 });
    expect(shown.map((p) => `${p.data.range} of ${p.data.total}`)).toEqual(
      Array.from({ length: shown.length }, (_, i) => `${i * PAGE_SIZE + 1}–${(i + 1) * PAGE_SIZE} of 200`),
    );
    expect(shown.slice(0, -1).map((p) => p.data.more)).toEqual(
      Array.from({ length: shown.length - 1 }, (_, i) => ({ filter: '', council: '', offset: (i + 1) * PAGE_SIZE })),
    );
    expect(shown.at(-1)!.data.more).toBeUndefined();
  });

  it('says "Showing 21–40 of 60." on the second of three pages, and nothing of the kind when one page holds them all', () => {
    const sixty = assessAll(bigPartnership(60), AT);
    const [, second, third] = pages(sixty);
    expect(second!.data).toMatchObject({ range: '21–40', total: 60, more: { filter: '', council: '', offset: 40 } });
    expect(third!.data).toMatchObject({ range: '41–60', total: 60 });
    expect(third!.data.more).toBeUndefined();
    const text = summaryReply(partnership, sixty, { offset: 20, now: NOW }).text;
    expect(text.split('\n')).toContain('Showing 21–40 of 60.');

    const [only] = pages(assessAll(bigPartnership(PAGE_SIZE), AT));
    expect(only!.data.range).toBeUndefined();
    expect(only!.data.total).toBeUndefined();
    expect(only!.data.more).toBeUndefined();
  });

  it('keeps Red first, then Amber, then Green, then No data across the pages', () => {
    const order = pages(all).flatMap((page) => page.data.rows.map((r) => r.rag.word));
    const rank = { Red: 0, Amber: 1, Green: 2, 'No data': 3 } as Record<string, number>;
    expect(order.map((s) => rank[s])).toEqual([...order.map((s) => rank[s]!)].sort((a, b) => a - b));
  });

  for (const filter of Object.keys(STATUS_FILTERS) as StatusFilter[]) {
    it(`stays under the limit and shows each ${STATUS_FILTERS[filter]} KPI once for kpi ${filter}`, () => {
      const shown = pages(all, { filter });
      for (const page of shown) expect(page.bytes).toBeLessThan(CARD_BYTE_LIMIT);
      const codes = shown.flatMap((page) => page.data.rows.map((r) => r.code));
      const expected = all.filter((k) => k.assessment.status === STATUS_FILTERS[filter]).map((k) => k.entry.code);
      expect(codes).toEqual(expected);
    });
  }

  for (const council of ['CEC', 'CWAC', 'SHARED']) {
    it(`stays under the limit and shows each KPI of ${council} once for kpi council=${council}`, () => {
      const shown = pages(all, { council });
      for (const page of shown) expect(page.bytes).toBeLessThan(CARD_BYTE_LIMIT);
      const codes = shown.flatMap((page) => page.data.rows.map((r) => r.code));
      expect(codes.sort()).toEqual(
        kpis
          .filter((k) => k.council === council)
          .map((k) => k.code)
          .sort(),
      );
    });
  }

  it('shows every KPI exactly once for any number of KPIs from 0 to 200', () => {
    for (const count of [0, 1, 24, 25, 26, 50, 51, 199, 200]) {
      const some = assessAll(bigPartnership(count), AT);
      const codes = pages(some).flatMap((page) => page.data.rows.map((r) => r.code));
      expect(codes, `${count} KPIs`).toEqual(some.map((k) => k.entry.code));
    }
  });
});

describe('the KPI detail card', () => {
  const kpi = bigDefinitions(1)[0]!.definition;
  const definition: KpiDefinition = { ...kpi, description: 'What it measures: '.padEnd(500, 'x — £ ') };
  // 25 readings, each with the longest commentary kpi record takes (1,000 characters), some of it not ASCII.
  const commentary = 'After the portal change — calls fell by £12,500 a month; “see the board paper”. '
    .repeat(20)
    .slice(0, 1000);
  const readings: KpiReading[] = periodsBack(OCTOBER, 25).map((p, m) => ({
    period: p.label,
    value: value(definition.unit, 0, m),
    commentary,
    recordedBy: longPerson,
    recordedById: '29:1owner',
    recordedAt: NOW.toISOString(),
  }));

  it(`stays under ${CARD_BYTE_LIMIT} bytes with 25 readings and long commentary`, () => {
    const { bytes, data } = sent(detailReply(definition, readings, AT));
    expect((data as KpiDetailData).readings).toHaveLength(12);
    expect((data as KpiDetailData).commentary).toContain(commentary);
    expect(bytes).toBeLessThan(CARD_BYTE_LIMIT);
  });
});
