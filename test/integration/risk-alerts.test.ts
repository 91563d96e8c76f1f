/**
 * Red-risk alerts through the bot's one proactive sender to the committee channel, as the
 * connector stub receives them: a risk added as Red, moved into Red, or gone above appetite.
 * The bot is installed in the team; Alex marks the Joint Committee channel with
 * `setup channel committee`; officers work in the Risks channel of the same team.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyOf, startTestBot, TEST_NOW, type Reply, type TestBot } from '../support/bot-harness.js';
import { fact, lines } from '../support/cards.js';
import { heading, listUnder } from '../support/risk-cards.js';
import { alex, channel, mentions, postActivity, sam, type Person, type TeamsText } from '../support/teams.js';

const team = '19:risk-alerts@thread.tacv2';
const risks = channel({ teamId: team, channelId: '19:risk-alerts-risks@thread.tacv2', channelName: 'Risks' });
const committee = channel({
  teamId: team,
  channelId: '19:risk-alerts-committee@thread.tacv2',
  channelName: 'Joint Committee',
});

let bot: TestBot;
let tick = 0;
const ask = (who: Person, text: string | TeamsText) => bot.ask(risks, who, text);

/** The alerts the committee channel has received, as a member reads them. */
const alerts = (): Reply[] => bot.stub.sentTo(committee.channelId).map(replyOf);

async function alertsArrived(count: number, timeoutMs = 5_000): Promise<Reply[]> {
  await bot.stub.waitFor(() => alerts().length >= count, timeoutMs, `${count} alerts in the committee channel`);
  return alerts();
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date(TEST_NOW.getTime() + 1000 * tick++) });
  expect((await ask(alex, 'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50')).text).toContain(
    'is set up',
  );
  await ask(alex, mentions`role grant ${sam} editor`);
  expect((await postActivity(bot.url, bot.teams.installationUpdate(risks, alex, 'add'))).status).toBe(200);
  expect(heading(await bot.ask(committee, alex, 'setup channel committee'))).toMatch(/is a committee channel$/);
});
afterAll(() => bot.close());
beforeEach(() => bot.stub.clear());

describe('alerts to the committee channels', () => {
  it('posts a risk added as Red, with its score, appetite and owner', async () => {
    await ask(sam, 'risk add "Information management and data security" likelihood=4 impact=5 category=cyber');
    const [alert] = await alertsArrived(1);
    expect(heading(alert!)).toBe('Red risk: R-1 Information management and data security');
    expect(lines(alert!)).toContain('Added as Red, above the cyber appetite of 12. By Sam Jones.');
    expect(fact(alert!, 'Current score')).toBe('4×5 = 20 Red');
    expect(fact(alert!, 'Appetite')).toBe('cyber 12 (above appetite)');
    expect(fact(alert!, 'Owner')).toBe('Sam Jones');
    expect(alert!.text).toContain('Type risk show R-1 for its controls, actions and score history.');
  });

  it('posts nothing for a risk added Amber within appetite', async () => {
    await ask(sam, 'risk add "Commissioned hours fall" likelihood=3 impact=3 category=financial');
    await ask(sam, 'risk add "Data centre lease ends" likelihood=5 impact=5 category=legal');
    const arrived = await alertsArrived(1);
    // The Red one that followed arrived; the Amber one before it never will.
    expect(arrived.map((a) => heading(a))).toEqual(['Red risk: R-3 Data centre lease ends']);
  });

  it('posts a risk that moves into Red, with its open mitigating actions', async () => {
    await ask(sam, mentions`risk action R-2 "Agree a new funding model" owner=${sam} due=2027-03-31`);
    const reply = await ask(sam, 'risk update R-2 likelihood=5 "two schools left the buy-back"');
    expect(heading(reply)).toBe('R-2 updated');
    const [alert] = await alertsArrived(1);
    expect(heading(alert!)).toBe('Red risk: R-2 Commissioned hours fall');
    expect(lines(alert!)).toContain(
      'Moved into Red from Amber (3×3 = 9), and above the financial appetite of 12. By Sam Jones.',
    );
    expect(listUnder(alert!, 'Mitigating actions')).toEqual([
      'A-1 · Agree a new funding model — Sam Jones · due 31 Mar 2027',
    ]);
  });

  it('posts a risk that goes above its category’s appetite though not Red', async () => {
    await ask(alex, 'risk appetite delivery=6');
    await ask(sam, 'risk add "Tenancy build late" likelihood=2 impact=4 category=delivery'); // R-4, 8 Amber
    const [alert] = await alertsArrived(1);
    expect(heading(alert!)).toBe('Risk above appetite: R-4 Tenancy build late');
    expect(lines(alert!)).toContain('Added above the delivery appetite of 6. By Sam Jones.');
    expect(alert!).toShowRag('Amber');
  });

  it('answers the command at once, and the alert follows through the sender’s retries of 429', async () => {
    bot.stub.failNext(2, { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const reply = await ask(sam, 'risk add "Ransomware on the shared estate" likelihood=5 impact=4 category=cyber');
    const answeredAt = Date.now();
    expect(heading(reply)).toBe('Risk added: R-5 Ransomware on the shared estate');
    expect(answeredAt - started).toBeLessThan(1_000);
    const [alert] = await alertsArrived(1, 10_000);
    expect(heading(alert!)).toBe('Red risk: R-5 Ransomware on the shared estate');
    const throttled = bot.stub.requests.filter((q) => q.injected && q.status === 429);
    expect(throttled).toHaveLength(2);
    expect(alert!.activity!.delivery.at).toBeGreaterThan(answeredAt);
  });
});
