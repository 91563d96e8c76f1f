import type { Fact } from './core.js';
import { defineCard } from './define.js';
import type { ListPage, RagView } from './views.js';

/** The risk register and issue log cards: data types beside the templates they bind. */

type Choices = ReadonlyArray<{ title: string; value: string }>;

/** One cell of the 5×5 heat map: the count and the band's letter, so it reads without colour. */
export interface HeatCellData {
  readonly text: string;
  readonly style: RagView['style'];
  /** Bolder when the cell holds risks. */
  readonly weight: 'Bolder' | 'Default';
}

export interface HeatMapData {
  /** Impact 5 at the top down to 1; each row's cells run likelihood 1 to 5. */
  readonly rows: ReadonlyArray<{ readonly impact: string; readonly cells: readonly HeatCellData[] }>;
}

export interface RiskRowData {
  readonly id: string;
  readonly title: string;
  /** `4×5 = 20`. */
  readonly score: string;
  readonly rag: RagView;
  /** `Above appetite (6)`, or empty. */
  readonly appetite: string;
  readonly trend: string;
  /** `Owner Sam Jones · Review by 12 Dec 2026`, or with `Review overdue`. */
  readonly byline: string;
}

/** What the "Show more" button sends back: the same list, from `offset`. */
export interface RiskPageData {
  readonly offset: number;
  readonly filters: string;
  readonly council: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly category: string;
}

export interface RiskRegisterData extends ListPage {
  readonly title: string;
  readonly subtitle: string;
  readonly counts: { readonly red: number; readonly amber: number; readonly green: number };
  readonly showHeatMap: boolean;
  readonly heatMap: HeatMapData;
  readonly legend: string;
  readonly rows: readonly RiskRowData[];
  readonly emptyMessage: string;
  readonly more?: RiskPageData;
}
export const riskRegisterCard = defineCard<RiskRegisterData>('risk-register');

export interface ListItemData {
  readonly heading: string;
  readonly detail: string;
}

export interface RiskDetailData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rag: RagView;
  readonly headline: string;
  readonly scores: ReadonlyArray<{ readonly which: string; readonly score: string; readonly rag: RagView }>;
  readonly facts: readonly Fact[];
  readonly controls: readonly ListItemData[];
  readonly hasControls: boolean;
  readonly actions: readonly ListItemData[];
  readonly hasActions: boolean;
  readonly history: readonly ListItemData[];
  readonly hasHistory: boolean;
  readonly issues: readonly ListItemData[];
  readonly hasIssues: boolean;
  /** Approvals about this risk (a risk acceptance, say): filled in by the approvals family; empty until then. */
  readonly approvals: readonly ListItemData[];
  readonly hasApprovals: boolean;
  readonly hint: string;
}
export const riskDetailCard = defineCard<RiskDetailData>('risk-detail');

export interface RiskFormData {
  readonly errors: readonly string[];
  readonly hasErrors: boolean;
  /** What was typed, put back into the inputs as it was. */
  readonly values: Record<string, string>;
  readonly levelChoices: { readonly likelihood: Choices; readonly impact: Choices };
  readonly categoryChoices: Choices;
  readonly councilChoices: Choices;
}
export const riskFormCard = defineCard<RiskFormData>('risk-form', { inputs: ['values'] });

/** A score offered on a button after an action is done. */
export interface ScoreChoice {
  readonly title: string;
  readonly risk: string;
  readonly action: string;
  readonly likelihood: string;
  readonly impact: string;
}

export interface RiskRescoreData {
  readonly title: string;
  readonly message: string;
  readonly question: string;
  readonly choices: readonly ScoreChoice[];
  readonly keep: ScoreChoice;
  readonly typed: string;
}
export const riskRescoreCard = defineCard<RiskRescoreData>('risk-rescore');

export interface RiskAlertData {
  readonly title: string;
  readonly reason: string;
  readonly rag: RagView;
  readonly facts: readonly Fact[];
  readonly actions: readonly ListItemData[];
  readonly hasActions: boolean;
  readonly hint: string;
}
export const riskAlertCard = defineCard<RiskAlertData>('risk-alert');

export interface IssueRowData {
  readonly id: string;
  readonly title: string;
  readonly rag: RagView;
  readonly severity: string;
  readonly byline: string;
}

export interface IssueListData extends ListPage {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly IssueRowData[];
  readonly emptyMessage: string;
  readonly more?: { readonly offset: number; readonly status: string };
}
export const issueListCard = defineCard<IssueListData>('issue-list');

export interface IssueDetailData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rag: RagView;
  readonly headline: string;
  readonly facts: readonly Fact[];
  readonly actions: readonly ListItemData[];
  readonly hasActions: boolean;
  readonly hint: string;
}
export const issueDetailCard = defineCard<IssueDetailData>('issue-detail');
