import { firstTargets } from '../../src/domain/kpi-targets.js';
import { describe, expect, it } from 'vitest';
import { kpiReminders, kpiSections } from '../../src/commands/kpi/digest.js';
import type { KpiEntry } from '../../src/storage/kpis.js';

function kpi(code: string, name: string, extra: Partial<KpiEntry> = {}): KpiEntry {
  return {
    code,
    name,
    council: 'SHARED',
    unit: '%',
    polarity: 'higher',
    targets: firstTargets(2025, 80, { kind: 'percent', value: 5 }),
    frequency: 'monthly',
    recent: [],
    ...extra,
  };
}

const jo = { id: '29:jo', name: 'Jo Williams' };
const sam = { id: '29:sam', name: 'Sam Jones' };

describe('KPIs in the digest', () => {
  const now = new Date('2026-11-30T09:00:00Z');

  it('counts the KPIs by RAG, lists the Red and Amber ones, Red first, and takes the worst RAG', () => {
    const [rag] = kpiSections(
      [
        kpi('FTF', 'First time fix', { recent: [['2026-10', 62]] }),
        kpi('PR', 'Password resets', { recent: [['2026-10', 78]] }),
        kpi('MI', 'Major incidents', {
          unit: 'count',
          polarity: 'lower',
          targets: firstTargets(2025, 2, { kind: 'percent', value: 5 }),
          recent: [['2026-10', 1]],
        }),
      ],
      now,
    );
    expect(rag).toMatchObject({ key: 'kpi', title: 'KPIs', rag: 'Red', summary: '3 KPIs: 1 Green, 1 Amber, 1 Red.' });
    expect(rag!.items).toEqual([
      { text: 'First time fix (FTF): 62% in Oct 2026, target ≥ 80%', rag: 'Red' },
      { text: 'Password resets (PR): 78% in Oct 2026, target ≥ 80%', rag: 'Amber' },
    ]);
  });

  it('says so in one line when nothing is Red or Amber, or when there are no KPIs', () => {
    const [rag, missing] = kpiSections([kpi('FTF', 'First time fix', { recent: [['2026-10', 90]] })], now);
    expect(rag).toMatchObject({
      summary: '1 KPI: 1 Green, 0 Amber, 0 Red; none is Red or Amber.',
      rag: 'Green',
      items: [],
    });
    expect(missing).toMatchObject({ summary: 'Every KPI figure due is in.', items: [] });
    expect(kpiSections([], now)).toEqual([{ key: 'kpi', title: 'KPIs', summary: 'No KPIs yet.', items: [] }]);
  });

  it('lists the figures due and missing, with the day each was due by and its owner', () => {
    const [, missing] = kpiSections(
      [
        kpi('CSAT', 'Customer satisfaction', { frequency: 'quarterly', owner: jo }),
        kpi('LR', 'Laptops rebuilt', { unit: 'count' }),
      ],
      new Date('2026-11-04T12:00:00Z'),
    );
    expect(missing!.summary).toBe(
      '2 KPIs have no figure for the last complete period; 1 past the five working days allowed.',
    );
    expect(missing!.items.map((i) => i.text)).toEqual([
      'Customer satisfaction (CSAT): Q2 2026/27, late, was due by 7 Oct 2026 · owner Jo Williams',
      'Laptops rebuilt (LR): Oct 2026, due by 6 Nov 2026 · no owner',
    ]);
  });
});

describe('reminders to KPI owners', () => {
  const december = kpi('LR', 'Laptops rebuilt', { unit: 'count', owner: sam, recent: [['2026-11', 40]] });

  it('owes nothing until five working days after the period ended (New Year’s Day is not one)', () => {
    // December 2026 ends on a Thursday; 1 January is a bank holiday, so the fifth working day is Friday 8 January.
    expect(kpiReminders([december], new Date('2027-01-07T23:59:00Z'))).toEqual([]);
    const [owed] = kpiReminders([december], new Date('2027-01-08T00:00:00Z'));
    expect(owed).toEqual({
      kind: 'figure',
      person: sam,
      ref: 'LR|2026-12',
      text: 'Laptops rebuilt (LR): the Dec 2026 figure, due by 8 Jan 2027. Type: kpi record LR <value> period=2026-12',
    });
  });

  it('reminds nobody of a KPI without an owner, or of a figure that is in', () => {
    const noOwner = kpi('PR', 'Password resets');
    const recorded = kpi('FTF', 'First time fix', { owner: jo, recent: [['2026-12', 81]] });
    expect(kpiReminders([noOwner, recorded], new Date('2027-01-12T09:00:00Z'))).toEqual([]);
  });

  it('quotes a quarter in the command to type', () => {
    const [owed] = kpiReminders(
      [kpi('CSAT', 'Customer satisfaction', { frequency: 'quarterly', owner: jo })],
      new Date('2026-11-30T09:00:00Z'),
    );
    expect(owed!.text).toContain('kpi record CSAT <value> period="2026/27 Q2"');
  });
});
