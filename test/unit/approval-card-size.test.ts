/**
 * The approval card stays under Teams' card size (CARD_BYTE_LIMIT, 28 KB) for the largest approval
 * the commands allow: 60 approvers with long names and ids, the longest title and details, and
 * every comment as long as a vote may carry, in every view (the buttons, the status, the record).
 */
import { describe, expect, it } from 'vitest';
import { cardBytes, CARD_BYTE_LIMIT, renderCard } from '../../src/cards/render.js';
import { COMMENT_MAX } from '../../src/commands/approvals/fields.js';
import { MAX_APPROVERS } from '../../src/commands/approvals/request.js';
import { approvalListReply, approvalView, LIST_ROWS } from '../../src/commands/approvals/views.js';
import type { Reply } from '../../src/commands/types.js';
import {
  APPROVAL_POLICIES,
  approvalIdOf,
  summariseApproval,
  type Approval,
  type ApprovalPolicy,
} from '../../src/domain/approvals.js';

const NOW = new Date('2026-11-25T12:00:00Z');

const approvers = Array.from({ length: MAX_APPROVERS }, (_, i) => ({
  id: `29:1${'x'.repeat(60)}-${i}`,
  name: `Councillor Alexandra Montgomery-Fitzwilliam ${i}`,
  councils: i % 2 === 0 ? ['CEC'] : ['CWAC'],
}));

function largest(policy: ApprovalPolicy, voted: number): Approval {
  return {
    id: approvalIdOf(99_999),
    type: 'budget-change',
    title: 'T'.repeat(120),
    details: 'Details of the change. '.repeat(100).slice(0, 2000),
    concerns: { kind: 'budget-line', code: 'ICT-STAFF-2026' },
    requester: { id: approvers[0]!.id, name: approvers[0]!.name },
    requestedAt: '2026-11-20T09:00:00Z',
    policy,
    approvers,
    councils: ['CEC', 'CWAC'],
    due: '2026-12-20',
    withdrawn: undefined,
    votes: approvers.slice(0, voted).map((a, i) => ({
      approverId: a.id,
      decision: policy === 'any' ? ('reject' as const) : ('approve' as const),
      comment: `“${'A considered reason with Unicode — £ and ’. '.repeat(20)}`.slice(0, COMMENT_MAX),
      at: new Date(Date.parse('2026-11-21T09:00:00Z') + i * 60_000).toISOString(),
    })),
    abstentions: [],
  };
}

const bytes = (reply: Reply) => cardBytes(renderCard(reply.card!.template, reply.card!.data, reply.text));

describe('the approval card at its largest', () => {
  it.each(APPROVAL_POLICIES.flatMap((policy) => [0, 29, 59].map((voted) => [policy, voted] as const)))(
    'fits for %s with %i votes, in the voter’s view, the status and the full record',
    (policy, voted) => {
      const approval = largest(policy, voted);
      for (const options of [
        { viewerId: approvers[59]!.id },
        {},
        { showTrail: true },
        { showTrail: true, viewerId: approvers[59]!.id },
      ]) {
        expect(bytes(approvalView(approval, NOW, options))).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
      }
    },
  );

  it('keeps a row per approver for a small board, and a row per state for a large one', () => {
    const small = approvalView({ ...largest('majority', 3), approvers: approvers.slice(0, 5) }, NOW);
    expect(small.text).toContain(`Approved: ${approvers[0]!.name}, for CEC`);
    const large = approvalView(largest('majority', 29), NOW);
    expect(large.text).toContain('Approved: 29 of 60, ');
    expect(large.text).toContain('Waiting: 31 of 60, ');
  });

  it('shows the newest events of the trail and says how many more there are', () => {
    const record = approvalView(largest('all', 29), NOW, { showTrail: true });
    expect(record.text).toContain('17 earlier not shown: type audit for every one.');
    expect(record.text).toContain(`${approvers[28]!.name} approved`);
    expect(record.text).not.toContain(`${approvers[16]!.name} approved`);
  });

  it(`lists the ${LIST_ROWS} approvals due soonest of many waiting for one approver`, () => {
    const mine = Array.from({ length: 45 }, (_, i) =>
      summariseApproval({ ...largest('all', 0), id: approvalIdOf(i + 1) }, NOW),
    );
    const names = new Map(approvers.map((a) => [a.id, a.name]));
    const list = approvalListReply('Cheshire ICT Shared Service', mine, names, NOW);
    expect(bytes(list)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
    expect(list.text).toContain(`the ${LIST_ROWS} due soonest of 45`);
  });
});
