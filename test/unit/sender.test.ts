import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConversationGone,
  DEFAULT_RETRY,
  REPLY_RETRY,
  SendTimedOut,
  sendWithRetry,
  type RetryPolicy,
} from '../../src/bot/sender.js';
import { currentSend } from '../../src/bot/turn.js';
import { statusOf } from '../../src/storage/errors.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger('silent');
const tiny: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

/** An error shaped like the one botbuilder's connector client throws for an HTTP status. */
function httpError(statusCode: number, options: { retryAfter?: string; body?: string; plainHeaders?: boolean } = {}) {
  const headers = options.plainHeaders
    ? { ...(options.retryAfter !== undefined ? { 'retry-after': options.retryAfter } : {}) }
    : { get: (name: string) => (name === 'retry-after' ? options.retryAfter : undefined) };
  return Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { headers, ...(options.body !== undefined ? { bodyAsText: options.body } : {}) },
  });
}

/** A send that fails with the given errors, in order, and then succeeds; it counts its attempts. */
function sendFailing(...errors: unknown[]) {
  const send = vi.fn(async () => {
    const error = errors[send.mock.calls.length - 1];
    if (error !== undefined) throw error;
    return 'sent';
  });
  return send;
}

/** The rejection of a promise, or a failure when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the send to fail');
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('sending with retry', () => {
  it.each([429, 412, 502, 503, 504])('retries a %i and delivers on the next attempt', async (status) => {
    const send = sendFailing(httpError(status));
    await expect(sendWithRetry(send, logger, tiny)).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('keeps retrying through several throttles within the policy', async () => {
    const send = sendFailing(httpError(429), httpError(502), httpError(429));
    await expect(sendWithRetry(send, logger, tiny)).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(4);
  });

  it("gives up after the policy's attempts and throws the last error", async () => {
    const errors = [httpError(503), httpError(503), httpError(503), httpError(429), httpError(503)];
    const send = sendFailing(...errors);
    expect(await rejectionOf(sendWithRetry(send, logger, tiny))).toBe(errors[3]);
    expect(send).toHaveBeenCalledTimes(4);
  });

  it('sends once and does not retry when the first attempt succeeds', async () => {
    const send = sendFailing();
    await expect(sendWithRetry(send, logger, tiny)).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(1);
  });

  it.each([400, 401, 500])('does not retry a %i', async (status) => {
    const error = httpError(status);
    const send = sendFailing(error);
    expect(await rejectionOf(sendWithRetry(send, logger, tiny))).toBe(error);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it.each([
    [403, 'ConversationBlockedByUser'],
    [403, 'BotDisabledByAdmin'],
    [404, 'ConversationNotFound'],
  ])(
    'stops on %i and reports the conversation gone, with the connector error code %s as the reason',
    async (status, code) => {
      const send = sendFailing(
        httpError(status, { body: JSON.stringify({ error: { code, message: 'The bot cannot write here.' } }) }),
      );
      const error = await rejectionOf(sendWithRetry(send, logger, tiny));
      expect(error).toBeInstanceOf(ConversationGone);
      expect(error).toMatchObject({ status, reason: code });
      expect(send).toHaveBeenCalledTimes(1);
    },
  );

  it('reports the error message as the reason when the body has no code', async () => {
    const error = await rejectionOf(sendWithRetry(sendFailing(httpError(404)), logger, tiny));
    expect(error).toMatchObject({ name: 'ConversationGone', status: 404, reason: 'HTTP 404' });
  });

  it('retries a 429 that carries Retry-After: 0', async () => {
    const throttled = httpError(429, { retryAfter: '0' });
    const asked = vi.spyOn(throttled.response.headers as { get(name: string): string | undefined }, 'get');
    const send = sendFailing(throttled);
    await expect(sendWithRetry(send, logger, tiny)).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(2);
    expect(asked).toHaveBeenCalledWith('retry-after');
  });

  it('reads Retry-After from plain header objects too', async () => {
    const send = sendFailing(httpError(429, { retryAfter: '0', plainHeaders: true }));
    await expect(sendWithRetry(send, logger, tiny)).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('waits at least as long as Retry-After asks before trying again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const policy: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1000 };
    const send = sendFailing(httpError(429, { retryAfter: '0.08' }));
    const outcome = sendWithRetry(send, logger, policy);
    await vi.advanceTimersByTimeAsync(79);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('backs off exponentially with jitter: each wait is a random part of base × 2^(attempt−1)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const send = sendFailing(httpError(503), httpError(503), httpError(503), httpError(503));
    const outcome = sendWithRetry(send, logger, { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }).catch(
      (error: unknown) => error,
    );

    const attemptsAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      return send.mock.calls.length;
    };
    expect(await attemptsAfter(0)).toBe(1);
    expect(await attemptsAfter(49)).toBe(1);
    expect(await attemptsAfter(1)).toBe(2); // half of 100 ms
    expect(await attemptsAfter(99)).toBe(2);
    expect(await attemptsAfter(1)).toBe(3); // half of 200 ms
    expect(await attemptsAfter(199)).toBe(3);
    expect(await attemptsAfter(1)).toBe(4); // half of 400 ms
    expect(statusOf(await outcome)).toBe(503);
  });

  it('gives up instead of waiting past its time budget, even with attempts left', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const send = sendFailing(httpError(429, { retryAfter: '2' }), httpError(429, { retryAfter: '2' }));
    const outcome = sendWithRetry(send, logger, {
      maxAttempts: 5,
      baseDelayMs: 1,
      maxDelayMs: 10_000,
      budgetMs: 3_000,
    }).catch((error: unknown) => error);

    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(send).toHaveBeenCalledTimes(2); // the first wait ends at 2 s, within the budget
    expect(statusOf(await outcome)).toBe(429); // a second wait would end at 4 s, past it
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('gives up at once when Retry-After asks for longer than the budget has left, rather than come back early', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const throttled = httpError(429, { retryAfter: '120' });
    const send = sendFailing(throttled);
    // No time passes: the answer comes without any wait.
    expect(await rejectionOf(sendWithRetry(send, logger, REPLY_RETRY))).toBe(throttled);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('honours a Retry-After longer than the usual longest wait when the budget allows it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const send = sendFailing(httpError(503, { retryAfter: '5' }));
    const outcome = sendWithRetry(send, logger, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 100, budgetMs: 8_000 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('tells the pacer each wait the connector asked for', async () => {
    const asked: number[] = [];
    const send = sendFailing(httpError(429, { retryAfter: '0.01' }), httpError(429, { retryAfter: '0.02' }));
    await sendWithRetry(send, logger, tiny, { onThrottled: (ms) => asked.push(ms) });
    expect(asked).toEqual([10, 20]);
  });

  it('keeps within a deadline tighter than its budget (the turn has less time left)', async () => {
    const throttled = httpError(429, { retryAfter: '1' });
    const send = sendFailing(throttled);
    const outcome = sendWithRetry(send, logger, REPLY_RETRY, { deadline: Date.now() + 500 });
    expect(await rejectionOf(outcome)).toBe(throttled);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('aborts an attempt that gets no answer in time, and tries again within the budget', async () => {
    const seen: AbortSignal[] = [];
    const send = vi.fn(async () => {
      const signal = currentSend()!.signal;
      seen.push(signal);
      if (seen.length === 1) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      }
      return 'sent';
    });
    const policy: RetryPolicy = {
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 5,
      budgetMs: 2_000,
      attemptTimeoutMs: 50,
    };
    await expect(sendWithRetry(send, logger, policy)).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(2);
    expect(seen[0]!.aborted).toBe(true);
    expect(seen[1]!.aborted).toBe(false);
  });

  it('reports an attempt that never answers as timed out once the attempts are used up', async () => {
    const send = vi.fn(async () => {
      const signal = currentSend()!.signal;
      return new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    });
    const policy: RetryPolicy = {
      maxAttempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 5,
      budgetMs: 2_000,
      attemptTimeoutMs: 30,
    };
    expect(await rejectionOf(sendWithRetry(send, logger, policy))).toBeInstanceOf(SendTimedOut);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('stops at once, without another attempt, when the turn is given up during a wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const turn = new AbortController();
    const send = sendFailing(httpError(503), httpError(503));
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const outcome = sendWithRetry(
      send,
      logger,
      { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 2_000 },
      {
        signal: turn.signal,
      },
    );
    const rejected = rejectionOf(outcome);
    await vi.advanceTimersByTimeAsync(20);
    turn.abort(new Error('turn over'));
    await vi.advanceTimersByTimeAsync(0);
    expect(await rejected).toBeInstanceOf(Error);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("keeps a reply's retries within Teams' 15 s for the turn, and gives proactive sends longer", () => {
    expect(REPLY_RETRY.budgetMs).toBeLessThan(15_000);
    expect(REPLY_RETRY.maxDelayMs).toBeLessThanOrEqual(REPLY_RETRY.budgetMs!);
    expect(DEFAULT_RETRY.budgetMs).toBeGreaterThan(REPLY_RETRY.budgetMs!);
  });
});

describe('reading an HTTP status', () => {
  it('reads statusCode, and nothing from errors without one', () => {
    expect(statusOf(httpError(429))).toBe(429);
    expect(statusOf(new Error('socket hang up'))).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
    expect(statusOf({ statusCode: '429' })).toBeUndefined();
  });
});
