import type { Logger } from 'pino';
import { statusOf } from '../storage/errors.js';

/** Statuses the Teams connector uses for "slow down" or a passing failure. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);
/** The bot was removed or blocked: retrying cannot help. */
const GONE = new Set([403, 404]);

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No wait may end later than this many ms after the first attempt (no limit when absent). */
  readonly budgetMs?: number;
}

/** Proactive sends (digests, alerts) have time: back off as the connector asks. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 10_000, budgetMs: 60_000 };
/** A reply must be sent within Teams' 15 s for the turn, or Teams sends the message again. */
export const REPLY_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 3_000, budgetMs: 8_000 };

export class ConversationGone extends Error {
  override readonly name = 'ConversationGone';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`conversation gone (${status} ${reason})`);
  }
}

interface HttpishError {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string>; bodyAsText?: string };
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as HttpishError)?.response?.headers;
  const raw =
    headers &&
    (typeof headers.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string>)['retry-after']);
  const seconds = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function reasonOf(error: unknown): string {
  const body = (error as HttpishError)?.response?.bodyAsText ?? '';
  const code = /"code"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  return code ?? (error instanceof Error ? error.message : 'unknown');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one send, retrying 429/412/502/503/504 with exponential backoff and full jitter (honouring
 * Retry-After), and turning 403/404 into ConversationGone so the caller stops and marks it inactive.
 */
export async function sendWithRetry<T>(
  send: () => Promise<T>,
  logger: Logger,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const deadline = Date.now() + (policy.budgetMs ?? Number.POSITIVE_INFINITY);
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && GONE.has(status)) throw new ConversationGone(status, reasonOf(error));
      if (status === undefined || !RETRYABLE.has(status) || attempt >= policy.maxAttempts) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.min(policy.maxDelayMs, Math.max(retryAfterMs(error) ?? 0, Math.random() * backoff));
      if (Date.now() + delay > deadline) throw error;
      logger.warn({ status, attempt, delayMs: Math.round(delay) }, 'send throttled or failed; retrying');
      await sleep(delay);
    }
  }
}

/**
 * Spaces sends to one conversation at most `perSecond` a second (Teams allows about 7), so a
 * fan-out never trips the throttle. The spacing is per process: several instances each pace
 * their own sends, and the connector's 429 with backoff covers the rest.
 */
export class Pacer {
  private readonly nextSlot = new Map<string, number>();
  constructor(private readonly perSecond: number) {}

  async wait(conversationId: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(conversationId) ?? 0);
    this.nextSlot.set(conversationId, slot + 1000 / this.perSecond);
    if (this.nextSlot.size > 10_000) this.forgetPast(now);
    if (slot > now) await sleep(slot - now);
  }

  private forgetPast(now: number): void {
    for (const [id, at] of this.nextSlot) if (at < now) this.nextSlot.delete(id);
  }
}
