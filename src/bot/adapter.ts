import { randomBytes } from 'node:crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

/** Without credentials the adapter needs no token (loopback only); with them it validates every request. */
export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  const credentials =
    config.auth.kind === 'botframework'
      ? new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: config.auth.appId,
          MicrosoftAppPassword: config.auth.appPassword,
          MicrosoftAppType: config.auth.appType,
          MicrosoftAppTenantId: config.auth.tenantId,
        })
      : new ConfigurationServiceClientCredentialFactory({});
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, credentials));
  // The router answers every command itself; this catches faults around it (e.g. a failed send).
  adapter.onTurnError = async (context, error) => {
    const ref = randomBytes(3).toString('hex');
    logger.error(
      { err: error, ref, activityType: context.activity.type, conversation: context.activity.conversation?.id },
      'turn failed',
    );
    if (context.activity.type !== 'message') return;
    await context
      .sendActivity(`Something went wrong on my side (ref ${ref}). Try again in a minute.`)
      .catch(() => undefined);
  };
  return adapter;
}
