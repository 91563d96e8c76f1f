import { performance } from 'node:perf_hooks';
import type { Place } from './place.js';
import { procCpuMs, type MeasuredProcess } from './processes.js';
import type { ProbeSample } from './probe.js';
import type { Answer, Ask, TeamsClient } from './teams.js';

/**
 * Closed-loop load: `concurrency` simulated people each send an activity, wait for its answer,
 * check it, and send the next, until the counting window closes. Throughput counts the answers
 * within the window; the requests still in flight then are finished (and counted in the
 * per-request figures, as are those of the ramp) before the next slice starts, so no slice leaves
 * work to the next.
 */
export interface Load {
  readonly place: Place;
  ask(i: number): Ask;
  check(answer: Answer): string | undefined;
}

export interface Slice {
  /** The counting window's length (see CountingWindow). */
  readonly windowMs: number;
  /** Answers that arrived within the window. */
  readonly inWindow: number;
  /** Every answer of the slice, the drain after the window included. */
  readonly completed: number;
  readonly latencies: readonly number[];
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Differences of the process's probe samples over the slice, drain included. */
  readonly cpuMs: number;
  readonly storageRequests: number;
  readonly storageBytesRead: number;
  readonly storageBytesWritten: number;
  /** CPU time of the storage emulator and of this (the load client's) process over the slice. */
  readonly storageCpuMs: number | undefined;
  readonly clientCpuMs: number;
  readonly wallMs: number;
  readonly after: ProbeSample;
}

export interface SliceOptions {
  readonly concurrency: number;
  readonly windowMs: number;
  readonly storagePid?: number;
  /** Gives up on a request after this long (Teams waits 15 s for a bot). */
  readonly timeoutMs?: number;
}

/** A slice stops early after this many failed requests: a broken bot must not spin. */
const MAX_ERRORS = 50;

/**
 * When a slice counts answers. It opens once every person has had an answer (the closed loop is
 * full: a slice starts from idle, and its first answers would otherwise count the ramp), counts
 * for `windowMs`, and stretches up to `stretch` times that until it holds at least one answer per
 * person, so a slow scenario is not judged on two or three answers. The drain after it closes is
 * not counted.
 */
export class CountingWindow {
  private opensAt: number | undefined;
  private closesAt: number | undefined;
  private answers = 0;
  private counted = 0;

  constructor(
    private readonly startedAt: number,
    private readonly concurrency: number,
    private readonly windowMs: number,
    private readonly stretch = 3,
  ) {}

  answered(at: number): void {
    this.answers++;
    if (this.opensAt === undefined) {
      if (this.answers >= this.concurrency || at - this.startedAt >= this.windowMs * this.stretch) this.opensAt = at;
      return;
    }
    if (this.isClosed(at)) return;
    this.counted++;
    if (at > this.opensAt + this.windowMs && this.counted >= this.concurrency) this.closesAt = at;
  }

  isClosed(now: number): boolean {
    if (this.closesAt !== undefined) return now >= this.closesAt;
    if (this.opensAt === undefined) return false;
    const nominal = this.opensAt + this.windowMs;
    if (now > nominal && this.counted >= this.concurrency) this.closesAt = nominal;
    else if (now >= this.opensAt + this.windowMs * this.stretch)
      this.closesAt = this.opensAt + this.windowMs * this.stretch;
    return this.closesAt !== undefined && now >= this.closesAt;
  }

  /** Answers counted, and the window's length in ms (once closed). */
  result(): { answers: number; ms: number } {
    return { answers: this.counted, ms: (this.closesAt ?? Number.NaN) - (this.opensAt ?? Number.NaN) };
  }
}

