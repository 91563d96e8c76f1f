/**
 * The issue log: things that have happened. Raising, listing (open, resolved, all), one issue in
 * detail, updating, planning and completing actions, resolving; bad input and refusals store nothing.
 * Sam is an editor, Jo a viewer, Priya an editor for CEC only. The clock stands at 25 Nov 2026.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, fact, lines, plain } from '../support/cards.js';
import { heading, issueRows, listUnder } from '../support/risk-cards.js';
import { riskRegister, type Register } from '../support/risk-register.js';
import { jo, mentions, priya, sam, type Person, type TeamsText } from '../support/teams.js';

let r: Register;
beforeAll(async () => {
  r = await riskRegister('issues');
});
afterAll(() => r.close());

async function refused(who: Person, text: string | TeamsText) {
  const [before] = await r.bot.app.services.audit.latest(r.partnershipId, 1);
  const answer = await r.ask(who, text);
  const [after] = await r.bot.app.services.audit.latest(r.partnershipId, 1);
  expect(after, answer.text).toEqual(before);
  return answer;
}

describe('the issue log', () => {
  it('raises an issue with its severity shown as Red, Amber or Green', async () => {
    const reply = await r.ask(
      sam,
      mentions`issue add "Funding model assumes 100,000 commissioned hours" severity=high owner=${jo} due=2027-03-31 "Fewer hours mean less income"`,
    );
    expect(heading(reply)).toBe('Issue raised: I-1 Funding model assumes 100,000 commissioned hours');
    expect(lines(reply)[1]).toBe('Red (high severity), owner Jo Williams.');
    expect(fact(reply, 'Target resolution')).toBe('31 Mar 2027');
    await r.ask(sam, 'issue add "Schools income below budget" severity=amber council=CEC');
    await r.ask(sam, 'issue add "Printer fleet contract lapsed" severity=low');
  });

  it('lists open issues, high severity first', async () => {
    const log = await r.ask(jo, 'issue');
    expect(heading(log)).toBe('Issue log — Cheshire ICT Shared Service');
    expect(lines(log)[1]).toMatch(/^3 open issues: 1 high, 1 medium, 1 low/);
    expect(issueRows(log).map((i) => [i.id, i.rag, i.severity])).toEqual([
      ['I-1', 'Red', 'high severity'],
      ['I-2', 'Amber', 'medium severity'],
      ['I-3', 'Green', 'low severity'],
    ]);
    expect(issueRows(log)[0]!.byline).toBe('Owner Jo Williams · raised 25 Nov 2026 · target 31 Mar 2027');
  });

  it('shows one issue with its facts and actions', async () => {
    await r.ask(jo, mentions`issue action I-1 "Draft the new funding model" owner=${sam} due=2027-01-31`);
    const detail = await r.ask(jo, 'issue show I-1');
    expect(heading(detail)).toBe('Funding model assumes 100,000 commissioned hours');
    expect(fact(detail, 'Severity')).toBe('high (Red)');
    expect(fact(detail, 'Owner')).toBe('Jo Williams');
    expect(detail.text).toContain('Fewer hours mean less income');
    expect(listUnder(detail, 'Actions')).toEqual(['A-1 · Draft the new funding model — Sam Jones · due 31 Jan 2027']);
  });

  it('marks an issue action done', async () => {
    expect(heading(await r.ask(sam, 'issue done I-1 A-1'))).toBe('A-1 done: Draft the new funding model');
    expect(listUnder(await r.ask(jo, 'issue show I-1'), 'Actions')).toEqual([
      'A-1 · Draft the new funding model — Sam Jones · done 25 Nov 2026 by Sam Jones',
    ]);
  });

  it('updates an issue: severity, owner and target date', async () => {
    const reply = await r.ask(
      sam,
      mentions`issue update I-2 severity=high owner=${priya} due=2027-02-28 "income fell again"`,
    );
    expect(heading(reply)).toBe('I-2 updated');
    const detail = await r.ask(jo, 'issue show I-2');
    expect(fact(detail, 'Severity')).toBe('high (Red)');
    expect(fact(detail, 'Owner')).toBe('Priya Shah');
    expect(fact(detail, 'Target resolution')).toBe('target 28 Feb 2027');
  });

  it('resolves an issue, saying how; it leaves the open list', async () => {
    const reply = await r.ask(sam, 'issue resolve I-3 "contract renewed for a year"');
    expect(heading(reply)).toBe('I-3 resolved');
    expect(issueRows(await r.ask(jo, 'issue list')).map((i) => i.id)).toEqual(['I-1', 'I-2']);
    const resolved = await r.ask(jo, 'issue list resolved');
    expect(issueRows(resolved).map((i) => [i.id, i.byline])).toEqual([
      ['I-3', 'Owner Sam Jones · resolved 25 Nov 2026'],
    ]);
    expect(lines(await r.ask(jo, 'issue show I-3'))).toContain('Resolved 25 Nov 2026: contract renewed for a year');
    expect(issueRows(await r.ask(jo, 'issue list all'))).toHaveLength(3);
  });

  it('lets the owner of an issue update and resolve it', async () => {
    expect(heading(await r.ask(jo, 'issue update I-1 severity=medium "first hours recovered"'))).toBe('I-1 updated');
  });

  it('pages a long log with Show more', async () => {
    for (let i = 0; i < 14; i++) await r.ask(sam, `issue add "Minor issue ${i + 1}" severity=low`);
    const first = await r.ask(jo, 'issue');
    expect(issueRows(first)).toHaveLength(15);
    const second = await r.press(jo, 'issue.page', action(first, 'Show more')!.data);
    expect(issueRows(second)).toHaveLength(1);
  });
});

describe('bad input and refusals in the issue log', () => {
  it.each([
    ['issue add "Outage" severity=critical', 'severity=critical is not a severity: use high, medium or low'],
    ['issue add "Outage"', 'severity= is missing: use high, medium or low'],
    ['issue add "Outage" severity=high due=2026-11-01', 'due=2026-11-01 is in the past: give today or a later date'],
    ['issue add severity=high', 'the title is missing'],
    ['issue resolve I-3 "again"', 'I-3 was resolved on 25 Nov 2026. Nothing was changed'],
    ['issue update I-3 severity=low', 'I-3 was resolved on 25 Nov 2026'],
    ['issue update I-1', 'Say what to change, e.g. issue update I-1 severity=medium'],
    ['issue list pending', '"pending" is not a status of an issue: use open, resolved or all'],
    ['issue show R-1', '"R-1" is not an issue id: write it like I-2, e.g. issue show I-1'],
  ])('%s', async (command, problem) => {
    const answer = await refused(sam, command);
    expect(plain(answer)).toContain(problem);
  });

  it('says an unknown issue is not there', async () => {
    const answer = await refused(sam, 'issue show I-99');
    expect(heading(answer)).toBe('Not found');
    expect(answer.text).toContain('There is no issue I-99 in Cheshire ICT Shared Service.');
  });

  it('refuses issue add to a viewer, and changes by someone who neither edits nor owns the issue', async () => {
    expect(heading(await refused(jo, 'issue add "Outage" severity=high'))).toBe('You need the editor role');
    expect(heading(await refused(jo, 'issue resolve I-2 "done"'))).toBe('You need the editor role');
    expect((await refused(jo, 'issue update I-2 severity=low')).text).toContain(
      "or being the issue's owner (Priya Shah)",
    );
  });
});
