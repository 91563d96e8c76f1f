import type { AuditEntry } from '../src/storage/audit.js';
import { KpiRepository } from '../src/storage/kpis.js';
import type { Services } from '../src/commands/services.js';
import { ragOf, type KpiDefinition, type KpiOwner } from '../src/domain/kpi-assessment.js';
import { firstTargets } from '../src/domain/kpi-targets.js';
import type { KpiStatus, KpiUnit, Polarity, Tolerance } from '../src/domain/kpi.js';
import { partnershipIdFor, type Partnership, type PartnershipId } from '../src/domain/partnership.js';
import { lastCompletePeriod, periodsBack, previousPeriod } from '../src/domain/periods.js';

/**
 * The benchmark's partnership: one team bound to it, one officer with every role, and 200 monthly
 * KPIs with 24 readings each (4,800 readings), written straight through the repositories.
 * Deterministic: the same names, values and RAG every run for the same `now`.
 */

export const BENCH_PARTNERSHIP = 'Cheshire ICT Shared Service (benchmark)';
export const KPI_COUNT = 200;
export const READINGS_PER_KPI = 24;

export interface BenchPlace {
  readonly tenantId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly aadGroupId: string;
  readonly channelId: string;
  readonly channelName: string;
  readonly user: KpiOwner & { aadObjectId: string };
}

export const PLACE: BenchPlace = {
  tenantId: '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70',
  teamId: '19:bench-shared-ict-team@thread.tacv2',
  teamName: 'Shared ICT Service',
  aadGroupId: 'e5c1a7f6-0005-4eaf-9051-55ee66ff7700',
  channelId: '19:bench-performance-channel@thread.tacv2',
  channelName: 'Performance',
  user: {
    id: '29:1bench-ict-service-manager',
    name: 'Alex Morgan',
    aadObjectId: 'a1e7c3b2-0001-4a6b-9c1d-11aa22bb33cc',
  },
};

const OWNERS: readonly KpiOwner[] = [
  PLACE.user,
  { id: '29:1sam-finance-officer', name: 'Sam Jones', aadObjectId: 'b2f8d4c3-0002-4b7c-8d2e-22bb33cc44dd' },
  { id: '29:1jo-service-desk-lead', name: 'Jo Williams', aadObjectId: 'd4b0f6e5-0004-4d9e-8f40-44dd55ee66ff' },
  { id: '29:1priya-infrastructure-lead', name: 'Priya Shah', aadObjectId: 'c3a9e5d4-0003-4c8d-9e3f-33cc44dd55ee' },
];

interface Stem {
  readonly name: string;
  readonly unit: KpiUnit;
  readonly polarity: Polarity;
  /** Typical value, in the unit (pence for £). */
  readonly base: number;
  readonly description: string;
}

