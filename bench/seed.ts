import type { TransactionAction } from '@azure/data-tables';
import { mergeRecent, ragOf, type KpiDefinition, type ReadingPoint } from '../src/domain/kpi-assessment.js';
import { firstTargets } from '../src/domain/kpi-targets.js';
import type { KpiStatus, KpiUnit, Polarity, Tolerance } from '../src/domain/kpi.js';
import { lastCompletePeriod, periodsBack, previousPeriod } from '../src/domain/periods.js';
import { escapeKey } from '../src/storage/keys.js';
import { entryOf, KpiRepository } from '../src/storage/kpis.js';
import type { Tables } from '../src/storage/tables.js';
import { OWNERS, NOTES, SCOPES, STEMS } from './kpi-stems.js';
import { OFFICER, type Place } from './place.js';

/**
 * A partnership's KPIs for the benchmark: `count` monthly KPIs with 24 readings each, written
 * straight to storage (never through the bot). Deterministic: the same names, values and RAG
 * every run for the same `now` and count. Of every eight KPIs, two are built Red, one Amber, four
 * Green, and one has no reading for the last complete month.
 */

export const READINGS_PER_KPI = 24;

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

/** Which RAG the i-th KPI is built to show: of every 8, 2 Red, 1 Amber, 4 Green and 1 with no reading for the last month. */
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

export interface SeededKpi {
  readonly code: string;
  readonly name: string;
  readonly unit: KpiUnit;
  readonly intended: KpiStatus;
  /** The value recorded for the last complete month (undefined for the No data ones). */
  readonly latest: number | undefined;
}

export interface SeededKpis {
  readonly kpis: readonly SeededKpi[];
  readonly readings: number;
  /** Whether each reading was also written as its own row (see SeedOptions). */
  readonly readingRows: boolean;
  /** RAG of the seeded KPIs, as built (the bot's own count is read from its reply). */
  readonly counts: Readonly<Record<KpiStatus, number>>;
}

/** Runs `task` on every item, at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A name for the i-th KPI: 25 measures × 8 scopes, then the same again for further areas. */
function nameOf(i: number): string {
  const stem = STEMS[i % STEMS.length]!;
  const scope = SCOPES[Math.floor(i / STEMS.length) % SCOPES.length]!;
  const area = Math.floor(i / (STEMS.length * SCOPES.length));
  return `${stem.name} (${scope.label}${area > 0 ? `, area ${area + 1}` : ''})`;
}

type KpiPlan = ReturnType<typeof planKpi>;

