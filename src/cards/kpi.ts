import type { ListPage, RagView } from './views.js';
import type { Fact } from './core.js';
import { defineCard } from './define.js';

export interface KpiRowData {
  readonly code: string;
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly rag: RagView;
  readonly trend: string;
  readonly sparkline: string;
  readonly period: string;
}

export interface KpiSummaryData extends ListPage {
  readonly title: string;
  readonly subtitle: string;
  readonly counts: { green: number; amber: number; red: number; noData: number; total: number };
  readonly rows: readonly KpiRowData[];
  readonly emptyMessage: string;
  readonly more?: { filter: string; council: string; offset: number };
}
export const kpiSummaryCard = defineCard<KpiSummaryData>('kpi-summary');

export interface KpiDetailData {
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly facts: readonly Fact[];
  readonly rag: RagView;
  readonly latest: string;
  readonly sparkline: string;
  readonly commentary: string;
  readonly lastYear: string;
  readonly readings: ReadonlyArray<{ period: string; value: string; rag: RagView; by: string }>;
  readonly hasReadings: boolean;
}
export const kpiDetailCard = defineCard<KpiDetailData>('kpi-detail');

type Choices = ReadonlyArray<{ title: string; value: string }>;

export interface KpiFormData {
  readonly errors: readonly string[];
  readonly hasErrors: boolean;
  /** What was typed, put back into the inputs as it was. */
  readonly values: Record<string, string>;
  readonly unitChoices: Choices;
  readonly polarityChoices: Choices;
  readonly frequencyChoices: Choices;
  readonly councilChoices: Choices;
}
export const kpiFormCard = defineCard<KpiFormData>('kpi-form', { inputs: ['values'] });

/** A reading that may be a fraction pasted from Excel: which of the two readings was meant. */
export interface KpiConfirmData {
  readonly title: string;
  readonly message: string;
  /** The buttons: what each reads, and the value it records. */
  readonly choices: ReadonlyArray<{ title: string; value: string }>;
  /** The typed commands that do the same as the buttons. */
  readonly typed: string;
  readonly code: string;
  readonly period: string;
  readonly commentary: string;
}
export const kpiConfirmCard = defineCard<KpiConfirmData>('kpi-confirm', { inputs: ['commentary'] });
