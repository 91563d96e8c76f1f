import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a V8 CPU profile (what `node --cpu-prof` writes) into self time per function and per
 * package, so the results can name where a request's CPU goes.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: CallFrame }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly endTime: number;
  readonly startTime: number;
}

export interface HotFunction {
  readonly name: string;
  /** Where it is: `src/…:line`, `<package>/…:line` or a Node internal. */
  readonly where: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) time. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly top: readonly HotFunction[];
  /** Self time by package (our code, each dependency, Node, GC, …), largest first. */
  readonly areas: ReadonlyArray<{ readonly area: string; readonly ms: number; readonly share: number }>;
}

/** Entries that are not functions: shown as areas, left out of the top functions. */
const PSEUDO = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** `<package>/…` for a dependency, the path under the compiled tree (`src/…`) for ours. */
function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules !== -1) return path.slice(modules + '/node_modules/'.length);
  const compiled =
    /\/dist\/((?:src|bench|scripts)\/.*)$/.exec(path) ?? /\/((?:src|bench|scripts)\/[^/]+(?:\/[^/]+)?)$/.exec(path);
  return compiled ? compiled[1]! : path;
}

function areaOf(frame: CallFrame): string {
  if (PSEUDO.has(frame.functionName)) return frame.functionName;
  if (frame.url === '') return '(native)';
  if (frame.url.startsWith('node:')) return 'Node.js';
  const modules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame.url);
  if (modules) return modules[1]!;
  if (shortPath(frame.url).startsWith('src/')) return 'our code (src/)';
  return shortPath(frame.url);
}

/**
 * Self time per function and per area, from the samples taken within `window` (microseconds of
 * the profiled process's monotonic clock; the whole profile when absent), so that start-up and
 * shutdown stay out of it.
 */
export function summariseProfile(
  profile: CpuProfile,
  window?: { readonly fromUs: number; readonly toUs: number },
  top = 5,
): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfByKey = new Map<string, { frame: CallFrame; ms: number }>();
  let busyMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    // A sample lasts until the next one.
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1]! : 0;
    const ms = Math.max(0, next) / 1000;
    const frame = frames.get(profile.samples[i]!);
    if (!frame || frame.functionName === '(idle)') continue;
    busyMs += ms;
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = selfByKey.get(key) ?? { frame, ms: 0 };
    entry.ms += ms;
    selfByKey.set(key, entry);
  }
  const areas = new Map<string, number>();
  for (const { frame, ms } of selfByKey.values()) areas.set(areaOf(frame), (areas.get(areaOf(frame)) ?? 0) + ms);
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  return {
    busyMs,
    top: [...selfByKey.values()]
      .filter(({ frame }) => !PSEUDO.has(frame.functionName))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map(({ frame, ms }) => ({
        name: frame.functionName || '(anonymous)',
        where: frame.url.startsWith('node:')
          ? `${frame.url}:${frame.lineNumber + 1}`
          : frame.url
            ? `${shortPath(frame.url)}:${frame.lineNumber + 1}`
            : '(native)',
        selfMs: ms,
        share: share(ms),
      })),
    areas: [...areas.entries()].map(([area, ms]) => ({ area, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms),
  };
}

/** The one profile `node --cpu-prof --cpu-prof-dir=<dir>` wrote into `dir`. */
export function readProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}: the profiled bot did not exit cleanly`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}
