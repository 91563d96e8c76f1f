import { describe, expect, it } from 'vitest';
import { measureFanOut, minimumFanOutMs, SendLimiter, TEAMS_LIMITS, type TeamsLimits } from '../../bench/fan-out.js';
import { startConnectorStub } from '../support/connector-stub.js';

describe('Teams-like send limits on the benchmark sink', () => {
  it('admits 7 sends a second to one conversation and throttles the 8th', () => {
    let now = 0;
    const limiter = new SendLimiter(TEAMS_LIMITS, () => now);
    const admitted = Array.from({ length: 8 }, () => limiter.admit('19:committee'));
    expect(admitted).toEqual([true, true, true, true, true, true, true, false]);
    expect(limiter.admit('19:another')).toBe(true);
    now = 1000;
    expect(limiter.admit('19:committee')).toBe(true);
    expect(limiter.throttled).toBe(1);
  });

  it('admits no more than 60 sends in 30 seconds to one conversation, however they are spaced', () => {
    let now = 0;
    const limiter = new SendLimiter(TEAMS_LIMITS, () => now);
    let admitted = 0;
    for (; now < 30_000; now += 200) if (limiter.admit('19:committee')) admitted++;
    expect(admitted).toBe(60);
  });

  it('admits 50 sends a second across the app', () => {
    const limiter = new SendLimiter(TEAMS_LIMITS, () => 0);
    const admitted = Array.from({ length: 51 }, (_, i) => limiter.admit(`19:channel-${i}`));
    expect(admitted.filter(Boolean)).toHaveLength(50);
  });

  it('allows 1,000 digests to 1,000 channels in no less than 19 s, the app limit', () => {
    expect(minimumFanOutMs(1000, 1000, TEAMS_LIMITS)).toBe(19_000);
    expect(minimumFanOutMs(50, 50, TEAMS_LIMITS)).toBe(0);
    expect(minimumFanOutMs(70, 1, TEAMS_LIMITS)).toBe(30_000);
  });
});

describe('fan-out measurement', () => {
  const limits: TeamsLimits = {
    perConversation: [{ sends: 7, perMs: 1000 }],
    perApp: { sends: 10, perMs: 50 },
    retryAfterSeconds: 0,
  };
  /** A sender that goes as fast as it can and retries a 429 at once. */
  const sender =
    (sinkUrl: string) =>
    async (conversationId: string): Promise<void> => {
      const url = new URL(`v3/conversations/${encodeURIComponent(conversationId)}/activities`, sinkUrl);
      for (;;) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', text: 'digest' }),
        });
        if (response.status !== 429) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    };

  it('times a fan-out until every send got through, against the least the limits allow', async () => {
    const sink = await startConnectorStub({ retain: false });
    try {
      const send = (channel: number) => sender(sink.url)(`19:c${channel}`);
      const result = await measureFanOut(
        sink,
        limits,
        {
          conversationIds: Array.from({ length: 40 }, (_, i) => `19:c${i}`),
          start: async () => void Promise.all(Array.from({ length: 40 }, (_, i) => send(i))),
        },
        10_000,
      );
      expect(result.delivered).toBe(40);
      expect(result.duplicates).toBe(0);
      expect(result.strays).toBe(0);
      expect(result.minimumMs).toBe(150);
      expect(result.ratio).toBeGreaterThanOrEqual(1);
      expect(result.throttled).toBeGreaterThan(0);
    } finally {
      await sink.close();
    }
  });

  it('counts a channel reached twice, and a message to a channel not in the fan-out', async () => {
    const sink = await startConnectorStub({ retain: false });
    try {
      const send = sender(sink.url);
      const result = await measureFanOut(
        sink,
        limits,
        {
          conversationIds: ['19:a', '19:b'],
          start: async () => {
            for (const id of ['19:a', '19:a', '19:elsewhere', '19:b']) await send(id);
          },
        },
        10_000,
      );
      expect(result).toMatchObject({ sends: 2, delivered: 2, duplicates: 1, strays: 1 });
    } finally {
      await sink.close();
    }
  });
});
