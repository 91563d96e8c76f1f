/** How the register's fields read what people type, and when the committee hears of a change. */
import { describe, expect, it } from 'vitest';
import { alertReason, alertState } from '../../src/commands/risk/alerts.js';
import { filterWords, level, projectLink, registerQuery, riskId, scoreOption } from '../../src/commands/risk/fields.js';
import { problemsOf } from '../../src/commands/router.js';
import { DEFAULT_RISK_SETTINGS, type RiskScore, type RiskSettings } from '../../src/domain/risk.js';

const s = (likelihood: 1 | 2 | 3 | 4 | 5, impact: 1 | 2 | 3 | 4 | 5): RiskScore => ({ likelihood, impact });
const problem = (result: { success: boolean; error?: unknown }) =>
  result.success ? [] : problemsOf(result.error as Parameters<typeof problemsOf>[0]);

describe('likelihood and impact as typed', () => {
  it('are whole numbers from 1 to 5', () => {
    expect(level('likelihood', 4).parse('1')).toBe(1);
    expect(level('impact', 5).parse(' 5 ')).toBe(5);
  });
  it.each(['0', '6', '2.5', 'four', '-1', '1e0'])('refuse %s, naming the field and its range', (typed) =>
    expect(problem(level('likelihood', 4).safeParse(typed))).toEqual([
      `likelihood=${typed} is not a likelihood: give a whole number from 1 (rare) to 5 (almost certain), e.g. likelihood=4`,
    ]),
  );
  it('refuse a person in their place', () =>
    expect(problem(level('impact', 5).safeParse({ kind: 'user', id: 'x', name: 'Sam' }))[0]).toContain(
      'impact= takes text, not a person',
    ));
});

describe('scores as typed', () => {
  it('read 2x3, 2×3 and 2*3', () => {
    for (const typed of ['2x3', '2×3', '2*3', '2 x 3'])
      expect(scoreOption('target', '2x3').parse(typed)).toEqual(s(2, 3));
  });
  it('refuse a level outside 1 to 5', () =>
    expect(problem(scoreOption('target', '2x3').safeParse('6x1'))[0]).toBe(
      'target=6x1 is not a score: write likelihood x impact, each a whole number from 1 to 5, e.g. target=2x3',
    ));
});

describe('the project a risk threatens, as typed', () => {
  const field = projectLink('risk update R-1 project=P-2');
  it('is a project id or a name, looked up in the portfolio later', () => {
    expect(field.parse('P-2')).toBe('P-2');
    expect(field.parse(' p2 ')).toBe('p2');
    expect(field.parse('User migration')).toBe('User migration');
    expect(field.parse('Pilot of the new portal')).toBe('Pilot of the new portal');
  });
  it.each(['none', 'None', 'no', '-'])('takes the link away with %s', (typed) => expect(field.parse(typed)).toBeNull());
  it.each(['P-x', 'P-', 'p-0', 'P2P'])('refuses %s, which starts like an id but is not one', (typed) =>
    expect(problem(field.safeParse(typed))).toEqual([
      `project=${typed} is not a project id: write it like P-2 (project list shows them), e.g. risk update R-1 project=P-2, or project=none for no project`,
    ]),
  );
  it('refuses nothing at all', () => expect(problem(field.safeParse(''))[0]).toContain('project= is not a project id'));
});

describe('risk ids as typed', () => {
  it('are read as people write them', () => {
    for (const typed of ['R-3', 'r-3', 'R3', 'r3']) expect(riskId().parse(typed)).toBe('R-3');
  });
  it('refuse an issue id', () => expect(problem(riskId().safeParse('I-3'))[0]).toContain('"I-3" is not a risk id'));
});

describe('register filter words', () => {
  it('read bands, overdue, above appetite and status', () =>
    expect(filterWords().parse('Red amber OVERDUE above-appetite closed')).toEqual({
      bands: ['Red', 'Amber'],
      overdue: true,
      aboveAppetite: true,
      status: 'closed',
    }));
  it('take above_appetite and aboveappetite too', () => {
    expect(filterWords().parse('above_appetite')).toEqual({ bands: [], aboveAppetite: true });
    expect(filterWords().parse('aboveappetite')).toEqual({ bands: [], aboveAppetite: true });
  });
  it('name every word that is not a filter', () =>
    expect(problem(filterWords().safeParse('red purple late'))).toEqual([
      '"purple" is not a filter of the register: use red, amber, green, overdue, above-appetite, closed or all',
      '"late" is not a filter of the register: use red, amber, green, overdue, above-appetite, closed or all',
    ]));
  it('show one risk when the words are its id', () => expect(registerQuery().parse('r-12')).toEqual({ show: 'R-12' }));
});

describe('alerts to the committee', () => {
  const settings: RiskSettings = {
    ...DEFAULT_RISK_SETTINGS,
    appetite: { ...DEFAULT_RISK_SETTINGS.appetite, cyber: 6 },
  };
  const reason = (before: RiskScore | undefined, after: RiskScore, category: 'cyber' | 'legal' = 'legal') =>
    alertReason(
      before && alertState({ current: before, category }, settings),
      alertState({ current: after, category }, settings),
      { category },
      settings,
    );

  it('go out for a risk added Red', () =>
    expect(reason(undefined, s(4, 4))).toBe('Added as Red, above the legal appetite of 12.'));
  it('go out for a risk added above appetite', () =>
    expect(reason(undefined, s(2, 4), 'cyber')).toBe('Added above the cyber appetite of 6.'));
  it('do not go out for a risk added Amber within appetite', () => expect(reason(undefined, s(3, 4))).toBeUndefined());
  it('go out when a risk moves into Red', () =>
    expect(reason(s(3, 4), s(3, 5))).toBe('Moved into Red from Amber (3×4 = 12), and above the legal appetite of 12.'));
  it('go out when a risk goes above appetite', () =>
    expect(reason(s(2, 3), s(2, 4), 'cyber')).toBe('Went above the cyber appetite of 6 (from 2×3 = 6).'));
  it('do not go out again for a Red risk re-scored within Red', () => expect(reason(s(4, 5), s(4, 4))).toBeUndefined());
  it('do not go out for a risk that falls out of Red', () => expect(reason(s(4, 5), s(3, 4))).toBeUndefined());
});
