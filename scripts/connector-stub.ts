/**
 * A local stand-in for the Bot Connector service: the HTTP API that a bot posts its
 * replies, updates and proactive messages to. The bot sends to the `serviceUrl` of the
 * incoming activity, so a test builds its activities with `serviceUrl: stub.url` and then
 * reads here what the bot sent. The tests (through test/support/connector-stub.ts) and the
 * benchmark (with `retain: false` and `onDelivered`) use this one module.
 *
 * Routes (any path prefix before `/v3/` is accepted, so a serviceUrl with a path works):
 *   POST   /v3/conversations                               create a conversation -> 201 { id, activityId? }
 *   POST   /v3/conversations/:id/activities                send                  -> 201 { id }
 *   POST   /v3/conversations/:id/activities/:replyToId     reply                 -> 201 { id }
 *   PUT    /v3/conversations/:id/activities/:activityId    update in place       -> 200 { id }
 *   DELETE /v3/conversations/:id/activities/:activityId    delete                -> 200 {}
 *   GET    /v3/conversations/:id/members                   seeded members        -> 200 [...]
 *   GET    /v3/conversations/:id/pagedmembers              seeded members        -> 200 { members }
 *   GET    /v3/conversations/:id/members/:memberId         one member (by id or aadObjectId) or 404
 *   GET    /v3/teams/:teamId                               seeded team details or 404
 *   GET    /v3/teams/:teamId/conversations                 seeded team channels or 404
 *   anything else                                          404 { error: { code: 'NotFound', ... } }
 *
 * Path segments are URL-decoded: the SDK encodes conversation ids such as
 * `19:abc@thread.tacv2;messageid=1700000000000`.
 *
 * Usage:
 *   const stub = await startConnectorStub();
 *   afterAll(() => stub.close());
 *   beforeEach(() => stub.clear());
 *   ... post an activity with serviceUrl: stub.url ...
 *   const [reply] = await stub.waitForSent(1);
 *   expect(cardText(stub.lastCard())).toContain('Green');
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Adaptive Card attachment content type. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface ConnectorAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
  [key: string]: unknown;
}

/** An activity as the bot serialises it onto the wire (loosely typed: tests read it). */
export interface ConnectorActivity {
  type?: string;
  id?: string;
  text?: string;
  textFormat?: string;
  summary?: string;
  attachments?: ConnectorAttachment[];
  attachmentLayout?: string;
  entities?: Array<Record<string, unknown>>;
  conversation?: { id: string; [key: string]: unknown };
  from?: { id: string; name?: string; [key: string]: unknown };
  recipient?: { id: string; name?: string; [key: string]: unknown };
  replyToId?: string;
  channelData?: Record<string, unknown>;
  serviceUrl?: string;
  [key: string]: unknown;
}

export type DeliveryKind = 'send' | 'reply' | 'update' | 'create';

export interface Delivery {
  kind: DeliveryKind;
  /** Decoded conversation id the activity went to (for `create`: the new conversation's id). */
  conversationId: string;
  /** `reply`: the activity id from the URL that this replies to. */
  replyToId?: string;
  /** `update`: the activity id from the URL that was replaced. */
  activityId?: string;
  /** Epoch milliseconds when the stub received it. */
  at: number;
}

/**
 * A delivered activity: the JSON body the bot sent, with `id` set to the id the stub
 * answered (for an update: the id of the activity replaced) and `delivery` describing
 * the call.
 */
export interface SentActivity extends ConnectorActivity {
  id: string;
  delivery: Delivery;
}

export interface RecordedRequest {
  method: string;
  /** URL path as received (still encoded), without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Decoded `:id` path segment, when the route has one. */
  conversationId?: string;
  /** Decoded `:replyToId` of `POST .../activities/:replyToId`. */
  replyToId?: string;
  /** Decoded `:activityId` of `PUT|DELETE .../activities/:activityId`. */
  activityId?: string;
  /** Decoded `:memberId` of `GET .../members/:memberId`. */
  memberId?: string;
  /** Decoded `:teamId` of `/v3/teams/:teamId...`. */
  teamId?: string;
  /**
   * Parsed JSON body of an activity call (send, reply, update) or, for create
   * conversation, the `activity` inside the conversation parameters.
   */
  activity?: ConnectorActivity;
  /** Parsed JSON body, whatever the route (undefined when empty). */
  body?: unknown;
  /** The status the stub answered. */
  status: number;
  /** True when a `failNext` rule produced the answer. */
  injected: boolean;
  /** Epoch milliseconds when the stub received it. */
  at: number;
}

