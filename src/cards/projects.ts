import type { StateView } from './approvals.js';
import type { Fact } from './core.js';
import { defineCard } from './define.js';
import type { RagView } from './views.js';

export interface ProjectRowData {
  readonly id: string;
  readonly name: string;
  /** `Active · Sam Patel · shared`. */
  readonly about: string;
  readonly rag: RagView;
  /** `reported 12 Nov`, `no report yet`. */
  readonly reported: string;
  /** `Stale: the last report is more than 14 days old`, or ''. */
  readonly stale: string;
}

export interface ProjectListData {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly ProjectRowData[];
  readonly hasRows: boolean;
  readonly emptyMessage: string;
  /** When there are more rows than the card shows: how many, and how to narrow the list. */
  readonly more?: string;
}
export const projectListCard = defineCard<ProjectListData>('project-list');

export interface ProjectDetailData {
  readonly id: string;
  readonly name: string;
  readonly status: StateView;
  readonly rag: RagView;
  /** `Red, reported by Sam Patel on 12 Nov 2026 (stale)`. */
  readonly latest: string;
  readonly commentary: string;
  readonly scope: string;
  readonly facts: readonly Fact[];
  readonly history: ReadonlyArray<{ when: string; rag: RagView; by: string; commentary: string }>;
  readonly hasHistory: boolean;
  readonly approvals: ReadonlyArray<{ id: string; title: string; status: string }>;
  readonly hasApprovals: boolean;
  /** The open risks linked to the project, worst first, from the register's summary. */
  readonly risks: readonly ProjectRiskData[];
  readonly hasRisks: boolean;
  /** How many more linked open risks there are than the card shows, or ''. */
  readonly risksMore: string;
}

/** One linked risk: its band as a word beside a chip, never colour alone. */
export interface ProjectRiskData {
  readonly id: string;
  readonly title: string;
  readonly rag: RagView;
  /** `4×5 = 20 · above the cyber appetite of 6`. */
  readonly detail: string;
}
export const projectDetailCard = defineCard<ProjectDetailData>('project-detail');
