import { seedApprovalForVoting, type VotingSeed } from '../src/commands/approvals/seed.js';
import { financialYearLabel, periodOf } from '../src/domain/periods.js';
import { plural } from '../src/domain/vocabulary.js';
import { seedBudgetForBenchmark } from '../src/storage/budget-import.js';
import { RiskRepository, seedRisks } from '../src/storage/risks.js';
import type { Tables } from '../src/storage/tables.js';
import { seedDigestFanOut } from './digest-fanout.js';
import { createPlace, type Place } from './place.js';
import { seedKpis } from './seed.js';
import { benchServices } from './services.js';
import { BOT, type Answer, type Ask } from './teams.js';

/**
 * What the benchmark measures, one small declared object per scenario: its data (a fixture that
 * seeds storage directly, shared by every scenario that names it), the activity each simulated
 * person sends, how many conversations run at once, and what a right answer says (so a fast error
 * card never passes for throughput). A scenario without a fixture is listed as skipped, with its
 * reason.
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
  /** The first votes still to cast, for the Approve click. */
  readonly votes?: FirstVotes;
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
  /** The i-th activity of a slice (warm-up included). */
  ask(seeded: Seeded, i: number): Ask;
  /** What the floor is sent instead, where `ask` hands out something used once (a first vote). */
  floorAsk?(seeded: Seeded, i: number): Ask;
  /** What is wrong with an answer, or undefined when it is the one expected. */
  check(answer: Answer, seeded: Seeded): string | undefined;
  /** Share of the soak's mix (none: not in the soak). */
  readonly soakWeight?: number;
}

/**
 * The fan-out is measured otherwise (bench/fan-out.ts): from the tick that starts a digest run in
 * a bot of its own until the sink, under Teams-like limits, has received one digest in every
 * channel, against the least those limits allow.
 */
export interface FanOutSeeded {
  /** One line for the results: what was seeded. */
  readonly holds: string;
  /** The channels that must each receive the digest exactly once. */
  readonly conversationIds: readonly string[];
}

export interface FanOutScenario {
  readonly name: string;
  readonly channels: number;
  /** Subscribes `channels` channels to the place's partnership's digest, due at `due`, with references to `serviceUrl` (the sink). */
  seed(tables: Tables, partnership: Place, serviceUrl: string, due: Date): Promise<FanOutSeeded>;
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
        a.card !== undefined && a.text.startsWith(`KPIs — ${s.place.partnershipName}\n${plural(count, 'KPI')}: `),
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

/** The sizes of the families' scenarios in a run. */
export interface FamilySizes {
  /** The risk registers measured: 10 and 2,000 risks in a full run. */
  readonly risks: readonly [small: number, large: number];
  /** The budget year measured: 500 lines × 12 periods of actuals in a full run. */
  readonly budget: { readonly lines: number; readonly periods: number };
  /** First votes seeded for the Approve click: more than the bot can cast in the scenario's time. */
  readonly votes: number;
  /** Approvers on each seeded approval (a board); approvals are added until there are `votes` first votes. */
  readonly approvers: number;
  /** Committee channels the digest fans out to: 1,000 in a full run. */
  readonly channels: number;
}

const n = (count: number) => count.toLocaleString('en-GB');

/** A partnership with `count` open risks scored at random on the 5×5 grid (src/storage/risks.ts `seedRisks`). */
export function riskFixture(count: number): Fixture {
  return {
    key: `risk-${count}`,
    async seed(tables, now) {
      const place = await createPlace(tables, `risk${count}`, `Cheshire ICT Shared Service (${n(count)} risks)`, now);
      await seedRisks(tables, place.partnershipId, count, now);
      const listed = await new RiskRepository(tables).list(place.partnershipId);
      if (listed.length !== count)
        throw new Error(`the risk register reads back ${listed.length} of the ${count} risks seeded`);
      return {
        place,
        items: listed.map((r) => ({ code: r.id, name: r.title })),
        holds: `${n(count)} open risks, likelihood and impact drawn on the 5×5 grid, a review due today`,
      };
    },
  };
}

/** The financial year before `now`'s, so that all twelve months of actuals are in the past. */
export const lastYearOf = (now: Date): number => periodOf('annual', now).fyStart - 1;

/** A partnership with a year of `lines` budget lines and `periods` months of actuals (src/storage/budget-import.ts). */
export function budgetFixture(lines: number, periods: number): Fixture {
  return {
    key: `budget-${lines}x${periods}`,
    async seed(tables, now) {
      const place = await createPlace(
        tables,
        `budget${lines}`,
        `Cheshire ICT Shared Service (${n(lines)} budget lines)`,
        now,
      );
      const fyStart = lastYearOf(now);
      const seeded = await seedBudgetForBenchmark(tables, place.partnershipId, {
        fyStart,
        councils: ['CEC', 'CWAC'],
        at: now.toISOString(),
        lines,
        periods,
      });
      return {
        place,
        items: [{ code: financialYearLabel(fyStart) }],
        holds: `${n(seeded.lines)} budget lines for ${financialYearLabel(fyStart)} with ${n(seeded.actuals)} monthly actuals`,
      };
    },
  };
}

/**
 * First votes not cast yet, one per click. Each voter may approve an approval once, so every
 * click takes a new pair: click k is approver ⌊k / A⌋ on approval k mod A (A approvals), so the
 * clicks in flight at once fall on different approvals, as board members voting on the items of
 * their own inboxes do. A click with none left fails loudly rather than vote twice.
 */
export class FirstVotes {
  private taken = 0;