/** A conversation member as Teams returns it (TeamsChannelAccount); `Person` objects fit. */
export interface ConnectorMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  userRole?: string;
}

export interface ConnectorTeam {
  id: string;
  name?: string;
  aadGroupId?: string;
  /** Answered by `GET /v3/teams/:teamId/conversations`. */
  channels?: Array<{ id: string; name?: string }>;
}

export interface FailureSpec {
  /** HTTP status to answer: 429, 500, 502, 403, 404, 412 ... */
  status: number;
  /** Adds a `Retry-After: <seconds>` header. */
  retryAfterSeconds?: number;
  /**
   * Never answer: the request is recorded (status 0) and held open until the caller gives up,
   * `clear()` or `close()`; `status` is then not used. A connector that hangs.
   */
  hang?: boolean;
  /** JSON body to answer; a Bot Framework `{ error: { code, message } }` for the status otherwise. */
  body?: unknown;
  /**
   * Which requests the rule applies to. Default: send calls, i.e. POST and PUT on
   * `/v3/conversations/:id/activities[/:id]`. Requests the rule does not match pass
   * untouched and do not use up its count.
   */
  match?: (request: RecordedRequest) => boolean;
}

export interface StartConnectorStubOptions {
  /**
   * Keep `typing` activities in `sent` too. By default they are answered and kept in
   * `requests`, but left out of `sent` so that counts and `lastSent()` are about what
   * a person reads.
   */
  includeTyping?: boolean;
  /**
   * Keep every request and delivered activity in `requests` and `sent` (default true). A load
   * run sets false and reads deliveries through `onDelivered`, so memory stays flat.
   */
  retain?: boolean;
}

export interface ConnectorStub {
  /** Base URL to use as `serviceUrl`, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** Every request received, including failed and injected-failure ones. */
  readonly requests: RecordedRequest[];
  /** Every successfully delivered activity (send, reply, update, activity of create), oldest first. */
  readonly sent: SentActivity[];
  /** Seeded members by conversation id (for a team: the team id). Kept across `clear()`. */
  readonly members: Map<string, ConnectorMember[]>;
  /** Seeded team details by team id. Kept across `clear()`. */
  readonly teams: Map<string, ConnectorTeam>;

  /**
   * The next `n` matching requests (default: send calls) answer `spec.status` and are
   * recorded in `requests` only. Rules queue in the order given: `failNext(2, 429)` then
   * `failNext(1, 500)` fails two sends with 429 and the third with 500.
   * `n = Infinity` fails until `clear()`.
   */
  failNext(n: number, spec: FailureSpec): void;
  /** Resolves with `sent` once it holds at least `count` activities; rejects after `timeoutMs` saying what was sent. */
  waitForSent(count: number, timeoutMs?: number): Promise<SentActivity[]>;
  /** Resolves with `requests` once at least `count` were received (failures included). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Resolves with `sent` once `predicate(sent)` is true; `what` names the condition in the timeout message. */
  waitFor(predicate: (sent: SentActivity[]) => boolean, timeoutMs?: number, what?: string): Promise<SentActivity[]>;
  /**
   * Calls `listener` with each delivered activity as it arrives (typing included only with
   * `includeTyping`), whether or not it is retained; returns a function that stops the calls.
   */
  onDelivered(listener: (activity: SentActivity) => void): () => void;
  /** Forgets requests, sent activities and pending failure rules (not members or teams). */
  clear(): void;
  /** Stops the server and drops open connections; pending waits reject. */
  close(): Promise<void>;

