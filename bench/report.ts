import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchReport, ScenarioResult } from './bench.js';
import { TEAMS_LIMITS } from './fan-out.js';
import { perSecond } from './measure.js';
import {
  fixed,
  kilobytes,
  megabytes,
  percentiles,
  ratio,
  spread,
  spreadText,
  table,
  type Percentiles,
  type Spread,
} from './stats.js';

/** Per-scenario figures, from its measured rounds (warm-up left out). */
export interface Figures {
  readonly ratio: Spread;
  readonly botPerSecond: Spread;
  readonly floorPerSecond: Spread;
  readonly latency: Percentiles;
  readonly floorLatency: Percentiles;
  readonly storageRequests: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly cpuMs: number;
  readonly floorCpuMs: number;
  readonly storageCpuMs: number;
  /** Cores the load client (this process) kept busy while it drove the floor. */
  readonly clientCores: number;
  readonly errors: number;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function figures(result: ScenarioResult): Figures {
  const bots = result.rounds.map((r) => r.bot);
  const floors = result.rounds.map((r) => r.floor);
  const n = sum(bots.map((b) => b.completed)) || Number.NaN;
  const nFloor = sum(floors.map((f) => f.completed)) || Number.NaN;
  return {
    ratio: spread(result.rounds.map((r) => r.ratio)),
    botPerSecond: spread(bots.map(perSecond)),
    floorPerSecond: spread(floors.map(perSecond)),
    latency: percentiles(bots.flatMap((b) => b.latencies)),
    floorLatency: percentiles(floors.flatMap((f) => f.latencies)),
    storageRequests: sum(bots.map((b) => b.storageRequests)) / n,
    bytesRead: sum(bots.map((b) => b.storageBytesRead)) / n,
    bytesWritten: sum(bots.map((b) => b.storageBytesWritten)) / n,
    cpuMs: sum(bots.map((b) => b.cpuMs)) / n,
    floorCpuMs: sum(floors.map((f) => f.cpuMs)) / nFloor,
    storageCpuMs: sum(bots.map((b) => b.storageCpuMs ?? Number.NaN)) / n,
    clientCores: sum(floors.map((f) => f.clientCpuMs)) / sum(floors.map((f) => f.wallMs)),
    errors: sum([...bots, ...floors].map((s) => s.errors)),
  };
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export function targetChecks(report: BenchReport): TargetCheck[] {
  const [small, large, largest] = report.settings.kpiSizes;
  const find = (prefix: string) => report.scenarios.find((s) => s.name.startsWith(prefix));
  const fig = (prefix: string) => {
    const s = find(prefix);
    return s ? figures(s) : undefined;
  };
  const list = (n: number) => fig(`kpi (${n.toLocaleString('en-GB')} KPIs)`);
  const checks: TargetCheck[] = [];
  const atLeast = (target: string, f: Figures | undefined, floor: number) =>
    checks.push({
      target,
      measured: f ? `${ratio(f.ratio.median)} (rounds ${ratio(f.ratio.min)}–${ratio(f.ratio.max)})` : 'not run',
      met: f ? f.ratio.median >= floor : undefined,
    });
  atLeast(`\`kpi\` at ${large} KPIs ≥ 0.5× the floor (aim 0.7×)`, list(large), 0.5);
  const few = list(small);
  const many = list(largest);
  checks.push({
    target: `\`kpi\` at ${largest.toLocaleString('en-GB')} KPIs within 1.5× of its cost at ${small}`,
    measured:
      few && many
        ? `time per request ${fixed(few.botPerSecond.median / many.botPerSecond.median, 2)}×; bot CPU per request ${fixed(many.cpuMs / few.cpuMs, 2)}× (${fixed(many.cpuMs)} against ${fixed(few.cpuMs)} ms)`
        : 'not run',
    met: few && many ? few.botPerSecond.median / many.botPerSecond.median <= 1.5 : undefined,
  });
  atLeast(`\`kpi <code>\` ≥ 0.5× the floor`, fig('kpi <code>'), 0.5);
  atLeast(`\`kpi record\` ≥ 0.5× the floor`, fig('kpi record'), 0.5);
  const at200 = report.scenarios.filter((s) => s.name === 'help' || s.name.includes(`(${large} KPIs)`));
  const worst = at200.map((s) => ({ name: s.name, p99: figures(s).latency.p99 })).sort((a, b) => b.p99 - a.p99)[0];
  checks.push({
    target: `p99 < 500 ms for every command at ${large} KPIs`,
    measured: worst ? `worst: ${worst.name} at ${fixed(worst.p99, 0)} ms` : 'not run',
    met: worst ? worst.p99 < 500 : undefined,
  });
  const largestAt = report.scenarios.findIndex((s) => s.name === `kpi (${largest.toLocaleString('en-GB')} KPIs)`);
  const before = largestAt > 0 ? report.scenarios[largestAt - 1]!.maxRssBytes : undefined;
  checks.push({
    target: 'peak RSS < 300 MB',
    measured:
      `${megabytes(report.peakRssBytes)} over the run` +
      (before !== undefined ? `; ${megabytes(before)} before the ${largest.toLocaleString('en-GB')}-KPI list` : ''),
    met: report.peakRssBytes < 300 * 1024 ** 2,
  });
  const f = report.fanOut;
  checks.push({
    target: "digest fan-out ≤ 1.2× the least Teams' limits allow",
    measured: f
      ? `${ratio(f.ratio)} (${fixed(f.elapsedMs / 1000)} s against ${fixed(f.minimumMs / 1000)} s for ${f.sends} channels)`
      : 'not run',
    met: f ? f.ratio <= 1.2 : undefined,
  });
  checks.push({
    target: 'every channel gets the digest exactly once',
    measured: f
      ? `${f.delivered} of ${f.sends} channels reached, ${f.duplicates} twice or more, ${f.strays} messages elsewhere`
      : 'not run',
    met: f ? f.delivered === f.sends && f.duplicates === 0 : undefined,
  });
  const growth = soakGrowth(report);
  checks.push({
    target: 'RSS grows < 10% over the soak',
    measured: growth === undefined ? 'not run' : `${fixed(growth * 100)}%`,
    met: growth === undefined ? undefined : growth < 0.1,
  });
  return checks;
}

function soakGrowth(report: BenchReport): number | undefined {
  const rss = report.soak?.rss;
  if (!rss || rss.length < 2) return undefined;
  return rss.at(-1)![1] / rss[0]![1] - 1;
}

function versionOf(root: string, pkg: string): string {
  try {
    const json = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return json.version ?? '?';
  } catch {
    return '?';
  }
}

const ms0 = (n: number) => fixed(n, 0);

/** One run's section of RESULTS.md. */
export function renderRun(report: BenchReport, root: string): string {
  const s = report.settings;
  const cpu = cpus();
  const out: string[] = [];
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(', ');
  // Other work measured during the run says more than the minute's load average before it, which counts what just ended.
  const shared = report.otherCores !== undefined ? report.otherCores > 0.2 : report.load.before[0]! > 0.5;
  out.push(`## ${report.startedAt.toISOString()}${s.quick ? ' — quick run (BENCH_QUICK=1), not comparable' : ''}`);
  out.push('');
  out.push(
    `- Machine: ${cpu.length} cores, ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM; ${platform()} ${release()} ${arch()}`,
  );
  out.push(
    `- Node ${process.version}; botbuilder ${versionOf(root, 'botbuilder')}, restify ${versionOf(root, 'restify')}, @azure/data-tables ${versionOf(root, '@azure/data-tables')}, Azurite ${versionOf(root, 'azurite')} (in memory)`,
  );
  out.push(
    `- Load average (1, 5, 15 min): ${load(report.load.before)} before, ${load(report.load.after)} after.` +
      (report.otherCores !== undefined
        ? ` Other work on the machine kept ${fixed(report.otherCores, 2)} cores busy on average during the run.`
        : '') +
      (shared
        ? ' **The machine was shared with other work**: absolute figures are low and noisy; the ratios to the floor, measured round by round beside it, are the figures to compare.'
        : ''),
  );
  out.push(
    `- Settings: ${s.rounds} rounds of ${s.sliceMs / 1000} s per side after ${s.warmUpMs / 1000} s of warm-up each; soak ${s.soakMs / 1000} s at ${s.soakConcurrency} conversations; seeding ${fixed(report.seedMs / 1000)} s; whole run ${fixed(report.totalMs / 1000, 0)} s`,
  );
  out.push(
    `- The floor answers with the bot's own \`kpi\` card at ${s.kpiSizes[1]} KPIs: ${kilobytes(report.floorCardBytes)}`,
  );
  out.push('');
  out.push('### Against the floor');
  out.push('');
  const rows = report.scenarios.map((r) => {
    const f = figures(r);
    return [
      `\`${r.name}\``,
      String(r.concurrency),
      spreadText(f.ratio, ratio),
      `${fixed(f.botPerSecond.median)} / ${fixed(f.floorPerSecond.median)}`,
      `${ms0(f.latency.p50)} / ${ms0(f.latency.p95)} / ${ms0(f.latency.p99)}`,
      `${ms0(f.floorLatency.p50)} / ${ms0(f.floorLatency.p99)}`,
      fixed(f.storageRequests, 2),
      `${kilobytes(f.bytesRead)} / ${kilobytes(f.bytesWritten)}`,
      `${fixed(f.cpuMs)} / ${fixed(f.floorCpuMs)}`,
      fixed(f.storageCpuMs),
      kilobytes(r.cardBytes),
      String(f.latency.count),
      String(f.errors),
    ];
  });
  out.push(
    table(
      [
        [
          'scenario',
          'conv.',
          'ratio to floor: median (range)',
          'req/s bot / floor',
          'p50 / p95 / p99 ms',
          'floor p50 / p99 ms',
          'storage req/cmd',
          'storage read / sent per cmd',
          'CPU ms/req bot / floor',
          'Azurite CPU ms/req',
          'card',
          'answers',
          'errors',
        ],
        ...rows,
      ],
      [false, true, true, true, true, true, true, true, true, true, true, true, true],
    ),
  );
  out.push('');
  const client = Math.max(...report.scenarios.map((r) => figures(r).clientCores));
  out.push(
    `The load client (the benchmark process, with the connector sink) kept at most ${fixed(client, 2)} cores busy while it drove the floor.`,
  );
  out.push('');
  out.push('Data: ' + [...new Set(report.scenarios.map((r) => r.holds))].join('; ') + '.');
  out.push('');
  for (const r of report.scenarios.filter((x) => x.used)) {
    out.push(`\`${r.name}\`: ${r.used}.`);
    out.push('');
  }
  out.push('### Memory');
  out.push('');
  out.push(
    table(
      [
        ['after', 'bot RSS', 'JS heap used', 'peak RSS so far'],
        ...report.scenarios.map((r) => [
          `\`${r.name}\``,
          megabytes(r.rssBytes),
          megabytes(r.heapUsedBytes),
          megabytes(r.maxRssBytes),
        ]),
      ],
      [false, true, true, true],
    ),
  );
  out.push('');
  const floorPeak = Math.max(...report.scenarios.flatMap((r) => r.rounds.map((x) => x.floor.after.maxRssBytes)));
  out.push(
    `Peak RSS of the bot over the run: ${megabytes(report.peakRssBytes)}; of the floor, which keeps nothing: ${megabytes(floorPeak)}. JS heap used counts garbage not yet collected. ` +
      `Over the run the bot opened ${report.storageConnections} connections to storage, and ${report.connector.connections} to the connector for ${report.connector.requests} sends.`,
  );
  out.push('');
  if (report.soak) {
    const soak = report.soak;
    const all = percentiles([...soak.latencies.values()].flat());
    const rss = soak.rss;
    const middle = rss[Math.floor(rss.length / 2)]!;
    out.push('### Soak');
    out.push('');
    out.push(
      `${fixed(soak.durationMs / 1000, 0)} s of mixed commands at ${soak.concurrency} conversations: ${soak.completed} answers (${fixed((soak.completed * 1000) / soak.durationMs)} req/s), p50 / p95 / p99 ${ms0(all.p50)} / ${ms0(all.p95)} / ${ms0(all.p99)} ms, ${soak.errors} errors, bot CPU ${fixed(soak.cpuMs / Math.max(1, soak.completed))} ms/req. ` +
        `RSS at start ${megabytes(rss[0]![1])}, middle (${fixed(middle[0] / 1000, 0)} s) ${megabytes(middle[1])}, end ${megabytes(rss.at(-1)![1])}: ${fixed((rss.at(-1)![1] / rss[0]![1] - 1) * 100)}% growth; peak ${megabytes(soak.maxRssBytes)}.`,
    );
    out.push('');
    out.push(
      table(
        [
          ['command', 'answers', 'p50 / p95 / p99 ms'],
          ...[...soak.latencies].map(([name, l]) => {
            const p = percentiles(l);
            return [`\`${name}\``, String(p.count), `${ms0(p.p50)} / ${ms0(p.p95)} / ${ms0(p.p99)}`];
          }),
        ],
        [false, true, true],
      ),
    );
    out.push('');
  }
  if (report.fanOut) {
    const f = report.fanOut;
    const limits = TEAMS_LIMITS;
    const pacing = Object.entries(f.pacing)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    out.push('### Digest fan-out');
    out.push('');
    out.push(
      `\`${f.name}\` (${f.holds}): ${f.delivered} of ${f.sends} channels reached, ${f.duplicates} of them more than once, ${f.strays} messages elsewhere; ` +
        `the last in ${fixed(f.elapsedMs / 1000)} s from the tick, ${ratio(f.ratio)} the ${fixed(f.minimumMs / 1000)} s the sink's Teams-like limits allow ` +
        `(${limits.perConversation.map((l) => `${l.sends} in ${l.perMs / 1000} s`).join(' and ')} per conversation, ${limits.perApp.sends} a second per app; a send over them is answered 429 with Retry-After ${limits.retryAfterSeconds} s). ` +
        `${f.throttled} sends answered 429. The bot paced with ${pacing}; bot CPU ${fixed(f.botCpuMs / Math.max(1, f.sends))} ms per channel. Its scheduler: ${f.runs.join('; ') || 'no run reported'}.`,
    );
    out.push('');
  }
  if (report.profiles.length > 0) {
    out.push('### Profile');
    out.push('');
    for (const p of report.profiles) {
      out.push(
        `\`node --cpu-prof\` on a second bot process while it answered \`${p.scenario}\` for ${fixed(p.windowMs / 1000)} s (after warm-up; start-up and shutdown left out): ${fixed(p.busyMs, 0)} ms busy. Top five functions by self time:`,
      );
      out.push('');
      out.push(
        table(
          [
            ['function', 'where', 'self ms', 'share'],
            ...p.top.map((f) => [`\`${f.name}\``, f.where, ms0(f.selfMs), `${fixed(f.share * 100)}%`]),
          ],
          [false, false, true, true],
        ),
      );
      out.push('');
      out.push(
        'Self time by area: ' +
          p.areas
            .slice(0, 10)
            .map((a) => `${a.area} ${fixed(a.share * 100)}%`)
            .join(', ') +
          '.',
      );
      out.push('');
    }
  }
  out.push('### Targets');
  out.push('');
  out.push(
    table([
      ['target', 'measured', 'met'],
      ...targetChecks(report).map((t) => [t.target, t.measured, t.met === undefined ? '–' : t.met ? 'yes' : '**no**']),
    ]),
  );
  out.push('');
  if (report.skipped.length > 0) {
    out.push('### Skipped');
    out.push('');
    for (const s of report.skipped) out.push(`- \`${s.name}\`: ${s.reason}`);
    out.push('');
  }
  if (report.failures.length > 0) {
    out.push('### Failures');
    out.push('');
    for (const f of report.failures) out.push(`- ${f}`);
    out.push('');
  }
  return out.join('\n');
}

export const RUN_MARK = '<!-- run -->';

/** RESULTS.md: the method, this run, then every earlier run as it was written. */
export function renderResults(run: string, method: string, previous: string | undefined): string {
  let earlier = '';
  if (previous) {
    const at = previous.indexOf(RUN_MARK);
    if (at !== -1) earlier = previous.slice(at);
    else {
      // Results written before runs were marked: kept whole, one heading level down.
      const body = previous.replace(/^# .*\n+/, '').replace(/^(#+) /gm, '#$1 ');
      earlier = `${RUN_MARK}\n\n## Earlier results (before the benchmark was rewritten)\n\n${body.trim()}\n`;
    }
  }
  return ['# Benchmark results', '', method.trim(), '', RUN_MARK, '', run.trim(), '', earlier.trim(), ''].join('\n');
}
