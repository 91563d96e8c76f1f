import { z } from 'zod';
import { ApprovalRepository } from '../../storage/approvals.js';
import { BudgetRepository } from '../../storage/budget.js';
import { ProjectRepository } from '../../storage/projects.js';
import { RiskRepository } from '../../storage/risks.js';
import type { Services } from '../services.js';
import { command, verb, type CommandFamily } from '../types.js';
import { approvalBallots } from './ballot.js';
import { showExpiries } from './copies.js';
import { seedApprovalDemo } from './demo.js';
import { approvalReminders, approvalsDigest } from './digest.js';
import {
  APPROVAL_TYPE_WORDS,
  approvalIdField,
  optionalRemark,
  remark,
  requestArgs,
  viewData,
  voteData,
} from './fields.js';
import { approvalReading } from './read.js';
import { approvalRequests } from './request.js';

const none = z.strictObject({});
const idOnly = (example: string) => z.strictObject({ id: approvalIdField(example) });

/** Approvals: decisions put to named approvers in chat, with card buttons and typed commands that do the same. */
export function approvalFamily(services: Services): CommandFamily {
  const kit = {
    services,
    approvals: new ApprovalRepository(services.tables),
    projects: new ProjectRepository(services.tables),
    risks: new RiskRepository(services.tables),
    budget: new BudgetRepository(services.tables),
  };
  const ballots = approvalBallots(kit);
  const reading = approvalReading(kit, ballots.find);
  const { request } = approvalRequests(kit);

  return {
    words: ['approval', 'approve', 'reject'],
    area: 'Decisions',
    summary: 'Approvals in chat: gateway items, business cases, risk acceptances, budget changes and stop/go decisions',
    commands: [
      command({
        words: ['approval'],
        help: {
          summary: 'The approvals waiting for your decision, soonest due first',
          usage: 'approval',
          examples: ['approval'],
        },
        role: 'viewer',
        bound: true,
        positional: [],
        args: none,
        run: reading.list,
      }),
      command({
        words: ['approval', 'list'],
        help: {
          summary: 'The approvals waiting for your decision, with their due dates',
          usage: 'approval list',
          examples: ['approval list'],
        },
        role: 'viewer',
        bound: true,
        positional: [],
        args: none,
        run: reading.list,
      }),
      command({
        words: ['approval', 'request'],
        help: {
          summary: 'Ask for a decision (editor): the card goes to the approvers here',
          usage:
            'approval request "<title>" type=<type> approvers=<@person,@person|board> policy=<policy> [due=YYYY-MM-DD] [item=<P-2|R-3|budget line>] ["details"]',
          examples: [
            'approval request "Accept the legacy firewall risk" type=risk-acceptance approvers=board policy=per-council item=R-3',
            'approval request "Move £40k from hardware to licences" type=budget-change approvers=@Priya,@Sam policy=all due=2026-12-11 "Licence true-up due in January"',
          ],
          details: `Types: ${APPROVAL_TYPE_WORDS.listed}. Policies: any (the first approval decides; rejected only when everyone rejects), all (every approver; one rejection rejects), majority (more than half of those who may vote), per-council (an approval from every council and no rejection: the joint-decision rule). approvers=board is everyone with the approver role. Without due= the approvers have 14 days; past the due day it expires.`,
        },
        role: 'editor',
        bound: true,
        positional: [{ name: 'title' }, { name: 'details', optional: true }],
        args: requestArgs,
        run: request,
      }),
      command({
        words: ['approval', 'show'],
        help: {
          summary: 'One approval in full, with its vote trail (and your buttons, if it waits for you)',
          usage: 'approval show <id>',
          examples: ['approval show A-4'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'id' }],
        args: idOnly('approval show A-4'),
        run: reading.show,
      }),
      command({
        words: ['approve'],
        help: {
          summary: 'Approve (what the Approve button does); approve alone lists what waits for you',
          usage: 'approve [<id>] ["comment"]',
          examples: ['approve', 'approve A-4', 'approve A-4 "Content with the savings case"'],
          details: 'A vote is final. Only the approvers named on the request can vote.',
        },
        role: 'viewer',
        bound: true,
        positional: [
          { name: 'id', optional: true },
          { name: 'comment', optional: true, rest: true },
        ],
        args: z.strictObject({ id: approvalIdField('approve A-4').optional(), comment: optionalRemark }),
        run: (ctx) =>
          ctx.args.id === undefined
            ? reading.list(ctx)
            : ballots.approve({ ...ctx, args: { id: ctx.args.id, comment: ctx.args.comment } }),
      }),
      command({
        words: ['reject'],
        help: {
          summary: 'Reject, with your reason (what the Reject button does)',
          usage: 'reject <id> "<reason>"',
          examples: ['reject A-4 "No budget line for the running costs"'],
          details: 'A vote is final. Only the approvers named on the request can vote.',
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'id' }, { name: 'reason', rest: true }],
        args: z.strictObject({
          id: approvalIdField('reject A-4 "reason"'),
          reason: remark('the reason', 'reject A-4 "No budget line for the running costs"'),
        }),
        run: ballots.reject,
      }),
      command({
        words: ['approval', 'changes'],
        help: {
          summary: 'Ask for changes, saying what (what the Request changes button does); it ends the approval',
          usage: 'approval changes <id> "<what is needed>"',
          examples: ['approval changes A-4 "Add the exit costs to the business case"'],
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'id' }, { name: 'what', rest: true }],
        args: z.strictObject({
          id: approvalIdField('approval changes A-4 "what is needed"'),
          what: remark('what is needed', 'approval changes A-4 "Add the exit costs"'),
        }),
        run: ballots.changes,
      }),
      command({
        words: ['approval', 'abstain'],
        help: {
          summary: 'Declare an interest and step out of the decision',
          usage: 'approval abstain <id> "<interest>"',
          examples: ['approval abstain A-4 "My partner works for the bidder"'],
          details: 'You leave the count: the policy is worked out over the approvers who may vote.',
        },
        role: 'viewer',
        bound: true,
        positional: [{ name: 'id' }, { name: 'interest', rest: true }],
        args: z.strictObject({
          id: approvalIdField('approval abstain A-4 "interest"'),
          interest: remark('the interest you declare', 'approval abstain A-4 "My partner works for the bidder"'),
        }),
        run: ballots.abstain,
      }),
      command({
        words: ['approval', 'withdraw'],
        help: {
          summary: 'Withdraw a pending request (the one who asked, or an admin)',
          usage: 'approval withdraw <id>',
          examples: ['approval withdraw A-4'],
        },
        role: 'viewer',
        readsRoles: true,
        bound: true,
        positional: [{ name: 'id' }],
        args: idOnly('approval withdraw A-4'),
        run: ballots.withdraw,
      }),
    ],
    verbs: [
      verb({ verb: 'approval.vote', role: 'viewer', bound: true, data: voteData, run: ballots.voteButton }),
      verb({ verb: 'approval.view', role: 'viewer', bound: true, data: viewData, run: reading.view }),
    ],
    digest: (request) => approvalsDigest(kit.approvals, request),
    reminders: (request) => approvalReminders(kit.approvals, request),
    housekeeping: (request) => showExpiries(kit, request),
    seedDemo: (demo) => seedApprovalDemo(services, kit.approvals, demo),
  };
}
