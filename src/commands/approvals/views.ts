import {
  approvalCard,
  approvalListCard,
  type ApprovalCardData,
  type ApprovalListRow,
  type ProgressRow,
  type StateView,
  type TrailRow,
} from '../../cards/approvals.js';
import { clipped, dayText, momentText } from '../../cards/views.js';
import { listed, plural } from '../../domain/vocabulary.js';
import { addDays, londonDate } from '../../domain/calendar.js';
import {
  canVote,
  decide,
  formatItemRef,
  type Approval,
  type ApprovalDecision,
  type ApprovalStatus,
  type ApprovalSummary,
  type ItemRef,
  type ProgressState,
} from '../../domain/approvals.js';
import { cardReply, type Reply } from '../types.js';
import { typeLabel } from './fields.js';

/** The approval card for one viewer, and the list of approvals waiting for someone, with their plain text. */

const STATUS: Record<ApprovalStatus, StateView> = {
  pending: { word: 'Pending', style: 'accent', icon: '…' },
  approved: { word: 'Approved', style: 'good', icon: '✓' },
  rejected: { word: 'Rejected', style: 'attention', icon: '✗' },
  'changes-requested': { word: 'Changes requested', style: 'warning', icon: '↺' },
  expired: { word: 'Expired', style: 'emphasis', icon: '⌛' },
  withdrawn: { word: 'Withdrawn', style: 'emphasis', icon: '–' },
};

const STATE: Record<ProgressState, StateView> = {
  approved: { word: 'Approved', style: 'good', icon: '✓' },
  rejected: { word: 'Rejected', style: 'attention', icon: '✗' },
  changes: { word: 'Asked for changes', style: 'warning', icon: '↺' },
  abstained: { word: 'Declared an interest', style: 'emphasis', icon: '–' },
  waiting: { word: 'Waiting', style: 'emphasis', icon: '○' },
};

const DONE: Record<'approve' | 'reject' | 'changes', string> = {
  approve: 'approved',
  reject: 'rejected',
  changes: 'asked for changes',
};

export function statusView(status: ApprovalStatus): StateView {
  return STATUS[status];
}

function concernsText(ref: ItemRef): string {
  const kind = { project: 'Project', risk: 'Risk', 'budget-line': 'Budget line' }[ref.kind];
  return `${kind} ${formatItemRef(ref)}`;
}

/** `9 Dec 2026 (today)`, `9 Dec 2026 (tomorrow)`. */
function dueText(due: string, now: Date): string {
  const today = londonDate(now);
  const when = due === today ? ' (today)' : due === addDays(today, 1) ? ' (tomorrow)' : '';
  return `${dayText(due)}${when}`;
}

/** The outcome in one line: who decided and when, or what it waits for, or why no one is left to decide it. */
export function outcomeLine(approval: Approval, decision: ApprovalDecision): string {
  const by = decision.decidedBy?.name ?? 'someone';
  const when = decision.decidedAt ? momentText(decision.decidedAt) : '';
  switch (decision.status) {
    case 'pending':
      return decision.deadlock
        ? `No one is left to decide: ${decision.deadlock.reason}. ${approval.requester.name} can withdraw it with: approval withdraw ${approval.id}`
        : `Waiting for ${decision.outstanding ?? 'the approvers'}.`;
    case 'approved':
      return `Approved by ${by} on ${when}.`;
    case 'rejected':
      return `Rejected by ${by} on ${when}.`;
    case 'changes-requested':
      return `Changes requested by ${by} on ${when}.`;
    case 'expired':
      return `Expired: not decided by the end of ${dayText(approval.due)}.`;
    case 'withdrawn':
      return `Withdrawn by ${by} on ${when}.`;
  }
}

/** Up to this many approvers, the card has a row each; beyond, a row for each state naming who is in it. */
const ROWS_PER_APPROVER_UP_TO = 12;
/** The newest events of the vote trail the card shows; the audit keeps every one. */
const TRAIL_SHOWN = 12;
/** A comment on the card is cut at this length; the audit keeps it whole. */
const COMMENT_SHOWN = 240;

const ORDER: readonly ProgressState[] = ['approved', 'rejected', 'changes', 'abstained', 'waiting'];

