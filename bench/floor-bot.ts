/**
 * The floor: a bare bot on the same stack as ours (restify 12 with the same body parser,
 * botbuilder's CloudAdapter without credentials, an ActivityHandler) that answers every message
 * with one fixed Adaptive Card, and every card button with the same card, and does nothing else:
 * no storage, no router, no rendering. The benchmark gives it the card our bot sent for `kpi` at
 * 200 KPIs (FLOOR_CARD, a JSON file), so both send the same bytes to the same connector sink.
 *
 *   PORT=3979 FLOOR_CARD=/tmp/card.json node dist/bench/floor-bot.js
 */
import { readFileSync } from 'node:fs';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** As src/server.ts. */
const MAX_BODY_BYTES = 256 * 1024;

const cardPath = process.env.FLOOR_CARD;
const port = Number(process.env.PORT ?? '3979');
if (!cardPath || !Number.isInteger(port)) {
  console.error('floor bot: FLOOR_CARD (a card JSON file) and PORT are required');
  process.exit(1);
}
const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>;
const summary = typeof card.fallbackText === 'string' ? card.fallbackText.split('\n')[0] : undefined;

class FloorBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity({ type: 'message', summary, attachments: [CardFactory.adaptiveCard(card)] });
      await next();
    });
  }

  protected override async onInvokeActivity(_context: TurnContext): Promise<InvokeResponse> {
    return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD, value: card } };
  }
}

const adapter = new CloudAdapter(
  new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({})),
);
const bot = new FloorBot();
const server = restify.createServer({ name: 'floor-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(port, '127.0.0.1');

process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.server.closeAllConnections?.();
});
