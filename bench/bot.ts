/**
 * The bot as the benchmark starts it: the composition root of src/server.ts (`startApp`) with the
 * configuration read from the environment, as `node dist/src/server.js` runs it, and two settings
 * the environment cannot give:
 *
 *   BENCH_TENANT_PACING=off   no per-tenant pacing of what the bot sends. The load client is one
 *                             tenant's 32 people posting as fast as the bot answers, at a sink
 *                             with no Teams limits: paced at Teams' 50 a second (the most
 *                             TENANT_SEND_RATE_PER_SECOND allows), every list would measure the
 *                             pacing, not the bot. Pacing is measured by the digest fan-out.
 *   BENCH_SCHEDULER=manual    the scheduler ticks only when the benchmark asks, by an IPC message
 *                             `{ type: 'tick', id }`, answered `{ type: 'tick', id, runs }` once
 *                             the tick is over; so a fan-out is timed from its start.
 *
 * Everything else (SEND_RATE_PER_SECOND, TENANT_SEND_RATE_PER_SECOND, SCHEDULER, LOG_LEVEL) is the
 * environment's, through loadConfig.
 */
import { createLogger } from '../src/logger.js';
import { loadConfigOrExit } from '../src/config.js';
import { startApp, stopOnSignals } from '../src/server.js';

export interface TickRequest {
  readonly type: 'tick';
  readonly id: number;
}

export interface TickAnswer {
  readonly type: 'tick';
  readonly id: number;
  /** Each run the tick handled, as `kind: outcome`; or why the tick failed. */
  readonly runs: readonly string[];
  readonly error?: string;
}

async function main(): Promise<void> {
  const manual = process.env.BENCH_SCHEDULER === 'manual';
  const loaded = loadConfigOrExit(manual ? { ...process.env, SCHEDULER: 'on' } : process.env);
  const config =
    process.env.BENCH_TENANT_PACING === 'off'
      ? { ...loaded, tenantSendRatePerSecond: Number.POSITIVE_INFINITY }
      : loaded;
  if (!config.storageConnectionString) {
    console.error('bench bot: STORAGE_CONNECTION_STRING is required');
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const app = await startApp({ config, logger, connectionString: config.storageConnectionString });
  const scheduler = app.scheduler;
  if (manual && scheduler && process.send) {
    process.on('message', (message: unknown) => {
      const asked = message as Partial<TickRequest> | null;
      if (asked?.type !== 'tick' || typeof asked.id !== 'number') return;
      const id = asked.id;
      scheduler.tick().then(
        (report) =>
          process.send?.({
            type: 'tick',
            id,
            runs: report.runs.map((r) => `${r.kind}: ${r.outcome}`),
          } satisfies TickAnswer),
        (error: unknown) => process.send?.({ type: 'tick', id, runs: [], error: String(error) } satisfies TickAnswer),
      );
    });
  } else scheduler?.start();
  stopOnSignals(() => app.close(), logger);
}

main().catch((error: unknown) => {
  console.error('Start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
