/**
 * `npm run bench`: the bot against the floor of its own stack, scenario by scenario, then a soak,
 * the digest fan-out and a profile; writes bench/RESULTS.md (this run first, earlier runs kept
 * below) and prints it.
 *
 *   BENCH_QUICK=1          about 20 s at small sizes (what the smoke test runs); writes nothing
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
(\`node dist/bench/bot.js\`: src/server.ts's \`startApp\` with the environment's configuration,
with the scheduler off and no per-tenant pacing of what it sends, since the load client is one
tenant's 32 people posting as fast as the bot answers to a sink that enforces no limits then),
and so does the floor (bench/floor-bot.ts): a bare bot on the same stack (restify 12,
botbuilder's CloudAdapter, an ActivityHandler) that answers every message, and every card button,
with a fixed Adaptive Card: our own \`kpi\` card at 200 KPIs, so both send the same bytes to the
same sink. Each scenario warms both up, then measures them in turn for the same time at the same
number of conversations, round by round (odd rounds bot first, even rounds floor first). A
simulated person posts a Teams-shaped activity (a new post in a channel that @mentions the bot,
or an \`adaptiveCard/action\` invoke for a button), waits for the answer (the reply at the sink, or
the card in the invoke's response), checks that it is the expected card, and posts again.
Throughput counts the answers within each round's window; the ratio is the bot's over the floor's
in the same round, given as the median and range over rounds. Latency is from just before the POST
to the answer's arrival, pooled over rounds. Storage requests and bytes are counted, not estimated,
inside the bot's process by bench/probe.ts (loaded with \`--import\`; it counts HTTP requests to the
storage endpoint through \`node:diagnostics_channel\` and the bytes on their sockets, headers
included), and so are its CPU time and memory; Azurite's CPU time comes from /proc. All per-request
figures divide by every answer of the round, the requests still in flight at the window's end
included. Seeding writes storage directly, never through the bot.

The families' data comes from their own seeding functions: \`risk list\` reads a register of 10
and of 2,000 open risks (\`seedRisks\`) and answers with the register and its heat map;
\`budget forecast year=<last year>\` reads 500 lines with 12 months of actuals
(\`seedBudgetForBenchmark\`). The Approve click is the \`approval.vote\` invoke from an
approver: pending approvals of 12 approvers each, all of whom must approve
(\`seedApprovalForVoting\`), are seeded up front, enough for 250 clicks a second, and click k is
approver ⌊k / A⌋ on approval k mod A (A approvals), so every measured click is a first vote and
those in flight at once fall on different approvals; the floor is sent clicks of the same shape.
The soak cycles through the scenarios in fixed shares: the 200-KPI list, a KPI, a reading and Show
more twice each; help, the 10- and 2,000-KPI lists, the 2,000-risk register and the budget
forecast once each; the Approve click not at all, as each vote is used once.

The digest fan-out runs after the soak, on a bot of its own (the bot and the floor are stopped
first): bench/bot.ts with its scheduler ticking only when asked, and SEND_RATE_PER_SECOND=7 and
TENANT_SEND_RATE_PER_SECOND=50, the limits the sink then enforces like Teams (sliding windows: 7
a second and 60 in 30 s to one conversation, 50 a second per app; a send over them is answered
429 with Retry-After 1 s). After a first tick (the catch-up and the hour's reminders), 1,000
channels of the tenant are subscribed to the 200-KPI partnership's digest, due this minute
(bench/digest-fanout.ts), and one tick is asked for. The time is from that request until every
channel has had its digest, given as a ratio to the least the limits allow (the 1,000th send in
the 20th second: 19 s); every delivery meanwhile is counted by conversation, and a channel that
gets none, or more than one, fails the run.

Time: 3 rounds of 1.5 s a side after 1 s of warm-up for each of the 11 scenarios (about 14 s
each), the 5-minute soak at 16 conversations, the fan-out (about half a minute), and profiles of
8 s and 4 s: about 9 minutes on an idle 2-core machine, build included.
`;

/** Start-up, seeding, 11 scenarios, the 5-minute soak, the fan-out and the profiles fit well within this on 2 cores. */
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