const cut = (text: string, max = COMMENT_SHOWN) => clipped(text, max);

function progressRows(decision: ApprovalDecision): { title: string; rows: ProgressRow[] } {
  if (decision.councils) {
    return {
      title: 'Councils',
      rows: decision.councils.map((c) => {
        const speakers = decision.approvers.filter((a) => a.approver.councils?.includes(c.council) ?? true);
        return {
          who: c.council,
          note: c.by
            ? `by ${c.by.name}`
            : `approvers: ${cut(
                listed(
                  speakers.map((a) => a.approver.name),
                  'and',
                ),
              )}`,
          state: STATE[c.state],
          when: c.at ? momentText(c.at) : '',
        };
      }),
    };
  }
  const total = decision.approvers.length;
  if (total > ROWS_PER_APPROVER_UP_TO) {
    return {
      title: 'Approvers',
      rows: ORDER.map((state) => ({ state, names: decision.approvers.filter((a) => a.state === state) }))
        .filter((group) => group.names.length > 0)
        .map((group) => ({
          who: `${group.names.length} of ${total}`,
          note: cut(
            listed(
              group.names.map((a) => a.approver.name),
              'and',
            ),
            600,
          ),
          state: STATE[group.state],
          when: '',
        })),
    };
  }
  return {
    title: 'Approvers',
    rows: decision.approvers.map((row) => ({
      who: row.approver.name,
      note: row.approver.councils ? `for ${row.approver.councils.join(', ')}` : '',
      state: STATE[row.state],
      when: row.at ? momentText(row.at) : '',
    })),
  };
}

/** Every vote, declared interest and the withdrawal, in time order. */
function trailRows(approval: Approval): TrailRow[] {
  const name = (id: string) => approval.approvers.find((a) => a.id === id)?.name ?? 'Someone';
  const rows = [
    ...approval.votes.map((v) => ({ at: v.at, who: name(v.approverId), what: DONE[v.decision], comment: v.comment })),
    ...approval.abstentions.map((a) => ({
      at: a.at,
      who: name(a.approverId),
      what: 'declared an interest',
      comment: a.interest,
    })),
    ...(approval.withdrawn
      ? [{ at: approval.withdrawn.at, who: approval.withdrawn.by.name, what: 'withdrew the request', comment: '' }]
      : []),
  ];
  return rows
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((r) => ({ when: momentText(r.at), who: r.who, what: r.what, comment: cut(r.comment) }));
}

function yoursLine(approval: Approval, viewerId: string | undefined): string | undefined {
  if (viewerId === undefined) return undefined;
  const vote = approval.votes.find((v) => v.approverId === viewerId);
  if (vote) return `You ${DONE[vote.decision]} on ${momentText(vote.at)}; a vote is final.`;
  const abstention = approval.abstentions.find((a) => a.approverId === viewerId);
  return abstention ? `You declared an interest on ${momentText(abstention.at)}.` : undefined;
}

export interface ViewOptions {
  /** Who looks at the card: an approver who may vote gets the comment box and the buttons. */
  readonly viewerId?: string | undefined;
  readonly banner?: string;
  readonly bannerStyle?: ApprovalCardData['bannerStyle'];
  /** The full record, as `approval show` gives it. */
  readonly showTrail?: boolean;
  /** Why the last press of a button did nothing (a rejection with no reason). */
  readonly problem?: string;
}

function typedLine(id: string): string {
  return `Buttons not working? Type approve ${id} "comment", reject ${id} "reason" or approval changes ${id} "what is needed".`;
}

