import type { Fact } from './core.js';
import { defineCard } from './define.js';

/** A status or a state on a card: the word in the default colour, the colour on a chip beside it, never colour alone. */
export interface StateView {
  readonly word: string;
  readonly style: 'good' | 'warning' | 'attention' | 'accent' | 'emphasis';
  readonly icon: string;
}

export interface ProgressRow {
  /** An approver's name, a council's code, or how many approvers are in a state (`12 of 60`). */
  readonly who: string;
  /** `for CEC`, `by Priya Shah`, or the names of the approvers in a state. */
  readonly note: string;
  readonly state: StateView;
  /** `25 Nov, 14:05`, or '' while waiting. */
  readonly when: string;
}

export interface TrailRow {
  readonly when: string;
  readonly who: string;
  /** `approved`, `rejected`, `asked for changes`, `declared an interest`, `withdrew the request`. */
  readonly what: string;
  readonly comment: string;
}

/**
 * The approval card: the request, its policy in plain words, where each approver (or council)
 * stands, and, for an approver who may still vote, a comment box and the three buttons. While it is
 * pending it carries `refresh` for the approvers still to vote, so each of them sees their buttons.
 */
export interface ApprovalCardData {
  readonly id: string;
  readonly title: string;
  readonly status: StateView;
  /** A line at the top: what this reply did (`Project P-5 is proposed …`, `Your approval is counted.`). */
  readonly banner?: string;
  readonly bannerStyle?: 'good' | 'warning' | 'attention' | 'accent';
  readonly facts: readonly Fact[];
  readonly details: string;
  /** `Approved by Priya Shah on 25 Nov, 14:05.`, or what it still waits for, or why no one is left to decide. */
  readonly outcome: string;
  readonly progressTitle: string;
  readonly progress: readonly ProgressRow[];
  /** The full record (`approval show`): every vote, abstention and withdrawal in time order. */
  readonly showTrail: boolean;
  /** The newest events of the trail; `earlier` says how many are not shown. */
  readonly trail: readonly TrailRow[];
  readonly earlier?: string;
  /** This viewer's own line: `You approved on 25 Nov, 14:05.` */
  readonly yours?: string;
  /** Set for an approver who may vote now: the comment box and buttons. */
  readonly vote?: { readonly approvalId: string; readonly problem?: string };
  /** While pending: the typed commands that do what the buttons do. */
  readonly typed?: string;
  /** While pending: who gets their own view (at most 60, as Teams allows). */
  readonly refresh?: { readonly userIds: readonly string[] };
}
export const approvalCard = defineCard<ApprovalCardData>('approval-card');

export interface ApprovalListRow {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  /** `Due 9 Dec 2026`, `Due today`. */
  readonly due: string;
  readonly requester: string;
  readonly waitingFor: string;
}

export interface ApprovalListData {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly ApprovalListRow[];
  readonly hasRows: boolean;
  readonly emptyMessage: string;
}
export const approvalListCard = defineCard<ApprovalListData>('approval-list');