/** 25 measures a shared ICT service reports, × 8 scopes = 200 distinct KPI names. */
const STEMS: readonly Stem[] = [
  {
    name: 'First time fix',
    unit: '%',
    polarity: 'higher',
    base: 80,
    description: 'Service desk contacts resolved at the first contact.',
  },
  {
    name: 'Major incidents',
    unit: 'count',
    polarity: 'lower',
    base: 14,
    description: 'Priority 1 incidents in the month.',
  },
  {
    name: 'Portal channel shift',
    unit: '%',
    polarity: 'higher',
    base: 62,
    description: 'Contacts logged on the self-service portal rather than by telephone.',
  },
  {
    name: 'Calls answered in 60 seconds',
    unit: '%',
    polarity: 'higher',
    base: 85,
    description: 'Service desk calls answered within a minute.',
  },
  {
    name: 'Incidents resolved within SLA',
    unit: '%',
    polarity: 'higher',
    base: 90,
    description: 'Incidents closed within the agreed resolution time for their priority.',
  },
  {
    name: 'Days to fulfil a request',
    unit: 'days',
    polarity: 'lower',
    base: 5,
    description: 'Average working days from request to fulfilment.',
  },
  {
    name: 'Network availability',
    unit: '%',
    polarity: 'higher',
    base: 99.5,
    description: 'Core network availability in core hours.',
  },
  {
    name: 'Unplanned downtime',
    unit: 'hours',
    polarity: 'lower',
    base: 6,
    description: 'Hours of unplanned outage of tier 1 systems.',
  },
  {
    name: 'Customer satisfaction',
    unit: 'score',
    polarity: 'higher',
    base: 4.2,
    description: 'Average survey score out of 5 after a closed ticket.',
  },
  {
    name: 'Invoices paid in 30 days',
    unit: '%',
    polarity: 'higher',
    base: 95,
    description: 'Supplier invoices paid within 30 days of receipt.',
  },
  {
    name: 'Agency and overtime cost',
    unit: '£',
    polarity: 'lower',
    base: 1_500_000,
    description: 'Monthly spend on agency staff and overtime.',
  },
  {
    name: 'Open problem records',
    unit: 'count',
    polarity: 'lower',
    base: 24,
    description: 'Problem records open at month end.',
  },
  {
    name: 'Devices patched in 14 days',
    unit: '%',
    polarity: 'higher',
    base: 95,
    description: 'End-user devices with critical patches applied within 14 days.',
  },
  {
    name: 'Phishing test click rate',
    unit: '%',
    polarity: 'lower',
    base: 6,
    description: 'Share of staff who clicked the simulated phishing link.',
  },
  {
    name: 'Backup success rate',
    unit: '%',
    polarity: 'higher',
    base: 99,
    description: 'Scheduled backups completed and verified.',
  },
  {
    name: 'Sickness absence',
    unit: 'days',
    polarity: 'lower',
    base: 0.9,
    description: 'Working days lost to sickness per FTE in the month.',
  },
  {
    name: 'Projects reporting Green',
    unit: '%',
    polarity: 'higher',
    base: 70,
    description: 'Portfolio projects reporting Green at the monthly checkpoint.',
  },
  {
    name: 'Changes without incident',
    unit: '%',
    polarity: 'higher',
    base: 97,
    description: 'Changes implemented without causing an incident.',
  },
  {
    name: 'Laptops over five years old',
    unit: 'count',
    polarity: 'lower',
    base: 60,
    description: 'Laptops in use that are past their five-year life.',
  },
  {
    name: 'Licence spend',
    unit: '£',
    polarity: 'lower',
    base: 5_000_000,
    description: 'Monthly software licence spend.',
  },
  {
    name: 'Calls abandoned',
    unit: '%',
    polarity: 'lower',
    base: 8,
    description: 'Calls to the service desk abandoned before answer.',
  },
  {
    name: 'Cyber training completion',
    unit: '%',
    polarity: 'higher',
    base: 90,
    description: 'Staff who completed the annual cyber awareness course.',
  },
  {
    name: 'Time to restore a P1',
    unit: 'hours',
    polarity: 'lower',
    base: 4,
    description: 'Mean hours to restore service after a major incident.',
  },
  {
    name: 'FOI answered on time',
    unit: '%',
    polarity: 'higher',
    base: 90,
    description: 'Freedom of information requests on ICT answered within 20 working days.',
  },
  {
    name: 'Service desk backlog',
    unit: 'count',
    polarity: 'lower',
    base: 300,
    description: 'Tickets open at month end.',
  },
];

const SCOPES: ReadonlyArray<{ label: string; council: string }> = [
  { label: 'CEC', council: 'CEC' },
  { label: 'CWAC', council: 'CWAC' },
  { label: 'shared estate', council: 'SHARED' },
  { label: 'schools', council: 'SHARED' },
  { label: 'adult social care', council: 'CEC' },
  { label: 'revenues and benefits', council: 'CWAC' },
  { label: 'highways', council: 'CEC' },
  { label: 'libraries', council: 'CWAC' },
];

/** A small deterministic generator (mulberry32), so every run seeds the same values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rounded(unit: KpiUnit, value: number): number {
  if (unit === '£' || unit === 'count') return Math.max(0, Math.round(value));
  if (unit === '%') return Math.min(100, Math.max(0, Math.round(value * 10) / 10));
  return Math.max(0, Math.round(value * 100) / 100);
}

/** Which RAG the i-th KPI is built to show: 50 Red, 25 Amber, 100 Green, 25 with no reading for the last month. */
function intended(i: number): KpiStatus {
  const slot = i % 8;
  return slot < 2 ? 'Red' : slot === 2 ? 'Amber' : slot === 7 ? 'No data' : 'Green';
}

/** A target and tolerance that put the latest value in the intended band. */
function targetFor(
  unit: KpiUnit,
  polarity: Polarity,
  latest: number,
  status: KpiStatus,
): { target: number; tolerance: Tolerance } {
  const up = polarity === 'higher' ? 1 : -1;
  if (unit === 'count') {
    const tolerance: Tolerance = { kind: 'absolute', value: 2 };
    const shift = status === 'Red' ? 5 : status === 'Amber' ? 1 : -1;
    return { target: Math.max(0, latest + up * shift), tolerance };
  }
  const tolerance: Tolerance = { kind: 'percent', value: 5 };
  const factor = status === 'Red' ? 1.25 : status === 'Amber' ? 1.02 : 1;
  const raw = polarity === 'higher' ? latest * factor : latest / factor;
  const target =
    unit === '£'
      ? Math.round(raw)
      : unit === '%'
        ? Math.min(100, Math.round(raw * 100) / 100)
        : Math.round(raw * 100) / 100;
  return { target, tolerance };
}

const NOTES = [
  'Dip after the service desk moved to the new portal; triage training booked for December.',
  'Two experienced analysts left in September; recruitment under way with the agency.',
  'Recovered after the October change freeze; the supplier fix is in production.',
  'Figures confirmed with the finance business partner at the monthly budget meeting.',
];

export interface SeededKpi {
  readonly code: string;
  readonly name: string;
  readonly unit: KpiUnit;
  readonly intended: KpiStatus;
  /** The value recorded for the last complete month (undefined for the No data ones). */
  readonly latest: number | undefined;
}

