/** The issue log: things that have happened (a risk that materialised, or a problem nobody foresaw). */
import type { Rag } from './rag.js';
import { compareIds, formatSequenceId, parseSequenceId, type RiskId, type RiskOwner } from './risk.js';

export type IssueId = string & { readonly __brand: 'IssueId' };

export const formatIssueId = (n: number): IssueId => formatSequenceId('I', n) as IssueId;
export const parseIssueId = (text: string): number | undefined => parseSequenceId('I', text);

export const ISSUE_SEVERITIES = ['high', 'medium', 'low'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];
export type IssueStatus = 'open' | 'resolved';

const SEVERITY_RAG: Record<IssueSeverity, Rag> = { high: 'Red', medium: 'Amber', low: 'Green' };

/** Severity as committees read it: high is Red, medium Amber, low Green. */
export function issueRag(severity: IssueSeverity): Rag {
  return SEVERITY_RAG[severity];
}

/** `high`, `medium`, `low`, or the RAG word the issue is shown with (`red` → high); else undefined. */
export function parseIssueSeverity(text: string): IssueSeverity | undefined {
  const word = text.trim().toLowerCase();
  return ISSUE_SEVERITIES.find((s) => s === word || SEVERITY_RAG[s].toLowerCase() === word);
}

export interface Issue {
  readonly id: IssueId;
  readonly title: string;
  readonly description: string;
  readonly severity: IssueSeverity;
  readonly owner: RiskOwner;
  /** A council code of the partnership, or SHARED (kpi-assessment.ts). */
  readonly council: string;
  readonly status: IssueStatus;
  /** The risk this issue materialised from, when there was one. */
  readonly linkedRisk: RiskId | undefined;
  /** ISO dates. */
  readonly raisedOn: string;
  /** When the owner means to have it resolved, if a date was set. */
  readonly targetDate: string | undefined;
  readonly resolvedOn: string | undefined;
  /** How it was resolved, as the person resolving it put it. */
  readonly resolution: string | undefined;
  readonly createdBy: string;
}

/** Open before resolved, then high severity first, then I-2 before I-10. */
export function compareIssues(
  a: Pick<Issue, 'status' | 'severity' | 'id'>,
  b: Pick<Issue, 'status' | 'severity' | 'id'>,
): number {
  return (
    Number(a.status === 'resolved') - Number(b.status === 'resolved') ||
    ISSUE_SEVERITIES.indexOf(a.severity) - ISSUE_SEVERITIES.indexOf(b.severity) ||
    compareIds(a.id, b.id)
  );
}
