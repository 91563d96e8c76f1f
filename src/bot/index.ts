import type { CloudAdapter, Request, Response } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Router } from '../commands/router.js';
import type { ConversationRepository } from '../storage/conversations.js';
import { createAdapter } from './adapter.js';
import { GovernanceBot } from './governance-bot.js';
import { ProactiveSender } from './proactive.js';

export { ProactiveSender } from './proactive.js';

/** The bot as the server sees it: an HTTP handler and a proactive sender. */
export interface BotEndpoint {
  readonly adapter: CloudAdapter;
  readonly proactive: ProactiveSender;
  handle(req: Request, res: Response): Promise<void>;
}

/**
 * The adapter and the proactive sender come first (command families post alerts through the
 * sender); the router is given as a getter because it is built from services that hold the sender.
 */
export function createBot(
  config: Config,
  deps: { router: () => Router; conversations: ConversationRepository; logger: Logger; clock: () => Date },
): BotEndpoint {
  const adapter = createAdapter(config, deps.logger);
  let bot: GovernanceBot | undefined;
  const botOf = () => (bot ??= new GovernanceBot({ ...deps, router: deps.router() }));
  const appId = config.auth.kind === 'botframework' ? config.auth.appId : '';
  return {
    adapter,
    proactive: new ProactiveSender(
      adapter,
      appId,
      deps.conversations,
      deps.logger,
      config.sendRatePerSecond,
      deps.clock,
    ),
    handle: (req, res) => adapter.process(req, res, (context) => botOf().run(context)),
  };
}
