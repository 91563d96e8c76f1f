import type { CloudAdapter, Request, Response } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Router } from '../commands/router.js';
import type { ConversationRepository } from '../storage/conversations.js';
import type { DeliveryLog } from '../storage/deliveries.js';
import { createAdapter, type CredentialsFactory } from './adapter.js';
import { activityEndpoint } from './endpoint.js';
import { GovernanceBot, type PersonalChats } from './governance-bot.js';
import { ProactiveSender } from './proactive.js';
import { Pacer } from './sender.js';
import { BotFrameworkTokens } from './tokens.js';

export { ProactiveSender, type FanOutResult, type FanOutOptions, type ProactiveResult } from './proactive.js';
export type { CredentialsFactory } from './adapter.js';

/** The bot as the server sees it: an HTTP handler and a proactive sender. */
export interface BotEndpoint {
  readonly adapter: CloudAdapter;
  readonly proactive: ProactiveSender;
  handle(req: Request, res: Response): Promise<void>;
}

export interface BotDependencies {
  readonly router: () => Router;
  readonly conversations: ConversationRepository;
  /** Remembers the activities handled, so one delivered again has no second effect. */
  readonly deliveries: DeliveryLog | undefined;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Where each person's personal chat with the bot is (for reminders), learnt when the app is added there. */
  readonly people?: PersonalChats;
  /** For tests: tokens for the bot's own calls without an identity service. */
  readonly credentialsFactory?: CredentialsFactory;
}

/**
 * The adapter and the proactive sender come first (command families post alerts through the
 * sender); the router is given as a getter because it is built from services that hold the sender.
 * Replies and proactive sends share one pacer, so both count against Teams' limits together.
 */
export function createBot(config: Config, deps: BotDependencies): BotEndpoint {
  const { adapter, authentication } = createAdapter(config, deps.logger, deps.credentialsFactory);
  const pacer = new Pacer({ perConversation: config.sendRatePerSecond, perTenant: config.tenantSendRatePerSecond });
  let bot: GovernanceBot | undefined;
  const botOf = () =>
    (bot ??= new GovernanceBot({
      router: deps.router(),
      conversations: deps.conversations,
      logger: deps.logger,
      clock: deps.clock,
      pacer,
      people: deps.people,
    }));
  const appId = config.auth.kind === 'botframework' ? config.auth.appId : '';
  const tokens =
    config.auth.kind === 'botframework'
      ? new BotFrameworkTokens({
          appId: config.auth.appId,
          ...(config.auth.openIdMetadataUrl ? { openIdMetadataUrl: config.auth.openIdMetadataUrl } : {}),
        })
      : undefined;
  return {
    adapter,
    proactive: new ProactiveSender(adapter, appId, deps.conversations, deps.logger, pacer, deps.clock),
    handle: activityEndpoint({
      adapter,
      authentication,
      tokens,
      deliveries: deps.deliveries,
      logger: deps.logger,
      clock: deps.clock,
      turnDeadlineMs: config.turnDeadlineMs,
      logic: (context) => botOf().run(context),
    }),
  };
}
