/**
 * A virement moves budget from one line to another within a year, leaving the net budget as it was:
 * so it moves between two lines of expenditure or between two lines of income (a move from income to
 * spending would raise the net budget twice over), and never more than the line it comes from holds.
 */
import { isIncome, type BudgetCategory } from './budget.js';
import { formatMoney, pence, type Pence } from './money.js';

export interface VirementLine {
  readonly code: string;
  readonly category: BudgetCategory;
  /** The budget after earlier virements: what the line holds now. */
  readonly revisedBudget: Pence;
}

/** Why budget cannot move from `from` to `to`, in the council's words, or undefined when it can. */
export function virementProblem(from: VirementLine, to: VirementLine, amount: Pence): string | undefined {
  if (amount <= 0) return `a virement moves an amount above £0, e.g. £50k; ${formatMoney(amount)} is not`;
  if (from.code === to.code) return `a virement moves budget between two different lines; both are ${from.code}`;
  if (isIncome(from.category) !== isIncome(to.category)) {
    return `${from.code} is ${from.category} and ${to.code} is ${to.category}: a virement moves budget between two lines of expenditure or two lines of income, so that the net budget stays the same`;
  }
  if (amount > from.revisedBudget) {
    return `${formatMoney(amount)} is more than the ${formatMoney(from.revisedBudget)} budget of ${from.code}: a virement moves at most what the line holds`;
  }
  return undefined;
}

/** The two lines' budgets after the virement; refused (RangeError) when `virementProblem` has a reason. */
export function applyVirement(
  from: VirementLine,
  to: VirementLine,
  amount: Pence,
): { readonly from: Pence; readonly to: Pence } {
  const problem = virementProblem(from, to, amount);
  if (problem) throw new RangeError(problem);
  return { from: pence(from.revisedBudget - amount), to: pence(to.revisedBudget + amount) };
}