  lastSent(): SentActivity | undefined;
  /** Sent activities whose conversation is `conversationId`, or a thread in it (`<id>;messageid=...`). */
  sentTo(conversationId: string): SentActivity[];
  /** Sent activities that were in-place updates (PUT). */
  updates(): SentActivity[];
  /** The `content` of every Adaptive Card attachment sent, in order. */
  cards(): AdaptiveCardJson[];
  lastCard(): AdaptiveCardJson | undefined;
  /** The `text` of every sent activity that has one, in order. */
  texts(): string[];
}

/** An Adaptive Card as JSON. */
export type AdaptiveCardJson = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 5000;

const DEFAULT_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'BadArgument', message: 'Bad request.' },
  403: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' },
  404: { code: 'ConversationNotFound', message: 'Conversation not found.' },
  412: { code: 'PreconditionFailed', message: 'Precondition failed.' },
  429: { code: 'Throttled', message: 'Too many requests.' },
  500: { code: 'ServiceError', message: 'Internal server error.' },
  502: { code: 'ServiceError', message: 'Bad gateway.' },
  503: { code: 'ServiceUnavailable', message: 'Service unavailable.' },
  504: { code: 'ServiceError', message: 'Gateway timeout.' },
};

function errorBody(status: number): { error: { code: string; message: string } } {
  return { error: DEFAULT_ERRORS[status] ?? { code: 'Error', message: `HTTP ${status}` } };
}

/** Default `FailureSpec.match`: POST/PUT on the activities routes. */
export function isSendCall(request: RecordedRequest): boolean {
  return (
    (request.method === 'POST' || request.method === 'PUT') &&
    /\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?\/?$/.test(request.path)
  );
}

