/**
 * Mistakes answered with the way out: a mistyped code or status word gets a did-you-mean, a
 * refusal names the exact grant needed, and a mistake in a channel shows one line of usage.
 * The partnership, its people and the clock: test/support/kpi-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, plain } from '../support/cards.js';
import { added, cheshirePartnership, type Performance } from '../support/kpi-fixtures.js';
import { alex, mentions, personalChat, priya, sam } from '../support/teams.js';

describe('hints for mistakes', () => {
  let p: Performance;
  beforeAll(async () => {
    p = await cheshirePartnership('kpi-hints');
    await added(p, sam, 'kpi add "First time fix" target=80 unit=% polarity=higher');
    await added(p, sam, 'kpi add "CWAC laptops" code=CWL target=40 unit=count polarity=higher council=CWAC');
    await p.say(alex, mentions`role grant ${priya} editor council=CEC`);
    await p.bot.say(personalChat(alex), alex, `setup link "Cheshire ICT Shared Service"`);
  });
  afterAll(() => p.close());

  it('suggests FTF for kpi FFT, two letters swapped', async () => {
    const reply = await p.say(sam, 'kpi FFT');
    expect(lines(reply)[0]).toBe('Not found');
    expect(reply.text).toContain('Did you mean: kpi FTF (First time fix)?');
  });

  it('suggests kpi red for kpi reds', async () => {
    const reply = await p.say(sam, 'kpi reds');
    expect(reply.text).toContain('Did you mean: kpi red');
  });

  it('tells an editor for CEC refused on a CWAC KPI the exact grant it needs', async () => {
    const reply = await p.say(priya, 'kpi record CWL 41');
    expect(lines(reply)[0]).toBe('You need the editor role');
    expect(reply.text).toContain('Ask an admin (Alex Morgan) to grant it with: role grant @you editor council=CWAC');
    const edit = await p.say(priya, 'kpi edit CWL target=45');
    expect(edit.text).toContain('role grant @you editor council=CWAC');
  });

  it('shows one line of usage for a mistake in a channel, where everyone reads it', async () => {
    const reply = await p.say(sam, 'kpi record FTF seventy');
    expect(reply.text).toContain('FTF (%): "seventy" is not a number');
    expect(plain(reply)).toContain('kpi record <code> <value> [period=<period>] ["commentary"]');
    expect(reply.text).toContain('Type help kpi record for examples.');
    expect(reply.text).not.toContain('Examples');
    expect(reply.text).not.toContain('Recording a period again replaces its value');
  });

  it('shows the usage with its examples for the same mistake in a personal chat', async () => {
    const reply = await p.bot.say(personalChat(alex), alex, 'kpi record FTF seventy');
    expect(reply.text).toContain('Examples');
  });
});
