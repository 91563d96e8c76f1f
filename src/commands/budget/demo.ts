import { forecastCard, type BudgetLineSummary } from '../../domain/budget.js';
import {
  DEMO_BUDGET_LINES,
  DEMO_BUDGET_NOW,
  DEMO_BUDGET_YEAR,
  DEMO_PREVIOUS_PERIODS,
  DEMO_PROGRAMME,
  DEMO_VIREMENT,
} from '../../domain/budget-demo.js';
import { financialYearLabel } from '../../domain/periods.js';
import type { BudgetRepository } from '../../storage/budget.js';
import { importBudgetYear } from '../../storage/budget-import.js';
import type { ProgrammeRepository } from '../../storage/programmes.js';
import type { Tables } from '../../storage/tables.js';
import { demoAudit } from '../kit/demo.js';
import type { DemoContext } from '../types.js';
import { positionOf } from './read.js';

/** The lines as they stood a month before the demo's figures: the months after it not yet entered. */
function enteredTo(lines: readonly BudgetLineSummary[], periods: number): BudgetLineSummary[] {
  return lines.map((line) => ({ ...line, actuals: line.actuals.map((a, i) => (i < periods ? a : null)) }));
}

/**
 * The 2023/24 mid-year budget of the demo (forecast overspend £845,000 at P6) with its pay offer
 * virement, the position noted a month before (so the card shows which way it has moved), and the
 * Gemini programme. What is there already is left as it is.
 */
export async function seedBudgetDemo(
  tables: Tables,
  budget: BudgetRepository,
  programmes: ProgrammeRepository,
  demo: DemoContext,
): Promise<void> {
  const { partnership, actor, now } = demo;
  const year = financialYearLabel(DEMO_BUDGET_YEAR);
  if ((await budget.lines(partnership.id, DEMO_BUDGET_YEAR)).length === 0) {
    await importBudgetYear(
      tables,
      partnership.id,
      DEMO_BUDGET_YEAR,
      DEMO_BUDGET_LINES,
      [{ ...DEMO_VIREMENT, by: actor.name }],
      { name: actor.name, id: actor.id, at: now.toISOString() },
      demoAudit(demo, `budget ${year}`, { lines: DEMO_BUDGET_LINES.length, virements: 1 }),
    );
    const before = forecastCard(enteredTo(DEMO_BUDGET_LINES, DEMO_PREVIOUS_PERIODS), {
      fyStart: DEMO_BUDGET_YEAR,
      now: new Date(DEMO_BUDGET_NOW),
      councils: partnership.councils,
    });
    await budget.notePosition(partnership.id, DEMO_BUDGET_YEAR, before.periodsToDate, positionOf(before, now));
  }
  if (!(await programmes.get(partnership.id, DEMO_PROGRAMME.name))) {
    await programmes.add(
      partnership.id,
      { ...DEMO_PROGRAMME, createdAt: now.toISOString(), createdBy: 'demo data' },
      demoAudit(demo, `programme ${DEMO_PROGRAMME.name}`, { budget: '£5,100,000' }),
    );
  }
}
