/**
 * `npm run bench`: the bot's latency and card sizes at the scale of a large partnership
 * (200 KPIs × 24 monthly readings), end to end over loopback:
 *
 *   POST /api/messages (Teams-shaped activity) -> restify -> botbuilder -> router -> Azurite
 *   -> card render -> the bot POSTs its reply to a local connector sink  <- timed to here
 *
 * It measures and reports; it never fails on a number. It exits 1 only when the bot does not
 * answer (HTTP error, no reply within 15 s, or a reply that is not the expected card), and 2 if
 * the whole run overruns its hard limit. Writes bench/RESULTS.md and prints it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem, arch } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CARD_BYTE_LIMIT, cardBytes, renderCard, type AdaptiveCard } from '../src/cards/render.js';
import { assessAll, detailReply, PAGE_SIZE, summaryReply } from '../src/commands/kpi/views.js';
import { periodsAt } from '../src/domain/periods.js';
import { KpiRepository } from '../src/storage/kpis.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/project-root.js';
import { startApp, type App } from '../src/server.js';
import { startAzurite, type RunningAzurite } from '../scripts/azurite.js';
import { KPI_COUNT, PLACE, READINGS_PER_KPI, seedBench, type SeedResult } from './seed.js';
import { startConnectorSink, type ConnectorSink, type ReceivedReply } from './sink.js';
import { ms, summarise, table, type LatencySummary } from './stats.js';

// ---------------------------------------------------------------------------------
// Fixed parameters (a few may be lowered or raised through the environment, within bounds)
// ---------------------------------------------------------------------------------

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Math.trunc(Number(raw));
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

const ITERATIONS = bounded('BENCH_ITERATIONS', 100, 1, 1000);
const WARM_UP = bounded('BENCH_WARMUP', 10, 0, 100);
const CONCURRENCY = bounded('BENCH_CONCURRENCY', 8, 1, 32);
const CONCURRENT_TOTAL = bounded('BENCH_CONCURRENT_TOTAL', 160, 1, 2000);
/** Each sequential measurement (warm-up included) stops at its count or at this, whichever comes first. */
const PHASE_BUDGET_MS = 12_000;
const CONCURRENT_BUDGET_MS = 12_000;
/** Teams gives a bot 15 s to answer a message; later than that counts as no answer. */
const REPLY_TIMEOUT_MS = 15_000;
/** The whole run, start-up to exit; a hang stops here (exit 2). */
const HARD_LIMIT_MS = 115_000;
/** "Now" for the bot: a Wednesday in P8 of 2026/27 (last complete month: October 2026), moving on in real time. */
const BENCH_EPOCH = Date.parse('2026-11-25T12:00:00Z');

const BOT = { id: '28:bench-governance-bot', name: 'Governance Bot' };

// ---------------------------------------------------------------------------------
// Talking to the bot as Teams does
// ---------------------------------------------------------------------------------

class BotDidNotAnswer extends Error {
  override readonly name = 'BotDidNotAnswer';
}

let lastActivityId = Date.now();
function newActivityId(): string {
  lastActivityId = Math.max(lastActivityId + 1, Date.now());
  return String(lastActivityId);
}

/** A new post in the channel, @mentioning the bot: conversation `<channel>;messageid=<post id>`, as Teams sends it. */
function channelMessage(
  serviceUrl: string,
  text: string,
): { activity: Record<string, unknown>; conversationId: string } {
  const id = newActivityId();
  const conversationId = `${PLACE.channelId};messageid=${id}`;
  const mention = `<at>${BOT.name}</at>`;
  return {
    conversationId,
    activity: {
      type: 'message',
      id,
      timestamp: new Date().toISOString(),
      localTimezone: 'Europe/London',
      channelId: 'msteams',
      serviceUrl,
      from: { id: PLACE.user.id, name: PLACE.user.name, aadObjectId: PLACE.user.aadObjectId },
      recipient: { id: BOT.id, name: BOT.name },
      conversation: { id: conversationId, conversationType: 'channel', tenantId: PLACE.tenantId, isGroup: true },
      channelData: {
        tenant: { id: PLACE.tenantId },
        team: { id: PLACE.teamId, name: PLACE.teamName, aadGroupId: PLACE.aadGroupId },
        channel: { id: PLACE.channelId, name: PLACE.channelName },
      },
      locale: 'en-GB',
      text: `${mention} ${text}`,
      textFormat: 'plain',
      entities: [
        { type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } },
        { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
      ],
    },
  };
}

