/**
 * Pacing under Teams' limits: at most N sends in any second to one conversation (and 90% of the
 * thread limits over 30 s and an hour), at most the tenant's rate in any second for all of a
 * tenant's conversations, replies included; a busy conversation never holds back the others.
 * The pacer's second (S) is a little longer than Teams', for headroom.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PACING_SECOND as S, Pacer } from '../../src/bot/sender.js';

afterEach(() => {
  vi.useRealTimers();
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
    const passed = await through(new Pacer(5), Array(7).fill('19:committee@thread.tacv2'), 2 * S);
    expect(passed.map(([, at]) => at)).toEqual([0, 0, 0, 0, 0, S, S]);
  });

  it('keeps every second of a long run to one conversation within N', async () => {
    const passed = await through(new Pacer(5), Array(40).fill('a:chat'), 20_000);
    expect(passed).toHaveLength(40);
    expect(
      inAnyWindow(
        passed.map(([, at]) => at),
        S,
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
    const passed = await through(new Pacer(1), ['a', 'b', 'a', 'c'], S);
    expect(passed).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
      ['a', S],
    ]);
  });

  it('does not delay a conversation that has been quiet for a second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const pacer = new Pacer(1);
    await pacer.wait('a:chat');
    await vi.advanceTimersByTimeAsync(S);
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
    await vi.advanceTimersByTimeAsync(3 * S);
    expect(through).toEqual([...Array(10).fill(0), ...Array(10).fill(S), ...Array(5).fill(2 * S)]);
  });

  it('holds replies to the tenant limit too, which fan-outs share', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 3 });
    const through: number[] = [];
    for (const id of conversations(2)) void pacer.wait(id, 'tenant-a').then(() => through.push(Date.now()));
    for (let i = 0; i < 2; i++) void pacer.waitForTenant('tenant-a').then(() => through.push(Date.now()));
    await vi.advanceTimersByTimeAsync(S);
    expect(through).toEqual([0, 0, 0, S]);
  });

  it('keeps every one-second window of a large fan-out within the tenant rate', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
    const pacer = new Pacer({ perConversation: 5, perTenant: 30 });
    const through: number[] = [];
    // Two messages to each of 60 conversations, as a digest and its reminder would.
    for (const id of [...conversations(60), ...conversations(60)])
      void pacer.wait(id, 'tenant-a').then(() => through.push(Date.now()));
    await vi.advanceTimersByTimeAsync(10 * S);
    expect(through).toHaveLength(120);
    for (const start of through)
      expect(through.filter((t) => t >= start && t < start + S).length).toBeLessThanOrEqual(30);
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
