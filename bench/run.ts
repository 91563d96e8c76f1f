/**
 * `npm run bench`: the bot against the floor of its own stack, scenario by scenario, then a soak,
 * the digest fan-out and a profile; writes bench/RESULTS.md (this run first, earlier runs kept
 * below) and prints it.
 *
 *   BENCH_QUICK=1          a few seconds at small sizes (what the smoke test runs); writes nothing
 *   BENCH_ONLY=kpi,help    only the scenarios whose names start so (any case): risk, budget,
 *                          approve, digest (the fan-out) pick the families'
 *   BENCH_ROUNDS, BENCH_SLICE_SECONDS, BENCH_SOAK_SECONDS, BENCH_PROFILE_SECONDS  (0 skips soak or profile)
 *   BENCH_TENANT_RATE      the fan-out bot's TENANT_SEND_RATE_PER_SECOND (1 to 50; the sink's 50 by default)
 *
 * It measures and reports; it never fails on a figure. It exits 1 when the bot gave a wrong answer
 * or none (the run's figures would not be the bot's), and 2 when the run overran its hard limit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../src/project-root.js';
import { runBench, settingsFrom, type BenchPrograms } from './bench.js';
import { renderResults, renderRun } from './report.js';

export const METHOD = `
Measured by \`npm run bench\` (bench/). Nothing here is asserted; the figures are for comparing runs.

How: Azurite (in memory) and the connector sink (scripts/connector-stub.ts, the tests' own) run
beside the load client in the benchmark process; our bot runs in its own process
(\`node dist/bench/bot.js\`, see bench/bot.ts), and so does the floor (bench/floor-bot.ts): a bare bot on the same
stack (restify 12, botbuilder's CloudAdapter, an ActivityHandler) that answers every message, and
every card button, with a fixed Adaptive Card: our own \`kpi\` card at 200 KPIs, so both send the
same bytes to the same sink. Each scenario warms both up, then measures them in turn for the same
time at the same number of conversations, round by round (odd rounds bot first, even rounds floor
first). A simulated person posts a Teams-shaped activity (a new post in a channel that @mentions
the bot, or an \`adaptiveCard/action\` invoke for a button), waits for the answer (the reply at the
sink, or the card in the invoke's response), checks that it is the expected card, and posts again.
Throughput counts the answers within each round's window; the ratio is the bot's over the floor's
in the same round, given as the median and range over rounds. Latency is from just before the POST
to the answer's arrival, pooled over rounds. Storage requests and bytes are counted, not estimated,
inside the bot's process by bench/probe.ts (loaded with \`--import\`; it counts HTTP requests to the
storage endpoint through \`node:diagnostics_channel\` and the bytes on their sockets, headers
included), and so are its CPU time and memory; Azurite's CPU time comes from /proc. All per-request
figures divide by every answer of the round, the requests still in flight at the window's end
included. Seeding writes storage directly, never through the bot.
`;

/** Start-up, seeding, 7 scenarios, the 5-minute soak and the profile fit well within this on 2 cores. */
const HARD_LIMIT_MS = 15 * 60_000;

async function main(): Promise<number> {
  const settings = settingsFrom(process.env);
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  const programs: BenchPrograms = {
    bot: here('./bot.js'),
    floor: here('./floor-bot.js'),
    probe: here('./probe.js'),
  };
  const limit = setTimeout(() => {
    console.error(`bench: the run overran its hard limit of ${HARD_LIMIT_MS / 60_000} minutes; stopping.`);
    process.exit(2);
  }, HARD_LIMIT_MS);
  limit.unref();
  const report = await runBench(settings, programs, (line) => console.error(`bench: ${line}`));
  const run = renderRun(report, projectRoot);
  const path = join(projectRoot, 'bench', 'RESULTS.md');
  if (settings.quick || settings.only.length > 0) {
    process.stdout.write(`${run}\n`);
    console.error('bench: a quick or partial run; bench/RESULTS.md left as it was.');
  } else {
    const previous = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    const markdown = renderResults(run, METHOD, previous);
    writeFileSync(path, markdown);
    process.stdout.write(`${run}\n`);
    console.error(`bench: wrote ${path}`);
  }
  for (const failure of report.failures) console.error(`bench: wrong or missing answer: ${failure}`);
  return report.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: failed:', error);
    process.exit(1);
  },
);
