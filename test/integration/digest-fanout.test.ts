/**
 * The bench's fan-out scenario, small: one digest due in many channels of one tenant, laid by
 * `seedDigestFanOut`, delivered through the bot's one sender to the connector stub, which answers
 * some sends 429 with Retry-After. Every channel gets the digest exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDigestFanOut, type DigestFanOut } from '../../bench/digest-fanout.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { TestClock } from '../support/digest-fixture.js';

const CHANNELS = 60;

describe('a digest fanned out to many channels of one tenant', () => {
  let bot: TestBot;
  let fanOut: DigestFanOut;
  const clock = new TestClock(new Date('2026-11-30T08:00:00Z'));
  beforeAll(async () => {
    bot = await startTestBot({ now: clock.now });
    fanOut = await seedDigestFanOut(bot.app.services, {
      channels: CHANNELS,
      serviceUrl: bot.stub.url,
      due: new Date('2026-11-30T09:00:00Z'),
    });
  });
  afterAll(() => bot.close());

  it('reaches every channel exactly once, through throttling', async () => {
    bot.stub.failNext(10, { status: 429, retryAfterSeconds: 1 });
    clock.set('2026-11-30T09:00:05Z');
    const report = await bot.app.scheduler!.tick();
    expect(report.runs.find((r) => r.kind === 'digest')?.outcome).toBe(`sent to ${CHANNELS}`);
    const digests = bot.stub.sent.filter((a) => a.summary?.startsWith('Digest — Digest fan-out (benchmark)'));
    const perChannel = new Map<string, number>();
    for (const a of digests)
      perChannel.set(a.delivery.conversationId, (perChannel.get(a.delivery.conversationId) ?? 0) + 1);
    expect([...perChannel.keys()].sort()).toEqual([...fanOut.conversationIds].sort());
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
    expect(bot.stub.requests.filter((r) => r.status === 429)).toHaveLength(10);
  });
});
