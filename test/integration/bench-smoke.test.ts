/**
 * `npm run bench` in miniature (BENCH_QUICK=1 settings): the same code starts Azurite, seeds,
 * starts the bot and the floor as their own processes, measures every scenario against the floor,
 * soaks, fans a digest out under Teams-like limits and profiles, so the benchmark cannot rot
 * between full runs. The figures of a quick run on a busy machine mean nothing; the test checks
 * that each one was measured.
 */
import { describe, expect, it } from 'vitest';
import { runBench, settingsFrom, type BenchReport } from '../../bench/bench.js';
import { figures, renderRun, targetChecks } from '../../bench/report.js';
import { projectRoot } from '../../src/project-root.js';
import { transpileBenchPrograms } from '../support/transpiled.js';

describe('the benchmark, in a quick run', () => {
  let report: BenchReport;

  it('measures every scenario against the floor, then soaks, fans out and profiles the bot', async () => {
    const settings = settingsFrom({ BENCH_QUICK: '1' });
    report = await runBench(settings, transpileBenchPrograms(), () => undefined);

    expect(report.failures).toEqual([]);
    expect(report.scenarios.map((s) => s.name)).toEqual([
      'help',
      'kpi (10 KPIs)',
      'kpi (30 KPIs)',
      'kpi <code> (30 KPIs)',
      'kpi record (30 KPIs)',
      'Show more (30 KPIs)',
      'kpi (60 KPIs)',
      'risk list (5 risks)',
      'risk list (40 risks)',
      'budget forecast (20 lines × 12 periods)',
      'Approve click',
    ]);
    expect(report.skipped).toEqual([]);
    for (const scenario of report.scenarios) {
      const f = figures(scenario);
      expect(scenario.rounds, scenario.name).toHaveLength(settings.rounds);
      expect(f.ratio.median, scenario.name).toBeGreaterThan(0);
      expect(f.latency.p99, scenario.name).toBeGreaterThan(0);
      expect(f.cpuMs, scenario.name).toBeGreaterThan(0);
      expect(f.floorCpuMs, scenario.name).toBeGreaterThan(0);
      expect(scenario.cardBytes, scenario.name).toBeGreaterThan(0);
    }
  }, 120_000);

  it('counts the storage requests and bytes each command costs', () => {
    const by = (name: string) => figures(report.scenarios.find((s) => s.name === name)!);
    // The list checks the summary's ETags (one small query); membership comes from the short cache once warm;
    // an unchanged summary is not read again, so what a list reads does not grow with the KPIs.
    expect(by('kpi (30 KPIs)').storageRequests).toBeGreaterThanOrEqual(1);
    expect(by('kpi (60 KPIs)').bytesRead).toBeLessThan(by('kpi (10 KPIs)').bytesRead * 1.5);
    expect(by('kpi record (30 KPIs)').bytesWritten).toBeGreaterThan(by('kpi (30 KPIs)').bytesWritten);
    expect(by('help').storageRequests).toBeLessThan(by('kpi record (30 KPIs)').storageRequests);
    // A vote is a write; the register and the forecast are reads.
    expect(by('Approve click').bytesWritten).toBeGreaterThan(by('risk list (40 risks)').bytesWritten);
    expect(by('budget forecast (20 lines × 12 periods)').storageRequests).toBeGreaterThanOrEqual(1);
  });

  it('casts a first vote with every Approve click, each pair once', () => {
    const approve = report.scenarios.find((s) => s.name === 'Approve click')!;
    const [cast, seeded] = /^(\d+) of the (\d+) first votes cast, each once$/
      .exec(approve.used ?? '')!
      .slice(1)
      .map(Number);
    const answered = approve.rounds.reduce((n, r) => n + r.bot.completed, 0);
    // The first check and the warm-up vote too; nothing is left over for a second vote.
    expect(cast).toBeGreaterThan(answered);
    expect(cast).toBeLessThanOrEqual(seeded!);
  });

  it('reads RSS at the start, middle and end of the soak, and names the hottest functions', () => {
    expect(report.soak?.rss.length).toBeGreaterThanOrEqual(3);
    expect(report.soak?.errors).toBe(0);
    expect(report.peakRssBytes).toBeGreaterThan(report.soak!.rss[0]![1] / 2);
    expect(report.profiles.map((p) => p.scenario)).toEqual(['kpi (30 KPIs)']);
    for (const profile of report.profiles) {
      expect(profile.top).toHaveLength(5);
      expect(profile.busyMs).toBeGreaterThan(0);
    }
  });

  it('fans a digest out to every channel exactly once, timed against the least the limits allow', () => {
    const fanOut = report.fanOut!;
    expect(fanOut.name).toBe('digest fan-out to 60 channels');
    expect(fanOut).toMatchObject({ sends: 60, delivered: 60, duplicates: 0, strays: 0 });
    expect(fanOut.runs).toContain('digest: sent to 60');
    expect(fanOut.minimumMs).toBe(1000);
    expect(fanOut.ratio).toBeGreaterThanOrEqual(1);
    expect(fanOut.pacing).toEqual({ SEND_RATE_PER_SECOND: 7, TENANT_SEND_RATE_PER_SECOND: 50 });
  });

  it('writes every figure into its section of the results, with each target judged', () => {
    const markdown = renderRun(report, projectRoot);
    for (const heading of [
      '### Against the floor',
      '### Memory',
      '### Soak',
      '### Profile',
      '### Targets',
      '### Digest fan-out',
    ])
      expect(markdown).toContain(heading);
    expect(markdown).toContain('quick run');
    expect(targetChecks(report).map((t) => t.met)).not.toContain(undefined);
  });
});
