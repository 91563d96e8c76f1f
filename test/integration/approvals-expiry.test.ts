/**
 * An approval whose due day ends while it is pending is read as expired at once; its posted cards
 * learn it from the scheduler's hourly housekeeping, which updates them in place once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyOf } from '../support/bot-harness.js';
import { committee, type Committee } from '../support/digest-fixture.js';
import { alex, mentions, priya } from '../support/teams.js';

describe('an approval past its due day', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await committee('approval-expiry', '2026-11-25T12:00:00Z');
    await c.say(alex, mentions`role grant ${priya} approver`);
    const posted = await c.say(
      alex,
      mentions`approval request "Renew the firewall support contract" type=budget-change approvers=${priya} policy=any due=2026-11-26`,
    );
    expect(posted.text).toContain('A-1');
  });
  afterAll(() => c.close());

  it('updates its posted card once to say it expired, after the due day has ended', async () => {
    c.clock.set('2026-11-26T23:30:00Z');
    await c.tick();
    expect(c.bot.stub.updates().filter((u) => replyOf(u).text.includes('Expired'))).toHaveLength(0);

    c.clock.set('2026-11-27T01:00:00Z');
    await c.tick();
    const expired = c.bot.stub.updates().filter((u) => replyOf(u).text.includes('Expired'));
    expect(expired).toHaveLength(1);
    expect(replyOf(expired[0]!).text).toContain('Renew the firewall support contract');

    c.clock.set('2026-11-27T02:00:00Z');
    await c.tick();
    expect(c.bot.stub.updates().filter((u) => replyOf(u).text.includes('Expired'))).toHaveLength(1);
  });
});
