/**
 * Bad input and refusals: each gets a card naming the field and the right form (or the role
 * needed), and nothing is stored. "Nothing stored" is read from the audit trail, which every change
 * writes in the same batch as the change: its latest entry is the same before and after.
 * Sam is an editor, Jo a viewer, Priya an editor for CEC only, Alex the admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain } from '../support/cards.js';
import { heading } from '../support/risk-cards.js';
import { riskRegister, type Register } from '../support/risk-register.js';
import { alex, jo, mentions, priya, sam, type Person, type TeamsText } from '../support/teams.js';

let r: Register;
beforeAll(async () => {
  r = await riskRegister('risk-refusals');
  await r.added(sam, 'risk add "Information management and data security" likelihood=4 impact=5 target=2x4');
  await r.added(sam, 'risk add "Old contract" likelihood=2 impact=2'); // R-2, closed below
  await r.ask(sam, 'risk close R-2 "contract ended"');
  await r.ask(sam, mentions`risk action R-1 "Appoint a SOC partner" owner=${priya} due=2027-03-31`);
});
afterAll(() => r.close());

/** Runs a command that must change nothing; gives its answer. */
async function refused(who: Person, text: string | TeamsText) {
  const [before] = await r.bot.app.services.audit.latest(r.partnershipId, 1);
  const answer = await r.ask(who, text);
  const [after] = await r.bot.app.services.audit.latest(r.partnershipId, 1);
  expect(after, `${typeof text === 'string' ? text : text.text} changed something:\n${answer.text}`).toEqual(before);
  return answer;
}

describe('bad input to the risk commands', () => {
  it.each([
    [
      'risk add "Cyber" likelihood=6 impact=5',
      'likelihood=6 is not a likelihood: give a whole number from 1 (rare) to 5 (almost certain), e.g. likelihood=4',
    ],
    [
      'risk add "Cyber" likelihood=2.5 impact=5',
      'likelihood=2.5 is not a likelihood: give a whole number from 1 (rare) to 5 (almost certain), e.g. likelihood=4',
    ],
    [
      'risk add "Cyber" likelihood=4 impact=0',
      'impact=0 is not an impact: give a whole number from 1 (negligible) to 5 (severe), e.g. impact=5',
    ],
    [
      'risk add "Cyber" likelihood=4',
      'impact= is missing: e.g. impact=5, a whole number from 1 (negligible) to 5 (severe)',
    ],
    [
      'risk add "Cyber" likelihood=2 impact=3 target=3x3',
      'target=3×3 = 9 is above the current score 2×3 = 6: a target is where the actions should bring the risk, so give one no higher, e.g. target=2x3 or lower',
    ],
    ['risk add "Cyber" likelihood=4 impact=5 target=4x9', 'target=4x9 is not a score: write likelihood x impact'],
    [
      'risk add "Cyber" likelihood=4 impact=5 owner=Sam',
      '"Sam" is not a mention: type @ and pick the person from the list, so that Teams links them',
    ],
    [
      'risk add "Cyber" likelihood=4 impact=5 category=weather',
      'category=weather is not a category: use cyber, financial',
    ],
    [
      'risk add "Cyber" likelihood=4 impact=5 council=XYZ',
      'council=XYZ is not a council of Cheshire ICT Shared Service: use CEC, CWAC or shared',
    ],
    [
      'risk update R-1 target=5x5',
      'target=5×5 = 25 is above the current score 4×5 = 20: a target is where the actions should bring the risk',
    ],
    [
      'risk update R-1 likelihood=1 impact=1 target=2x4',
      'target=2×4 = 8 is above the current score 1×1 = 1: a target is where the actions should bring the risk, so give one no higher, e.g. target=1x1 or lower',
    ],
    ['risk update R-1 "no change given"', 'Say what to change, e.g. risk update R-1 likelihood=3'],
    ['risk update R-2 likelihood=1', 'R-2 is closed: a closed risk stays as it was.'],
    ['risk show X-9', '"X-9" is not a risk id: write it like R-3, e.g. risk show R-1'],
    ['risk close R-2 "again"', 'R-2 is closed already on 25 Nov 2026 by Sam Jones. Nothing was changed.'],
    ['risk list purple', '"purple" is not a filter of the register: use red, amber, green, overdue, above-appetite'],
    ['risk action R-1 "Buy tools" due=2027-01-31', 'owner= is missing: @mention the person, e.g. @Sam'],
  ])('%s', async (command, problem) => {
    const answer = await refused(sam, command);
    expect(plain(answer)).toContain(problem);
    expect(answer.text).toContain('Nothing was changed.');
  });

  it('refuses a new action due in the past, naming the date and a right one', async () => {
    const answer = await refused(sam, mentions`risk action R-1 "Buy tools" owner=${sam} due=2026-11-24`);
    expect(answer.text).toContain('due=2026-11-24 is in the past: give today or a later date, e.g. due=2026-12-25');
  });

  it('refuses a date that does not exist', async () => {
    const answer = await refused(sam, mentions`risk action R-1 "Buy tools" owner=${sam} due=2027-02-30`);
    expect(answer.text).toContain('due=2027-02-30 is not a date: write it as YYYY-MM-DD');
  });

  it.each([
    ['risk show R-99', 'There is no risk R-99 in Cheshire ICT Shared Service.'],
    ['risk update R-99 likelihood=2', 'There is no risk R-99 in Cheshire ICT Shared Service.'],
    ['risk done R-1 A-9', 'R-1 has no action A-9.'],
    ['risk materialise R-99', 'There is no risk R-99 in Cheshire ICT Shared Service.'],
  ])('says an unknown id is not there: %s', async (command, message) => {
    const answer = await refused(sam, command);
    expect(heading(answer)).toBe('Not found');
    expect(answer.text).toContain(message);
  });

  it.each([
    [
      'risk appetite cyber=30',
      'cyber=30 is not an appetite: give the highest score accepted for cyber risks, a whole number from 1 to 25, e.g. cyber=6',
    ],
    ['risk appetite cyber=0', 'cyber=0 is not an appetite'],
    ['risk appetite cyber=6.5', 'cyber=6.5 is not an appetite'],
    ['risk appetite', 'give the appetite of at least one category, e.g. risk appetite cyber=6 financial=12'],
    ['risk appetite weather=3', 'weather= is not an option here. The options are: cyber=, financial='],
    ['risk bands amber=15 red=15', 'amber (15) must be lower than red (15): e.g. risk bands amber=5 red=15'],
    ['risk bands amber=13 red=14', 'no risk can score from 13 to 13'],
    ['risk bands red=30', 'red=30 is not a band boundary: give a whole number from 2 to 25, e.g. red=15'],
    ['risk intervals red=4 amber=3', 'a Red risk must be reviewed at least as often as an Amber one'],
  ])('refuses settings that cannot be used: %s', async (command, problem) => {
    const answer = await refused(alex, command);
    expect(plain(answer)).toContain(problem);
  });
});

