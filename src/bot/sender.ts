import type { Logger } from 'pino';
import { statusOf } from '../storage/errors.js';
import { anySignal, asSend, newRef } from './turn.js';

/**
 * The one retry layer for everything the bot sends. The connector client's own retry policy is
 * taken out (connector.ts), so an attempt here is one HTTP call: the budget below is the whole
 * cost of a send, whatever the connector answers.
 */

/** Statuses the Teams connector uses for "slow down" or a passing failure. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);
/** The bot was removed or blocked: retrying cannot help. */
const GONE = new Set([403, 404]);
/** Connections that failed before an answer: worth one more attempt within the budget. */
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'REQUEST_SEND_ERROR']);

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No wait may end later than this many ms after the first attempt (no limit when absent). */
  readonly budgetMs?: number;
  /** One attempt that gets no answer in this time is aborted (and may be retried within the budget). */
  readonly attemptTimeoutMs?: number;
}

/** Proactive sends (digests, alerts) have time: back off as the connector asks, up to a minute. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 400,
  maxDelayMs: 10_000,
  budgetMs: 60_000,
  attemptTimeoutMs: 10_000,
};
/** A reply must be sent within the turn's deadline (about 10 s), well inside Teams' 15 s. */
export const REPLY_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 300,
  maxDelayMs: 3_000,
  budgetMs: 8_000,
  attemptTimeoutMs: 4_000,
};

export class ConversationGone extends Error {
  override readonly name = 'ConversationGone';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`conversation gone (${status} ${reason})`);
  }
}

/** An attempt that got no answer within its time. */
export class SendTimedOut extends Error {
  override readonly name = 'SendTimedOut';
}

interface HttpishError {
  statusCode?: number;
  code?: string;
  name?: string;
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string>; bodyAsText?: string };
}

/** The wait a 429 or 503 asks for, in ms; a date is read too. */
export function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as HttpishError)?.response?.headers;
  const raw =
    headers &&
    (typeof headers.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string>)['retry-after']);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(String(raw));
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function reasonOf(error: unknown): string {
  const body = (error as HttpishError)?.response?.bodyAsText ?? '';
  const code = /"code"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  return code ?? (error instanceof Error ? error.message : 'unknown');
}

function retryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return RETRYABLE.has(status);
  if (error instanceof SendTimedOut) return true;
  const code = (error as HttpishError)?.code;
  return typeof code === 'string' && NETWORK.has(code);
}

export interface SendOptions {
  /** Epoch ms by which the send must be done (the turn's deadline); tightens the policy's budget. */
  readonly deadline?: number;
  /** Aborts the attempt in flight and stops retrying (the turn was given up). */
  readonly signal?: AbortSignal;
  /** Told every wait the connector asked for (Retry-After), so the pacer can hold off. */
  onThrottled?(retryAfterMs: number): void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

/**
 * Runs one send, retrying 429/412/502/503/504, timeouts and dropped connections with exponential
 * backoff and full jitter. A Retry-After is honoured in full, or, when it would end past the
 * budget, the send gives up at once rather than come back early. 403/404 become ConversationGone
 * so the caller stops and marks the conversation inactive. Each attempt runs under its own timeout
 * and the caller's signal; the last error is thrown as it came.
 */
export async function sendWithRetry<T>(
  send: () => Promise<T>,
  logger: Logger,
  policy: RetryPolicy = DEFAULT_RETRY,
  options: SendOptions = {},
): Promise<T> {
  const started = Date.now();
  const deadline = Math.min(started + (policy.budgetMs ?? Number.POSITIVE_INFINITY), options.deadline ?? Infinity);
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(send, policy, deadline, options.signal);
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && GONE.has(status)) throw new ConversationGone(status, reasonOf(error));
      if (options.signal?.aborted || !retryable(error) || attempt >= policy.maxAttempts) throw error;
      const asked = retryAfterMs(error);
      if (asked !== undefined) options.onThrottled?.(asked);
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = asked ?? Math.random() * backoff;
      if (Date.now() + delay > deadline) throw error;
      logger.warn({ status, attempt, delayMs: Math.round(delay) }, 'send throttled or failed; retrying');
      await sleep(delay, options.signal);
    }
  }
}