export interface SeedResult {
  readonly partnershipId: PartnershipId;
  readonly kpis: readonly SeededKpi[];
  readonly readings: number;
  /** Intended RAG of the seeded KPIs, as built (the bot's own count is read from its reply). */
  readonly intendedCounts: Readonly<Record<KpiStatus, number>>;
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function seedBench(services: Services, now: Date): Promise<SeedResult> {
  const at = now.toISOString();
  const partnership: Partnership = {
    id: partnershipIdFor(BENCH_PARTNERSHIP, PLACE.tenantId),
    name: BENCH_PARTNERSHIP,
    tenantId: PLACE.tenantId,
    councils: [
      { code: 'CEC', shareBasisPoints: 5000 },
      { code: 'CWAC', shareBasisPoints: 5000 },
    ],
    createdAt: at,
    createdBy: PLACE.user.name,
  };
  const audit = (subject: string): AuditEntry => ({
    at,
    actorId: PLACE.user.id,
    actorAadObjectId: PLACE.user.aadObjectId,
    actorName: PLACE.user.name,
    command: 'benchmark data',
    subject,
    before: null,
    after: null,
    conversationId: PLACE.teamId,
  });
  const grant = (role: 'admin' | 'editor' | 'approver') => ({
    userId: PLACE.user.id,
    userName: PLACE.user.name,
    aadObjectId: PLACE.user.aadObjectId,
    role,
    council: undefined,
    grantedBy: 'benchmark',
    grantedAt: at,
  });
  const team = {
    partnershipId: partnership.id,
    key: { kind: 'team' as const, teamId: PLACE.teamId },
    label: `team ${PLACE.teamName}`,
    boundBy: PLACE.user.name,
    boundAt: at,
  };
  await services.partnerships.create(partnership, grant('admin'), team, audit(`partnership ${BENCH_PARTNERSHIP}`));
  for (const role of ['editor', 'approver'] as const)
    await services.roles.grant(partnership.id, grant(role), audit(`role ${role}`));

  const due = lastCompletePeriod('monthly', now);
  const full = periodsBack(due, READINGS_PER_KPI);
  const lagging = periodsBack(previousPeriod(due), READINGS_PER_KPI);
  const rand = random(20261125);

  const plans = Array.from({ length: KPI_COUNT }, (_, i) => {
    const stem = STEMS[i % STEMS.length]!;
    const scope = SCOPES[Math.floor(i / STEMS.length) % SCOPES.length]!;
    const status = intended(i);
    const periods = status === 'No data' ? lagging : full;
    const phase = rand() * Math.PI * 2;
    const values = periods.map((_, m) =>
      rounded(stem.unit, stem.base * (1 + 0.06 * Math.sin(m / 2 + phase) + 0.03 * (rand() - 0.5))),
    );
    const latest = values.at(-1)!;
    const { target, tolerance } = targetFor(stem.unit, stem.polarity, latest, status === 'No data' ? 'Green' : status);
    const owner = OWNERS[i % OWNERS.length]!;
    const definition: KpiDefinition = {
      code: `K${String(i + 1).padStart(3, '0')}`,
      name: `${stem.name} (${scope.label})`,
      description: stem.description,
      unit: stem.unit,
      polarity: stem.polarity,
      targets: firstTargets(periods[0]!.fyStart, target, tolerance),
      frequency: 'monthly',
      owner,
      council: scope.council,
      createdAt: at,
      createdBy: PLACE.user.name,
    };
    const readings = periods.map((p, m) => ({
      period: p,
      reading: {
        value: values[m]!,
        commentary:
          m === periods.length - 1 && i % 3 === 0
            ? NOTES[i % NOTES.length]!
            : m === periods.length - 2 && i % 5 === 0
              ? NOTES[(i + 1) % NOTES.length]!
              : '',
        recordedBy: owner.name,
        recordedById: owner.id,
        recordedAt: at,
      },
    }));
    const built = status === 'No data' ? 'No data' : ragOf(definition, latest, periods.at(-1)!);
    return {
      definition,
      readings,
      seeded: {
        code: definition.code,
        name: definition.name,
        unit: stem.unit,
        intended: built,
        latest: status === 'No data' ? undefined : latest,
      } satisfies SeededKpi,
    };
  });

  const kpis = new KpiRepository(services.tables);
  await pool(plans, 8, async ({ definition, readings }) => {
    await kpis.add(partnership.id, definition, audit(`kpi ${definition.code}`));
    await kpis.importReadings(partnership.id, definition.code, readings, audit(`kpi ${definition.code} readings`));
  });

  const intendedCounts: Record<KpiStatus, number> = { Green: 0, Amber: 0, Red: 0, 'No data': 0 };
  for (const p of plans) intendedCounts[p.seeded.intended]++;
  return {
    partnershipId: partnership.id,
    kpis: plans.map((p) => p.seeded),
    readings: plans.reduce((n, p) => n + p.readings.length, 0),
    intendedCounts,
  };
}
