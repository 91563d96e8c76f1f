import type { Tables } from '../src/storage/tables.js';
import { createPlace, type Place } from './place.js';
import { seedKpis } from './seed.js';
import type { Answer, Ask } from './teams.js';

/**
 * What the benchmark measures, one small declared object per scenario: its data (a fixture that
 * seeds storage directly, shared by every scenario that names it), the activity each simulated
 * person sends, how many conversations run at once, and what a right answer says (so a fast error
 * card never passes for throughput). A scenario without a fixture is listed as skipped, with its
 * reason, until its family's seeding is wired in.
 */

export interface SeededItem {
  readonly code: string;
  readonly name?: string;
  /** A value that may be recorded again without changing anything a person sees (e.g. the latest reading). */
  readonly value?: number;
}

export interface Seeded {
  readonly place: Place;
  readonly items: readonly SeededItem[];
  /** One line for the results: what the fixture holds. */
  readonly holds: string;
}

export interface Fixture {
  /** Scenarios that name the same key share one seeding. */
  readonly key: string;
  seed(tables: Tables, now: Date): Promise<Seeded>;
}

export interface Scenario {
  readonly name: string;
  readonly fixture: Fixture | undefined;
  /** Why the scenario is skipped (shown in the results) while it has no fixture. */
  readonly pending?: string;
  /** Conversations in flight at once. */
  readonly concurrency: number;
  /** The i-th activity (warm-up included). */
  ask(seeded: Seeded, i: number): Ask;
  /** What is wrong with an answer, or undefined when it is the one expected. */
  check(answer: Answer, seeded: Seeded): string | undefined;
  /** Share of the soak's mix (none: not in the soak). */
  readonly soakWeight?: number;
}

/**
 * The fan-out is measured otherwise (bench/fan-out.ts): the time from `start` until the sink has
 * received `sends` activities under Teams-like limits, against the least those limits allow.
 */
export interface FanOut {
  /** One line for the results: what was seeded. */
  readonly holds: string;
  /** Activities the fan-out sends in all (one digest per channel: `channels`). */
  readonly sends: number;
  /** Makes the bot at `botUrl` begin the fan-out (e.g. a digest run falling due). */
  start(botUrl: string): Promise<void>;
}

export interface FanOutScenario {
  readonly name: string;
  readonly channels: number;
  /** Seeds the partnership and its committee channels, with conversation references to `serviceUrl` (the sink). */
  readonly fixture: ((tables: Tables, now: Date, serviceUrl: string) => Promise<FanOut>) | undefined;
  readonly pending?: string;
}

/** The sizes of the KPI lists measured: 10, 200 and 2,000 in a full run. */
export type KpiSizes = readonly [small: number, large: number, largest: number];

/** A partnership with `count` KPIs of 24 monthly readings each. */
export function kpiFixture(count: number): Fixture {
  // Above this many KPIs only the summary holds readings: see SeedOptions in seed.ts.
  const readingRows = count <= 1000;
  return {
    key: `kpi-${count}`,
    async seed(tables, now) {
      const place = await createPlace(tables, `kpi${count}`, `Cheshire ICT Shared Service (${count} KPIs)`, now);
      const seeded = await seedKpis(tables, place, count, now, { readingRows });
      const c = seeded.counts;
      return {
        place,
        items: seeded.kpis.map((k) => ({
          code: k.code,
          name: k.name,
          ...(k.latest !== undefined ? { value: k.latest } : {}),
        })),
        holds:
          `${count} monthly KPIs × 24 readings (${c.Green} Green, ${c.Amber} Amber, ${c.Red} Red, ${c['No data']} with no data as built)` +
          (readingRows ? '' : '; readings kept in the summary only, no reading rows'),
      };
    },
  };
}

const problem = (ok: boolean, what: string, answer: Answer): string | undefined =>
  ok ? undefined : `expected ${what}, got: ${answer.text.split('\n').slice(0, 2).join(' / ') || '(no text)'}`;

/** Every reading the benchmark records has its own commentary, in every round and in the soak. */
let recordsAsked = 0;

function kpiList(count: number, soakWeight: number): Scenario {
  return {
    name: `kpi (${count.toLocaleString('en-GB')} KPIs)`,
    fixture: kpiFixture(count),
    concurrency: 32,
    ask: () => ({ kind: 'message', text: 'kpi' }),
    check: (a, s) =>
      problem(
        a.card !== undefined && a.text.startsWith(`KPIs — ${s.place.partnershipName}\n${count} KPIs: `),
        `the KPI list of ${count}`,
        a,
      ),
    soakWeight,
  };
}

