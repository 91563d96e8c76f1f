import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConversationGone,
  DEFAULT_RETRY,
  Pacer,
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
    const policy: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1000 };
    const send = sendFailing(httpError(429, { retryAfter: '0.08' }));
    const started = performance.now();
    await expect(sendWithRetry(send, logger, policy)).resolves.toBe('sent');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
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
    const throttled = httpError(429, { retryAfter: '120' });
    const send = sendFailing(throttled);
    const started = performance.now();
    expect(await rejectionOf(sendWithRetry(send, logger, REPLY_RETRY))).toBe(throttled);
    expect(send).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeLessThan(500);
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
    setTimeout(() => turn.abort(new Error('turn over')), 20);
    const started = performance.now();
    expect(await rejectionOf(outcome)).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(1_000);
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

describe('pacing sends to one conversation', () => {
  /** Times at which `n` sends to the conversations named got through, with fake time running for `ms`. */
  async function through(pacer: Pacer, ids: readonly string[], ms: number): Promise<Array<[string, number]>> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const passed: Array<[string, number]> = [];
    for (const id of ids) void pacer.wait(id).then(() => passed.push([id, Date.now()]));
    await vi.advanceTimersByTimeAsync(ms);
    return passed;
  }
  const inAnyWindow = (times: readonly number[], ms: number) =>
    Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + ms).length));

  it('lets N through at once, and the next when the first is a second old', async () => {
    const passed = await through(new Pacer(5), Array(7).fill('19:committee@thread.tacv2'), 2_000);
    expect(passed.map(([, at]) => at)).toEqual([0, 0, 0, 0, 0, 1_000, 1_000]);
  });

  it('keeps every second of a long run to one conversation within N', async () => {
    const passed = await through(new Pacer(5), Array(40).fill('a:chat'), 20_000);
    expect(passed).toHaveLength(40);
    expect(
      inAnyWindow(
        passed.map(([, at]) => at),
        1_000,
      ),
    ).toBe(5);
  });

  it("keeps within 90% of Teams' 60 in 30 s to one thread, however fast a second allows", async () => {
    const passed = await through(new Pacer(7), Array(70).fill('19:board@thread.tacv2'), 120_000);
    expect(passed).toHaveLength(70);
    expect(
      inAnyWindow(
        passed.map(([, at]) => at),
        30_000,
      ),
    ).toBeLessThanOrEqual(54);
  });

  it('does not delay sends to different conversations', async () => {
    const conversations = ['19:cec@thread.tacv2', '19:cwac@thread.tacv2', 'a:personal-sam', 'a:personal-priya'];
    const passed = await through(new Pacer(1), conversations, 0);
    expect(passed).toEqual(conversations.map((id) => [id, 0]));
  });

  it('holds back only the busy conversation when sends interleave', async () => {
    const passed = await through(new Pacer(1), ['a', 'b', 'a', 'c'], 1_000);
    expect(passed).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
      ['a', 1_000],
    ]);
  });

  it('does not delay a conversation that has been quiet for a second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const pacer = new Pacer(1);
    await pacer.wait('a:chat');
    await vi.advanceTimersByTimeAsync(1000);
    let passed = false;
    void pacer.wait('a:chat').then(() => (passed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toBe(true);
  });
});

describe('pacing a fan-out under the per-tenant limit', () => {
  const conversations = (n: number) => Array.from({ length: n }, (_, i) => `19:committee-${i}@thread.tacv2`);

  it('lets the tenant rate through in a second, and the rest in the seconds after', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 10 });
    const through: number[] = [];
    for (const id of conversations(25)) void pacer.wait(id, 'tenant-a').then(() => through.push(Date.now()));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(through).toEqual([...Array(10).fill(0), ...Array(10).fill(1_000), ...Array(5).fill(2_000)]);
  });

  it('holds replies to the tenant limit too, which fan-outs share', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 3 });
    const through: number[] = [];
    for (const id of conversations(2)) void pacer.wait(id, 'tenant-a').then(() => through.push(Date.now()));
    for (let i = 0; i < 2; i++) void pacer.waitForTenant('tenant-a').then(() => through.push(Date.now()));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(through).toEqual([0, 0, 0, 1_000]);
  });

  it('keeps every one-second window of a large fan-out within the tenant rate', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 30 });
    const through: number[] = [];
    // Two messages to each of 60 conversations, as a digest and its reminder would.
    for (const id of [...conversations(60), ...conversations(60)])
      void pacer.wait(id, 'tenant-a').then(() => through.push(Date.now()));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(through).toHaveLength(120);
    for (const start of through)
      expect(through.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(30);
  });

  it('does not hold back one tenant for another', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 2 });
    for (const id of conversations(4)) void pacer.wait(id, 'tenant-a');
    let other = -1;
    void pacer.wait('19:other@thread.tacv2', 'tenant-b').then(() => (other = Date.now()));
    await vi.advanceTimersByTimeAsync(0);
    expect(other).toBe(0);
  });

  it('lets other conversations of the tenant through while one busy conversation waits its turn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 1, perTenant: 10 });
    for (let i = 0; i < 5; i++) void pacer.wait('19:busy@thread.tacv2', 'tenant-a');
    let quiet = -1;
    void pacer.wait('19:quiet@thread.tacv2', 'tenant-a').then(() => (quiet = Date.now()));
    await vi.advanceTimersByTimeAsync(200);
    expect(quiet).toBeGreaterThanOrEqual(0);
    expect(quiet).toBeLessThanOrEqual(200);
  });

  it("holds a throttled conversation back for the connector's Retry-After, and the tenant briefly", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 30 });
    pacer.holdOff('19:throttled@thread.tacv2', 'tenant-a', 5_000);
    let throttled = -1;
    let neighbour = -1;
    void pacer.wait('19:throttled@thread.tacv2', 'tenant-a').then(() => (throttled = Date.now()));
    void pacer.wait('19:neighbour@thread.tacv2', 'tenant-a').then(() => (neighbour = Date.now()));
    await vi.advanceTimersByTimeAsync(6_000);
    expect(throttled).toBeGreaterThanOrEqual(5_000);
    expect(neighbour).toBeGreaterThanOrEqual(2_000);
    expect(neighbour).toBeLessThan(2_100);
  });

  it('gives up waiting when the signal aborts', async () => {
    const pacer = new Pacer({ perConversation: 1, perTenant: 30 });
    await pacer.wait('a:chat', 'tenant-a');
    const stop = new AbortController();
    const waiting = pacer.wait('a:chat', 'tenant-a', stop.signal);
    stop.abort(new Error('turn over'));
    await expect(waiting).rejects.toThrow('turn over');
  });
});
