import {
  canAbstain,
  canVote,
  canWithdraw,
  decide,
  parseApprovalId,
  type Approval,
  type ApprovalDecision,
  type ApprovalId,
  type VoteDecision,
  type VoteRefusal,
} from '../../domain/approvals.js';
import { listed } from '../../domain/vocabulary.js';
import type { Ballot, StoredApproval } from '../../storage/approvals.js';
import { commitWithAudit } from '../../storage/audit.js';
import { ConflictError, orConflict, retryOnConflict } from '../../storage/errors.js';
import type { ProjectRepository } from '../../storage/projects.js';
import { auditOf } from '../audit-trail.js';
import { NotAuthorised, NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done, notice } from '../kit/replies.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import { copiesFollowUp, type ApprovalKit } from './copies.js';
import type { voteData } from './fields.js';
import { decisionEffects, decisionNote } from './outcome.js';
import { approvalView, outcomeLine } from './views.js';
import type { z } from 'zod';

/**
 * Votes, declared interests and withdrawals, typed or from the card's buttons. Each is decided
 * against the approval as stored, under its ETag: whichever instance takes a vote, votes count one
 * after another, a second vote by the same person is never written, and a vote that arrives after
 * the decision changes nothing.
 */

export type BallotKind = VoteDecision | 'abstain';

export type BallotResult =
  | { kind: 'counted'; approval: Approval; decision: ApprovalDecision; note: string | undefined }
  | { kind: 'refused'; approval: Approval; refusal: VoteRefusal };

/** Teams shows an error when a button is not answered within about 5 s: the votes that clash are settled within this. */
const VOTE_BUDGET_MS = 4_000;

const COUNTED: Record<BallotKind, { you: string; yours: string }> = {
  approve: { you: 'You approved', yours: 'Your approval is counted.' },
  reject: { you: 'You rejected', yours: 'Your rejection is counted.' },
  changes: { you: 'You asked for changes to', yours: 'Your request for changes is counted.' },
  abstain: { you: 'You declared an interest in', yours: 'Your declared interest is recorded.' },
};

const BUTTON_REFUSALS: Record<VoteRefusal, string> = {
  'not-an-approver': 'You are not an approver for this: nothing was changed.',
  'already-voted': 'You have already voted, and a vote is final: nothing was changed.',
  abstained: 'You declared an interest, so you do not vote on this: nothing was changed.',
  'already-decided': 'Already decided: nothing was changed.',
  withdrawn: 'This request was withdrawn: nothing was changed.',
  expired: 'This approval has expired: nothing was changed.',
};

/** Every event counted is later than the one before it, so the order ballots are counted in is their time order. */
function countedAt(approval: Approval, cast: string): string {
  const times = [...approval.votes, ...approval.abstentions].map((e) => Date.parse(e.at) + 1);
  return new Date(Math.max(Date.parse(cast), ...times)).toISOString();
}

function withBallot(approval: Approval, ballot: Ballot): Approval {
  return 'decision' in ballot
    ? { ...approval, votes: [...approval.votes, ballot] }
    : { ...approval, abstentions: [...approval.abstentions, ballot] };
}

/**
 * Counting looks at the events alone: a ballot cast before the deadline is counted even when the
 * count runs just after it (the rules never count an event after the deadline).
 */
const BY_EVENTS = new Date(0);

const hasBallotOf = (approval: Approval, voterId: string): boolean =>
  [...approval.votes, ...approval.abstentions].some((b) => b.approverId === voterId);

/** The refusal for a ballot that was cast but not counted: the approval was decided, withdrawn or expired first. */
function notCounted(approval: Approval, now: Date): VoteRefusal {
  const { status } = decide(approval, approval.votes, approval.abstentions, now);
  return status === 'withdrawn' || status === 'expired' ? status : 'already-decided';
}

