import { performance } from 'node:perf_hooks';
import { isSendCall, type ConnectorStub } from '../scripts/connector-stub.js';

/**
 * Teams-like limits on the connector sink, for the digest fan-out: a send over a limit is answered
 * 429 with Retry-After and not delivered, as Teams does. The fan-out's elapsed time is reported as
 * a ratio to the least these limits allow for its sends.
 */
export interface TeamsLimits {
  /** Sends to one conversation: about 7 a second and 60 in 30 s. */
  readonly perConversation: ReadonlyArray<{ readonly sends: number; readonly perMs: number }>;
  /** Sends by the app in the tenant: documented as 50 a second. */
  readonly perApp: { readonly sends: number; readonly perMs: number };
  readonly retryAfterSeconds: number;
}

export const TEAMS_LIMITS: TeamsLimits = {
  perConversation: [
    { sends: 7, perMs: 1000 },
    { sends: 60, perMs: 30_000 },
  ],
  perApp: { sends: 50, perMs: 1000 },
  retryAfterSeconds: 1,
};

/** Sliding windows of admitted sends: `admit` says whether one more fits now, and counts it if so. */
export class SendLimiter {
  private readonly app: number[] = [];
  private readonly byConversation = new Map<string, number[]>();
  throttled = 0;

  constructor(
    private readonly limits: TeamsLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  admit(conversationId: string): boolean {
    const at = this.now();
    const longest = Math.max(...this.limits.perConversation.map((l) => l.perMs));
    const mine = (this.byConversation.get(conversationId) ?? []).filter((t) => at - t < longest);
    while (this.app.length > 0 && at - this.app[0]! >= this.limits.perApp.perMs) this.app.shift();
    const within = (times: readonly number[], perMs: number) => times.filter((t) => at - t < perMs).length;
    const fits =
      this.app.length < this.limits.perApp.sends &&
      this.limits.perConversation.every((l) => within(mine, l.perMs) < l.sends);
    if (fits) {
      mine.push(at);
      this.app.push(at);
    } else this.throttled++;
    this.byConversation.set(conversationId, mine);
    return fits;
  }
}

/**
 * The least time in which `sends` spread evenly over `conversations` can all be delivered under
 * `limits`, in ms: each window admits its full count at once, so the last send waits out one window
 * per full count before it.
 */
export function minimumFanOutMs(sends: number, conversations: number, limits: TeamsLimits): number {
  if (sends <= 1) return 0;
  const perConversation = Math.ceil(sends / Math.max(1, conversations));
  const byApp = Math.floor((sends - 1) / limits.perApp.sends) * limits.perApp.perMs;
  const byConversation = Math.max(
    ...limits.perConversation.map((l) => Math.floor((perConversation - 1) / l.sends) * l.perMs),
  );
  return Math.max(byApp, byConversation);
}

export interface FanOutResult {
  /** Channels that should each receive one message. */
  readonly sends: number;
  /** Channels that received at least one. */
  readonly delivered: number;
  /** Messages beyond the first to a channel. */
  readonly duplicates: number;
  /** Messages delivered to any other conversation meanwhile. */
  readonly strays: number;
  /** From the start until the last channel had its message. */
  readonly elapsedMs: number;
  readonly minimumMs: number;
  /** Elapsed over the minimum the limits allow (1 is the best possible). */
  readonly ratio: number;
  readonly throttled: number;
}

/**
 * Puts the limits on the sink, calls `start` (which makes the bot begin its fan-out, and may wait
 * for its end) and waits until every one of `conversationIds` has received a message, or
 * `timeoutMs` has passed; the limits are lifted after. Every delivery meanwhile is counted by
 * conversation, so a second message to a channel, or one elsewhere, shows.
 */
export async function measureFanOut(
  sink: ConnectorStub,
  limits: TeamsLimits,
  fanOut: { readonly conversationIds: readonly string[]; start(): Promise<void> },
  timeoutMs: number,
): Promise<FanOutResult> {
  const limiter = new SendLimiter(limits);
  sink.failNext(Number.POSITIVE_INFINITY, {
    status: 429,
    retryAfterSeconds: limits.retryAfterSeconds,
    match: (request) => isSendCall(request) && !limiter.admit(request.conversationId ?? ''),
  });
  const received = new Map(fanOut.conversationIds.map((id) => [id, 0]));
  let delivered = 0;
  let strays = 0;
  let lastAt = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  if (received.size === 0) done();
  const stop = sink.onDelivered((activity) => {
    const id = activity.delivery.conversationId;
    const before = received.get(id);
    if (before === undefined) {
      strays++;
      return;
    }
    received.set(id, before + 1);
    if (before > 0) return;
    delivered++;
    lastAt = performance.now();
    if (delivered === received.size) done();
  });
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await fanOut.start();
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(() => resolve(), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    stop();
    sink.clear();
  }
  const sends = received.size;
  const elapsedMs = (delivered === sends && sends > 0 ? lastAt : performance.now()) - start;
  const minimumMs = minimumFanOutMs(sends, sends, limits);
  return {
    sends,
    delivered,
    duplicates: [...received.values()].reduce((n, count) => n + Math.max(0, count - 1), 0),
    strays,
    elapsedMs,
    minimumMs,
    ratio: minimumMs > 0 ? elapsedMs / minimumMs : Number.NaN,
    throttled: limiter.throttled,
  };
}