interface Answer {
  /** From just before the POST to /api/messages until the reply had fully arrived at the sink. */
  readonly replyMs: number;
  /** The POST's own round trip (the adapter answers after the turn, so it includes the reply's send). */
  readonly httpMs: number;
  readonly reply: ReceivedReply;
}

async function ask(app: App, sink: ConnectorSink, text: string): Promise<Answer> {
  const { activity, conversationId } = channelMessage(sink.url, text);
  const waiting = sink.expectReply(conversationId, REPLY_TIMEOUT_MS);
  waiting.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const t0 = performance.now();
  let status: number;
  let body: string;
  try {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(REPLY_TIMEOUT_MS),
    });
    status = res.status;
    body = await res.text();
  } catch (error) {
    throw new BotDidNotAnswer(`"${text}": POST /api/messages failed: ${(error as Error).message}`);
  }
  const httpMs = performance.now() - t0;
  if (status < 200 || status >= 300)
    throw new BotDidNotAnswer(`"${text}": /api/messages answered HTTP ${status} ${body.slice(0, 300)}`);
  let reply: ReceivedReply;
  try {
    reply = await waiting;
  } catch (error) {
    throw new BotDidNotAnswer(`"${text}": ${(error as Error).message}`);
  }
  return { replyMs: reply.at - t0, httpMs, reply };
}

interface ReplyCard {
  readonly card: AdaptiveCard | undefined;
  /** The card's plain-text fallback, or the message text. */
  readonly text: string;
}

function cardOf(reply: ReceivedReply): ReplyCard {
  const attachments = Array.isArray(reply.activity.attachments)
    ? (reply.activity.attachments as Array<Record<string, unknown>>)
    : [];
  const content = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as
    AdaptiveCard | undefined;
  const text =
    typeof content?.fallbackText === 'string'
      ? content.fallbackText
      : typeof reply.activity.text === 'string'
        ? reply.activity.text
        : '';
  return { card: content, text };
}

// ---------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------

interface Scenario {
  readonly name: string;
  /** The text typed for iteration i (warm-up included). */
  readonly text: (i: number) => string;
  /** What the reply must say, so a fast error card is not mistaken for an answer. */
  readonly expect: (reply: ReplyCard) => boolean;
}

interface Measured {
  readonly summary: LatencySummary;
  readonly http: LatencySummary;
  readonly warmUp: number;
}

async function measureSequential(app: App, sink: ConnectorSink, scenario: Scenario): Promise<Measured> {
  const deadline = performance.now() + PHASE_BUDGET_MS;
  let done = 0;
  let warmed = 0;
  const replyMs: number[] = [];
  const httpMs: number[] = [];
  for (; warmed < WARM_UP && performance.now() < deadline; warmed++) {
    const answer = await ask(app, sink, scenario.text(done++));
    check(scenario, answer);
  }
  const start = performance.now();
  while (replyMs.length < ITERATIONS && performance.now() < deadline) {
    const answer = await ask(app, sink, scenario.text(done++));
    check(scenario, answer);
    replyMs.push(answer.replyMs);
    httpMs.push(answer.httpMs);
  }
  const wall = performance.now() - start;
  const cutShort = replyMs.length < ITERATIONS;
  return {
    summary: summarise(scenario.name, replyMs, wall, 1, cutShort),
    http: summarise(scenario.name, httpMs, wall, 1, cutShort),
    warmUp: warmed,
  };
}

