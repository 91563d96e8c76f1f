import type { Fact } from './core.js';
import { defineCard } from './define.js';
import type { ListPage, RagView } from './views.js';

/** The budget family's cards: the forecast, the lines, one line, and programmes. */

export interface BudgetDriverData {
  /** `Income from projects (PROJINC)`. */
  readonly title: string;
  /** `£1.56m income shortfall`. */
  readonly figure: string;
  /** The officer's reason, or how the run rate forecasts it. */
  readonly reason: string;
  readonly rag: RagView;
}

export interface BudgetCouncilData {
  readonly council: string;
  readonly figure: string;
  readonly detail: string;
  readonly rag: RagView;
}

/** Budget against forecast of one category, as two bars on one scale with their figures, readable without colour. */
export interface BudgetCategoryData {
  readonly category: string;
  readonly budgetBar: string;
  readonly forecastBar: string;
  readonly variance: string;
}

export interface BudgetForecastData {
  readonly title: string;
  readonly subtitle: string;
  /** Why the card shows another year than the one asked for, when it does. */
  readonly note?: string;
  readonly hasLines: boolean;
  readonly emptyMessage: string;
  /** `Forecast overspend £845k`. */
  readonly headline: string;
  readonly rag: RagView;
  /** `▼ worse since P5 (£838k overspend)`. */
  readonly direction: string;
  readonly facts: readonly Fact[];
  readonly drivers: readonly BudgetDriverData[];
  readonly hasDrivers: boolean;
  readonly councils: readonly BudgetCouncilData[];
  readonly categories: readonly BudgetCategoryData[];
  /** `Red from 5% or £100k adverse, Amber from 1% or £50k`. */
  readonly thresholds: string;
}
export const budgetForecastCard = defineCard<BudgetForecastData>('budget-forecast');

export interface BudgetLineRowData {
  readonly title: string;
  /** `contracts · shared`. */
  readonly kind: string;
  readonly budget: string;
  /** `was £3.4m` after a virement, else empty. */
  readonly original: string;
  readonly forecast: string;
  readonly basis: string;
  readonly variance: string;
  readonly rag: RagView;
}

export interface BudgetLinesData extends ListPage {
  readonly title: string;
  readonly subtitle: string;
  readonly note?: string;
  readonly rows: readonly BudgetLineRowData[];
  readonly emptyMessage: string;
  readonly more?: { year: string; category: string; council: string; offset: number };
}
export const budgetLinesCard = defineCard<BudgetLinesData>('budget-lines');

export interface BudgetLineDetailData {
  readonly title: string;
  readonly subtitle: string;
  readonly rag: RagView;
  readonly headline: string;
  readonly facts: readonly Fact[];
  readonly months: ReadonlyArray<{ month: string; actual: string; bar: string; by: string }>;
  readonly hasMonths: boolean;
  readonly forecasts: ReadonlyArray<{ when: string; forecast: string; reason: string; by: string }>;
  readonly hasForecasts: boolean;
  readonly virements: readonly string[];
  readonly hasVirements: boolean;
  readonly code: string;
  readonly year: string;
}
export const budgetLineCard = defineCard<BudgetLineDetailData>('budget-line');

export interface ProgrammeRowData {
  readonly name: string;
  readonly budget: string;
  readonly spend: string;
  readonly spendBar: string;
  readonly benefits: string;
  readonly payback: string;
}

export interface ProgrammeListData {
  readonly title: string;
  readonly rows: readonly ProgrammeRowData[];
  readonly hasRows: boolean;
  readonly emptyMessage: string;
}
export const programmeListCard = defineCard<ProgrammeListData>('programme-list');

export interface ProgrammeDetailData {
  readonly name: string;
  readonly headline: string;
  readonly facts: readonly Fact[];
  /** Spend against budget as a bar with its words, readable without colour. */
  readonly spendBar: string;
  readonly schedule: ReadonlyArray<{
    year: string;
    cost: string;
    benefit: string;
    cumulativeCost: string;
    cumulativeBenefit: string;
  }>;
}
export const programmeDetailCard = defineCard<ProgrammeDetailData>('programme-detail');