/** The approval card as `viewerId` sees it now. */
export function approvalView(approval: Approval, now: Date, options: ViewOptions = {}): Reply {
  const decision = decide(approval, approval.votes, approval.abstentions, now);
  const pending = decision.status === 'pending';
  const mayVote = options.viewerId !== undefined && canVote(approval, options.viewerId, now).ok;
  const progress = progressRows(decision);
  const facts = [
    { title: 'Type', value: typeLabel(approval.type) },
    { title: 'Requested by', value: `${approval.requester.name}, ${dayText(approval.requestedAt)}` },
    { title: 'Due', value: dueText(approval.due, now) },
    ...(approval.concerns ? [{ title: 'Concerns', value: concernsText(approval.concerns) }] : []),
    {
      title: 'Approvers',
      value:
        approval.approvers.length > ROWS_PER_APPROVER_UP_TO
          ? `${approval.approvers.length}, listed below by where they stand`
          : listed(
              approval.approvers.map((a) => a.name),
              'and',
            ),
    },
    { title: 'Decided by', value: decision.policy },
  ];
  const yours = yoursLine(approval, options.viewerId);
  const trail = options.showTrail ? trailRows(approval) : [];
  const waiting = decision.approvers.filter((row) => row.state === 'waiting').map((row) => row.approver.id);
  const data: ApprovalCardData = {
    id: approval.id,
    title: approval.title,
    status: STATUS[decision.status],
    ...(options.banner ? { banner: options.banner, bannerStyle: options.bannerStyle ?? 'good' } : {}),
    facts,
    details: approval.details,
    outcome: outcomeLine(approval, decision),
    progressTitle: progress.title,
    progress: progress.rows,
    showTrail: options.showTrail ?? false,
    trail: trail.slice(-TRAIL_SHOWN),
    ...(trail.length > TRAIL_SHOWN
      ? { earlier: `${trail.length - TRAIL_SHOWN} earlier not shown: type audit for every one.` }
      : {}),
    ...(yours ? { yours } : {}),
    ...(mayVote ? { vote: { approvalId: approval.id, ...(options.problem ? { problem: options.problem } : {}) } } : {}),
    ...(pending ? { typed: typedLine(approval.id) } : {}),
    ...(pending && waiting.length > 0 ? { refresh: { userIds: waiting } } : {}),
  };
  const text = [
    ...(options.banner ? [options.banner] : []),
    `${approval.id} ${approval.title}: ${STATUS[decision.status].word}`,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...(approval.details ? [approval.details] : []),
    data.outcome,
    ...progress.rows.map(
      (r) => `${r.state.word}: ${r.who}${r.note ? `, ${r.note}` : ''}${r.when ? ` (${r.when})` : ''}`,
    ),
    ...(data.earlier ? [data.earlier] : []),
    // The comments are on the card; the plain version (also the card's fallback) names the events only.
    ...data.trail.map((t) => `${t.when} ${t.who} ${t.what}`),
    ...(yours ? [yours] : []),
    ...(options.problem && mayVote ? [options.problem] : []),
    ...(pending ? [typedLine(approval.id)] : []),
  ].join('\n');
  return cardReply(approvalCard, data, text);
}

/** Rows on the list card: the approvals due soonest, within Teams' card size. */
export const LIST_ROWS = 20;

/** `approval list`: the open approvals waiting for this person, soonest due first. */
export function approvalListReply(
  partnershipName: string,
  mine: readonly ApprovalSummary[],
  names: ReadonlyMap<string, string>,
  now: Date,
): Reply {
  const rows: ApprovalListRow[] = mine.slice(0, LIST_ROWS).map((s) => ({
    id: s.id,
    title: s.title,
    kind: typeLabel(s.type),
    due: `Due ${dueText(s.due, now)}`,
    requester: s.requester.name,
    waitingFor:
      s.awaitingIds.length > 3
        ? `${s.awaitingIds.length} approvers`
        : listed(
            s.awaitingIds.map((id) => names.get(id) ?? 'someone'),
            'and',
          ),
  }));
  const title = 'Approvals waiting for you';
  const shown =
    mine.length > LIST_ROWS ? `the ${LIST_ROWS} due soonest of ${mine.length}` : plural(mine.length, 'approval');
  const subtitle = `${shown} · ${partnershipName} · as at ${dayText(now)}`;
  const emptyMessage = 'Nothing is waiting for your decision.';
  const text = [
    title,
    subtitle,
    ...(rows.length > 0 ? rows.map((r) => `${r.id} ${r.title} (${r.kind}) — ${r.due}`) : [emptyMessage]),
  ].join('\n');
  return cardReply(approvalListCard, { title, subtitle, rows, hasRows: rows.length > 0, emptyMessage }, text);
}