async function measureConcurrent(app: App, sink: ConnectorSink, scenario: Scenario): Promise<Measured> {
  const deadline = performance.now() + CONCURRENT_BUDGET_MS;
  // A short warm-up at the same concurrency, so connection pools are open.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => check(scenario, await ask(app, sink, scenario.text(i)))),
  );
  let issued = 0;
  const replyMs: number[] = [];
  const httpMs: number[] = [];
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (issued < CONCURRENT_TOTAL && performance.now() < deadline) {
      const i = issued++;
      const answer = await ask(app, sink, scenario.text(i));
      check(scenario, answer);
      replyMs.push(answer.replyMs);
      httpMs.push(answer.httpMs);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wall = performance.now() - start;
  const name = `${scenario.name} (${CONCURRENCY} in flight)`;
  const cutShort = replyMs.length < CONCURRENT_TOTAL;
  return {
    summary: summarise(name, replyMs, wall, CONCURRENCY, cutShort),
    http: summarise(name, httpMs, wall, CONCURRENCY, cutShort),
    warmUp: CONCURRENCY,
  };
}

function check(scenario: Scenario, answer: Answer): void {
  const reply = cardOf(answer.reply);
  if (!scenario.expect(reply)) {
    throw new BotDidNotAnswer(
      `"${scenario.name}": unexpected reply: ${reply.text.split('\n').slice(0, 3).join(' / ') || JSON.stringify(answer.reply.activity).slice(0, 300)}`,
    );
  }
}

interface CardSize {
  readonly what: string;
  readonly cardBytes: number;
  /** The whole activity as the bot POSTed it (card, fallback text, summary, addressing). */
  readonly activityBytes: number | undefined;
}

// ---------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------

function versionOf(root: string, pkg: string): string {
  try {
    return (
      (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string })
        .version ?? '?'
    );
  } catch {
    return '?';
  }
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

interface Report {
  readonly startedAt: Date;
  readonly setup: { azuriteMs: number; appMs: number; seedMs: number; seed: SeedResult; botCounts: string };
  readonly latency: readonly Measured[];
  readonly cards: readonly CardSize[];
  readonly pages: {
    summaryPages: number;
    largestPage: CardSize;
    redPages: number;
    largestRedPage: CardSize;
    detailCount: number;
    largestDetail: CardSize & { code: string };
  };
  readonly totalMs: number;
  readonly unexpectedSends: number;
}