describe('who may change the register', () => {
  it('refuses risk add to a viewer, naming the editor role', async () => {
    const answer = await refused(jo, 'risk add "Laptops" likelihood=2 impact=2');
    expect(heading(answer)).toBe('You need the editor role');
    expect(answer.text).toContain('role grant @you editor');
  });

  it('refuses the add form and its button to a viewer', async () => {
    expect(heading(await refused(jo, 'risk add'))).toBe('You need the editor role');
    expect(heading(await r.press(jo, 'risk.add', { title: 'Laptops', likelihood: '2', impact: '2' }))).toBe(
      'You need the editor role',
    );
  });

  it('refuses an update to someone who neither edits nor owns the risk, saying the owner may', async () => {
    const answer = await refused(jo, 'risk update R-1 likelihood=3');
    expect(heading(answer)).toBe('You need the editor role');
    expect(answer.text).toContain("or being the risk's owner (Sam Jones)");
    expect(heading(await refused(jo, 'risk review R-1'))).toBe('You need the editor role');
    expect(heading(await refused(jo, mentions`risk action R-1 "x" owner=${jo} due=2027-01-01`))).toBe(
      'You need the editor role',
    );
  });

  it('keeps an editor for one council to the risks of that council', async () => {
    const cwac = await refused(priya, 'risk add "Tenancy build late" likelihood=3 impact=3 council=CWAC');
    expect(heading(cwac)).toBe('You need the editor role');
    expect(cwac.text).toContain('"add a risk for CWAC" needs the role');
    expect(cwac.text).toContain('(an editor for one council adds risks of that council only)');
    expect(heading(await refused(priya, 'risk add "Shared thing" likelihood=3 impact=3'))).toBe(
      'You need the editor role',
    );
    expect(heading(await refused(priya, 'risk close R-1 "not ours"'))).toBe('You need the editor role');
    expect(await r.added(priya, 'risk add "Desk move" likelihood=2 impact=3 council=CEC')).toMatch(/^R-\d+$/);
  });

  it('keeps the settings to admins', async () => {
    expect(heading(await refused(sam, 'risk bands amber=4 red=12'))).toBe('You need the admin role');
    expect(heading(await refused(sam, 'risk appetite cyber=6'))).toBe('You need the admin role');
    expect(heading(await refused(sam, 'risk intervals red=1'))).toBe('You need the admin role');
  });

  it("lets an action's owner mark it done, and nobody else without the right", async () => {
    expect(heading(await refused(jo, 'risk done R-1 A-1'))).toBe('You need the editor role');
    expect(heading(await r.ask(priya, 'risk done R-1 A-1'))).toBe('A-1 done: Appoint a SOC partner');
  });

  it('refuses a re-score button to someone who may not update the risk', async () => {
    const answer = await r.press(jo, 'risk.rescore', { risk: 'R-1', action: 'A-1', likelihood: '3', impact: '5' });
    expect(heading(answer)).toBe('You need the editor role');
  });
});