/** KPIs with a latest value, in a fixed order that spreads over the summary's shards. */
const withValue = (s: Seeded) => s.items.filter((k) => k.value !== undefined);

export function kpiScenarios([small, large, largest]: KpiSizes, concurrency = 32): Scenario[] {
  // In the soak, the everyday list comes up twice as often as the smallest and the largest.
  const list = (count: number, soakWeight = 1) => ({ ...kpiList(count, soakWeight), concurrency });
  const at200 = kpiFixture(large);
  return [
    {
      name: 'help',
      fixture: at200,
      concurrency,
      ask: () => ({ kind: 'message', text: 'help' }),
      check: (a) => problem(a.card !== undefined && /\bkpi\b/.test(a.text), 'the help card', a),
      soakWeight: 1,
    },
    list(small),
    list(large, 2),
    {
      name: `kpi <code> (${large} KPIs)`,
      fixture: at200,
      concurrency,
      ask: (s, i) => ({ kind: 'message', text: `kpi ${s.items[(i * 7) % s.items.length]!.code}` }),
      check: (a, s) =>
        problem(
          a.card !== undefined && s.items.some((k) => a.text.startsWith(`${k.name} (${k.code}): `)),
          'a KPI detail card',
          a,
        ),
      soakWeight: 2,
    },
    {
      name: `kpi record (${large} KPIs)`,
      fixture: at200,
      concurrency,
      // The latest value again for the last complete month, with a new commentary each time: a real write
      // (reading, summary shard, audit) that changes no RAG. The same reading again would change nothing.
      ask: (s, i) => {
        const k = withValue(s)[(i * 7) % withValue(s).length]!;
        return { kind: 'message', text: `kpi record ${k.code} ${k.value} "checked again (${++recordsAsked})"` };
      },
      check: (a) => problem(a.card !== undefined && / is (Green|Amber|Red)\n/.test(a.text), 'a recorded reading', a),
      soakWeight: 2,
    },
    {
      name: `Show more (${large} KPIs)`,
      fixture: at200,
      concurrency,
      ask: () => ({ kind: 'invoke', verb: 'kpi.page', data: { offset: 20, filter: '', council: '' } }),
      check: (a) =>
        problem(a.card !== undefined && a.text.includes(`Showing 21–${Math.min(40, large)} of ${large}.`), 'page 2', a),
      soakWeight: 2,
    },
    // Last, so that the memory it takes shows apart from that of the lists people use every day.
    list(largest),
  ];
}

/**
 * The scenarios of the families built alongside: each runs once its fixture is given (seed the
 * family's rows for `createPlace`'s partnership, return its items); until then it is skipped.
 */
export function laterScenarios(concurrency = 32): Scenario[] {
  const notYet = (what: string): string => `no seeding for ${what} yet`;
  return [
    {
      name: 'risk list (10 risks)',
      fixture: undefined,
      pending: notYet('the risk register'),
      concurrency,
      ask: () => ({ kind: 'message', text: 'risk list' }),
      check: (a) => problem(a.card !== undefined, 'the risk register', a),
    },
    {
      name: 'risk list (2,000 risks)',
      fixture: undefined,
      pending: notYet('the risk register'),
      concurrency,
      ask: () => ({ kind: 'message', text: 'risk list' }),
      check: (a) => problem(a.card !== undefined, 'the risk register', a),
    },
    {
      name: 'budget forecast (500 lines × 12 periods)',
      fixture: undefined,
      pending: notYet('budget lines'),
      concurrency,
      ask: () => ({ kind: 'message', text: 'budget forecast' }),
      check: (a) => problem(a.card !== undefined, 'the budget forecast', a),
    },
    {
      name: 'Approve click',
      fixture: undefined,
      pending: notYet('approvals'),
      concurrency,
      // The approvals family names the verb and its data; an item is a pending approval's id.
      ask: (s, i) => ({ kind: 'invoke', verb: 'approval.vote', data: { id: s.items[i % s.items.length]!.code } }),
      check: (a) => problem(a.card !== undefined, 'the approval card after the vote', a),
    },
  ];
}

export const DIGEST_FAN_OUT: FanOutScenario = {
  name: 'digest fan-out to 1,000 channels',
  channels: 1000,
  fixture: undefined,
  pending: 'no seeding of committee channels and no way to start a digest run yet',
};