function render(report: Report, root: string): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push('# Benchmark results');
  lines.push('');
  lines.push(
    'Measured by `bench/run.ts`; numbers from one run on one machine, for comparing runs, not a promise. Nothing here is asserted.',
  );
  lines.push('');
  lines.push(`- Date: ${report.startedAt.toISOString()}`);
  lines.push(`- Node: ${process.version} (${platform()} ${release()} ${arch()})`);
  lines.push(`- Machine: ${cpu.length} cores, ${model}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`);
  lines.push(
    `- Stack: botbuilder ${versionOf(root, 'botbuilder')}, restify ${versionOf(root, 'restify')}, @azure/data-tables ${versionOf(root, '@azure/data-tables')}, Azurite ${versionOf(root, 'azurite')} (in memory), all in this process except Azurite; loopback only`,
  );
  lines.push(
    `- Data: 1 partnership, ${KPI_COUNT} monthly KPIs × ${READINGS_PER_KPI} readings = ${report.setup.seed.readings} readings; the bot's own count: ${report.setup.botCounts}`,
  );
  lines.push(
    `- Set-up: Azurite ${ms(report.setup.azuriteMs)} ms, bot start ${ms(report.setup.appMs)} ms, seeding ${ms(report.setup.seedMs)} ms; whole run ${(report.totalMs / 1000).toFixed(1)} s`,
  );
  lines.push('');
  lines.push('## Latency');
  lines.push('');
  lines.push(
    "Reply time: from just before the `POST /api/messages` (a Teams-shaped channel message that @mentions the bot) until the bot's reply has fully arrived at a local connector sink (`POST /v3/conversations/:id/activities/:replyTo`). " +
      `Sequential loops run ${WARM_UP} warm-up requests, then up to ${ITERATIONS} measured ones, one at a time (each loop stops early after ${PHASE_BUDGET_MS / 1000} s; n shows how many ran). ` +
      `The concurrent run keeps ${CONCURRENCY} requests in flight for up to ${CONCURRENT_TOTAL} requests or ${CONCURRENT_BUDGET_MS / 1000} s. Requests/s = measured requests ÷ wall time of the loop.`,
  );
  lines.push('');
  lines.push(
    table(
      [
        ['command', 'in flight', 'n', 'p50 ms', 'p95 ms', 'max ms', 'mean ms', 'requests/s', 'HTTP p50 ms'],
        ...report.latency.map(({ summary: s, http }) => [
          `\`${s.name.replace(/ \(\d+ in flight\)$/, '')}\``,
          String(s.concurrency),
          `${s.count}${s.cutShort ? ' (time-capped)' : ''}`,
          ms(s.p50),
          ms(s.p95),
          ms(s.max),
          ms(s.mean),
          s.perSecond.toFixed(1),
          ms(http.p50),
        ]),
      ],
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  lines.push('');
  lines.push(
    "`kpi record` is a write: it reads the KPI and the period's earlier reading, stores the reading and the KPI's recent values in one transaction (ETag-guarded), and writes an audit row. \"HTTP\" is the POST's own round trip, which ends after the reply was sent.",
  );
  lines.push('');
  lines.push('## Card payloads');
  lines.push('');
  lines.push(
    `Card bytes: \`cardBytes\` (src/cards/render.ts) of the Adaptive Card the sink received (attachment content, fallback text included), against the ${kb(CARD_BYTE_LIMIT)} limit (CARD_BYTE_LIMIT). Activity bytes: the whole HTTP body the bot POSTed.`,
  );
  lines.push('');
  const sizeRow = (c: CardSize): string[] => [
    c.what,
    String(c.cardBytes),
    kb(c.cardBytes),
    `${((100 * c.cardBytes) / CARD_BYTE_LIMIT).toFixed(0)}%`,
    c.cardBytes <= CARD_BYTE_LIMIT ? 'under' : '**over**',
    c.activityBytes === undefined ? '–' : String(c.activityBytes),
  ];
  lines.push(
    table(
      [
        ['card', 'card bytes', 'size', 'of 28 KB', 'limit', 'activity bytes'],
        ...report.cards.map(sizeRow),
        sizeRow(report.pages.largestPage),
        sizeRow(report.pages.largestRedPage),
        sizeRow(report.pages.largestDetail),
      ],
      [false, true, true, true, false, true],
    ),
  );
  lines.push('');
  lines.push(
    `The last three rows are rendered directly with \`summaryReply\`/\`detailReply\` and \`renderCard\` for every page of the summary (${report.pages.summaryPages} pages of ${PAGE_SIZE}), every page of \`kpi red\` (${report.pages.redPages}) and the detail card of each of the ${report.pages.detailCount} KPIs; each row is the largest.`,
  );
  if (report.unexpectedSends > 0) {
    lines.push('');
    lines.push(`Note: the sink received ${report.unexpectedSends} activities nobody was waiting for.`);
  }
  lines.push('');
  lines.push('## Reproduce');
  lines.push('');
  lines.push(
    '`npm run bench` (builds, starts Azurite in memory, seeds, measures, writes this file; about 20–30 s on 2 cores). `BENCH_ITERATIONS`, `BENCH_WARMUP`, `BENCH_CONCURRENCY` and `BENCH_CONCURRENT_TOTAL` change the counts within fixed bounds.',
  );
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------

async function main(): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const root = projectRoot;
  let azurite: RunningAzurite | undefined;
  let sink: ConnectorSink | undefined;
  let app: App | undefined;

  const hardStop = setTimeout(() => {
    console.error(`bench: the run overran its hard limit of ${HARD_LIMIT_MS / 1000} s; stopping.`);
    const stopping = azurite ? azurite.stop() : Promise.resolve();
    void Promise.race([stopping, new Promise((r) => setTimeout(r, 3000))]).finally(() => process.exit(2));
  }, HARD_LIMIT_MS);
  hardStop.unref();

  try {
    let mark = performance.now();
    azurite = await startAzurite();
    const azuriteMs = performance.now() - mark;

    sink = await startConnectorSink();
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
    const clock = () => new Date(BENCH_EPOCH + (performance.now() - t0));
    mark = performance.now();
    app = await startApp({
      config,
      logger: createLogger(config.logLevel),
      connectionString: azurite.connectionString,
      tablePrefix: 'bench',
      clock,
    });
    const appMs = performance.now() - mark;

    mark = performance.now();
    const seed = await seedBench(app.services, clock());
    const seedMs = performance.now() - mark;
    console.error(
      `bench: seeded ${seed.kpis.length} KPIs, ${seed.readings} readings in ${(seedMs / 1000).toFixed(1)} s (as built: ${JSON.stringify(seed.intendedCounts)})`,
    );

    const redWithNote = seed.kpis.find((k) => k.intended === 'Red' && k.unit === '%') ?? seed.kpis[0]!;
    const recordable = seed.kpis.filter((k) => k.unit === '%' && k.latest !== undefined).slice(0, 10);
    if (recordable.length === 0) throw new Error('no KPI to record against');

    const isSummary = (r: ReplyCard) => r.card !== undefined && r.text.startsWith('KPIs — ');
    const scenarios: Scenario[] = [
      { name: 'help', text: () => 'help', expect: (r) => r.card !== undefined && r.text.includes('kpi') },
      { name: 'kpi', text: () => 'kpi', expect: (r) => isSummary(r) && r.text.includes(`${KPI_COUNT} KPIs`) },
      { name: 'kpi red', text: () => 'kpi red', expect: (r) => isSummary(r) && r.text.includes('Red only') },
      {
        name: `kpi ${redWithNote.code}`,
        text: () => `kpi ${redWithNote.code}`,
        expect: (r) => r.card !== undefined && r.text.startsWith(`${redWithNote.name} (${redWithNote.code})`),
      },
      {
        name: 'kpi record <code> <value>',
        // The same value again for the last complete month: a real write (replace + audit) that leaves every RAG as it was.
        text: (i) => {
          const k = recordable[i % recordable.length]!;
          return `kpi record ${k.code} ${k.latest}`;
        },
        expect: (r) => r.card !== undefined && / for Oct 2026 is (Green|Amber|Red)/.test(r.text),
      },
    ];

    // First answers, kept for their card sizes.
    const summaryAnswer = await ask(app, sink, 'kpi');
    const botCounts = cardOf(summaryAnswer.reply).text.split('\n')[1]?.split(' · ')[0] ?? '?';
    const redAnswer = await ask(app, sink, 'kpi red');
    const detailAnswer = await ask(app, sink, `kpi ${redWithNote.code}`);
    const helpAnswer = await ask(app, sink, 'help');
    check(scenarios[1]!, summaryAnswer);
    check(scenarios[2]!, redAnswer);
    check(scenarios[3]!, detailAnswer);
    check(scenarios[0]!, helpAnswer);

    const latency: Measured[] = [];
    for (const scenario of scenarios) {
      const measured = await measureSequential(app, sink, scenario);
      latency.push(measured);
      console.error(
        `bench: ${scenario.name}: n=${measured.summary.count} p50=${ms(measured.summary.p50)} ms p95=${ms(measured.summary.p95)} ms`,
      );
    }
    const concurrent = await measureConcurrent(app, sink, scenarios[1]!);
    latency.push(concurrent);
    console.error(
      `bench: ${concurrent.summary.name}: n=${concurrent.summary.count} p50=${ms(concurrent.summary.p50)} ms p95=${ms(concurrent.summary.p95)} ms`,
    );

    const received = (what: string, answer: Answer): CardSize => {
      const { card } = cardOf(answer.reply);
      if (!card) throw new BotDidNotAnswer(`${what}: the reply carried no Adaptive Card`);
      return { what, cardBytes: cardBytes(card), activityBytes: answer.reply.bodyBytes };
    };
    const cards: CardSize[] = [
      received(`\`kpi\`: summary, first page (${PAGE_SIZE} of ${KPI_COUNT})`, summaryAnswer),
      received('`kpi red`: first page', redAnswer),
      received(`\`kpi ${redWithNote.code}\`: detail`, detailAnswer),
      received('`help`', helpAnswer),
    ];

    // Every page and every detail card, rendered as the bot renders them.
    const partnership = await app.services.partnerships.get(seed.partnershipId);
    if (!partnership) throw new Error('the seeded partnership is missing');
    const now = clock();
    const kpis = new KpiRepository(app.storage.tables);
    const stored = await kpis.list(seed.partnershipId);
    const all = assessAll(stored, periodsAt(now));
    const sizeOf = (reply: ReturnType<typeof summaryReply>): number => {
      if (!reply.card) throw new Error('a KPI view without a card');
      return cardBytes(renderCard(reply.card.template, reply.card.data, reply.text));
    };
    let largestPage = { what: '', cardBytes: 0, activityBytes: undefined as number | undefined };
    let summaryPages = 0;
    for (let offset = 0; offset < all.length; offset += PAGE_SIZE, summaryPages++) {
      const bytes = sizeOf(summaryReply(partnership, all, { offset, now }));
      if (bytes > largestPage.cardBytes)
        largestPage = {
          what: `largest \`kpi\` page (rows ${offset + 1}–${Math.min(offset + PAGE_SIZE, all.length)})`,
          cardBytes: bytes,
          activityBytes: undefined,
        };
    }
    const redCount = all.filter((k) => k.assessment.status === 'Red').length;
    let largestRedPage = { what: '', cardBytes: 0, activityBytes: undefined as number | undefined };
    let redPages = 0;
    for (let offset = 0; offset < Math.max(redCount, 1); offset += PAGE_SIZE, redPages++) {
      const bytes = sizeOf(summaryReply(partnership, all, { filter: 'red', offset, now }));
      if (bytes > largestRedPage.cardBytes)
        largestRedPage = {
          what: `largest \`kpi red\` page (rows ${offset + 1}–${Math.min(offset + PAGE_SIZE, redCount)})`,
          cardBytes: bytes,
          activityBytes: undefined,
        };
    }
    let largestDetail = { what: '', code: '', cardBytes: 0, activityBytes: undefined as number | undefined };
    const detailDeadline = performance.now() + 10_000;
    let detailCount = 0;
    for (const kpi of stored) {
      if (performance.now() > detailDeadline) break;
      const definition = (await kpis.get(seed.partnershipId, kpi.code))!.definition;
      const bytes = sizeOf(detailReply(definition, await kpis.readings(seed.partnershipId, kpi.code), periodsAt(now)));
      detailCount++;
      if (bytes > largestDetail.cardBytes)
        largestDetail = {
          what: `largest detail card (\`kpi ${kpi.code}\`)`,
          code: kpi.code,
          cardBytes: bytes,
          activityBytes: undefined,
        };
    }

    const report: Report = {
      startedAt,
      setup: { azuriteMs, appMs, seedMs, seed, botCounts },
      latency,
      cards,
      pages: { summaryPages, largestPage, redPages, largestRedPage, detailCount, largestDetail },
      totalMs: performance.now() - t0,
      unexpectedSends: sink.unexpected(),
    };
    const markdown = render(report, root);
    writeFileSync(join(root, 'bench', 'RESULTS.md'), markdown);
    process.stdout.write(`${markdown}\n`);
    console.error(`bench: wrote ${join(root, 'bench', 'RESULTS.md')}`);
    return 0;
  } catch (error) {
    if (error instanceof BotDidNotAnswer) {
      console.error(`bench: the bot did not answer: ${error.message}`);
      return 1;
    }
    console.error('bench: failed:', error);
    return 1;
  } finally {
    await app?.close(2000).catch(() => undefined);
    await sink?.close().catch(() => undefined);
    await azurite?.stop().catch(() => undefined);
    clearTimeout(hardStop);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: failed:', error);
    process.exit(1);
  },
);
