import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { freePort, stopChild, waitForPort } from '../scripts/azurite.js';
import type { TickAnswer, TickRequest } from './bot.js';
import type { ProbeSample, SampleAnswer, SampleRequest } from './probe.js';

/**
 * The processes the benchmark measures: our bot (`node dist/bench/bot.js`) and the floor bot,
 * each started with the probe (bench/probe.ts) and an IPC channel, so the benchmark can read
 * their CPU time, memory and storage traffic between rounds without touching their code.
 */
export interface MeasuredProcess {
  readonly name: string;
  /** Base URL; activities go to `${url}/api/messages`. */
  readonly url: string;
  readonly pid: number;
  sample(): Promise<ProbeSample>;
  /** Asks the bot (bench/bot.ts with BENCH_SCHEDULER=manual) to run one scheduler tick; resolves when it is over. */
  tick(timeoutMs: number): Promise<TickAnswer>;
  /** Stops it (SIGTERM, then SIGKILL after the grace time); resolves with its exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** The last lines it wrote to stderr and stdout, for a failure message. */
  output(): string;
}

export interface StartOptions {
  readonly name: string;
  /** The compiled entry point (a .js file). */
  readonly entry: string;
  /** The compiled probe (bench/probe.js). */
  readonly probe: string;
  readonly env: Readonly<Record<string, string>>;
  /** Node flags before the entry point, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

const KEPT_OUTPUT_CHARS = 4000;

/** Starts `entry` on a free loopback port with a clean environment (PATH, HOME, PORT and `env` only). */
export async function startMeasured(options: StartOptions): Promise<MeasuredProcess> {
  const port = await freePort();
  const env: Record<string, string> = { PORT: String(port), ...options.env };
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name];
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', pathToFileURL(options.probe).href, options.entry],
    { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitForPort(port, options.startTimeoutMs ?? 30_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return measured(options.name, `http://127.0.0.1:${port}`, child, () => output);
}

function measured(name: string, url: string, child: ChildProcess, output: () => string): MeasuredProcess {
  let nextId = 1;
  const pending = new Map<number, { resolve: (answer: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: unknown) => {
    const answer = message as { type?: unknown; id?: unknown } | null;
    if (typeof answer?.type !== 'string' || typeof answer.id !== 'number') return;
    pending.get(answer.id)?.resolve(answer);
    pending.delete(answer.id);
  });
  child.once('exit', (code, signal) => {
    for (const waiting of pending.values())
      waiting.reject(new Error(`${name} exited (${code ?? signal}) before answering\n${output()}`));
    pending.clear();
  });
  /** Sends `{ type, id }` over the IPC channel and waits for the answer of the same id. */
  const ask = (type: 'sample' | 'tick', timeoutMs: number): Promise<unknown> => {
    if (child.exitCode !== null || !child.connected)
      return Promise.reject(new Error(`${name} is not running\n${output()}`));
    const id = nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name} did not answer a ${type} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (a) => (clearTimeout(timer), resolve(a)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send({ type, id } satisfies SampleRequest | TickRequest);
    });
  };
  return {
    name,
    url,
    pid: child.pid ?? -1,
    async sample() {
      const { type: _type, id: _id, ...sample } = (await ask('sample', 10_000)) as SampleAnswer;
      return sample;
    },
    async tick(timeoutMs) {
      return (await ask('tick', timeoutMs)) as TickAnswer;
    },
    async stop(graceMs = 10_000) {
      await stopChild(child, graceMs);
      return child.exitCode;
    },
    output,
  };
}

/** CPU time (user + system) of any process, in ms, from /proc; undefined where there is no /proc. */
export function procCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine, in ms, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, ...ticks] = line.trim().split(/\s+/);
    const values = ticks.map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: ((total - idle) * 1000) / CLOCK_TICKS, total: (total * 1000) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on Linux on every architecture Node runs on. */
const CLOCK_TICKS = 100;