  constructor(private readonly approvals: readonly VotingSeed[]) {
    if (approvals.length === 0) throw new RangeError('no approvals to vote on');
  }

  get size(): number {
    return this.approvals.reduce((sum, a) => sum + a.voters.length, 0);
  }

  get cast(): number {
    return this.taken;
  }

  /** The next first vote as the Approve button's invoke, from its voter. */
  take(): Ask {
    const k = this.taken;
    const approval = this.approvals[k % this.approvals.length]!;
    const voter = approval.voters[Math.floor(k / this.approvals.length)];
    if (!voter) throw new Error(`all ${this.size} seeded first votes were cast: seed more (FamilySizes.votes)`);
    this.taken++;
    return { kind: 'invoke', verb: approval.verb, data: { ...approval.data }, from: voter };
  }

  /** A click of the same shape that is never sent to the bot (for the floor, which counts nothing). */
  shape(): Ask {
    const approval = this.approvals[0]!;
    return { kind: 'invoke', verb: approval.verb, data: { ...approval.data }, from: approval.voters[0]! };
  }
}

/** A partnership with pending approvals of `approvers` approvers each (policy "every approver"), `votes` first votes in all. */
export function approvalFixture(votes: number, approvers: number): Fixture {
  return {
    key: `approvals-${votes}`,
    async seed(tables, now) {
      const place = await createPlace(tables, 'approve', 'Cheshire ICT Shared Service (approvals)', now);
      const services = benchServices(tables, () => now);
      const partnership = await services.partnerships.get(place.partnershipId);
      if (!partnership) throw new Error('the approvals partnership does not read back');
      const count = Math.ceil(votes / approvers);
      const approvals: VotingSeed[] = [];
      // One after another: each approval takes the next number of the partnership's sequence.
      for (let i = 0; i < count; i++)
        approvals.push(
          await seedApprovalForVoting(services, partnership, {
            approvers,
            requester: { id: place.user.id, name: place.user.name },
            now,
            label: 'board',
          }),
        );
      const pool = new FirstVotes(approvals);
      return {
        place,
        items: approvals.map((a) => ({ code: a.approvalId })),
        votes: pool,
        holds: `${n(count)} pending approvals, each needing all of the same ${approvers} approvers: ${n(pool.size)} first votes, one per click`,
      };
    },
  };
}

/** The register and its heat map. */
function riskList(count: number, concurrency: number, soakWeight?: number): Scenario {
  return {
    name: `risk list (${n(count)} risks)`,
    fixture: riskFixture(count),
    concurrency,
    ask: () => ({ kind: 'message', text: 'risk list' }),
    check: (a, s) =>
      problem(
        a.card !== undefined &&
          a.text.startsWith(`Risk register — ${s.place.partnershipName}\n${plural(count, 'open risk')}`) &&
          a.text.includes('\nHeat map (open risks by current score):\n'),
        `the register of ${count} risks with its heat map`,
        a,
      ),
    ...(soakWeight ? { soakWeight } : {}),
  };
}

/** The scenarios of the risk register, the budget and approvals, at `sizes`. */
export function familyScenarios(sizes: FamilySizes, concurrency = 32): Scenario[] {
  const { lines, periods } = sizes.budget;
  const yearOf = (s: Seeded) => s.items[0]!.code;
  return [
    riskList(sizes.risks[0], concurrency),
    riskList(sizes.risks[1], concurrency, 1),
    {
      name: `budget forecast (${n(lines)} lines × ${periods} periods)`,
      fixture: budgetFixture(lines, periods),
      concurrency,
      ask: (s) => ({ kind: 'message', text: `budget forecast year=${yearOf(s)}` }),
      check: (a, s) =>
        problem(
          a.card !== undefined &&
            a.text.startsWith(`Budget forecast ${yearOf(s)} — ${s.place.partnershipName}\nFigures at `) &&
            a.text.includes('\nTop drivers:\n'),
          `the budget forecast for ${yearOf(s)}`,
          a,
        ),
      soakWeight: 1,
    },
    {
      name: 'Approve click',
      fixture: approvalFixture(sizes.votes, sizes.approvers),
      concurrency,
      // Every click a first vote: the pool hands each out once; the floor is sent one of the same shape.
      ask: (s) => s.votes!.take(),
      floorAsk: (s) => s.votes!.shape(),
      check: (a) =>
        problem(
          a.card !== undefined && a.text.startsWith('Your approval is counted.\n'),
          'the approval card after a counted vote',
          a,
        ),
    },
  ];
}

/** The digest fan-out: a digest due now in `channels` committee channels of the tenant. */
export function digestFanOut(channels: number): FanOutScenario {
  return {
    name: `digest fan-out to ${n(channels)} channels`,
    channels,
    async seed(tables, partnership, serviceUrl, due) {
      const laid = await seedDigestFanOut(benchServices(tables), {
        channels,
        serviceUrl,
        due,
        tenantId: partnership.tenantId,
        bot: BOT,
        partnershipId: partnership.partnershipId,
      });
      return {
        conversationIds: laid.conversationIds,
        holds: `${partnership.partnershipName}'s digest (every section) due at ${due.toISOString().slice(11, 16)} UTC in ${n(channels)} channels of one tenant, one subscription each`,
      };
    },
  };
}