export async function runSlice(
  client: TeamsClient,
  target: MeasuredProcess,
  load: Load,
  options: SliceOptions,
): Promise<Slice> {
  const before = await target.sample();
  const storageBefore = procCpuMs(options.storagePid);
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  const window = new CountingWindow(start, options.concurrency, options.windowMs);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const person = async (): Promise<void> => {
    while (!window.isClosed(performance.now()) && errors < MAX_ERRORS) {
      const i = issued++;
      try {
        const answer = await client.send(target.url, load.place, load.ask(i), options.timeoutMs);
        const wrong = load.check(answer);
        if (wrong) throw new Error(wrong);
        latencies.push(answer.ms);
        window.answered(performance.now());
      } catch (error) {
        errors++;
        firstError ??= `${target.name}: ${(error as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, person));
  const wallMs = performance.now() - start;
  const after = await target.sample();
  const clientCpu = process.cpuUsage(clientBefore);
  const storageAfter = procCpuMs(options.storagePid);
  const counted = window.result();
  return {
    windowMs: counted.ms,
    inWindow: counted.answers,
    completed: latencies.length,
    latencies,
    errors,
    firstError,
    cpuMs: after.cpuMs - before.cpuMs,
    storageRequests: after.storageRequests - before.storageRequests,
    storageBytesRead: after.storageBytesRead - before.storageBytesRead,
    storageBytesWritten: after.storageBytesWritten - before.storageBytesWritten,
    storageCpuMs: storageBefore === undefined || storageAfter === undefined ? undefined : storageAfter - storageBefore,
    clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
    wallMs,
    after,
  };
}

export const perSecond = (s: Slice): number => (s.inWindow * 1000) / s.windowMs;

export interface Round {
  readonly bot: Slice;
  readonly floor: Slice;
  /** The bot's throughput over the floor's, in this round. */
  readonly ratio: number;
}

export interface RoundsOptions {
  readonly concurrency: number;
  readonly warmUpMs: number;
  readonly sliceMs: number;
  readonly rounds: number;
  readonly storagePid?: number;
}

/**
 * Warms both up, then measures the bot and the floor in turn, round by round, at the same
 * concurrency and for the same time; odd rounds start with the bot, even ones with the floor, so
 * drift on a shared machine falls on both alike.
 */
export async function measureRounds(
  client: TeamsClient,
  bot: { process: MeasuredProcess; load: Load },
  floor: { process: MeasuredProcess; load: Load },
  options: RoundsOptions,
): Promise<{ rounds: Round[]; warmUpErrors: string | undefined }> {
  const slice = (side: typeof bot, windowMs: number) =>
    runSlice(client, side.process, side.load, {
      concurrency: options.concurrency,
      windowMs,
      ...(options.storagePid !== undefined ? { storagePid: options.storagePid } : {}),
    });
  const warmBot = await slice(bot, options.warmUpMs);
  const warmFloor = await slice(floor, options.warmUpMs);
  const rounds: Round[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const first = r % 2 === 0 ? await slice(bot, options.sliceMs) : await slice(floor, options.sliceMs);
    const second = r % 2 === 0 ? await slice(floor, options.sliceMs) : await slice(bot, options.sliceMs);
    const [b, f] = r % 2 === 0 ? [first, second] : [second, first];
    rounds.push({ bot: b, floor: f, ratio: perSecond(b) / perSecond(f) });
  }
  return { rounds, warmUpErrors: warmBot.firstError ?? warmFloor.firstError };
}

export interface SoakPart {
  readonly name: string;
  readonly load: Load;
  readonly weight: number;
}

export interface SoakResult {
  readonly durationMs: number;
  readonly concurrency: number;
  readonly completed: number;
  readonly latencies: ReadonlyMap<string, readonly number[]>;
  readonly errors: number;
  readonly firstError: string | undefined;
  /** RSS of the bot process over the soak: [ms since the start, bytes]. */
  readonly rss: ReadonlyArray<readonly [number, number]>;
  readonly maxRssBytes: number;
  readonly cpuMs: number;
}

/** Mixed commands at `concurrency` for `durationMs`, the bot's RSS read every `sampleEveryMs`. */
export async function soak(
  client: TeamsClient,
  target: MeasuredProcess,
  parts: readonly SoakPart[],
  options: { concurrency: number; durationMs: number; sampleEveryMs: number },
): Promise<SoakResult> {
  const cycle = parts.flatMap((p) => Array.from({ length: p.weight }, () => p));
  const latencies = new Map(parts.map((p) => [p.name, [] as number[]]));
  const start = performance.now();
  const end = start + options.durationMs;
  const first = await target.sample();
  const rss: Array<[number, number]> = [[0, first.rssBytes]];
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  let running = true;
  let wake: () => void = () => undefined;
  const sampling = (async () => {
    while (running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.sampleEveryMs);
        wake = () => (clearTimeout(timer), resolve());
      });
      if (running) rss.push([performance.now() - start, (await target.sample()).rssBytes]);
    }
  })();
  const person = async (): Promise<void> => {
    while (performance.now() < end && errors < MAX_ERRORS) {
      const i = issued++;
      const part = cycle[i % cycle.length]!;
      try {
        const answer = await client.send(target.url, part.load.place, part.load.ask(i));
        const wrong = part.load.check(answer);
        if (wrong) throw new Error(`${part.name}: ${wrong}`);
        latencies.get(part.name)!.push(answer.ms);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, person));
  running = false;
  wake();
  await sampling;
  const last = await target.sample();
  rss.push([performance.now() - start, last.rssBytes]);
  return {
    durationMs: performance.now() - start,
    concurrency: options.concurrency,
    completed: [...latencies.values()].reduce((n, l) => n + l.length, 0),
    latencies,
    errors,
    firstError,
    rss,
    maxRssBytes: last.maxRssBytes,
    cpuMs: last.cpuMs - first.cpuMs,
  };
}
