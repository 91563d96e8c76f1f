import type { IncomingMessage } from 'node:http';
import type { Activity, InvokeResponse, Request, Response, TurnContext } from 'botbuilder';
import type { GovernanceAdapter } from './adapter.js';
import type { Logger } from 'pino';
import type { DeliveryLog } from '../storage/deliveries.js';
import { isStorageUnavailable } from '../storage/errors.js';
import { readActivity, type InboundActivity } from './activity-schema.js';
import { baseConversationId } from './activity.js';
import type { TunedAuthentication } from './connector.js';
import { checkHeaders, isLoopbackUrl, readJsonBody, Refusal, refusalBody } from './edge.js';
import { KeysUnavailable, TokenRefused, type BotFrameworkTokens } from './tokens.js';
import { newRef, runTurn } from './turn.js';

/**
 * /api/messages, in the order that keeps a bad request cheap: headers (JSON only, uncompressed,
 * size, and in local mode loopback only), then the token (before a byte of the body), then the
 * body within its limit, then the activity's fields, then botbuilder's own check of the token with
 * the activity. An activity seen before in its conversation is answered without a second effect. The turn then runs with a deadline: when it passes, the
 * HTTP answer goes anyway and the failure is logged with its reference.
 */

export interface EndpointDeps {
  readonly adapter: GovernanceAdapter;
  /** The adapter's own authentication: checks the token against the activity (its service URL) once more. */
  readonly authentication: TunedAuthentication;
  /** Absent in local mode (no credentials): then only loopback is served. */
  readonly tokens: BotFrameworkTokens | undefined;
  readonly deliveries: DeliveryLog | undefined;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly turnDeadlineMs: number;
  readonly logic: (context: TurnContext) => Promise<void>;
}

/** Activities that change things or are answered: a second copy of one must have no effect. */
const ONCE_ONLY = new Set(['message', 'invoke']);

const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

export function activityEndpoint(deps: EndpointDeps): (req: Request, res: Response) => Promise<void> {
  const local = deps.tokens === undefined;
  return async (req, res) => {
    // restify hands over node's request: its body is still unread, as no body parser runs before this.
    const incoming = req as unknown as IncomingMessage;
    try {
      checkHeaders(incoming.headers, local);
      const authorization = typeof incoming.headers.authorization === 'string' ? incoming.headers.authorization : '';
      const claims = deps.tokens ? await deps.tokens.check(authorization) : undefined;
      const read = readActivity(await readJsonBody(incoming));
      if (!read.ok) throw new Refusal(400, read.problem);
      const activity = read.activity;
      if (local && !isLoopbackUrl(activity.serviceUrl)) {
        throw new Refusal(403, 'in local mode the bot replies only to a connector on this machine');
      }
      if (claims && claims.serviceurl !== activity.serviceUrl) {
        throw new TokenRefused('the token was issued for another service URL');
      }
      if (claims && activity.channelId !== 'msteams') throw new TokenRefused(`channel ${activity.channelId}`);
      const turnActivity = fixed(activity);
      const checked = await sdkCheck(deps, turnActivity, authorization);
      if (await seenBefore(deps, activity)) {
        deps.logger.info(
          { activity: activity.id, type: activity.type, conversation: activity.conversation.id },
          'activity delivered again; no second effect',
        );
        answer(res, activity.type === 'invoke' ? alreadyHandled() : { status: 200 });
        return;
      }
      const turn = await runTurn(deps.turnDeadlineMs, () => deps.adapter.runTurn(checked, turnActivity, deps.logic));
      if (turn.kind === 'overran') {
        deps.logger.error(
          { ref: turn.ref, activity: activity.id, type: activity.type, conversation: activity.conversation.id },
          `turn passed its ${deps.turnDeadlineMs} ms deadline; answered and given up`,
        );
        answer(res, activity.type === 'invoke' ? tooSlow(turn.ref) : { status: 200 });
        return;
      }
      answer(res, turn.value ?? { status: 200 });
    } catch (error) {
      refuse(deps.logger, req, res, error);
    }
  };
}

/** botbuilder's check of the token with the activity; its refusals are ours too (401, or 503 for keys it cannot fetch). */
async function sdkCheck(deps: EndpointDeps, activity: Activity, authorization: string) {
  try {
    return await deps.authentication.authenticateRequest(activity, authorization);
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 401 || status === 403) throw new TokenRefused('botbuilder refused the token', { cause: error });
    throw new KeysUnavailable('botbuilder could not check the token', { cause: error });
  }
}

/** Claims the activity id; a storage outage lets the activity through (help answers without storage). */
async function seenBefore(deps: EndpointDeps, activity: InboundActivity): Promise<boolean> {
  if (!deps.deliveries || !activity.id || !ONCE_ONLY.has(activity.type)) return false;
  try {
    const conversation = baseConversationId(activity.conversation.id);
    return (await deps.deliveries.claim(conversation, activity.id, deps.clock())) === 'seen';
  } catch (error) {
    deps.logger.warn(
      { err: error, unavailable: isStorageUnavailable(error), activity: activity.id },
      'could not record the activity as handled; handling it anyway',
    );
    return false;
  }
}

/** What botbuilder's own body handling does: times as Dates. */
function fixed(activity: InboundActivity): Activity {
  const fixedUp = { ...activity } as Record<string, unknown>;
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const raw = fixedUp[field];
    if (typeof raw === 'string') {
      fixedUp[`raw${field[0]!.toUpperCase()}${field.slice(1)}`] = raw;
      fixedUp[field] = new Date(raw);
    }
  }
  return fixedUp as unknown as Activity;
}

function alreadyHandled(): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: MESSAGE_RESPONSE, value: 'That was done already; nothing more was changed.' },
  };
}

function tooSlow(ref: string): InvokeResponse {
  return {
    status: 200,
    body: {
      statusCode: 200,
      type: MESSAGE_RESPONSE,
      value: `That took too long on my side (ref ${ref}). Check the result before trying again.`,
    },
  };
}

function answer(res: Response, response: InvokeResponse): void {
  res.status(response.status);
  if (response.body !== undefined) res.send(response.body);
  res.end();
}

/** Every refusal: one structured warning, a generic body, and the connection closed (the body may be unread). */
function refuse(logger: Logger, req: Request, res: Response, error: unknown): void {
  let status: number;
  let reason: string;
  if (error instanceof Refusal) [status, reason] = [error.status, error.message];
  else if (error instanceof TokenRefused) [status, reason] = [401, error.message];
  else if (error instanceof KeysUnavailable) [status, reason] = [503, error.message];
  else {
    const ref = newRef();
    logger.error({ err: error, ref, url: urlOf(req) }, 'request failed');
    reply(res, 500, { error: `something went wrong (ref ${ref})` });
    return;
  }
  logger.warn({ status, reason, url: urlOf(req), from: remoteOf(req) }, 'request refused');
  reply(res, status, refusalBody(status));
}

function reply(res: Response, status: number, body: unknown): void {
  const raw = res as Response & { headersSent?: boolean; setHeader?(name: string, value: string): void };
  if (raw.headersSent) return;
  raw.setHeader?.('Connection', 'close');
  res.status(status);
  res.send(body);
  res.end();
}

function urlOf(req: Request): string | undefined {
  return (req as Request & { url?: string }).url;
}

function remoteOf(req: Request): string | undefined {
  return (req as Request & { socket?: { remoteAddress?: string } }).socket?.remoteAddress;
}
