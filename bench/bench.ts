import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type RunningAzurite } from '../scripts/azurite.js';
import { startConnectorStub, type ConnectorStub } from '../scripts/connector-stub.js';
import { ensureTables, openStorage } from '../src/storage/tables.js';
import { measureFanOut, TEAMS_LIMITS, type FanOutResult } from './fan-out.js';
import { measureRounds, runSlice, soak, type Load, type Round, type SoakResult } from './measure.js';
import { readProfile, summariseProfile, type ProfileSummary } from './profile.js';
import { machineCpuMs, procCpuMs, startMeasured, type MeasuredProcess } from './processes.js';
import {
  digestFanOut,
  familyScenarios,
  kpiFixture,
  kpiScenarios,
  type FamilySizes,
  type KpiSizes,
  type Scenario,
  type Seeded,
} from './scenarios.js';
import { TeamsClient, type Answer } from './teams.js';

/** How long and how hard to measure. A full run takes about 9 minutes on 2 cores; a quick one about 20 seconds. */
export interface BenchSettings {
  readonly quick: boolean;
  readonly kpiSizes: KpiSizes;
  readonly familySizes: FamilySizes;
  readonly concurrency: number;
  readonly warmUpMs: number;
  readonly sliceMs: number;
  readonly rounds: number;
  readonly soakMs: number;
  readonly soakConcurrency: number;
  readonly soakSampleMs: number;
  /** 0 leaves the profile out. */
  readonly profileMs: number;
  /** The fan-out bot's pacing (BENCH_TENANT_RATE sets the tenant's, 1 to 50). */
  readonly fanOutPacing: FanOutPacing;
  /** Run only the scenarios whose names start with one of these (all when empty). */
  readonly only: readonly string[];
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number, maxSeconds: number): number {
  const raw = env[name]?.trim();
  const value = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(value) && value >= 0 ? Math.min(value, maxSeconds) * 1000 : fallbackMs;
}

/**
 * First votes to seed for the Approve click: enough for a bot answering 250 clicks a second (five
 * times what it does on 2 cores) through the warm-up and every round, twice over for the ramps,
 * drains and stretched windows; a click that finds none left fails the run rather than vote twice.
 */
export function firstVotesFor(timing: Pick<BenchSettings, 'warmUpMs' | 'sliceMs' | 'rounds'>): number {
  const clickingMs = timing.warmUpMs + timing.rounds * timing.sliceMs;
  return Math.ceil((250 * clickingMs * 2) / 1000);
}

