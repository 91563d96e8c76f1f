import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { currentSend, currentTurn, anySignal } from './turn.js';

/**
 * botbuilder's connector client retries 429 and 503 itself (honouring Retry-After) beneath our
 * sender, so attempts multiply and one send can outlast the turn. Every connector client the
 * adapter makes passes through here: its retry policy is removed, and each HTTP call is bounded by
 * the send attempt, the turn, or `fallbackTimeoutMs`, whichever ends first, and aborted when the
 * attempt or the turn is given up.
 */

type Factory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type Client = Awaited<ReturnType<Factory['create']>>;

/** The parts of @azure/core-rest-pipeline that are used here, as the connector client holds them. */
interface PipelineRequest {
  timeout: number;
  abortSignal?: unknown;
}
interface Pipeline {
  removePolicy(options: { name?: string; phase?: string }): unknown[];
  addPolicy(policy: {
    name: string;
    sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<unknown>): Promise<unknown>;
  }): void;
  getOrderedPolicies(): Array<{ name: string }>;
}

export const TIME_POLICY = 'governanceSendTime';

export class ConnectorShapeChanged extends Error {
  override readonly name = 'ConnectorShapeChanged';
}

/** Takes out the client's retries and adds the time bounds; throws when the SDK no longer has the pipeline this expects. */
export function tuneConnector<C>(client: C, fallbackTimeoutMs: number): C {
  const pipeline = (client as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline || typeof pipeline.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function') {
    throw new ConnectorShapeChanged('the connector client has no HTTP pipeline to tune: check botbuilder');
  }
  if (pipeline.getOrderedPolicies().some((p) => p.name === TIME_POLICY)) return client;
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.addPolicy({
    name: TIME_POLICY,
    sendRequest(request, next) {
      const scope = currentSend() ?? currentTurn();
      const left = scope ? scope.deadline - Date.now() : fallbackTimeoutMs;
      request.timeout = Math.max(1, Math.min(fallbackTimeoutMs, left));
      const own = request.abortSignal instanceof AbortSignal ? request.abortSignal : undefined;
      const signal = anySignal(own, scope?.signal);
      if (signal) request.abortSignal = signal;
      return next(request);
    },
  });
  return client;
}

function tunedFactory(factory: Factory, fallbackTimeoutMs: number): Factory {
  return {
    create: async (serviceUrl: string, audience?: string): Promise<Client> =>
      tuneConnector(await factory.create(serviceUrl, audience), fallbackTimeoutMs),
  };
}

/** Bot Framework authentication whose connector clients are tuned as above; everything else is botbuilder's own. */
export class TunedAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    args: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>,
    private readonly fallbackTimeoutMs: number,
  ) {
    super(...args);
  }

  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
  ): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory
      ? { ...result, connectorFactory: tunedFactory(result.connectorFactory, this.fallbackTimeoutMs) }
      : result;
  }

  override createConnectorFactory(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>
  ): Factory {
    return tunedFactory(super.createConnectorFactory(...args), this.fallbackTimeoutMs);
  }
}
