/**
 * Changing risks: re-scoring with history and trend, reviews, controls, actions and the card that
 * asks whether the score changes once an action is done, closing, and the issue a risk becomes.
 * Sam is an editor, Jo a viewer who owns R-1, Priya an editor for CEC only, Alex the admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, fact, lines } from '../support/cards.js';
import { heading, listUnder, riskRow } from '../support/risk-cards.js';
import { riskRegister, type Register } from '../support/risk-register.js';
import { alex, jo, mentions, priya, sam } from '../support/teams.js';

describe('changing a risk', () => {
  let r: Register;
  beforeAll(async () => {
    r = await riskRegister('risk-change');
    await r.added(
      sam,
      mentions`risk add "Information management and data security" likelihood=4 impact=5 category=cyber owner=${jo} target=2x4`,
    );
    await r.added(sam, 'risk add "Commissioned hours fall" likelihood=3 impact=4 category=financial');
  });
  afterAll(() => r.close());

  it('re-scores the current score, keeping who, when and why in the history, and shows the trend', async () => {
    const reply = await r.ask(sam, 'risk update R-1 likelihood=3 "phishing tools went live"');
    expect(heading(reply)).toBe('R-1 updated');
    expect(reply.text).toContain('current 3×5 = 15 Red, target 2×4 = 8 Amber');
    const detail = await r.ask(jo, 'risk show R-1');
    expect(listUnder(detail, 'Score history')[0]).toBe(
      '25 Nov 2026 · Sam Jones — current 4×5 = 20 → 3×5 = 15 — “phishing tools went live”',
    );
    expect(riskRow(await r.ask(jo, 'risk'), 'R-1').trend).toBe('▼ falling');
  });

  it('lets the owner update their own risk, though only a viewer', async () => {
    expect(heading(await r.ask(jo, 'risk update R-1 impact=4 "backups tested"'))).toBe('R-1 updated');
    expect(fact(await r.ask(jo, 'risk show R-1'), 'Owner')).toBe('Jo Williams');
  });

  it('changes the inherent score only when asked, and the target and owner', async () => {
    await r.ask(sam, mentions`risk update R-2 inherent=5x4 target=2x3 owner=${priya}`);
    const detail = await r.ask(jo, 'risk show R-2');
    expect(detail.text).toContain('Inherent\n5×4 = 20');
    expect(detail.text).toContain('Target\n2×3 = 6');
    expect(fact(detail, 'Owner')).toBe('Priya Shah');
  });

  it('brings a target the new score has passed down with it, and says so', async () => {
    await r.added(sam, 'risk add "Printer fleet contract lapses" likelihood=3 impact=3'); // R-3, target 3×3
    const reply = await r.ask(sam, 'risk update R-3 likelihood=2 "extension signed"');
    expect(reply.text).toContain('current 2×3 = 6 Amber, target 2×3 = 6 Amber. The target was above the new score');
    expect(listUnder(await r.ask(jo, 'risk show R-3'), 'Score history')[0]).toContain(
      'current 3×3 = 9 → 2×3 = 6; target 3×3 = 9 → 2×3 = 6 — “extension signed”',
    );
  });

  it('says so when an update changes nothing, and stores nothing', async () => {
    const before = (await r.risks.detail(r.partnershipId, 'R-2')).history.length;
    const reply = await r.ask(sam, 'risk update R-2 likelihood=3 impact=4');
    expect(heading(reply)).toBe('R-2 is unchanged');
    expect((await r.risks.detail(r.partnershipId, 'R-2')).history).toHaveLength(before);
  });

  it('records a review and sets the next one by band from today', async () => {
    r.advance(10);
    // R-1 is Amber now (3×4 = 12), so it is next reviewed in three months.
    const reply = await r.ask(jo, 'risk review R-1 "stays Amber until the SOC partner starts"');
    expect(heading(reply)).toBe('R-1 reviewed');
    const detail = await r.ask(jo, 'risk show R-1');
    expect(fact(detail, 'Last review')).toBe('5 Dec 2026');
    expect(fact(detail, 'Next review')).toBe('Review by 5 Mar 2027');
    expect(listUnder(detail, 'Score history')[0]).toBe(
      '5 Dec 2026 · Jo Williams — reviewed, scores unchanged — “stays Amber until the SOC partner starts”',
    );
  });

  it('records controls and plans actions, numbered within the risk', async () => {
    const control = await r.ask(sam, 'risk control R-1 "Security tools across both estates" effectiveness=good');
    expect(heading(control)).toBe('Control C-1 added to R-1');
    await r.ask(
      sam,
      mentions`risk control R-1 "Monthly security governance group" owner=${priya} effectiveness=partial`,
    );
    const planned = await r.ask(jo, mentions`risk action R-1 "Appoint a SOC partner" owner=${priya} due=2027-03-31`);
    expect(heading(planned)).toBe('Action A-1 planned for R-1');
    expect(fact(planned, 'Due')).toBe('31 Mar 2027');
    await r.ask(sam, mentions`risk action R-1 "Deploy phishing monitoring tools" owner=${sam} due=2027-01-15`);

    const detail = await r.ask(jo, 'risk show R-1');
    expect(listUnder(detail, 'Controls in place')).toEqual([
      'C-1 · Security tools across both estates — Jo Williams · effectiveness good',
      'C-2 · Monthly security governance group — Priya Shah · effectiveness partial',
    ]);
    expect(listUnder(detail, 'Actions planned')).toEqual([
      'A-2 · Deploy phishing monitoring tools — Sam Jones · due 15 Jan 2027',
      'A-1 · Appoint a SOC partner — Priya Shah · due 31 Mar 2027',
    ]);
  });

  it('asks, when an action is done, whether the score changes, with buttons for the likely scores', async () => {
    // R-1 is 3×4 = 12 with a target of 2×4 = 8: one lower on likelihood or impact, or the target.
    const done = await r.ask(priya, 'risk done R-1 A-1');
    expect(heading(done)).toBe('A-1 done: Appoint a SOC partner');
    expect(lines(done)).toContain(
      'Does the current score of R-1 change? It is 3×4 = 12 Amber; the target is 2×4 = 8 Amber.',
    );
    expect(action(done, '2×4 = 8 Amber')?.data).toEqual({ risk: 'R-1', action: 'A-1', likelihood: '2', impact: '4' });
    expect(action(done, '3×3 = 9 Amber')?.verb).toBe('risk.rescore');
    expect(action(done, 'No change')?.data).toEqual({ risk: 'R-1', action: 'A-1', likelihood: '3', impact: '4' });
    expect(done.text).toContain('type instead: risk update R-1 likelihood=‹1-5› impact=‹1-5› "after A-1"');

    const rescored = await r.press(jo, 'risk.rescore', action(done, '3×3 = 9 Amber')!.data);
    expect(heading(rescored)).toBe('R-1 updated');
    const detail = await r.ask(jo, 'risk show R-1');
    expect(listUnder(detail, 'Score history')[0]).toContain('current 3×4 = 12 → 3×3 = 9 — “after A-1 was done”');
    expect(listUnder(detail, 'Actions planned')).toContain(
      'A-1 · Appoint a SOC partner — Priya Shah · done 5 Dec 2026 by Priya Shah',
    );
  });

  it('changes nothing when No change is pressed, or the action is done again', async () => {
    const done = await r.ask(sam, 'risk done R-1 A-2');
    const kept = await r.press(sam, 'risk.rescore', action(done, 'No change')!.data);
    expect(heading(kept)).toBe('R-1 is unchanged');
    const again = await r.ask(sam, 'risk done R-1 A-2');
    expect(heading(again)).toBe('A-2 of R-1 is done already');
  });

  it('marks an action done once when two people mark it at the same moment, and tells the other it is done', async () => {
    await r.ask(sam, mentions`risk action R-2 "Renegotiate the hours floor" owner=${priya} due=2027-02-28`);
    const answers = await Promise.all([r.ask(sam, 'risk done R-2 A-1'), r.ask(priya, 'risk done R-2 A-1')]);
    const headings = answers.map(heading).sort();
    expect(headings).toHaveLength(2);
    expect(headings.filter((h) => h === 'A-1 of R-2 is done already')).toHaveLength(1);
    expect(headings.filter((h) => h.startsWith('A-1 done: Renegotiate the hours floor'))).toHaveLength(1);
    const marked = (await r.risks.detail(r.partnershipId, 'R-2')).actions.filter((a) => a.action.done);
    expect(marked).toHaveLength(1);
  });

  it('raises an issue from a risk that materialised, linking both', async () => {
    const reply = await r.ask(sam, 'risk materialise R-2 "Hours commissioned for Q3 are 20% down"');
    expect(heading(reply)).toBe('Issue raised: I-1 Commissioned hours fall');
    expect(fact(reply, 'From risk')).toBe('R-2');
    expect(listUnder(await r.ask(jo, 'risk show R-2'), 'Issues raised from this risk')).toEqual([
      'I-1 · Commissioned hours fall — Amber (medium) · open',
    ]);
    const issue = await r.ask(jo, 'issue show I-1');
    expect(fact(issue, 'From risk')).toBe('R-2 Commissioned hours fall');
    expect(issue.text).toContain('Hours commissioned for Q3 are 20% down');
    const twice = await r.ask(sam, 'risk materialise R-2');
    expect(twice.text).toContain('R-2 has materialised already as I-1 (open)');
  });

  it('closes a risk with a reason; it leaves the open register and shows in risk list closed', async () => {
    const reply = await r.ask(sam, 'risk close R-2 "now managed as issue I-1"');
    expect(heading(reply)).toBe('R-2 closed');
    expect((await r.ask(jo, 'risk')).text).not.toContain('R-2 ·');
    const closed = await r.ask(jo, 'risk list closed');
    expect(riskRow(closed, 'R-2').byline).toBe('Owner Priya Shah · Closed');
    expect(lines(await r.ask(jo, 'risk show R-2'))).toContain(
      'Closed 5 Dec 2026 by Sam Jones: now managed as issue I-1',
    );
  });

  it('lets an admin set the bands, appetite and review intervals that every card then uses', async () => {
    expect(heading(await r.ask(alex, 'risk bands amber=4 red=12'))).toBe('Risk bands set');
    expect(heading(await r.ask(alex, 'risk appetite cyber=6'))).toBe('Risk appetite set');
    expect(heading(await r.ask(alex, 'risk intervals red=2'))).toBe('Review intervals set');
    const settings = await r.ask(jo, 'risk settings');
    expect(fact(settings, 'Bands')).toBe('Green 1–3, Amber 4–10, Red 12–25');
    expect(fact(settings, 'Appetite')).toContain('cyber 6, financial 12');
    expect(fact(settings, 'Reviews')).toBe('Red every 2 months, Amber every 3 months, Green every 6 months');
    const row = riskRow(await r.ask(jo, 'risk'), 'R-1');
    expect(row).toMatchObject({ score: '3×3 = 9', band: 'Amber', appetite: 'Above appetite (6)' });
  });
});