async function attemptOnce<T>(
  send: () => Promise<T>,
  policy: RetryPolicy,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  const limit = Math.min(policy.attemptTimeoutMs ?? Number.POSITIVE_INFINITY, deadline - Date.now());
  if (!Number.isFinite(limit))
    return asSend({ ref: newRef(), deadline, signal: signal ?? new AbortController().signal }, send);
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new SendTimedOut(`no answer within ${Math.round(limit)} ms`)),
    Math.max(0, limit),
  );
  const scope = { ref: newRef(), deadline: Date.now() + limit, signal: anySignal(timeout.signal, signal)! };
  try {
    return await asSend(scope, send);
  } catch (error) {
    if (timeout.signal.aborted && !signal?.aborted) throw timeout.signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export interface SendRates {
  /** Sends a second to one conversation (Teams allows about 7). */
  readonly perConversation: number;
  /** Sends a second to one tenant, all conversations together (Teams documents 50 per app). */
  readonly perTenant: number;
}

/**
 * A "second" as the pacer counts it: 10% longer than Teams', so that sends a network hop apart
 * still land in different seconds at the connector and the limits are never met head-on.
 */
export const PACING_SECOND = 1_100;

interface Window {
  readonly limit: number;
  readonly ms: number;
}

/**
 * Sends in order under sliding windows: each reservation is the earliest time, no earlier than the
 * last, at which every window still holds fewer than its limit. In order, a window ending at t
 * holds the last `limit` reservations only if the oldest of them is within it: one look each.
 */
class SlidingLog {
  private readonly times: number[] = [];
  private readonly keep: number;

  constructor(private readonly windows: readonly Window[]) {
    this.keep = Math.max(...windows.map((w) => w.limit));
  }

  reserve(earliest: number): number {
    let at = Math.max(earliest, this.times[this.times.length - 1] ?? Number.NEGATIVE_INFINITY);
    for (const w of this.windows) {
      if (this.times.length >= w.limit) at = Math.max(at, this.times[this.times.length - w.limit]! + w.ms);
    }
    this.times.push(at);
    if (this.times.length > this.keep) this.times.splice(0, this.times.length - this.keep);
    return at;
  }

  /** True when nothing reserved here still counts in any window. */
  idle(now: number): boolean {
    const last = this.times[this.times.length - 1] ?? Number.NEGATIVE_INFINITY;
    return last + Math.max(...this.windows.map((w) => w.ms)) < now;
  }
}

/**
 * Paces sends under Teams' limits. A proactive send first waits for its conversation's turn (at
 * most `perConversation` in any second, and 90% of Teams' 60 in 30 s and 1,800 an hour to one
 * thread), then joins its tenant's queue (at most `perTenant` in any second): a conversation that
 * has to wait never holds back the others. Replies wait for the tenant alone (waitForTenant): they
 * come at the pace people type. After a 429 the connector's Retry-After holds the conversation
 * back, and the tenant briefly. The pacing is per process: several instances each pace their own
 * sends, and the connector's 429 with backoff covers the rest.
 */
export class Pacer {
  private readonly rates: SendRates;
  private readonly conversations = new Map<string, SlidingLog>();
  private readonly tenants = new Map<string, SlidingLog>();
  private readonly held = new Map<string, number>();

  constructor(rates: SendRates | number) {
    this.rates = typeof rates === 'number' ? { perConversation: rates, perTenant: Number.POSITIVE_INFINITY } : rates;
  }

  /** Waits for this send's turn in its conversation, then in its tenant; rejects with the signal's reason when it aborts first. */
  async wait(conversationId: string, tenantId?: string, signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const log = this.logOf(this.conversations, conversationId, [
      { limit: Math.max(1, Math.floor(this.rates.perConversation)), ms: PACING_SECOND },
      { limit: 54, ms: 30_000 },
      { limit: 1_620, ms: 3_600_000 },
    ]);
    const turn = log.reserve(Math.max(now, this.held.get(`c:${conversationId}`) ?? 0));
    if (turn > now) await sleep(turn - now, signal);
    if (tenantId !== undefined) await this.waitForTenant(tenantId, signal);
  }

  /** Waits for a place in the tenant's queue alone (replies). */
  async waitForTenant(tenantId: string, signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(this.rates.perTenant)) return;
    const now = Date.now();
    const log = this.logOf(this.tenants, tenantId, [
      { limit: Math.max(1, Math.floor(this.rates.perTenant)), ms: PACING_SECOND },
    ]);
    const turn = log.reserve(Math.max(now, this.held.get(`t:${tenantId}`) ?? 0));
    if (turn > now) await sleep(turn - now, signal);
  }

  /** The connector asked to wait: nothing more to this conversation for `ms`, and the tenant pauses up to 2 s. */
  holdOff(conversationId: string, tenantId: string | undefined, ms: number): void {
    const now = Date.now();
    const hold = (key: string, until: number) => this.held.set(key, Math.max(this.held.get(key) ?? 0, until));
    hold(`c:${conversationId}`, now + ms);
    if (tenantId !== undefined) hold(`t:${tenantId}`, now + Math.min(ms, 2_000));
  }

  private logOf(logs: Map<string, SlidingLog>, key: string, windows: readonly Window[]): SlidingLog {
    let log = logs.get(key);
    if (!log) {
      if (logs.size > 10_000) this.forgetIdle(logs);
      logs.set(key, (log = new SlidingLog(windows)));
    }
    return log;
  }

  private forgetIdle(logs: Map<string, SlidingLog>): void {
    const now = Date.now();
    for (const [key, log] of logs) if (log.idle(now)) logs.delete(key);
    for (const [key, until] of this.held) if (until < now) this.held.delete(key);
  }
}

/** A reply in a turn that could not be sent within the turn's time; the turn logs it and sends nothing more. */
export class ReplyFailed extends Error {
  override readonly name = 'ReplyFailed';
}
