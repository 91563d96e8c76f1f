/**
 * `kpi`: the summary of every KPI, its filters and its pages.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAP } from '../../src/cards/views.js';
import { CARD_BYTE_LIMIT } from '../../src/cards/render.js';
import { PAGE_SIZE } from '../../src/commands/kpi/views.js';
import { action, allElements, cardSize, countsLine, kpiRow, kpiRows, lines } from '../support/cards.js';
import {
  added,
  aKpi,
  cheshirePartnership,
  recorded,
  testDataAudit,
  type Performance,
} from '../support/kpi-fixtures.js';
import { jo, sam } from '../support/teams.js';

const summaryRows = kpiRows;
const row = kpiRow;
const cardBytes = cardSize;

describe('the KPI summary', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-summary');
    // Shared: First time fix Green (rising), Major incidents Green (level), Customer satisfaction Red (falling).
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await recorded(p, sam, 'kpi record FTF 80 period=2026-09');
    await recorded(p, sam, 'kpi record FTF 85 period=2026-10');
    await added(p, sam, 'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1');
    await recorded(p, sam, 'kpi record MI 1 period=2026-09');
    await recorded(p, sam, 'kpi record MI 1 period=2026-10');
    await added(p, sam, 'kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher');
    await recorded(p, sam, 'kpi record CSAT 4.2 period=2026-09');
    await recorded(p, sam, 'kpi record CSAT 3.9 period=2026-10');
    // CWAC: Password resets Amber, one reading only.
    await added(
      p,
      sam,
      'kpi add "Password resets within one hour" code=PR target=95 unit=% polarity=higher council=CWAC',
    );
    await recorded(p, sam, 'kpi record PR 92 period=2026-10');
    // CEC: Channel shift has September but nothing for October yet.
    await added(p, sam, 'kpi add "Channel shift to the portal" code=CSP target=60 unit=% polarity=higher council=CEC');
    await recorded(p, sam, 'kpi record CSP 55 period=2026-09');
  });
  afterAll(() => p.close());

  it('counts Green, Amber, Red and No data on one line and in the four boxes', async () => {
    const reply = await p.say(jo, 'kpi');

    expect(lines(reply)[0]).toBe('KPIs — Cheshire ICT Shared Service');
    expect(lines(reply)[1]).toBe('5 KPIs: 2 Green, 1 Amber, 1 Red, 1 with no data · as at 25 Nov 2026');
    expect(lines(reply).slice(2, 10)).toEqual(['2', 'Green', '1', 'Amber', '1', 'Red', '1', 'No data']);
  });

  it('says "3 KPIs: 2 Green, 0 Amber, 1 Red" for the shared KPIs, as the committee paper does', async () => {
    const reply = await p.say(jo, 'kpi council=shared');
    expect(countsLine(reply)).toBe('3 KPIs: 2 Green, 0 Amber, 1 Red');
    expect(summaryRows(reply).map((r) => r.code)).toEqual(['CSAT', 'FTF', 'MI']);
  });

  it("shows each KPI's name, latest value with its unit, target, RAG word and trend word", async () => {
    const reply = await p.say(jo, 'kpi');

    expect(row(reply, 'FTF')).toMatchObject({
      name: 'First time fix',
      value: '85%',
      target: '≥ 80%',
      rag: 'Green',
      trend: '▲ better',
    });
    expect(row(reply, 'MI')).toMatchObject({
      name: 'Major incidents',
      value: '1',
      target: '≤ 2',
      rag: 'Green',
      trend: '▶ same',
    });
    expect(row(reply, 'CSAT')).toMatchObject({
      name: 'Customer satisfaction',
      value: '3.9',
      target: '≥ 4.5',
      rag: 'Red',
      trend: '▼ worse',
    });
    expect(row(reply, 'PR')).toMatchObject({
      name: 'Password resets within one hour',
      value: '92%',
      target: '≥ 95%',
      rag: 'Amber',
      trend: '–',
    });
  });

  it('draws a sparkline of the readings on each row', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(row(reply, 'FTF').sparkline).toBe('▁█');
    expect(row(reply, 'CSAT').sparkline).toBe('█▁');
    expect(row(reply, 'PR').sparkline).toHaveLength(1);
  });

  it('shows the RAG as a word in the default colour, with its colour on a chip beside it', async () => {
    const reply = await p.say(jo, 'kpi');
    const chips = allElements(reply.card)
      .filter((e) => e.type === 'ColumnSet')
      .map((set) => allElements({ body: [set] }))
      .map((inside) => ({
        style: inside.find((e) => e.type === 'Column' && typeof e.style === 'string')?.style,
        word: inside.find(
          (e) => e.type === 'TextBlock' && ['Red', 'Amber', 'Green', 'No data'].includes(e.text as string),
        ),
      }))
      .filter((c) => c.word && c.style);
    const styles = Object.fromEntries(chips.map((c) => [c.word!.text as string, c.style]));
    expect(styles).toEqual({ Red: 'attention', Amber: 'warning', Green: 'good', 'No data': 'emphasis' });
    expect(chips.every((c) => c.word!.color === undefined)).toBe(true);
    expect(reply).toShowRag('Red');
  });

  it('counts a KPI with no reading for Oct 2026 as No data and shows its last reading with its month', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(row(reply, 'CSP')).toMatchObject({
      name: 'Channel shift to the portal',
      value: '55% (Sep 2026)',
      target: '≥ 60%',
      rag: 'No data',
      trend: '–',
    });
  });

  it('lists Red first, then Amber, then Green, then No data', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(summaryRows(reply).map((r) => `${r.rag} ${r.code}`)).toEqual([
      'Red CSAT',
      'Amber PR',
      'Green FTF',
      'Green MI',
      'No data CSP',
    ]);
  });

  it('shows only the Red ones for kpi red, with the counts of all', async () => {
    const reply = await p.say(jo, 'kpi red');
    expect(summaryRows(reply).map((r) => r.code)).toEqual(['CSAT']);
    expect(lines(reply)[1]).toBe('5 KPIs: 2 Green, 1 Amber, 1 Red, 1 with no data · as at 25 Nov 2026 · Red only');
  });

  it('shows only the Amber ones for kpi amber', async () => {
    expect(summaryRows(await p.say(jo, 'kpi amber')).map((r) => r.code)).toEqual(['PR']);
  });

  it('shows only the Green ones for kpi green', async () => {
    expect(summaryRows(await p.say(jo, 'kpi green')).map((r) => r.code)).toEqual(['FTF', 'MI']);
  });

  it('shows only those with no data for kpi nodata', async () => {
    expect(summaryRows(await p.say(jo, 'kpi nodata')).map((r) => r.code)).toEqual(['CSP']);
    expect(summaryRows(await p.say(jo, 'kpi "no data"')).map((r) => r.code)).toEqual(['CSP']);
  });

  it("shows one council's KPIs for kpi council=CEC, counted on their own", async () => {
    const reply = await p.say(jo, 'kpi council=CEC');
    expect(countsLine(reply)).toBe('1 KPI: 0 Green, 0 Amber, 0 Red, 1 with no data');
    expect(lines(reply)[1]).toContain('council CEC');
    expect(summaryRows(reply).map((r) => r.code)).toEqual(['CSP']);
  });

  it('combines a RAG filter with a council filter and says when none match', async () => {
    const reply = await p.say(jo, 'kpi red council=CWAC');
    expect(summaryRows(reply)).toEqual([]);
    expect(reply.text).toContain('No KPIs are Red for CWAC.');
  });

  it('reads /KPI, typed in capitals with a slash, as kpi', async () => {
    const inChannel = await p.say(jo, 'kpi');
    const typedWithSlash = await p.say(jo, '/KPI');
    expect(summaryRows(typedWithSlash)).toEqual(summaryRows(inChannel));
  });
});

describe('the KPI summary before any KPI is added', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-empty');
  });
  afterAll(() => p.close());

  it('says there are no KPIs yet and how an editor adds one', async () => {
    const reply = await p.say(jo, 'kpi');
    expect(countsLine(reply)).toBe('0 KPIs: 0 Green, 0 Amber, 0 Red');
    expect(reply.text).toContain(
      'No KPIs yet. An editor can add one with: kpi add "First time fix" target=80 unit=% polarity=higher',
    );
  });
});

describe('a summary of 60 KPIs', () => {
  let p: Performance;
  const names = Array.from({ length: 60 }, (_, i) => `Service measure ${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-pages');
    // Written straight to storage: sixty chat commands would test nothing more.
    for (const [i, name] of names.entries()) {
      const definition = aKpi({ code: `SM${i + 1}`, name, council: i % 2 === 0 ? 'CEC' : 'CWAC' });
      await p.kpis.add(p.partnershipId, definition, testDataAudit(p, `kpi ${definition.code}`));
    }
  });
  afterAll(() => p.close());

  it(`shows ${PAGE_SIZE} rows and a Show more button`, async () => {
    const first = await p.say(jo, 'kpi');

    expect(countsLine(first)).toBe('60 KPIs: 0 Green, 0 Amber, 0 Red, 60 with no data');
    expect(summaryRows(first).map((r) => r.name)).toEqual(names.slice(0, PAGE_SIZE));
    expect(PAGE_SIZE).toBe(20);
    expect(lines(first)).toContain('Showing 1–20 of 60.');
    expect(action(first, 'Show more')).toMatchObject({ type: 'Action.Execute', verb: 'kpi.page' });
    expect(cardBytes(first)).toBeLessThan(CARD_BYTE_LIMIT);
  });

  it('shows the next rows when Show more is clicked, until every KPI has been shown once', async () => {
    const seen: string[] = [];
    let page = await p.say(jo, 'kpi');
    const shown: string[] = [];
    for (let clicks = 0; ; clicks++) {
      seen.push(...summaryRows(page).map((r) => r.name));
      shown.push(lines(page).find((l) => l.startsWith('Showing ')) ?? '(last page)');
      expect(countsLine(page)).toBe('60 KPIs: 0 Green, 0 Amber, 0 Red, 60 with no data');
      const more = action(page, 'Show more');
      if (!more) break;
      expect(clicks).toBeLessThan(Math.ceil(60 / PAGE_SIZE));
      page = await p.click(jo, 'kpi.page', more.data);
    }
    expect(seen).toEqual(names);
    expect(shown).toEqual(['Showing 1–20 of 60.', 'Showing 21–40 of 60.', 'Showing 41–60 of 60.']);
  });

  it('keeps the council filter when paging', async () => {
    const first = await p.say(jo, 'kpi council=CEC');
    expect(summaryRows(first)).toHaveLength(PAGE_SIZE);
    const more = action(first, 'Show more');
    expect(more?.data).toEqual({ filter: '', council: 'CEC', offset: PAGE_SIZE });
    expect(lines(first)).toContain('Showing 1–20 of 30.');

    const second = await p.click(jo, 'kpi.page', more?.data);
    const cec = names.filter((_, i) => i % 2 === 0);
    expect(summaryRows(second).map((r) => r.name)).toEqual(cec.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(countsLine(second)).toBe('30 KPIs: 0 Green, 0 Amber, 0 Red, 30 with no data');
    expect(lines(second)).toContain('Showing 21–30 of 30.');
    expect(action(second, 'Show more')).toBeUndefined();
  });

  it('keeps the RAG filter when paging', async () => {
    const first = await p.say(jo, 'kpi nodata');
    const more = action(first, 'Show more');
    expect(more?.data).toEqual({ filter: 'nodata', council: '', offset: PAGE_SIZE });
    const second = await p.click(jo, 'kpi.page', more?.data);
    expect(summaryRows(second).map((r) => r.name)).toEqual(names.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(lines(second)[1]).toContain('No data only');
  });
});

describe('the KPI cards, for gaps and order', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-gaps-order');
    for (const [name, code] of [
      ['Measure 10', 'M10'],
      ['Measure 2', 'M2'],
      ['Measure 1', 'M1'],
    ] as const) {
      await added(p, sam, `kpi add "${name}" code=${code} target=5 unit=count polarity=higher`);
      await recorded(p, sam, `kpi record ${code} 6 period=2026-10`);
    }
    await recorded(p, sam, 'kpi record M1 2 period=2026-08');
  });
  afterAll(() => p.close());

  it('lists names with numbers as people count them: 1, 2, 10', async () => {
    expect(summaryRows(await p.say(jo, 'kpi')).map((r) => r.code)).toEqual(['M1', 'M2', 'M10']);
  });

  it('draws a month with no reading as a gap in the sparkline, on the list and the detail', async () => {
    expect(row(await p.say(jo, 'kpi'), 'M1').sparkline).toBe(`▁${GAP}█`);
    const detail = await p.say(jo, 'kpi M1');
    expect(lines(detail)).toContain(`▁${GAP}█`);
  });
});