export function approvalBallots(kit: ApprovalKit & { readonly projects: ProjectRepository }) {
  async function find(ctx: BoundContext, id: ApprovalId): Promise<StoredApproval> {
    const stored = await kit.approvals.get(ctx.partnership.id, id);
    if (stored) return stored;
    throw new NotFound(
      `There is no approval ${id} in ${ctx.partnership.name}.`,
      [],
      'Type approval list for the approvals waiting for you.',
    );
  }

  /**
   * Counts into the approval every ballot cast and not yet counted, in the order cast, while it is
   * pending; a ballot cast once it is decided is left out. A count that lost the race to another
   * reads again: the winner has usually counted this voter's ballot too.
   */
  async function count(ctx: BoundContext, id: ApprovalId, deadline: number): Promise<Approval> {
    const pid = ctx.partnership.id;
    const attempt = async (): Promise<Approval> => {
      const [stored, ballots] = await Promise.all([find(ctx, id), kit.approvals.ballots(pid, id)]);
      const before = decide(stored.approval, stored.approval.votes, stored.approval.abstentions, BY_EVENTS);
      const waiting = ballots
        .filter((b) => !hasBallotOf(stored.approval, b.approverId))
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      if (before.status !== 'pending' || waiting.length === 0) return stored.approval;
      let next = stored.approval;
      for (const ballot of waiting) {
        if (decide(next, next.votes, next.abstentions, BY_EVENTS).status !== 'pending') break;
        next = withBallot(next, { ...ballot, at: countedAt(next, ballot.at) });
      }
      const decision = decide(next, next.votes, next.abstentions, ctx.now);
      const effects = await decisionEffects(kit.projects, pid, next, decision);
      const actions = [...(await kit.approvals.changeActions(pid, stored, next, ctx.now)), ...effects.actions];
      const what = `approval ${id} changed meanwhile`;
      if (decision.status === 'pending') {
        // Counting is bookkeeping: each ballot was audited as it was cast, and a count repeated changes nothing.
        await orConflict(kit.services.tables.partnerships.submitTransaction(actions), what);
      } else {
        const audit = auditOf(
          ctx,
          `approval ${id}`,
          { status: before.status },
          {
            status: decision.status,
            decidedBy: decision.decidedBy?.name ?? null,
            ...(effects.project ? { project: effects.project } : {}),
          },
        );
        await commitWithAudit(kit.services.tables, pid, actions, audit, what);
      }
      return next;
    };
    return retryOnConflict(attempt, { deadline, attempts: 60, baseDelayMs: 5 });
  }

  /**
   * One vote or declared interest: checked against the approval as stored, written as the voter's
   * ballot (once: a double click finds it there), then counted.
   */
  async function cast(ctx: BoundContext, id: ApprovalId, kind: BallotKind, text: string): Promise<BallotResult> {
    const deadline = Math.min(ctx.deadline, Date.now() + VOTE_BUDGET_MS);
    const { approval } = await find(ctx, id);
    const voter = ctx.actor.id;
    const check = kind === 'abstain' ? canAbstain(approval, voter, ctx.now) : canVote(approval, voter, ctx.now);
    if (!check.ok) return { kind: 'refused', approval, refusal: check.refusal };
    const at = ctx.now.toISOString();
    const ballot: Ballot =
      kind === 'abstain'
        ? { approverId: voter, interest: text, at }
        : { approverId: voter, decision: kind, comment: text, at };
    const audit = auditOf(
      ctx,
      `approval ${id}`,
      null,
      kind === 'abstain' ? { interest: text } : { vote: kind, comment: text },
    );
    let written = true;
    try {
      await commitWithAudit(
        kit.services.tables,
        ctx.partnership.id,
        [kit.approvals.ballotAction(ctx.partnership.id, id, ballot)],
        audit,
        `a ballot for ${id} by ${ctx.actor.name} exists`,
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      written = false;
    }
    const counted = await conflictAs(
      count(ctx, id, deadline),
      `Your ${kind === 'abstain' ? 'declared interest' : 'vote'} is recorded; so many arrived at once that it is still being counted. Type approval show ${id} in a moment.`,
    );
    if (!written)
      return {
        kind: 'refused',
        approval: counted,
        refusal: hasBallotOf(counted, voter) ? 'already-voted' : notCounted(counted, ctx.now),
      };
    if (!hasBallotOf(counted, voter))
      return { kind: 'refused', approval: counted, refusal: notCounted(counted, ctx.now) };
    const decision = decide(counted, counted.votes, counted.abstentions, ctx.now);
    const note = await decisionNote(kit.projects, ctx.partnership.id, counted, decision);
    return { kind: 'counted', approval: counted, decision, note };
  }

  function typedReply(ctx: BoundContext, result: BallotResult, kind: BallotKind): Reply {
    const { approval } = result;
    const decision = decide(approval, approval.votes, approval.abstentions, ctx.now);
    const outcome = outcomeLine(approval, decision);
    if (result.kind === 'counted') {
      return {
        ...done(`${COUNTED[kind].you} ${approval.id}`, `${approval.title}: ${outcome}`, {
          ...(result.note ? { hint: result.note } : {}),
        }),
        followUp: copiesFollowUp(kit, ctx.partnership.id, approval.id),
      };
    }
    const own = [...approval.votes, ...approval.abstentions].find((e) => e.approverId === ctx.actor.id);
    const titles: Record<VoteRefusal, string> = {
      'not-an-approver': 'You are not an approver for this',
      'already-voted': `You have already voted on ${approval.id}`,
      abstained: `You declared an interest in ${approval.id}`,
      'already-decided': `${approval.id} is already decided`,
      withdrawn: `${approval.id} was withdrawn`,
      expired: `${approval.id} has expired`,
    };
    const why =
      result.refusal === 'not-an-approver'
        ? `${approval.title} is for ${listed(
            approval.approvers.map((a) => a.name),
            'and',
          )} to decide.`
        : result.refusal === 'already-voted' || result.refusal === 'abstained'
          ? `A vote is final${own ? ` (yours was recorded on ${own.at.slice(0, 10)})` : ''}. ${outcome}`
          : outcome;
    return notice('warning', titles[result.refusal], `${why} Nothing was changed.`);
  }

  async function typed(ctx: BoundContext, id: ApprovalId, kind: BallotKind, text: string): Promise<Reply> {
    return typedReply(ctx, await cast(ctx, id, kind, text), kind);
  }

  /** `approve A-4 ["comment"]`. */
  const approve = (ctx: CommandRequest<{ id: ApprovalId; comment?: string }>) =>
    typed(ctx, ctx.args.id, 'approve', ctx.args.comment ?? '');
  /** `reject A-4 "<reason>"`. */
  const reject = (ctx: CommandRequest<{ id: ApprovalId; reason: string }>) =>
    typed(ctx, ctx.args.id, 'reject', ctx.args.reason);
  /** `approval changes A-4 "<what>"`. */
  const changes = (ctx: CommandRequest<{ id: ApprovalId; what: string }>) =>
    typed(ctx, ctx.args.id, 'changes', ctx.args.what);
  /** `approval abstain A-4 "<interest>"`. */
  const abstain = (ctx: CommandRequest<{ id: ApprovalId; interest: string }>) =>
    typed(ctx, ctx.args.id, 'abstain', ctx.args.interest);

  /** The card's Approve, Reject and Request changes buttons: the answer is the card as the voter now sees it. */
  async function voteButton(ctx: CommandRequest<z.infer<typeof voteData>>): Promise<Reply> {
    const id = parseApprovalId(ctx.args.approvalId);
    if (!id)
      throw new UsageError(
        `This button names an approval I cannot read (${ctx.args.approvalId}). Nothing was changed.`,
      );
    const { decision } = ctx.args;
    const comment = (ctx.args.comment ?? '').trim();
    if (decision !== 'approve' && comment === '') {
      const stored = await find(ctx, id);
      return approvalView(stored.approval, ctx.now, {
        viewerId: ctx.actor.id,
        problem:
          decision === 'reject'
            ? 'Write your reason in the comment box, then press Reject.'
            : 'Write what needs to change in the comment box, then press Request changes.',
      });
    }
    const result = await cast(ctx, id, decision, comment);
    const view = approvalView(result.approval, ctx.now, {
      viewerId: ctx.actor.id,
      banner:
        result.kind === 'counted'
          ? COUNTED[decision].yours + (result.note ? ` ${result.note}` : '')
          : BUTTON_REFUSALS[result.refusal],
      bannerStyle: result.kind === 'counted' ? 'good' : 'warning',
    });
    return result.kind === 'counted' ? { ...view, followUp: copiesFollowUp(kit, ctx.partnership.id, id) } : view;
  }

  /** `approval withdraw A-4`: the requester or an admin ends a pending request; ballots cast before it are counted first. */
  async function withdraw(ctx: CommandRequest<{ id: ApprovalId }>): Promise<Reply> {
    const pid = ctx.partnership.id;
    const deadline = Math.min(ctx.deadline, Date.now() + VOTE_BUDGET_MS);
    const result = await conflictAs(
      retryOnConflict(
        async () => {
          const { approval: requested } = await find(ctx, ctx.args.id);
          if (requested.requester.id !== ctx.actor.id && !ctx.access.holds('admin')) {
            throw new NotAuthorised(
              'admin',
              `withdraw ${requested.id}`,
              `(or being the one who requested it, ${requested.requester.name})`,
            );
          }
          await count(ctx, requested.id, deadline);
          const stored = await find(ctx, requested.id);
          const { approval } = stored;
          if (!canWithdraw(approval, ctx.now).ok) return { withdrawn: false as const, approval };
          const at = countedAt(approval, ctx.now.toISOString());
          const next: Approval = { ...approval, withdrawn: { by: { id: ctx.actor.id, name: ctx.actor.name }, at } };
          const actions = await kit.approvals.changeActions(pid, stored, next, ctx.now);
          const audit = auditOf(ctx, `approval ${approval.id}`, { status: 'pending' }, { status: 'withdrawn' });
          await commitWithAudit(kit.services.tables, pid, actions, audit, `approval ${approval.id} changed meanwhile`);
          return { withdrawn: true as const, approval: next };
        },
        { deadline, attempts: 60, baseDelayMs: 5 },
      ),
      undefined,
      ['approval', 'withdraw'],
    );
    const { approval } = result;
    if (!result.withdrawn) {
      const decision = decide(approval, approval.votes, approval.abstentions, ctx.now);
      return notice(
        'warning',
        `${approval.id} is not pending`,
        `${outcomeLine(approval, decision)} Nothing was changed.`,
      );
    }
    return {
      ...done(`${approval.id} withdrawn`, `${approval.title} is withdrawn; its card says so wherever it was posted.`),
      followUp: copiesFollowUp(kit, pid, approval.id),
    };
  }

  return { find, approve, reject, changes, abstain, voteButton, withdraw };
}