/** `19:x@thread.tacv2;messageid=1` -> `19:x@thread.tacv2`. */
export function baseConversationId(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asActivity(value: unknown): ConnectorActivity | undefined {
  return isRecord(value) ? value : undefined;
}

/** A one-line description of an activity for failure messages. */
export function describeActivity(activity: ConnectorActivity): string {
  const parts: string[] = [activity.type ?? '?'];
  if (isRecord(activity.delivery)) {
    const d = activity.delivery as unknown as Delivery;
    parts.push(`${d.kind} to ${d.conversationId}${d.activityId ? ` (activity ${d.activityId})` : ''}`);
  } else if (activity.conversation?.id) {
    parts.push(`to ${activity.conversation.id}`);
  }
  if (typeof activity.text === 'string' && activity.text !== '') parts.push(JSON.stringify(clip(activity.text, 120)));
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === ADAPTIVE_CARD_CONTENT_TYPE) {
      parts.push(`[card: ${JSON.stringify(clip(cardText(attachment.content).replace(/\n/g, ' | '), 160))}]`);
    } else {
      parts.push(`[${attachment.contentType}]`);
    }
  }
  return parts.join(' ');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export async function startConnectorStub(options: StartConnectorStubOptions = {}): Promise<ConnectorStub> {
  const requests: RecordedRequest[] = [];
  const sent: SentActivity[] = [];
  const members = new Map<string, ConnectorMember[]>();
  const teams = new Map<string, ConnectorTeam>();
  let failures: Array<{ remaining: number; spec: FailureSpec }> = [];
  const waiters = new Set<{ check: () => boolean; reject: (error: Error) => void }>();
  const listeners = new Set<(activity: SentActivity) => void>();
  const retain = options.retain !== false;
  let nextId = Date.now();
  let createdConversations = 0;

  const newActivityId = (): string => String(++nextId);
  /** Answers held open by a `hang` rule. */
  const hung = new Set<ServerResponse>();

  const wake = (): void => {
    for (const waiter of [...waiters]) waiter.check();
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(payload)),
      ...headers,
    });
    res.end(payload);
  };

  const membersOf = (conversationId: string): ConnectorMember[] | undefined =>
    members.get(conversationId) ?? members.get(baseConversationId(conversationId));

  const deliver = (activity: ConnectorActivity, delivery: Delivery, id: string): void => {
    if (activity.type === 'typing' && !options.includeTyping) return;
    const delivered: SentActivity = { ...activity, id, delivery };
    if (retain) sent.push(delivered);
    for (const listener of listeners) listener(delivered);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams.entries());
    const raw = await readBody(req);

    const record: RecordedRequest = { method, path, query, headers: req.headers, status: 0, injected: false, at };
    if (retain) requests.push(record);

    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        record.status = 400;
        record.body = raw;
        send(res, 400, { error: { code: 'BadSyntax', message: 'Request body is not valid JSON.' } });
        wake();
        return;
      }
    }
    record.body = body;

    // Route: everything from the first `/v3/` on, split before decoding so that an
    // encoded `/` inside an id stays inside its segment.
    const v3 = path.indexOf('/v3/');
    const segments =
      v3 === -1
        ? []
        : path
            .slice(v3 + 1)
            .split('/')
            .filter((s) => s !== '')
            .map(decodeSegment);
    const [v, resource, id, sub, subId, extra] = segments;
    const answer = (status: number, payload: unknown, headers?: Record<string, string>): void => {
      record.status = status;
      send(res, status, payload, headers);
      wake();
    };

    if (v !== 'v3' || (resource !== 'conversations' && resource !== 'teams')) {
      answer(404, { error: { code: 'NotFound', message: `No route for ${method} ${path}` } });
      return;
    }

    if (resource === 'conversations' && id !== undefined) {
      record.conversationId = id;
      if (sub === 'activities') {
        record.activity = asActivity(body);
        if (method === 'POST' && subId !== undefined) record.replyToId = subId;
        else if (subId !== undefined) record.activityId = subId;
      }
      if (sub === 'members' && subId !== undefined) record.memberId = subId;
    } else if (resource === 'conversations' && method === 'POST' && isRecord(body)) {
      record.activity = asActivity(body.activity);
    } else if (resource === 'teams' && id !== undefined) {
      record.teamId = id;
    }

    // Failure injection.
    for (const rule of failures) {
      if (rule.remaining <= 0) continue;
      if (!(rule.spec.match ?? isSendCall)(record)) continue;
      rule.remaining -= 1;
      record.injected = true;
      if (rule.spec.hang) {
        hung.add(res);
        res.once('close', () => hung.delete(res));
        failures = failures.filter((r) => r.remaining > 0);
        wake();
        return;
      }
      const headers: Record<string, string> = {};
      if (rule.spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.spec.retryAfterSeconds);
      answer(rule.spec.status, rule.spec.body ?? errorBody(rule.spec.status), headers);
      failures = failures.filter((r) => r.remaining > 0);
      return;
    }

    if (resource === 'conversations') {
      // POST /v3/conversations
      if (id === undefined) {
        if (method !== 'POST') {
          answer(404, { error: { code: 'NotFound', message: `No route for ${method} ${path}` } });
          return;
        }
        const params = isRecord(body) ? body : {};
        const activity = asActivity(params.activity);
        const activityId = activity ? newActivityId() : undefined;
        const channelData = isRecord(params.channelData) ? params.channelData : undefined;
        const channel = channelData && isRecord(channelData.channel) ? channelData.channel : undefined;
        createdConversations += 1;
        // A new thread in a channel is `<channel id>;messageid=<first activity id>`, as in Teams.
        const conversationId =
          typeof channel?.id === 'string'
            ? `${channel.id};messageid=${activityId ?? newActivityId()}`
            : `a:1created-conversation-${createdConversations}`;
        record.conversationId = conversationId;
        if (activity && activityId) {
          deliver(activity, { kind: 'create', conversationId, at }, activityId);
        }
        answer(201, activityId ? { id: conversationId, activityId } : { id: conversationId });
        return;
      }

      if (sub === 'activities' && extra === undefined) {
        const activity = record.activity;
        if ((method === 'POST' || method === 'PUT') && !activity) {
          answer(400, { error: { code: 'BadArgument', message: 'Activity body is missing.' } });
          return;
        }
        if (method === 'POST' && activity && subId !== 'history') {
          const newId = newActivityId();
          deliver(
            activity,
            subId === undefined
              ? { kind: 'send', conversationId: id, at }
              : { kind: 'reply', conversationId: id, replyToId: subId, at },
            newId,
          );
          answer(201, { id: newId });
          return;
        }
        if (method === 'PUT' && activity && subId !== undefined) {
          deliver(activity, { kind: 'update', conversationId: id, activityId: subId, at }, subId);
          answer(200, { id: subId });
          return;
        }
        if (method === 'DELETE' && subId !== undefined) {
          answer(200, {});
          return;
        }
      }

      if (method === 'GET' && sub === 'members' && extra === undefined) {
        const list = membersOf(id) ?? [];
        if (subId === undefined) {
          answer(200, list);
          return;
        }
        const member = list.find((m) => m.id === subId || m.aadObjectId === subId);
        if (member) answer(200, member);
        else
          answer(404, {
            error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' },
          });
        return;
      }

      if (method === 'GET' && sub === 'pagedmembers' && subId === undefined) {
        answer(200, { members: membersOf(id) ?? [] });
        return;
      }
    }

    if (resource === 'teams' && id !== undefined && method === 'GET') {
      const team = teams.get(id);
      if (!team) {
        answer(404, { error: { code: 'NotFound', message: `Team ${id} not found.` } });
        return;
      }
      if (sub === undefined) {
        answer(200, { id: team.id, name: team.name, aadGroupId: team.aadGroupId });
        return;
      }
      if (sub === 'conversations' && subId === undefined) {
        answer(200, { conversations: team.channels ?? [] });
        return;
      }
    }

    answer(404, { error: { code: 'NotFound', message: `No route for ${method} ${path}` } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'StubError', message: String(error) } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;

  function waitUntil<T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        check: (): boolean => {
          const value = ready();
          if (value === undefined) return false;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(value);
          return true;
        },
        reject: (error: Error): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.reject(new Error(describe())), timeoutMs);
      waiters.add(waiter);
      waiter.check();
    });
  }

  const report = (): string => {
    const lines: string[] = [];
    lines.push(sent.length === 0 ? 'Nothing was sent.' : `Sent (${sent.length}):`);
    sent.forEach((a, i) => lines.push(`  ${i + 1}. ${describeActivity(a)}`));
    const other = requests.filter((r) => r.status < 200 || r.status >= 300);
    if (other.length > 0) {
      lines.push(`Requests not delivered (${other.length}):`);
      for (const r of other) {
        lines.push(
          `  ${r.method} ${r.conversationId ? `conversation ${r.conversationId}` : r.path} -> ${r.status}${r.injected ? ' (injected)' : ''}`,
        );
      }
    }
    lines.push(`Requests received in total: ${requests.length}.`);
    return lines.join('\n');
  };

  const stub: ConnectorStub = {
    url,
    requests,
    sent,
    members,
    teams,
    failNext(n: number, spec: FailureSpec): void {
      if (!(n > 0)) return;
      failures.push({ remaining: n, spec });
    },
    waitForSent(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SentActivity[]> {
      return waitUntil(
        () => (sent.length >= count ? sent : undefined),
        timeoutMs,
        () =>
          `Connector stub: expected at least ${count} sent activit${count === 1 ? 'y' : 'ies'} within ${timeoutMs} ms, got ${sent.length}.\n${report()}`,
      );
    },
    waitForRequests(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedRequest[]> {
      return waitUntil(
        () => (requests.length >= count ? requests : undefined),
        timeoutMs,
        () =>
          `Connector stub: expected at least ${count} request(s) within ${timeoutMs} ms, got ${requests.length}.\n${report()}`,
      );
    },
    waitFor(predicate, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'the condition'): Promise<SentActivity[]> {
      return waitUntil(
        () => (predicate(sent) ? sent : undefined),
        timeoutMs,
        () => `Connector stub: ${what} did not happen within ${timeoutMs} ms.\n${report()}`,
      );
    },
    onDelivered(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear(): void {
      for (const res of hung) res.destroy();
      hung.clear();
      requests.length = 0;
      sent.length = 0;
      failures = [];
    },
    close(): Promise<void> {
      for (const waiter of [...waiters]) waiter.reject(new Error('Connector stub closed while waiting.'));
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    lastSent: () => sent[sent.length - 1],
    sentTo: (conversationId: string) =>
      sent.filter(
        (a) =>
          a.delivery.conversationId === conversationId ||
          baseConversationId(a.delivery.conversationId) === conversationId,
      ),
    updates: () => sent.filter((a) => a.delivery.kind === 'update'),
    cards: () => sent.flatMap(adaptiveCardsOf),
    lastCard: () => {
      for (let i = sent.length - 1; i >= 0; i -= 1) {
        const cards = adaptiveCardsOf(sent[i]!);
        if (cards.length > 0) return cards[cards.length - 1];
      }
      return undefined;
    },
    texts: () => sent.flatMap((a) => (typeof a.text === 'string' ? [a.text] : [])),
  };
  return stub;
}

/** The Adaptive Card contents among an activity's attachments. */
export function adaptiveCardsOf(activity: ConnectorActivity): AdaptiveCardJson[] {
  return (activity.attachments ?? [])
    .filter((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE && isRecord(a.content))
    .map((a) => a.content as AdaptiveCardJson);
}

/**
 * All text a person can read on an Adaptive Card, one piece per line, in reading order:
 * TextBlock text, RichTextBlock runs (joined into one line), FactSet titles and values
 * (each on its own line), Input labels, placeholders, toggle titles and choice titles,
 * action titles (card actions, ActionSet, Action.ShowCard and its card), through
 * Container, ColumnSet/Column, Table rows/cells, and any `items`. Elements with
 * `isVisible: false` are skipped. Markdown in the text is left as it is.
 *
 * Accepts a card, an attachment (`{ contentType, content }`) or an invoke response
 * value (`{ statusCode, type, value }`); anything else gives ''.
 */
export function cardText(card: unknown): string {
  const lines: string[] = [];
  const push = (value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') lines.push(value);
  };

  const walkAction = (action: unknown): void => {
    if (!isRecord(action) || action.isVisible === false) return;
    push(action.title);
    if (action.type === 'Action.ShowCard') walkCard(action.card);
  };

  const walkInline = (inline: unknown): string => {
    if (typeof inline === 'string') return inline;
    if (isRecord(inline) && typeof inline.text === 'string') return inline.text;
    return '';
  };

  const walkElement = (element: unknown): void => {
    if (Array.isArray(element)) {
      element.forEach(walkElement);
      return;
    }
    if (!isRecord(element) || element.isVisible === false) return;
    switch (element.type) {
      case 'TextBlock':
        push(element.text);
        return;
      case 'RichTextBlock':
        if (Array.isArray(element.inlines)) push(element.inlines.map(walkInline).join(''));
        return;
      case 'FactSet':
        if (Array.isArray(element.facts)) {
          for (const fact of element.facts) {
            if (!isRecord(fact)) continue;
            push(fact.title);
            push(fact.value);
          }
        }
        return;
      case 'ActionSet':
        if (Array.isArray(element.actions)) element.actions.forEach(walkAction);
        return;
      case 'ColumnSet':
        walkElement(element.columns);
        return;
      case 'Table':
        if (Array.isArray(element.rows)) {
          for (const row of element.rows) {
            if (isRecord(row) && row.isVisible !== false) walkElement(row.cells);
          }
        }
        return;
      case 'Input.Text':
      case 'Input.Number':
      case 'Input.Date':
      case 'Input.Time':
        push(element.label);
        push(element.placeholder);
        return;
      case 'Input.Toggle':
        push(element.label);
        push(element.title);
        return;
      case 'Input.ChoiceSet':
        push(element.label);
        push(element.placeholder);
        if (Array.isArray(element.choices)) {
          for (const choice of element.choices) if (isRecord(choice)) push(choice.title);
        }
        return;
      default:
        // Container, Column, TableCell and anything else that holds items.
        walkElement(element.items);
        if (Array.isArray(element.actions)) element.actions.forEach(walkAction);
    }
  };

  const walkCard = (value: unknown): void => {
    if (!isRecord(value)) return;
    walkElement(value.body);
    if (Array.isArray(value.actions)) value.actions.forEach(walkAction);
  };

  if (isRecord(card)) {
    if (card.contentType === ADAPTIVE_CARD_CONTENT_TYPE) walkCard(card.content);
    else if (card.type === ADAPTIVE_CARD_CONTENT_TYPE && 'value' in card) walkCard(card.value);
    else walkCard(card);
  }
  return lines.join('\n');
}
