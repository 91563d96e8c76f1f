import type { KpiDefinition } from '../../domain/kpi-assessment.js';
import { firstTargets } from '../../domain/kpi-targets.js';
import type { Tolerance } from '../../domain/kpi.js';
import { SHARED } from '../../domain/partnership.js';
import { periodsAt, periodsBack } from '../../domain/periods.js';
import type { KpiRepository } from '../../storage/kpis.js';
import type { DemoContext } from '../types.js';
import { demoAudit } from '../kit/demo.js';

/**
 * 24 months of the three KPIs of the mid-year committee report, ending with the last complete
 * month: first time fix below target (Red), major incidents and portal channel shift on target
 * (Green), and 8 major incidents from April to October against 18 a year before.
 */
const SERIES: ReadonlyArray<{
  definition: Omit<KpiDefinition, 'createdAt' | 'createdBy' | 'owner' | 'targets'> & {
    target: number;
    tolerance: Tolerance;
  };
  values: readonly number[];
  notes: Readonly<Record<number, string>>;
}> = [
  {
    definition: {
      code: 'FTF',
      name: 'First time fix',
      description: 'Service desk contacts resolved at the first contact, without passing to another team.',
      unit: '%',
      polarity: 'higher',
      target: 80,
      tolerance: { kind: 'percent', value: 5 },
      frequency: 'monthly',
      council: SHARED,
    },
    values: [
      81.2, 80.6, 79.8, 80.9, 81.5, 82.0, 81.1, 80.4, 79.9, 80.8, 81.3, 79.0, 78.4, 79.6, 80.2, 81.0, 80.5, 79.1, 78.2,
      77.4, 76.8, 75.9, 74.1, 72.5,
    ],
    notes: {
      23: 'Dip after the service desk moved to the new portal; triage training booked for December.',
      22: 'Two experienced analysts left in September.',
    },
  },
  {
    definition: {
      code: 'MI',
      name: 'Major incidents',
      description: 'Priority 1 incidents across the shared estate.',
      unit: 'count',
      polarity: 'lower',
      target: 2,
      tolerance: { kind: 'absolute', value: 1 },
      frequency: 'monthly',
      council: SHARED,
    },
    values: [3, 2, 3, 2, 3, 3, 2, 4, 2, 3, 2, 2, 2, 3, 1, 2, 2, 2, 1, 1, 2, 0, 1, 1],
    notes: { 23: 'One P1: network outage at Westfields, restored in 3 hours.' },
  },
  {
    definition: {
      code: 'PTCS',
      name: 'Portal vs telephone channel shift',
      description: 'Share of service desk contacts logged on the self-service portal rather than by telephone.',
      unit: '%',
      polarity: 'higher',
      target: 65,
      tolerance: { kind: 'percent', value: 5 },
      frequency: 'monthly',
      council: SHARED,
    },
    values: [
      48.2, 49.0, 49.9, 50.6, 51.8, 52.5, 53.1, 54.0, 54.8, 55.9, 56.4, 57.2, 58.1, 58.9, 59.6, 60.8, 61.5, 62.3, 63.0,
      64.2, 65.1, 66.0, 67.3, 68.4,
    ],
    notes: { 23: 'Self-service catalogue relaunched; telephone line now offers a portal link.' },
  },
];

/** The demo KPIs with 24 months of readings ending with the last complete month; a KPI already there is left as it is. */
export async function seedKpiDemo(kpis: KpiRepository, demo: DemoContext): Promise<void> {
  const { partnership, actor, now } = demo;
  const periods = periodsBack(periodsAt(now).lastComplete.monthly, 24);
  for (const series of SERIES) {
    if (await kpis.get(partnership.id, series.definition.code)) continue;
    const { target, tolerance, ...rest } = series.definition;
    const definition: KpiDefinition = {
      ...rest,
      // One target, standing from the year the history starts.
      targets: firstTargets(periods[0]!.fyStart, target, tolerance),
      owner: { id: actor.id, name: actor.name, aadObjectId: actor.aadObjectId },
      createdAt: now.toISOString(),
      createdBy: 'demo data',
    };
    await kpis.add(partnership.id, definition, demoAudit(demo, `kpi ${definition.code}`, { name: definition.name }));
    await kpis.importReadings(
      partnership.id,
      definition.code,
      periods.map((period, i) => ({
        period,
        reading: {
          value: series.values[i]!,
          commentary: series.notes[i] ?? '',
          recordedBy: actor.name,
          recordedById: actor.id,
          recordedAt: now.toISOString(),
        },
      })),
      demoAudit(demo, `kpi ${definition.code} readings`, {
        months: `${periods[0]!.label} to ${periods.at(-1)!.label}`,
      }),
    );
  }
}
