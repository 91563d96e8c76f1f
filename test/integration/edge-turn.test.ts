/**
 * A turn ends inside Teams' time whatever the connector does (issue point 4): one retry layer with
 * one budget, a timeout on every send, a deadline on the whole turn. The deadline here is 2 s (10 s
 * in production) so the cases run quickly; the connector stub throttles, fails or never answers.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import type { FailureSpec } from '../support/connector-stub.js';
import { alex, personalChat, postActivity } from '../support/teams.js';

const DEADLINE_MS = 2_000;
/** Time for the answer to cross loopback after the deadline, on a busy machine. */
const SLACK_MS = 1_500;

describe.concurrent('A turn whose reply the connector will not take', () => {
  let bot: TestBot;
  /** One spy for the tests that run at once here; each reads the calls about its own conversation. */
  let errors: MockInstance;
  beforeAll(async () => {
    bot = await startTestBot({ config: { turnDeadlineMs: DEADLINE_MS } });
    errors = vi.spyOn(bot.app.services.logger, 'error');
  });
  afterAll(async () => {
    errors.mockRestore();
    await bot.close();
  });

  /** Posts `help` while the connector fails every send as told; the HTTP answer, its time, and the connector calls. */
  async function helpWhile(failure: FailureSpec, id: string) {
    const where = personalChat(alex, { id: `a:1turn-${id}` });
    const here = (r: { conversationId?: string }) => r.conversationId === where.conversationId;
    bot.stub.failNext(100, { ...failure, match: here });
    const started = performance.now();
    const result = await postActivity(bot.url, bot.teams.message(where, alex, 'help'));
    const elapsed = performance.now() - started;
    const calls = bot.stub.requests.filter(here).length;
    const refs = errors.mock.calls
      .filter(([fields]) => (fields as { conversation?: string }).conversation === where.conversationId)
      .map(([fields]) => (fields as { ref?: string }).ref);
    return { status: result.status, elapsed, calls, refs };
  }

  it('gives up on 429 with Retry-After 1 within the deadline, after a handful of calls, and logs it with a reference', async () => {
    const outcome = await helpWhile({ status: 429, retryAfterSeconds: 1 }, 'throttled');
    expect(outcome.status).toBe(200);
    expect(outcome.elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    // One layer: a call, then one a second as asked, until the deadline; never the client's retries on top.
    expect(outcome.calls).toBeGreaterThanOrEqual(2);
    expect(outcome.calls).toBeLessThanOrEqual(3);
    expect(outcome.refs).toHaveLength(1);
    expect(outcome.refs[0]).toMatch(/^[0-9a-f]{6}$/);
  });

  it('gives up on 503 within the deadline, with no more calls than its own attempts', async () => {
    const outcome = await helpWhile({ status: 503 }, 'unavailable');
    expect(outcome.status).toBe(200);
    expect(outcome.elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(outcome.calls).toBeGreaterThanOrEqual(2);
    expect(outcome.calls).toBeLessThanOrEqual(5);
    expect(outcome.refs).toHaveLength(1);
  });

  it('does not wait for a Retry-After of 120 s: one call, and the turn ends at once', async () => {
    const outcome = await helpWhile({ status: 429, retryAfterSeconds: 120 }, 'retry-after-120');
    expect(outcome.status).toBe(200);
    expect(outcome.elapsed).toBeLessThan(1_500);
    expect(outcome.calls).toBe(1);
    expect(outcome.refs).toHaveLength(1);
  });

  it('aborts a send the connector never answers, and answers Teams within the deadline', async () => {
    const outcome = await helpWhile({ status: 0, hang: true }, 'hanging');
    expect(outcome.status).toBe(200);
    expect(outcome.elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(outcome.calls).toBe(1);
    expect(outcome.refs).toHaveLength(1);
  });

  it('still delivers a reply that the connector throttles briefly', async () => {
    const where = personalChat(alex, { id: 'a:1turn-brief-throttle' });
    bot.stub.failNext(2, {
      status: 429,
      retryAfterSeconds: 0,
      match: (r) => r.conversationId === where.conversationId,
    });
    const reply = await bot.say(where, alex, 'help');
    expect(reply.text).toContain('Governance Bot');
  });
});

describe.concurrent('A turn that does not finish in time', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ config: { turnDeadlineMs: DEADLINE_MS } });
  });
  afterAll(() => bot.close());

  it('is answered at the deadline and logged with its reference', async () => {
    const stuck = vi.spyOn(bot.app.router, 'handleMessage').mockImplementation(() => new Promise(() => undefined));
    const errors = vi.spyOn(bot.app.services.logger, 'error');
    try {
      const started = performance.now();
      const result = await postActivity(bot.url, bot.teams.message(personalChat(alex), alex, 'kpi'));
      const elapsed = performance.now() - started;
      expect(result.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
      expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
      const logged = errors.mock.calls.find(([, message]) => String(message).includes('deadline'));
      expect((logged?.[0] as { ref?: string } | undefined)?.ref).toMatch(/^[0-9a-f]{6}$/);
    } finally {
      stuck.mockRestore();
      errors.mockRestore();
    }
  });

  it('answers a button that does not finish in time with a message naming the reference', async () => {
    const stuck = vi.spyOn(bot.app.router, 'handleAction').mockImplementation(() => new Promise(() => undefined));
    try {
      const result = await postActivity(bot.url, bot.teams.invoke(personalChat(alex), alex, 'help'));
      expect(result.status).toBe(200);
      expect(JSON.stringify(result.body)).toMatch(/took too long on my side \(ref [0-9a-f]{6}\)/);
    } finally {
      stuck.mockRestore();
    }
  });
});
