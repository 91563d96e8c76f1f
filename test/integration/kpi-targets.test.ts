/**
 * Targets per financial year: a new target never re-rates a year the committee has seen. The
 * clock stands at 25 Nov 2026 (2026/27). The partnership, its people and the clock:
 * test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, fact, kpiRow, lines } from '../support/cards.js';
import { added, cheshirePartnership, readingRows, recorded, type Performance } from '../support/kpi-fixtures.js';
import { alex, jo, sam } from '../support/teams.js';

describe('targets per financial year', () => {
  let p: Performance;
  /** The RAG of each reading on the detail card, `Mar 2026 Amber`. */
  const rated = async () =>
    readingRows(await p.say(jo, 'kpi FTF'))
      .map((r) => `${r.period} ${r.rag}`)
      .reverse();

  beforeAll(async () => {
    p = await cheshirePartnership('kpi-targets');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    // Jan to Mar 2026 are in 2025/26; Apr to Oct in 2026/27. 78% is Amber against 80.
    for (const month of ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'])
      await recorded(p, sam, `kpi record FTF 78 period=2026-${month}`);
  });
  afterAll(() => p.close());

  it("keeps last year's RAG when this year's target changes, and rates this year against the new one", async () => {
    expect(await rated()).toEqual(expect.arrayContaining(['Mar 2026 Amber', 'Oct 2026 Amber']));

    const reply = await p.say(sam, 'kpi edit FTF target=85');

    expect(lines(reply)[0]).toBe('First time fix (FTF) updated');
    expect(reply.text).toContain('Target 2026/27 ≥ 85%, higher is better.');
    expect(reply.text).toContain('Earlier years keep theirs; later years follow it until changed.');
    const after = await rated();
    expect(after.filter((r) => /2026 /.test(r) && /^(Jan|Feb|Mar) /.test(r))).toEqual([
      'Jan 2026 Amber',
      'Feb 2026 Amber',
      'Mar 2026 Amber',
    ]);
    expect(after.filter((r) => /^(Apr|May|Jun|Jul|Aug|Sep|Oct) 2026/.test(r)).every((r) => r.endsWith('Red'))).toBe(
      true,
    );
  });

  it("shows the year's target on the detail card, and the other years' targets its readings were held to", async () => {
    const detail = await p.say(jo, 'kpi FTF');
    expect(fact(detail, 'Target 2026/27')).toBe('≥ 85% (higher is better)');
    expect(fact(detail, 'Tolerance')).toBe('5% — Amber down to 80.75%');
    expect(fact(detail, 'Other years')).toBe('2025/26: ≥ 80%, tolerance 5%');
    expect(kpiRow(await p.say(jo, 'kpi'), 'FTF')).toMatchObject({ target: '≥ 85%', rag: 'Red' });
  });

  it('sets a past year with year=, which changes that year alone', async () => {
    const reply = await p.say(sam, 'kpi edit FTF target=83 year=2025/26');
    expect(reply.text).toContain('Target 2025/26 ≥ 83%, higher is better. Other years keep their targets.');
    const after = await rated();
    expect(after).toContain('Mar 2026 Red');
    expect(after).toContain('Oct 2026 Red');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 85% (higher is better)');
  });

  it('sets next year in advance, leaving this year as it is', async () => {
    await p.say(sam, 'kpi edit FTF target=90 year=2027/28');
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 85% (higher is better)');
  });

  it('puts each year that changed in the audit, and nothing else', async () => {
    await p.say(sam, 'kpi edit FTF tolerance=10%');
    const [entry] = auditEntries(await p.say(alex, 'audit'));
    expect(entry).toMatchObject({ command: 'kpi edit FTF tolerance=10%', change: 'kpi FTF changed' });
    expect(entry?.fields).toEqual({ 'tolerance 2026/27': '5% → 10%' });
  });

  it('refuses a year too far ahead, a year it cannot read, and year= with nothing to set', async () => {
    expect((await p.say(sam, 'kpi edit FTF target=95 year=2030/31')).text).toContain(
      'year=2030/31 is too far ahead: targets can be set up to next year, year=2027/28',
    );
    expect((await p.say(sam, 'kpi edit FTF target=95 year=next')).text).toContain(
      'year=next is not a financial year: write it as year=2026/27',
    );
    expect((await p.say(sam, 'kpi edit FTF name="First time fix" year=2026/27')).text).toContain(
      'year= is the year of a target: give it with target= or tolerance=',
    );
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 85% (higher is better)');
  });
});

describe('a KPI stored before targets were kept per year', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-targets-legacy');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await recorded(p, sam, 'kpi record FTF 78 period=2026-10');
    // As the row was written before: one target and tolerance, and a summary of the version before.
    const table = p.bot.app.storage.tables.partnerships;
    const row = await table.getEntity<{ definition: string }>(p.partnershipId, 'kpi|FTF');
    const { targets, ...rest } = JSON.parse(row.definition) as { targets: unknown[] };
    expect(targets).toHaveLength(1);
    await table.updateEntity(
      {
        partitionKey: p.partnershipId,
        rowKey: 'kpi|FTF',
        definition: JSON.stringify({ ...rest, target: 80, tolerance: { kind: 'percent', value: 5 } }),
      },
      'Merge',
    );
    for await (const shard of table.listEntities<{ v: number }>({
      queryOptions: {
        filter: `PartitionKey eq '${p.partnershipId}' and RowKey ge 'summary|kpi|' and RowKey lt 'summary|kpi}'`,
      },
    }))
      await table.updateEntity({ partitionKey: p.partnershipId, rowKey: shard.rowKey!, v: 1 }, 'Merge');
  });
  afterAll(() => p.close());

  it('reads its one target as standing from the year it was added, and rebuilds the list', async () => {
    expect(kpiRow(await p.say(jo, 'kpi'), 'FTF')).toMatchObject({ target: '≥ 80%', rag: 'Amber' });
    expect(fact(await p.say(jo, 'kpi FTF'), 'Target 2026/27')).toBe('≥ 80% (higher is better)');
    expect(lines(await p.say(sam, 'kpi edit FTF target=85'))[0]).toBe('First time fix (FTF) updated');
    expect(kpiRow(await p.say(jo, 'kpi'), 'FTF')).toMatchObject({ target: '≥ 85%', rag: 'Red' });
  });
});