export function settingsFrom(env: NodeJS.ProcessEnv): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  const rounds = Math.trunc(Number(env.BENCH_ROUNDS));
  const tenantRate = Math.trunc(Number(env.BENCH_TENANT_RATE));
  const base: BenchSettings = quick
    ? {
        quick,
        kpiSizes: [10, 30, 60],
        // 60 channels: one more than the 50 a second the sink allows, so the fan-out has a least time to compare with.
        familySizes: { risks: [5, 40], budget: { lines: 20, periods: 12 }, votes: 0, approvers: 12, channels: 60 },
        concurrency: 4,
        warmUpMs: 100,
        sliceMs: 200,
        rounds: 2,
        soakMs: 600,
        soakConcurrency: 4,
        soakSampleMs: 200,
        profileMs: 400,
        fanOutPacing: FAN_OUT_PACING,
        only: [],
      }
    : {
        quick,
        kpiSizes: [10, 200, 2000],
        familySizes: {
          risks: [10, 2000],
          budget: { lines: 500, periods: 12 },
          votes: 0,
          approvers: 12,
          channels: 1000,
        },
        concurrency: 32,
        // 11 scenarios at 3 rounds of 1.5 s a side fit a full run in 10 minutes on 2 cores with the 5-minute soak.
        warmUpMs: 1000,
        sliceMs: 1500,
        rounds: 3,
        soakMs: 300_000,
        soakConcurrency: 16,
        soakSampleMs: 10_000,
        profileMs: 8_000,
        fanOutPacing: FAN_OUT_PACING,
        only: [],
      };
  const timing = {
    warmUpMs: base.warmUpMs,
    rounds: rounds >= 1 && rounds <= 20 ? rounds : base.rounds,
    sliceMs: seconds(env, 'BENCH_SLICE_SECONDS', base.sliceMs, 60),
  };
  return {
    ...base,
    ...timing,
    familySizes: { ...base.familySizes, votes: firstVotesFor(timing) },
    soakMs: seconds(env, 'BENCH_SOAK_SECONDS', base.soakMs, 3600),
    profileMs: seconds(env, 'BENCH_PROFILE_SECONDS', base.profileMs, 120),
    fanOutPacing: {
      ...FAN_OUT_PACING,
      ...(tenantRate >= 1 && tenantRate <= 50 ? { TENANT_SEND_RATE_PER_SECOND: tenantRate } : {}),
    },
    only: (env.BENCH_ONLY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** The compiled programs the benchmark starts. */
export interface BenchPrograms {
  readonly bot: string;
  readonly floor: string;
  readonly probe: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly concurrency: number;
  readonly holds: string;
  /** What the scenario used up of its data, where it uses some up (first votes). */
  readonly used?: string;
  readonly cardBytes: number;
  readonly rounds: readonly Round[];
  /** The bot's RSS after the scenario, and its peak so far. */
  readonly rssBytes: number;
  readonly maxRssBytes: number;
  /** The bot's JavaScript heap in use after the scenario, garbage not yet collected included. */
  readonly heapUsedBytes: number;
}

export interface BenchReport {
  readonly settings: BenchSettings;
  readonly startedAt: Date;
  readonly totalMs: number;
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
  /** Average cores busy with processes other than the benchmark's own over the run (Linux only). */
  readonly otherCores: number | undefined;
  readonly seedMs: number;
  readonly floorCardBytes: number;
  readonly scenarios: readonly ScenarioResult[];
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  readonly soak: SoakResult | undefined;
  readonly fanOut: FanOutReport | undefined;
  /** The bot profiled while it answered `kpi` at the large size, then at the largest. */
  readonly profiles: ReadonlyArray<ProfileSummary & { readonly scenario: string; readonly windowMs: number }>;
  readonly peakRssBytes: number;
  readonly storageConnections: number;
  /** The bot's HTTP requests to the connector over the run, and the connections they opened. */
  readonly connector: { readonly requests: number; readonly connections: number };
  /** Answers that were not the expected card, by scenario; any makes the run fail. */
  readonly failures: readonly string[];
}

export interface FanOutReport extends FanOutResult {
  readonly name: string;
  readonly holds: string;
  /** The bot's pacing, as its environment set it. */
  readonly pacing: FanOutPacing;
  /** What the bot's scheduler said of the runs of the measured tick. */
  readonly runs: readonly string[];
  readonly botCpuMs: number;
}

/** A fan-out that has not finished by then is reported as it stands. */
const FAN_OUT_TIMEOUT_MS = 5 * 60_000;

/**
 * The fan-out bot's pacing: the limits the sink enforces (TEAMS_LIMITS: 7 a second to one
 * conversation, 50 a second to the tenant), so the least time those limits allow is also the
 * least the bot's own pacing allows, and the ratio measures how well the bot uses them (a send
 * the sink answers 429 costs the tenant the Retry-After). BENCH_TENANT_RATE sets a lower tenant rate.
 */
export interface FanOutPacing {
  readonly SEND_RATE_PER_SECOND: number;
  readonly TENANT_SEND_RATE_PER_SECOND: number;
}
export const FAN_OUT_PACING: FanOutPacing = { SEND_RATE_PER_SECOND: 7, TENANT_SEND_RATE_PER_SECOND: 50 };

const cardBytesOf = (a: Answer) => (a.card ? Buffer.byteLength(JSON.stringify(a.card)) : 0);

export async function runBench(
  settings: BenchSettings,
  programs: BenchPrograms,
  log: (line: string) => void,
): Promise<BenchReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const loadBefore = loadavg();
  const machineBefore = machineCpuMs();
  const ourCpu = { ms: 0 };
  const work = mkdtempSync(join(tmpdir(), 'governance-bench-'));
  let azurite: RunningAzurite | undefined;
  let sink: ConnectorStub | undefined;
  let client: TeamsClient | undefined;
  const started: MeasuredProcess[] = [];
  const stopMeasured = async (p: MeasuredProcess) => {
    ourCpu.ms += await p.sample().then(
      (s) => s.cpuMs,
      () => 0,
    );
    await p.stop();
  };
  try {
    azurite = await startAzurite();
    const storage = openStorage(azurite.connectionString);
    await ensureTables(storage);
    sink = await startConnectorStub({ retain: false });
    client = new TeamsClient(sink);

    // Scenario names start with their command; BENCH_ONLY=risk,budget,approve,digest picks them whatever the case.
    const wanted = (s: { name: string }) =>
      settings.only.length === 0 ||
      settings.only.some((prefix) => s.name.toLowerCase().startsWith(prefix.toLowerCase()));
    const all = [
      ...kpiScenarios(settings.kpiSizes, settings.concurrency),
      ...familyScenarios(settings.familySizes, settings.concurrency),
    ];
    const scenarios = all.filter((s) => wanted(s) && s.fixture !== undefined);
    const skipped = all
      .filter((s) => wanted(s) && s.fixture === undefined)
      .map((s) => ({ name: s.name, reason: s.pending ?? 'no fixture' }));
    const fanOutScenario = digestFanOut(settings.familySizes.channels);

    // Data first, straight into storage; the floor's card is the bot's own `kpi` card at the large size.
    const now = new Date();
    const seedStart = performance.now();
    const floorFixture = kpiFixture(settings.kpiSizes[1]);
    const seeded = new Map<string, Seeded>();
    for (const fixture of [floorFixture, ...scenarios.map((s) => s.fixture!)]) {
      if (seeded.has(fixture.key)) continue;
      const mark = performance.now();
      seeded.set(fixture.key, await fixture.seed(storage.tables, now));
      log(`seeded ${fixture.key} in ${((performance.now() - mark) / 1000).toFixed(1)} s`);
    }
    const seedMs = performance.now() - seedStart;

    // No scheduler in the bot measured here (the fan-out has a bot of its own), and no tenant pacing (see bench/bot.ts).
    const botEnv = {
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      LOG_LEVEL: 'warn',
      SCHEDULER: 'off',
      BENCH_TENANT_PACING: 'off',
    };
    const bot = await startMeasured({ name: 'bot', entry: programs.bot, probe: programs.probe, env: botEnv });
    started.push(bot);
    const floorPlace = seeded.get(floorFixture.key)!.place;
    const floorAnswer = await client.send(bot.url, floorPlace, { kind: 'message', text: 'kpi' });
    if (!floorAnswer.card) throw new Error(`the bot's kpi reply carried no card: ${floorAnswer.text}`);
    const cardFile = join(work, 'floor-card.json');
    writeFileSync(cardFile, JSON.stringify(floorAnswer.card));
    const floor = await startMeasured({
      name: 'floor',
      entry: programs.floor,
      probe: programs.probe,
      env: { FLOOR_CARD: cardFile },
    });
    started.push(floor);
    const floorText = floorAnswer.text;
    const floorCheck = (a: Answer) =>
      a.text === floorText ? undefined : `not the floor's card: ${a.text.slice(0, 80)}`;

    const loadOf = (scenario: Scenario): Load => {
      const data = seeded.get(scenario.fixture!.key)!;
      return { place: data.place, ask: (i) => scenario.ask(data, i), check: (a) => scenario.check(a, data) };
    };
    const failures: string[] = [];
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const load = loadOf(scenario);
      const data = seeded.get(scenario.fixture!.key)!;
      const firstAsk = load.ask(0);
      const first = await client.send(bot.url, load.place, firstAsk);
      const wrong = load.check(first);
      if (wrong) {
        failures.push(`${scenario.name}: ${wrong}`);
        continue;
      }
      const kind = firstAsk.kind;
      const floorLoad: Load = {
        place: load.place,
        ask: (i) => (scenario.floorAsk ? scenario.floorAsk(data, i) : load.ask(i)),
        check: floorCheck,
      };
      log(`measuring ${scenario.name} (${kind}) at ${scenario.concurrency} conversations`);
      const { rounds, warmUpErrors } = await measureRounds(
        client,
        { process: bot, load },
        { process: floor, load: floorLoad },
        {
          concurrency: scenario.concurrency,
          warmUpMs: settings.warmUpMs,
          sliceMs: settings.sliceMs,
          rounds: settings.rounds,
          ...(azurite.pid !== undefined ? { storagePid: azurite.pid } : {}),
        },
      );
      const errors = [warmUpErrors, ...rounds.flatMap((r) => [r.bot.firstError, r.floor.firstError])].filter(Boolean);
      if (errors.length > 0) failures.push(`${scenario.name}: ${errors[0]}`);
      const last = rounds.at(-1)!.bot.after;
      results.push({
        name: scenario.name,
        concurrency: scenario.concurrency,
        holds: data.holds,
        ...(data.votes ? { used: `${data.votes.cast} of the ${data.votes.size} first votes cast, each once` } : {}),
        cardBytes: cardBytesOf(first),
        rounds,
        rssBytes: last.rssBytes,
        maxRssBytes: last.maxRssBytes,
        heapUsedBytes: last.heapUsedBytes,
      });
      const ratios = rounds.map((r) => r.ratio.toFixed(3)).join(', ');
      log(`  ratios to the floor by round: ${ratios}`);
    }

    let soakResult: SoakResult | undefined;
    const soakParts = scenarios
      .filter((s) => (s.soakWeight ?? 0) > 0 && results.some((r) => r.name === s.name))
      .map((s) => ({ name: s.name, load: loadOf(s), weight: s.soakWeight! }));
    if (settings.soakMs > 0 && soakParts.length > 0) {
      log(`soak: ${settings.soakMs / 1000} s of mixed commands at ${settings.soakConcurrency} conversations`);
      soakResult = await soak(client, bot, soakParts, {
        concurrency: settings.soakConcurrency,
        durationMs: settings.soakMs,
        sampleEveryMs: settings.soakSampleMs,
      });
      if (soakResult.firstError) failures.push(`soak: ${soakResult.firstError}`);
    }
    const { maxRssBytes: peakRssBytes, storageConnections, ...botEnd } = await bot.sample();
    const connector = { requests: botEnd.connectorRequests, connections: botEnd.connectorConnections };
    // The fan-out has the machine and the tenant to itself.
    for (const p of started.splice(0)) await stopMeasured(p);

    let fanOut: FanOutReport | undefined;
    if (wanted(fanOutScenario)) {
      const fanBotEnv = {
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        LOG_LEVEL: 'warn',
        BENCH_SCHEDULER: 'manual',
        ...Object.fromEntries(Object.entries(settings.fanOutPacing).map(([k, v]) => [k, String(v)])),
      };
      const fanBot = await startMeasured({
        name: 'fan-out bot',
        entry: programs.bot,
        probe: programs.probe,
        env: fanBotEnv,
      });
      started.push(fanBot);
      // A first tick does what a bot's first tick does (the catch-up, this hour's reminders) before the digest is due.
      await fanBot.tick(FAN_OUT_TIMEOUT_MS);
      const due = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      const laid = await fanOutScenario.seed(storage.tables, floorPlace, sink.url, due);
      log(`fan-out: ${laid.conversationIds.length} channels under Teams-like limits`);
      const cpuBefore = (await fanBot.sample()).cpuMs;
      let runs: readonly string[] = [];
      const measured = await measureFanOut(
        sink,
        TEAMS_LIMITS,
        {
          conversationIds: laid.conversationIds,
          start: async () => {
            const answer = await fanBot.tick(FAN_OUT_TIMEOUT_MS);
            if (answer.error) throw new Error(`the fan-out bot's tick failed: ${answer.error}`);
            runs = answer.runs;
          },
        },
        FAN_OUT_TIMEOUT_MS,
      );
      const botCpuMs = (await fanBot.sample()).cpuMs - cpuBefore;
      fanOut = {
        ...measured,
        name: fanOutScenario.name,
        holds: laid.holds,
        pacing: settings.fanOutPacing,
        runs,
        botCpuMs,
      };
      log(
        `  ${measured.delivered} of ${measured.sends} in ${(measured.elapsedMs / 1000).toFixed(1)} s: ${measured.ratio.toFixed(2)}× the least the limits allow`,
      );
      if (measured.delivered < measured.sends)
        failures.push(`${fanOutScenario.name}: ${measured.delivered} of ${measured.sends} channels reached`);
      if (measured.duplicates > 0)
        failures.push(`${fanOutScenario.name}: ${measured.duplicates} digests to a channel that had it already`);
      for (const p of started.splice(0)) await stopMeasured(p);
    }

    const profiles: Array<BenchReport['profiles'][number]> = [];
    // A quick run profiles one list: the second is the same code, and each profile starts a bot.
    const lists = (settings.quick ? [settings.kpiSizes[1]] : [settings.kpiSizes[1], settings.kpiSizes[2]]).map((n) =>
      scenarios.find((s) => s.name === `kpi (${n.toLocaleString('en-GB')} KPIs)`),
    );
    for (const [index, scenario] of lists.entries()) {
      if (settings.profileMs <= 0 || !scenario) continue;
      // The largest list only explains where its cost goes: half the time is enough.
      const windowMs = index === 0 ? settings.profileMs : settings.profileMs / 2;
      const dir = join(work, `profile-${index}`);
      const profiled = await profileBot(programs, botEnv, dir, client, scenario, loadOf(scenario), settings, windowMs);
      ourCpu.ms += profiled.cpuMs;
      profiles.push(profiled.profile);
    }

    for (const p of started.splice(0)) await stopMeasured(p);
    ourCpu.ms += procCpuMs(azurite.pid) ?? 0;
    const self = process.cpuUsage();
    ourCpu.ms += (self.user + self.system) / 1000;
    const machineAfter = machineCpuMs();
    const totalMs = performance.now() - t0;
    return {
      settings,
      startedAt,
      totalMs,
      load: { before: loadBefore, after: loadavg() },
      otherCores:
        machineBefore && machineAfter
          ? Math.max(0, machineAfter.busy - machineBefore.busy - ourCpu.ms) / totalMs
          : undefined,
      seedMs,
      floorCardBytes: cardBytesOf(floorAnswer),
      scenarios: results,
      skipped,
      soak: soakResult,
      fanOut,
      profiles,
      peakRssBytes,
      storageConnections,
      connector,
      failures,
    };
  } finally {
    for (const p of started) await p.stop().catch(() => undefined);
    client?.close();
    await sink?.close().catch(() => undefined);
    await azurite?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

/** A second bot, started under `node --cpu-prof`, warmed up, then profiled while it answers `scenario`. */
async function profileBot(
  programs: BenchPrograms,
  env: Readonly<Record<string, string>>,
  dir: string,
  client: TeamsClient,
  scenario: Scenario,
  load: Load,
  settings: BenchSettings,
  windowMs: number,
): Promise<{ profile: BenchReport['profiles'][number]; cpuMs: number }> {
  const profiled = await startMeasured({
    name: 'profiled bot',
    entry: programs.bot,
    probe: programs.probe,
    env,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  try {
    const options = { concurrency: scenario.concurrency };
    await runSlice(client, profiled, load, { ...options, windowMs: settings.warmUpMs });
    const from = (await profiled.sample()).monotonicUs;
    const slice = await runSlice(client, profiled, load, { ...options, windowMs });
    const to = slice.after.monotonicUs;
    await profiled.stop();
    const summary = summariseProfile(readProfile(dir), { fromUs: from, toUs: to });
    return {
      profile: { ...summary, scenario: scenario.name, windowMs: (to - from) / 1000 },
      cpuMs: slice.after.cpuMs,
    };
  } finally {
    await profiled.stop();
  }
}
