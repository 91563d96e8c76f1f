import { pathToFileURL } from 'node:url';
import restify from 'restify';
import { TeamsDirectoryClient } from './bot/directory.js';
import { createBot, type BotEndpoint, type CredentialsFactory } from './bot/index.js';
import { MAX_BODY_BYTES } from './bot/edge.js';
import { buildRegistry } from './commands/index.js';
import { Router } from './commands/router.js';
import type { Services } from './commands/services.js';
import { loadConfigOrExit, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { AuditLog } from './storage/audit.js';
import { ReminderStore } from './storage/reminders.js';
import { ConversationRepository } from './storage/conversations.js';
import { DeliveryLog } from './storage/deliveries.js';
import { PartnershipRepository } from './storage/partnerships.js';
import { RoleRepository } from './storage/roles.js';
import { ensureTables, openStorage, type Storage } from './storage/tables.js';
import { Scheduler } from './scheduler/index.js';

export { MAX_BODY_BYTES };

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly connectionString: string;
  /** Lets tests run side by side in one storage account. */
  readonly tablePrefix?: string;
  readonly clock?: () => Date;
  /** For tests with Bot Framework tokens: the bot's own calls need no identity service. */
  readonly credentialsFactory?: CredentialsFactory;
}

export interface App {
  readonly url: string;
  readonly services: Services;
  /** Runs a command without HTTP (tests of command rules); what crosses the wire goes through `url`. */
  readonly router: Router;
  readonly storage: Storage;
  readonly bot: BotEndpoint;
  /** Scheduled digests and reminders (undefined with SCHEDULER=off); `start()` ticks it every 30 s, tests call `tick()`. */
  readonly scheduler: Scheduler | undefined;
  /** Stops taking requests, lets the turns in flight finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/** The composition root: config -> storage -> services -> bot -> routes. */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const storage = openStorage(options.connectionString, options.tablePrefix);
  await ensureTables(storage);
  const conversations = new ConversationRepository(storage.tables);
  // The bot reads the router when the first activity arrives; the router is built from services that hold the bot's sender.
  const deliveries = new DeliveryLog(storage, (error) =>
    logger.warn({ err: error }, 'old tables of handled activities could not be dropped'),
  );
  const bot = createBot(config, {
    router: () => router,
    conversations,
    deliveries,
    people: new ReminderStore(storage.tables),
    logger,
    clock,
    ...(options.credentialsFactory ? { credentialsFactory: options.credentialsFactory } : {}),
  });
  const services: Services = {
    tables: storage.tables,
    partnerships: new PartnershipRepository(storage.tables, { cacheTtlMs: config.membershipCacheMs }),
    roles: new RoleRepository(storage.tables),
    audit: new AuditLog(storage.tables),
    conversations,
    proactive: bot.proactive,
    directory: new TeamsDirectoryClient(
      bot.adapter,
      config.auth.kind === 'botframework' ? config.auth.appId : '',
      conversations,
      logger,
    ),
    adminUserIds: config.adminUserIds,
    logger,
    clock,
  };
  const registry = buildRegistry(services);
  const router = new Router(registry, services);
  const scheduler = config.scheduler ? new Scheduler({ services, families: () => registry.registered }) : undefined;

  // No body parser: /api/messages reads its own body, JSON only, after the headers and token are checked (bot/edge.ts).
  const server = restify.createServer({ name: 'governance-bot', handleUncaughtExceptions: false });
  // A request whose headers or body do not arrive in time is dropped rather than held open (Node allows 5 minutes).
  server.server.headersTimeout = 10_000;
  server.server.requestTimeout = 15_000;
  let inFlight = 0;
  server.post('/api/messages', async (req, res) => {
    inFlight++;
    try {
      await bot.handle(req, res);
    } finally {
      inFlight--;
    }
  });
  server.get('/healthz', async (_req, res) => {
    const storageUp = await storage.ping();
    res.send(storageUp ? 200 : 503, {
      status: storageUp ? 'ok' : 'degraded',
      storage: storageUp ? 'reachable' : 'unreachable',
    });
  });
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    logger.warn(
      { method: req.method, url: req.url, status: (err as { statusCode?: number }).statusCode, message: err.message },
      'request refused',
    );
    callback();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as { port: number };
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
  logger.info({ url: `${url}/api/messages`, auth: config.auth.kind }, 'bot listening');

  return {
    url,
    services,
    router,
    storage,
    bot,
    scheduler,
    async close(graceMs = 10_000) {
      await scheduler?.stop();
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      server.server.closeAllConnections?.();
      await closed;
    },
  };
}

/** Stops on SIGINT/SIGTERM after the turns in flight have finished. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (!config.storageConnectionString) {
    console.error(
      'Configuration error: STORAGE_CONNECTION_STRING is required to run the server on its own (npm start provides local storage).',
    );
    process.exit(1);
  }
  const app = await startApp({ config, logger, connectionString: config.storageConnectionString });
  app.scheduler?.start();
  stopOnSignals(() => app.close(), logger);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('Start-up failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
