import {
  canAbstain,
  canVote,
  canWithdraw,
  decide,
  parseApprovalId,
  type Abstention,
  type Approval,
  type ApprovalDecision,
  type ApprovalId,
  type VoteDecision,
  type VoteRefusal,
  type Vote,
} from '../../domain/approvals.js';
import { listed } from '../../domain/vocabulary.js';
import { commitWithAudit } from '../../storage/audit.js';
import { retryOnConflict } from '../../storage/errors.js';
import type { StoredApproval } from '../../storage/approvals.js';
import type { ProjectRepository } from '../../storage/projects.js';
import { auditOf } from '../audit-trail.js';
import { NotAuthorised, NotFound, UsageError } from '../errors.js';
import { conflictAs } from '../kit/conflict.js';
import { done, notice } from '../kit/replies.js';
import type { BoundContext, CommandRequest, Reply } from '../types.js';
import { copiesFollowUp, type ApprovalKit } from './copies.js';
import type { voteData } from './fields.js';
import { decisionEffects } from './outcome.js';
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
export const VOTE_BUDGET_MS = 4_000;

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

/** Every event of an approval is later than the one before it, so the order they were decided in is their time order. */
function nextInstant(approval: Approval, now: Date): string {
  const times = [...approval.votes, ...approval.abstentions].map((e) => Date.parse(e.at));
  return new Date(Math.max(now.getTime(), ...times.map((t) => t + 1))).toISOString();
}

function withBallot(approval: Approval, ballot: Vote | Abstention): Approval {
  return 'decision' in ballot
    ? { ...approval, votes: [...approval.votes, ballot] }
    : { ...approval, abstentions: [...approval.abstentions, ballot] };
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

  /** One vote or declared interest, decided against the approval as stored now; retried when another landed first. */
  async function cast(ctx: BoundContext, id: ApprovalId, kind: BallotKind, text: string): Promise<BallotResult> {
    const pid = ctx.partnership.id;
    const attempt = async (): Promise<BallotResult> => {
      const stored = await find(ctx, id);
      const { approval } = stored;
      const check =
        kind === 'abstain' ? canAbstain(approval, ctx.actor.id, ctx.now) : canVote(approval, ctx.actor.id, ctx.now);
      if (!check.ok) return { kind: 'refused', approval, refusal: check.refusal };
      const at = nextInstant(approval, ctx.now);
      const ballot: Vote | Abstention =
        kind === 'abstain'
          ? { approverId: ctx.actor.id, interest: text, at }
          : { approverId: ctx.actor.id, decision: kind, comment: text, at };
      const next = withBallot(approval, ballot);
      const before = decide(approval, approval.votes, approval.abstentions, ctx.now);
      const decision = decide(next, next.votes, next.abstentions, ctx.now);
      const effects = await decisionEffects(kit.projects, pid, next, decision);
      const actions = [...(await kit.approvals.ballotActions(pid, stored, next, ballot, ctx.now)), ...effects.actions];
      const audit = auditOf(
        ctx,
        `approval ${id}`,
        { status: before.status },
        {
          [kind === 'abstain' ? 'interest' : 'vote']: kind === 'abstain' ? text : kind,
          comment: text,
          status: decision.status,
        },
      );
      await commitWithAudit(kit.services.tables, pid, actions, audit, `approval ${id} changed meanwhile`);
      return { kind: 'counted', approval: next, decision, note: effects.note };
    };
    return conflictAs(
      retryOnConflict(attempt, {
        deadline: Math.min(ctx.deadline, Date.now() + VOTE_BUDGET_MS),
        attempts: 60,
        baseDelayMs: 5,
      }),
      'So many people voted at this moment that yours could not be recorded. Nothing was changed; try again.',
    );
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

  /** `approval withdraw A-4`: the requester or an admin ends a pending request. */
  async function withdraw(ctx: CommandRequest<{ id: ApprovalId }>): Promise<Reply> {
    const pid = ctx.partnership.id;
    const result = await conflictAs(
      retryOnConflict(
        async () => {
          const stored = await find(ctx, ctx.args.id);
          const { approval } = stored;
          if (approval.requester.id !== ctx.actor.id && !ctx.access.holds('admin')) {
            throw new NotAuthorised(
              'admin',
              `withdraw ${approval.id}`,
              `(or being the one who requested it, ${approval.requester.name})`,
            );
          }
          const check = canWithdraw(approval, ctx.now);
          if (!check.ok) return { withdrawn: false as const, approval };
          const at = nextInstant(approval, ctx.now);
          const next: Approval = { ...approval, withdrawn: { by: { id: ctx.actor.id, name: ctx.actor.name }, at } };
          const actions = await kit.approvals.changeActions(pid, stored, next, ctx.now);
          const audit = auditOf(ctx, `approval ${approval.id}`, { status: 'pending' }, { status: 'withdrawn' });
          await commitWithAudit(kit.services.tables, pid, actions, audit, `approval ${approval.id} changed meanwhile`);
          return { withdrawn: true as const, approval: next };
        },
        { deadline: Math.min(ctx.deadline, Date.now() + VOTE_BUDGET_MS), attempts: 60, baseDelayMs: 5 },
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