function planKpi(i: number, count: number, now: Date, rand: () => number) {
  const at = now.toISOString();
  const due = lastCompletePeriod('monthly', now);
  const stem = STEMS[i % STEMS.length]!;
  const scope = SCOPES[Math.floor(i / STEMS.length) % SCOPES.length]!;
  const status = intended(i);
  const periods = periodsBack(status === 'No data' ? previousPeriod(due) : due, READINGS_PER_KPI);
  const phase = rand() * Math.PI * 2;
  const values = periods.map((_, m) =>
    rounded(stem.unit, stem.base * (1 + 0.06 * Math.sin(m / 2 + phase) + 0.03 * (rand() - 0.5))),
  );
  const latest = values.at(-1)!;
  const { target, tolerance } = targetFor(stem.unit, stem.polarity, latest, status === 'No data' ? 'Green' : status);
  const owner = OWNERS[i % OWNERS.length]!;
  const digits = Math.max(3, String(count).length);
  const definition: KpiDefinition = {
    code: `K${String(i + 1).padStart(digits, '0')}`,
    name: nameOf(i),
    description: stem.description,
    unit: stem.unit,
    polarity: stem.polarity,
    // One target for every year the readings span, so none is rated against another year's.
    targets: firstTargets(periods[0]!.fyStart, target, tolerance),
    frequency: 'monthly',
    owner,
    council: scope.council,
    createdAt: at,
    createdBy: OFFICER.name,
  };
  const readings = periods.map((period, m) => ({
    period,
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
  const seeded: SeededKpi = {
    code: definition.code,
    name: definition.name,
    unit: stem.unit,
    intended: status === 'No data' ? 'No data' : ragOf(definition, latest, periods.at(-1)!),
    latest: status === 'No data' ? undefined : latest,
  };
  return { definition, readings, seeded };
}

/**
 * The rows of one KPI as src/storage/kpis.ts lays them out (definition, name claim and, when
 * asked, one row per reading), written here in full batches; the summary is then written once by
 * the repository's own code. Adding 2,000 KPIs one by one would rewrite a growing summary shard
 * 4,000 times. The read-back in `seedKpis` fails loudly if this layout and the repository part.
 */
function rowsOf(place: Place, plan: KpiPlan, readingRows: boolean): TransactionAction[] {
  const pk = place.partnershipId;
  const code = escapeKey(plan.definition.code);
  const name = escapeKey(plan.definition.name.trim().replace(/\s+/g, ' ').toLowerCase());
  return [
    [
      'create',
      {
        partitionKey: pk,
        rowKey: `kpi|${code}`,
        definition: JSON.stringify(plan.definition),
        removedAt: '',
        removedBy: '',
      },
    ],
    ['create', { partitionKey: pk, rowKey: `kpiname|${name}`, code: plan.definition.code }],
    ...(readingRows
      ? plan.readings.map(({ period, reading }): TransactionAction => [
          'create',
          { partitionKey: pk, rowKey: `kpi|${code}|${escapeKey(period.sortKey)}`, ...reading, period: period.label },
        ])
      : []),
  ];
}

/** A transaction batch holds at most 100 rows. */
const BATCH_ROWS = 100;

export interface SeedOptions {
  /**
   * Write each reading as its own row (default). Without them the KPIs still carry their last 13
   * readings in the summary, which is all the list reads: Azurite's in-memory store slows down
   * with every row a partition holds (48,000 readings take minutes to write, and each later write
   * scans the partition), which Table storage does not.
   */
  readonly readingRows?: boolean;
}

/** Adds `count` KPIs with their readings to the place's partnership, straight to storage. */
export async function seedKpis(
  tables: Tables,
  place: Place,
  count: number,
  now: Date,
  options: SeedOptions = {},
): Promise<SeededKpis> {
  const readingRows = options.readingRows ?? true;
  const rand = random(20261125);
  const plans = Array.from({ length: count }, (_, i) => planKpi(i, count, now, rand));
  const batches: TransactionAction[][] = [[]];
  for (const plan of plans) {
    const rows = rowsOf(place, plan, readingRows);
    if (batches.at(-1)!.length + rows.length > BATCH_ROWS) batches.push([]);
    batches.at(-1)!.push(...rows);
  }
  await pool(batches, 4, async (batch) => {
    await tables.partnerships.submitTransaction(batch);
  });
  const kpis = new KpiRepository(tables);
  await kpis.summary.rebuild(place.partnershipId, async () =>
    plans.map((plan) => {
      const recent = plan.readings.reduce<ReadingPoint[]>(
        (kept, { period, reading }) => mergeRecent(kept, { period: period.label, value: reading.value }),
        [],
      );
      return [plan.definition.code, entryOf(plan.definition, recent)] as const;
    }),
  );
  await checkReadBack(kpis, place, plans, readingRows);

  const counts: Record<KpiStatus, number> = { Green: 0, Amber: 0, Red: 0, 'No data': 0 };
  for (const p of plans) counts[p.seeded.intended]++;
  return {
    kpis: plans.map((p) => p.seeded),
    readings: plans.reduce((n, p) => n + p.readings.length, 0),
    readingRows,
    counts,
  };
}

/** The repository reads back what was written: every KPI in the list, and the last one whole. */
async function checkReadBack(
  kpis: KpiRepository,
  place: Place,
  plans: readonly KpiPlan[],
  readingRows: boolean,
): Promise<void> {
  const last = plans.at(-1)!;
  const code = last.definition.code;
  const listed = await kpis.list(place.partnershipId);
  const stored = await kpis.get(place.partnershipId, code);
  const readings = readingRows ? await kpis.readings(place.partnershipId, code) : [];
  const problems = [
    listed.length === plans.length ? '' : `the list holds ${listed.length} of ${plans.length} KPIs`,
    listed.find((k) => k.code === code)?.recent.length ? '' : `${code} has no recent values in the list`,
    stored?.definition.name === last.definition.name ? '' : `${code} reads back without its definition`,
    !readingRows || readings.length === last.readings.length
      ? ''
      : `${code} reads back ${readings.length} of ${last.readings.length} readings`,
  ].filter(Boolean);
  if (problems.length > 0)
    throw new Error(`benchmark data does not read back as src/storage/kpis.ts lays it out: ${problems.join('; ')}`);
}
