import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
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
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type, conversation: context.activity.conversation?.id }, 'turn failed');
  };
  return adapter;
}
