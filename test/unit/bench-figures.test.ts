import { describe, expect, it } from 'vitest';
import { CountingWindow } from '../../bench/measure.js';
import { summariseProfile } from '../../bench/profile.js';
import { renderResults, RUN_MARK } from '../../bench/report.js';
import { percentiles, spread } from '../../bench/stats.js';

describe('benchmark figures', () => {
  it('gives the median of the rounds, the middle two averaged for an even count, and their range', () => {
    expect(spread([0.62, 0.55, 0.7])).toEqual({ median: 0.62, min: 0.55, max: 0.7 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spread([Number.NaN, 2])).toEqual({ median: 2, min: 2, max: 2 });
  });

  it('takes percentiles by nearest rank, so p99 of 100 answers is the 99th slowest', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

describe('benchmark profile', () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
  // Samples 1 ms apart: two during start-up, then the measured window from 10,000 µs on.
  const profile = {
    startTime: 0,
    endTime: 20_000,
    nodes: [
      { id: 1, callFrame: frame('(idle)', '') },
      { id: 2, callFrame: frame('compileFunction', 'node:internal/vm', 10) },
      { id: 3, callFrame: frame('assessKpi', 'file:///app/dist/src/domain/kpi-assessment.js', 40) },
      { id: 4, callFrame: frame('parse', 'file:///app/node_modules/zod/v4/core/parse.js', 7) },
      { id: 5, callFrame: frame('(garbage collector)', '') },
    ],
    samples: [2, 2, 3, 3, 3, 4, 1, 5, 3],
    timeDeltas: [1000, 1000, 8000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('counts self time within the measured window only, idle left out', () => {
    const summary = summariseProfile(profile, { fromUs: 10_000, toUs: 20_000 });
    expect(summary.busyMs).toBeCloseTo(5, 5);
    expect(summary.top.map((f) => [f.name, f.where, f.selfMs])).toEqual([
      ['assessKpi', 'src/domain/kpi-assessment.js:41', 3],
      ['parse', 'zod/v4/core/parse.js:8', 1],
    ]);
    expect(summary.areas.map((a) => a.area)).toEqual(['our code (src/)', 'zod', '(garbage collector)']);
  });

  it('counts the whole profile when no window is given, start-up and all', () => {
    expect(summariseProfile(profile).top.map((f) => [f.name, f.selfMs])).toEqual([
      ['compileFunction', 9],
      ['assessKpi', 3],
      ['parse', 1],
    ]);
  });
});

describe('benchmark results file', () => {
  it('puts the new run first and keeps every earlier run below it as written', () => {
    const first = renderResults('## run one', 'How it measures.', undefined);
    const second = renderResults('## run two', 'How it measures now.', first);
    expect(second.indexOf('How it measures now.')).toBeLessThan(second.indexOf('## run two'));
    expect(second.indexOf('## run two')).toBeLessThan(second.indexOf('## run one'));
    expect(second).not.toContain('How it measures.');
    expect(second.split(RUN_MARK)).toHaveLength(3);
  });

  it('keeps results from before runs were marked, one heading level down', () => {
    const legacy = '# Benchmark results\n\nOld words.\n\n## Latency\n\n| a |\n';
    const written = renderResults('## run one', 'Method.', legacy);
    expect(written).toContain('## Earlier results (before the benchmark was rewritten)');
    expect(written).toContain('### Latency');
    expect(written.indexOf('## run one')).toBeLessThan(written.indexOf('Old words.'));
  });
});

describe('benchmark counting window', () => {
  it('opens once every person has had an answer, and counts for its length', () => {
    const window = new CountingWindow(0, 2, 1000);
    window.answered(300);
    window.answered(400); // the loop is full: the window opens here
    for (const at of [500, 900, 1200, 1399]) window.answered(at);
    expect(window.isClosed(1399)).toBe(false);
    expect(window.isClosed(1401)).toBe(true);
    window.answered(1450); // the drain, not counted
    expect(window.result()).toEqual({ answers: 4, ms: 1000 });
  });

  it('stretches until it holds an answer per person, up to three times its length', () => {
    const slow = new CountingWindow(0, 4, 1000);
    for (const at of [100, 200, 300, 400]) slow.answered(at);
    slow.answered(1000);
    expect(slow.isClosed(1500)).toBe(false);
    for (const at of [1600, 2000, 2100]) slow.answered(at);
    expect(slow.isClosed(2100)).toBe(true);
    expect(slow.result()).toEqual({ answers: 4, ms: 1700 });

    const stuck = new CountingWindow(0, 4, 1000);
    for (const at of [100, 200, 300, 400, 2000]) stuck.answered(at);
    expect(stuck.isClosed(3400)).toBe(true);
    expect(stuck.result()).toEqual({ answers: 1, ms: 3000 });
  });
});
