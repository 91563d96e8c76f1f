import {
  issueDetailCard,
  issueListCard,
  type IssueDetailData,
  type IssueListData,
  type IssueRowData,
} from '../../cards/risk.js';
import { clipped, dayText, pageOf, RAG_VIEW } from '../../cards/views.js';
import { councilLabel, type Partnership } from '../../domain/partnership.js';
import { compareIssues, issueRag, type Issue } from '../../domain/risk-issue.js';
import { isOverdue, type PlannedAction } from '../../domain/risk.js';
import type { IssueEntry } from '../../storage/issues.js';
import { cardReply, type Reply } from '../types.js';
import { actionItem, actionOrder, capped, ROW_NAME, ROW_TITLE, TEXT_DESCRIPTION, TEXT_ITEM } from './views.js';
import { plural } from '../../domain/vocabulary.js';

/** How issues read on cards and in the plain text beside them. */

export const ISSUE_PAGE_SIZE = 15;
export type IssueStatusFilter = 'open' | 'resolved' | 'all';

function targetText(targetDate: string | undefined, today: string): string {
  if (!targetDate) return 'no target date';
  return isOverdue(targetDate, today) ? `overdue: target was ${dayText(targetDate)}` : `target ${dayText(targetDate)}`;
}

function row(issue: IssueEntry, today: string): IssueRowData {
  const state =
    issue.status === 'resolved'
      ? `resolved ${dayText(issue.resolvedOn ?? issue.raisedOn)}`
      : `raised ${dayText(issue.raisedOn)} · ${targetText(issue.targetDate, today)}`;
  return {
    id: issue.id,
    title: clipped(issue.title, ROW_TITLE),
    rag: RAG_VIEW[issueRag(issue.severity)],
    severity: `${issue.severity} severity`,
    byline: `Owner ${clipped(issue.ownerName, ROW_NAME)} · ${state}${issue.linkedRisk ? ` · from ${issue.linkedRisk}` : ''}`,
  };
}

export function issueListReply(
  partnership: Partnership,
  all: readonly IssueEntry[],
  status: IssueStatusFilter,
  offset: number,
  now: Date,
  today: string,
): Reply {
  const open = all.filter((i) => i.status === 'open');
  const listed = all.filter((i) => status === 'all' || i.status === status).sort(compareIssues);
  const page = pageOf(listed, offset, ISSUE_PAGE_SIZE);
  const count = (severity: string) => open.filter((i) => i.severity === severity).length;
  const title = `Issue log — ${partnership.name}`;
  const subtitle = [
    `${plural(open.length, 'open issue')}: ${count('high')} high, ${count('medium')} medium, ${count('low')} low`,
    `as at ${dayText(now)}`,
    ...(status !== 'open' ? [status === 'all' ? 'open and resolved' : 'resolved only'] : []),
  ].join(' · ');
  const rows = page.items.map((i) => row(i, today));
  const emptyMessage =
    all.length === 0
      ? 'No issues yet. An editor can raise one with: issue add "Funding model out of date" severity=high'
      : `No ${status === 'all' ? '' : `${status} `}issues.`;
  const data: IssueListData = {
    title,
    subtitle,
    rows,
    ...page.view,
    emptyMessage,
    ...(page.next !== undefined ? { more: { offset: page.next, status } } : {}),
  };
  const text = [
    title,
    subtitle,
    ...(rows.length > 0
      ? rows.map((r) => `${r.id} ${r.title} — ${r.rag.word} (${r.severity}), ${r.byline}`)
      : [emptyMessage]),
    ...page.showing,
  ].join('\n');
  return cardReply(issueListCard, data, text);
}

export function issueDetailReply(
  issue: Issue,
  actions: readonly PlannedAction[],
  linkedRiskTitle: string | undefined,
  today: string,
): Reply {
  const rag = issueRag(issue.severity);
  const headline =
    issue.status === 'resolved'
      ? `Resolved ${dayText(issue.resolvedOn ?? issue.raisedOn)}${issue.resolution ? `: ${issue.resolution}` : ''}`
      : `Open since ${dayText(issue.raisedOn)} · ${targetText(issue.targetDate, today)}`;
  const facts = [
    { title: 'Severity', value: `${issue.severity} (${rag})` },
    { title: 'Owner', value: issue.owner.name },
    { title: 'Council', value: councilLabel(issue.council) },
    { title: 'Raised', value: `${dayText(issue.raisedOn)} by ${issue.createdBy}` },
    ...(issue.targetDate ? [{ title: 'Target resolution', value: targetText(issue.targetDate, today) }] : []),
    ...(issue.linkedRisk
      ? [{ title: 'From risk', value: `${issue.linkedRisk}${linkedRiskTitle ? ` ${linkedRiskTitle}` : ''}` }]
      : []),
  ];
  const items = capped(
    [...actions].sort(actionOrder).map((a) => actionItem(a, today)),
    8,
    'actions done longest ago are in the audit',
  );
  const data: IssueDetailData = {
    id: issue.id,
    title: issue.title,
    description: issue.description,
    rag: RAG_VIEW[rag],
    headline,
    facts,
    actions: items,
    hasActions: items.length > 0,
    hint:
      issue.status === 'open'
        ? `Plan with issue action ${issue.id} "‹action›" owner=@person due=YYYY-MM-DD; when it is over, issue resolve ${issue.id} "how".`
        : 'A resolved issue stays in the log for the record: issue list resolved.',
  };
  const text = [
    `${issue.id} ${issue.title}: ${rag}`,
    headline,
    ...(issue.description ? [clipped(issue.description, TEXT_DESCRIPTION)] : []),
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...(items.length > 0 ? ['Actions', ...items.map((i) => `  ${clipped(i.heading, TEXT_ITEM)}`)] : []),
  ].join('\n');
  return cardReply(issueDetailCard, data, text);
}
