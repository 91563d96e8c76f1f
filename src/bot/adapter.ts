import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { TunedAuthentication } from './connector.js';
import { CHANNEL_ISSUER } from './tokens.js';
import { ReplyFailed } from './sender.js';
import { currentTurn, newRef } from './turn.js';

/** Makes the tokens for the bot's calls to the connector; tests give one that needs no identity service. */
export type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

type AuthenticateResult = Awaited<ReturnType<TunedAuthentication['authenticateRequest']>>;

/** The adapter, with its turn runner open to the endpoint, which answers HTTP itself (endpoint.ts). */
export class GovernanceAdapter extends CloudAdapter {
  /** Runs a turn for an activity whose token was checked; the invoke response, if any, comes back. */
  runTurn(
    checked: AuthenticateResult,
    activity: Parameters<CloudAdapter['processActivityDirect']>[1],
    logic: Parameters<CloudAdapter['processActivityDirect']>[2],
  ) {
    return this.processActivity(checked, activity, logic);
  }
}

export interface BotAdapter {
  readonly adapter: GovernanceAdapter;
  readonly authentication: TunedAuthentication;
}

/** Without credentials the adapter needs no token (loopback only); with them it validates every request. */
export function createAdapter(config: Config, logger: Logger, credentialsFactory?: CredentialsFactory): BotAdapter {
  const credentials =
    credentialsFactory ??
    (config.auth.kind === 'botframework'
      ? new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: config.auth.appId,
          MicrosoftAppPassword: config.auth.appPassword,
          MicrosoftAppType: config.auth.appType,
          MicrosoftAppTenantId: config.auth.tenantId,
        })
      : new ConfigurationServiceClientCredentialFactory({}));
  // botbuilder takes one setting as "all settings given": the rest are the public cloud's, as by default.
  const metadata =
    config.auth.kind === 'botframework' && config.auth.openIdMetadataUrl
      ? {
          ValidateAuthority: true,
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: CHANNEL_ISSUER,
          ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
          OAuthUrl: CHANNEL_ISSUER,
          ToBotFromChannelOpenIdMetadataUrl: config.auth.openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: config.auth.openIdMetadataUrl,
          CallerId: 'urn:botframework:azure',
        }
      : {};
  const authentication = new TunedAuthentication([metadata, credentials], config.sendTimeoutMs);
  const adapter = new GovernanceAdapter(authentication);
  // The router answers every command itself; this catches faults around it (e.g. a failed send).
  adapter.onTurnError = async (context, error) => {
    const ref = currentTurn()?.ref ?? newRef();
    logger.error(
      { err: error, ref, activityType: context.activity.type, conversation: context.activity.conversation?.id },
      'turn failed',
    );
    // A reply that could not be sent will not be followed by another; nor will a turn that was given up.
    if (context.activity.type !== 'message' || error instanceof ReplyFailed || currentTurn()?.signal.aborted) return;
    await context
      .sendActivity(`Something went wrong on my side (ref ${ref}). Try again in a minute.`)
      .catch(() => undefined);
  };
  return { adapter, authentication };
}
