import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_BUDGET_LINES, DEMO_VIREMENT } from '../../src/domain/budget-demo.js';
import { parseMoney, pence, type Pence } from '../../src/domain/money.js';
import { applyVirement, virementProblem, type VirementLine } from '../../src/domain/virement.js';

const money = (text: string): Pence => {
  const amount = parseMoney(text);
  if (amount === undefined) throw new Error(`bad amount in test: ${text}`);
  return amount;
};
const staff: VirementLine = { code: 'STAFF', category: 'staffing', revisedBudget: money('£16.5m') };
const network: VirementLine = { code: 'NETDC', category: 'contracts', revisedBudget: money('£3.4m') };
const projects: VirementLine = { code: 'PROJINC', category: 'income', revisedBudget: money('£6.5m') };
const schools: VirementLine = { code: 'SCHINC', category: 'income', revisedBudget: money('£1.45m') };

describe('virements', () => {
  it('move budget from one line of expenditure to another', () => {
    expect(virementProblem(network, staff, money('£300k'))).toBeUndefined();
    expect(applyVirement(network, staff, money('£300k'))).toEqual({ from: money('£3.1m'), to: money('£16.8m') });
  });

  it('move budget between two lines of income', () => {
    expect(applyVirement(projects, schools, money('£50k'))).toEqual({ from: money('£6.45m'), to: money('£1.5m') });
  });

  it('may move all that a line holds, and no more', () => {
    expect(virementProblem(network, staff, money('£3.4m'))).toBeUndefined();
    expect(virementProblem(network, staff, money('£3,400,000.01'))).toBe(
      '£3,400,000.01 is more than the £3,400,000 budget of NETDC: a virement moves at most what the line holds',
    );
  });

  it('never move budget between income and expenditure, which would change the net budget', () => {
    expect(virementProblem(projects, staff, money('£50k'))).toMatch(/PROJINC is income and STAFF is staffing/);
    expect(virementProblem(staff, projects, money('£50k'))).toMatch(/two lines of expenditure or two lines of income/);
  });

  it('move an amount above £0 between two different lines', () => {
    expect(virementProblem(network, staff, pence(0))).toMatch(/an amount above £0/);
    expect(virementProblem(network, staff, money('-£50k'))).toMatch(/an amount above £0/);
    expect(virementProblem(staff, staff, money('£50k'))).toMatch(/two different lines; both are STAFF/);
    expect(() => applyVirement(staff, staff, money('£50k'))).toThrow(RangeError);
  });

  it('leave the two lines holding the same total as before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000_000 }),
        (fromBudget, toBudget, amount) => {
          const from = { ...network, revisedBudget: pence(fromBudget) };
          const to = { ...staff, revisedBudget: pence(toBudget) };
          if (virementProblem(from, to, pence(amount))) return amount > fromBudget;
          const after = applyVirement(from, to, pence(amount));
          return after.from + after.to === fromBudget + toBudget && after.from >= 0;
        },
      ),
    );
  });

  it('gave the demo staffing line its pay offer from the network line', () => {
    const line = (code: string) => DEMO_BUDGET_LINES.find((l) => l.code === code)!;
    const before = (code: string) => ({ ...line(code), revisedBudget: line(code).originalBudget });
    const after = applyVirement(before(DEMO_VIREMENT.from), before(DEMO_VIREMENT.to), DEMO_VIREMENT.amount);
    expect(after).toEqual({ from: line('NETDC').revisedBudget, to: line('STAFF').revisedBudget });
  });
});
