import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ConnectorStub, SentActivity } from '../scripts/connector-stub.js';
import type { Place } from './place.js';

/**
 * The load client's side of Teams: it posts Teams-shaped activities to a bot's /api/messages and
 * waits for what a person would see. A message is a new post in the place's channel (its own
 * conversation, `<channel>;messageid=<id>`, as Teams threads are) that @mentions the bot; the
 * answer is the reply the bot POSTs to the connector sink. A card button is an
 * `adaptiveCard/action` invoke; the answer is the card in the invoke's HTTP response.
 */

export type Ask =
  | { readonly kind: 'message'; readonly text: string }
  | {
      readonly kind: 'invoke';
      readonly verb: string;
      readonly data: Readonly<Record<string, unknown>>;
      /** Who clicks, when not the place's officer (an approver's vote). */
      readonly from?: { readonly id: string; readonly name: string; readonly aadObjectId?: string };
    };

export interface Answer {
  /** From just before the POST until the reply had fully arrived (at the sink, or in the invoke's response). */
  readonly ms: number;
  /** The card's plain-text fallback, or the message's text. */
  readonly text: string;
  readonly card: Readonly<Record<string, unknown>> | undefined;
}

export const BOT = { id: '28:bench-governance-bot', name: 'Governance Bot' } as const;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

let lastId = Date.now();
function nextId(): string {
  lastId = Math.max(lastId + 1, Date.now());
  return String(lastId);
}

function activityFor(place: Place, serviceUrl: string, ask: Ask): { activity: object; conversationId: string } {
  const id = nextId();
  const conversationId = `${place.channelId};messageid=${ask.kind === 'message' ? id : nextId()}`;
  const base = {
    id,
    timestamp: new Date().toISOString(),
    localTimezone: 'Europe/London',
    channelId: 'msteams',
    serviceUrl,
    from:
      ask.kind === 'invoke' && ask.from
        ? {
            id: ask.from.id,
            name: ask.from.name,
            ...(ask.from.aadObjectId ? { aadObjectId: ask.from.aadObjectId } : {}),
          }
        : { id: place.user.id, name: place.user.name, aadObjectId: place.user.aadObjectId },
    recipient: { id: BOT.id, name: BOT.name },
    conversation: { id: conversationId, conversationType: 'channel', tenantId: place.tenantId, isGroup: true },
    channelData: {
      tenant: { id: place.tenantId },
      team: { id: place.teamId, name: place.teamName, aadGroupId: place.aadGroupId },
      channel: { id: place.channelId, name: place.channelName },
    },
    locale: 'en-GB',
  };
  const clientInfo = { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' };
  if (ask.kind === 'invoke') {
    return {
      conversationId,
      activity: {
        ...base,
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: ask.verb, data: ask.data }, trigger: 'manual' },
        entities: [clientInfo],
        channelData: { ...base.channelData, source: { name: 'message' } },
      },
    };
  }
  const mention = `<at>${BOT.name}</at>`;
  return {
    conversationId,
    activity: {
      ...base,
      type: 'message',
      text: `${mention} ${ask.text}`,
      textFormat: 'plain',
      entities: [{ type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } }, clientInfo],
    },
  };
}

function readCard(value: unknown): { text: string; card: Record<string, unknown> | undefined } {
  const card = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  return { text: typeof card?.fallbackText === 'string' ? card.fallbackText : '', card };
}

export class TeamsClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly waiting = new Map<string, (activity: SentActivity, at: number) => void>();
  private readonly stopListening: () => void;

  constructor(private readonly sink: ConnectorStub) {
    this.stopListening = sink.onDelivered((activity) => {
      const waiter = this.waiting.get(activity.delivery.conversationId);
      if (waiter) waiter(activity, performance.now());
    });
  }

  /** Sends `ask` to the bot at `botUrl` as the place's officer and waits for the answer, up to `timeoutMs`. */
  async send(botUrl: string, place: Place, ask: Ask, timeoutMs = 15_000): Promise<Answer> {
    const { activity, conversationId } = activityFor(place, this.sink.url, ask);
    let replied: ((a: SentActivity, at: number) => void) | undefined;
    const reply =
      ask.kind === 'message'
        ? new Promise<{ activity: SentActivity; at: number }>((resolve) => {
            replied = (a, at) => resolve({ activity: a, at });
            this.waiting.set(conversationId, replied);
          })
        : undefined;
    const t0 = performance.now();
    try {
      const http = await this.post(`${botUrl}/api/messages`, JSON.stringify(activity), timeoutMs);
      if (http.status < 200 || http.status >= 300)
        throw new Error(`HTTP ${http.status} from /api/messages: ${http.body.slice(0, 200)}`);
      if (!reply) {
        const at = performance.now();
        const body = JSON.parse(http.body) as { type?: string; value?: unknown };
        const read = body.type === ADAPTIVE_CARD ? readCard(body.value) : { text: String(body.value), card: undefined };
        return { ms: at - t0, ...read };
      }
      const left = Math.max(1, timeoutMs - (performance.now() - t0));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const got = await Promise.race([
        reply,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), left);
        }),
      ]);
      clearTimeout(timer);
      if (!got) throw new Error(`no reply at the connector within ${timeoutMs} ms`);
      const attachment = got.activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD);
      const read = attachment ? readCard(attachment.content) : { text: got.activity.text ?? '', card: undefined };
      return { ms: got.at - t0, ...read };
    } finally {
      this.waiting.delete(conversationId);
    }
  }

  close(): void {
    this.stopListening();
    this.agent.destroy();
  }

  private post(url: string, body: string, timeoutMs: number): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
