import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_POLICIES,
  APPROVAL_TYPES,
  approvalIdOf,
  approvalNumber,
  approversFromGrants,
  canAbstain,
  canVote,
  canWithdraw,
  checkApprovalRequest,
  decide,
  describePolicy,
  formatItemRef,
  myPendingApprovals,
  parseApprovalId,
  parseItemRef,
  pendingApprovals,
  statusOn,
  summariseApproval,
  type Abstention,
  type Approval,
  type ApprovalPolicy,
  type ApprovalSummary,
  type ApprovalTerms,
  type Approver,
  type RequestProblem,
  type Vote,
  type VoteDecision,
} from '../../src/domain/approvals.js';

const CEC_CWAC = ['CEC', 'CWAC'];
const START = Date.UTC(2026, 9, 1, 9, 0); // 1 October 2026, 10:00 in London
const at = (minute: number): string => new Date(START + minute * 60_000).toISOString();
const AFTER_ALL = new Date(START + 24 * 60 * 60_000);

const approver = (id: string, name: string, councils?: string[]): Approver => ({ id, name, councils });
const sam = approver('sam', 'Sam Jones', ['CEC']);
const alex = approver('alex', 'Alex Lee', ['CWAC']);
const priya = approver('priya', 'Priya Shah', ['CEC']);
const chris = approver('chris', 'Chris Bell', ['CWAC']);
const chair = approver('chair', 'Jo Chair');

const termsOf = (policy: ApprovalPolicy, approvers: Approver[], extra: Partial<ApprovalTerms> = {}): ApprovalTerms => ({
  policy,
  approvers,
  councils: CEC_CWAC,
  due: '2026-10-31',
  withdrawn: undefined,
  ...extra,
});

const vote = (approverId: string, decision: VoteDecision, minute: number, comment = ''): Vote => ({
  approverId,
  decision,
  comment,
  at: at(minute),
});
const abstain = (approverId: string, minute: number, interest = 'my department bids for this work'): Abstention => ({
  approverId,
  interest,
  at: at(minute),
});

const approvalOf = (terms: ApprovalTerms, votes: Vote[] = [], abstentions: Abstention[] = []): Approval => ({
  ...terms,
  id: approvalIdOf(7),
  type: 'gateway',
  title: 'Admit the network refresh to the portfolio',
  details: 'Gateway: PM, sponsor, scope, budget and timeline are in the PID',
  concerns: { kind: 'project', id: 'P-2' },
  requester: { id: 'req', name: 'Robin Requester' },
  requestedAt: at(-60),
  votes,
  abstentions,
});

describe('approval types and ids', () => {
  it('lists the six kinds of decision once', () => {
    expect(APPROVAL_TYPES).toEqual([
      'gateway',
      'business-case',
      'risk-acceptance',
      'budget-change',
      'stop-go',
      'other',
    ]);
  });

  it('numbers approvals A-1, A-2, … and reads them back however typed', () => {
    expect(approvalIdOf(12)).toBe('A-12');
    expect(parseApprovalId('A-12')).toBe('A-12');
    expect(parseApprovalId(' a12 ')).toBe('A-12');
    expect(parseApprovalId('A-012')).toBe('A-12');
    expect(approvalNumber(approvalIdOf(10))).toBe(10);
    for (const text of ['A-0', 'A-', 'B-12', 'A-1.5', '12', 'A--3']) expect(parseApprovalId(text)).toBeUndefined();
    expect(() => approvalIdOf(0)).toThrow(RangeError);
  });

  it('reads what an approval concerns: a project, a risk or a budget line', () => {
    expect(parseItemRef('P-2')).toEqual({ kind: 'project', id: 'P-2' });
    expect(parseItemRef('r3')).toEqual({ kind: 'risk', id: 'R-3' });
    expect(parseItemRef('ict-staff')).toEqual({ kind: 'budget-line', code: 'ICT-STAFF' });
    expect(parseItemRef('4100.20')).toEqual({ kind: 'budget-line', code: '4100.20' });
    expect(parseItemRef('staffing budget')).toBeUndefined();
    expect(formatItemRef({ kind: 'risk', id: 'R-3' })).toBe('R-3');
    expect(formatItemRef({ kind: 'budget-line', code: 'ICT-STAFF' })).toBe('ICT-STAFF');
  });
});

describe('policies in plain words', () => {
  it('describes each policy as a committee would say it', () => {
    const four = [sam, alex, priya, chris];
    expect(describePolicy(termsOf('any', four))).toBe('any one approver');
    expect(describePolicy(termsOf('all', four))).toBe('every approver');
    expect(describePolicy(termsOf('majority', four))).toBe('more than half of the 4 approvers');
    expect(describePolicy(termsOf('per-council', four))).toBe(
      'at least one approver from each council (CEC, CWAC) and no rejection',
    );
  });

  it('counts out those who declared an interest', () => {
    const four = [sam, alex, priya, chris];
    expect(describePolicy(termsOf('majority', four), 1)).toBe(
      'more than half of the 3 approvers who may vote (1 declared an interest)',
    );
    expect(describePolicy(termsOf('majority', four), 3)).toBe(
      'more than half of the 1 approver who may vote (3 declared an interest)',
    );
    expect(describePolicy(termsOf('all', four), 2)).toBe('every approver except the 2 who declared an interest');
  });

  it('gives the description that counts the abstentions in the decision', () => {
    const decision = decide(termsOf('majority', [sam, alex, priya, chris]), [], [abstain('chris', 1)], AFTER_ALL);
    expect(decision.policy).toBe('more than half of the 3 approvers who may vote (1 declared an interest)');
  });
});

describe('any one approver', () => {
  const terms = termsOf('any', [sam, alex, priya]);

  it('is approved by the first approval, whoever has rejected before it', () => {
    const decision = decide(terms, [vote('sam', 'reject', 1), vote('alex', 'approve', 2)], [], AFTER_ALL);
    expect(decision.status).toBe('approved');
    expect(decision.decidedAt).toBe(at(2));
    expect(decision.decidedBy).toEqual(alex);
  });

  it('is rejected only when every approver has rejected', () => {
    const two = [vote('sam', 'reject', 1), vote('alex', 'reject', 2)];
    expect(decide(terms, two, [], AFTER_ALL).status).toBe('pending');
    expect(decide(terms, [...two, vote('priya', 'reject', 3)], [], AFTER_ALL).status).toBe('rejected');
  });

  it('is rejected when everyone who has not declared an interest has rejected', () => {
    const decision = decide(
      terms,
      [vote('sam', 'reject', 1), vote('alex', 'reject', 2)],
      [abstain('priya', 3)],
      AFTER_ALL,
    );
    expect(decision.status).toBe('rejected');
    expect(decision.decidedAt).toBe(at(3));
  });

  it('says what it waits for', () => {
    expect(decide(terms, [], [], AFTER_ALL).outstanding).toBe('one approval');
  });
});

describe('every approver', () => {
  const terms = termsOf('all', [sam, alex, priya]);

  it('is rejected by one rejection', () => {
    const decision = decide(
      terms,
      [vote('sam', 'approve', 1), vote('alex', 'reject', 2, 'costs not agreed')],
      [],
      AFTER_ALL,
    );
    expect(decision.status).toBe('rejected');
    expect(decision.decidedBy).toEqual(alex);
  });

  it('is approved when the last approver approves, and names who is awaited before that', () => {
    const two = [vote('sam', 'approve', 1), vote('alex', 'approve', 2)];
    expect(decide(terms, two, [], AFTER_ALL).outstanding).toBe('approval from Priya Shah');
    expect(decide(terms, [...two, vote('priya', 'approve', 3)], [], AFTER_ALL).status).toBe('approved');
  });

  it('is approved when the only approver not yet heard declares an interest', () => {
    const decision = decide(
      terms,
      [vote('sam', 'approve', 1), vote('alex', 'approve', 2)],
      [abstain('priya', 3)],
      AFTER_ALL,
    );
    expect(decision.status).toBe('approved');
    expect(decision.decidedAt).toBe(at(3));
  });
});

describe('more than half', () => {
  const four = termsOf('majority', [sam, alex, priya, chris]);

  it('needs 3 of 4 and says how many more', () => {
    const decision = decide(four, [vote('sam', 'approve', 1), vote('alex', 'approve', 2)], [], AFTER_ALL);
    expect(decision.status).toBe('pending');
    expect(decision.outstanding).toBe('1 more approval (3 of 4)');
    expect(decide(four, [vote('sam', 'approve', 1)], [], AFTER_ALL).outstanding).toBe('2 more approvals (3 of 4)');
  });

  it('is rejected at 2 against of 4, when more than half can no longer be reached', () => {
    const decision = decide(
      four,
      [vote('sam', 'approve', 1), vote('alex', 'reject', 2), vote('priya', 'reject', 3)],
      [],
      AFTER_ALL,
    );
    expect(decision.status).toBe('rejected');
    expect(decision.decidedAt).toBe(at(3));
  });

  it('counts abstainers out: 2 approvals of the 3 who may vote is a majority', () => {
    const decision = decide(
      four,
      [vote('sam', 'approve', 1), vote('alex', 'approve', 2)],
      [abstain('chris', 3)],
      AFTER_ALL,
    );
    expect(decision.status).toBe('approved');
    expect(decision.decidedAt).toBe(at(3));
    expect(decision.decidedBy).toEqual(chris);
  });

  it('says no one is left to decide when every approver declares an interest', () => {
    const decision = decide(termsOf('majority', [sam, alex]), [], [abstain('sam', 1), abstain('alex', 2)], AFTER_ALL);
    expect(decision.status).toBe('pending');
    expect(decision.deadlock).toEqual({
      councils: [],
      reason: 'no one is left to decide: every approver has declared an interest',
    });
    expect(decision.outstanding).toBeUndefined();
  });
});

describe('joint decisions (per council)', () => {
  it('needs an approval from each council', () => {
    const terms = termsOf('per-council', [sam, alex, priya]);
    const first = decide(terms, [vote('sam', 'approve', 1), vote('priya', 'approve', 2)], [], AFTER_ALL);
    expect(first.status).toBe('pending');
    expect(first.outstanding).toBe('an approval for CWAC');
    expect(first.councils).toEqual([
      { council: 'CEC', state: 'approved', by: sam, at: at(1) },
      { council: 'CWAC', state: 'waiting', by: undefined, at: undefined },
    ]);
    const both = decide(terms, [vote('sam', 'approve', 1), vote('alex', 'approve', 2)], [], AFTER_ALL);
    expect(both.status).toBe('approved');
    expect(both.decidedBy).toEqual(alex);
  });

  it('is rejected by any rejection before every council has agreed', () => {
    const terms = termsOf('per-council', [sam, alex, priya]);
    const decision = decide(terms, [vote('sam', 'approve', 1), vote('priya', 'reject', 2)], [], AFTER_ALL);
    expect(decision.status).toBe('rejected');
    // Priya speaks for CEC: her rejection shows there, over Sam's approval.
    expect(decision.councils).toEqual([
      { council: 'CEC', state: 'rejected', by: priya, at: at(2) },
      { council: 'CWAC', state: 'waiting', by: undefined, at: undefined },
    ]);
  });

  it('counts an approver for every council for one council, not for all of them at once', () => {
    const terms = termsOf('per-council', [chair, sam, alex]);
    const alone = decide(terms, [vote('chair', 'approve', 1)], [], AFTER_ALL);
    expect(alone.status).toBe('pending');
    expect(alone.outstanding).toBe('an approval for CWAC');

    const withCec = decide(terms, [vote('chair', 'approve', 1), vote('sam', 'approve', 2)], [], AFTER_ALL);
    expect(withCec.status).toBe('approved');
    // Sam speaks for CEC, so the chair's approval fills the gap for CWAC.
    expect(withCec.councils).toEqual([
      { council: 'CEC', state: 'approved', by: sam, at: at(2) },
      { council: 'CWAC', state: 'approved', by: chair, at: at(1) },
    ]);
    expect(withCec.approvers.find((row) => row.approver.id === 'chair')?.countsFor).toBe('CWAC');
  });

  it('is met by two approvers for every council', () => {
    const deputy = approver('deputy', 'Kim Deputy');
    const decision = decide(
      termsOf('per-council', [chair, deputy]),
      [vote('chair', 'approve', 1), vote('deputy', 'approve', 2)],
      [],
      AFTER_ALL,
    );
    expect(decision.status).toBe('approved');
  });

  it('says no one is left to decide when a council’s only approver declares an interest', () => {
    const decision = decide(
      termsOf('per-council', [sam, alex, priya]),
      [vote('sam', 'approve', 1)],
      [abstain('alex', 2)],
      AFTER_ALL,
    );
    expect(decision.status).toBe('pending');
    expect(decision.deadlock).toEqual({
      councils: ['CWAC'],
      reason: 'no one is left to decide for CWAC: every approver for it has declared an interest',
    });
    expect(decision.councils?.[1]?.state).toBe('abstained');
  });

  it('says so when one approver for every council is left for two councils', () => {
    const decision = decide(
      termsOf('per-council', [chair, sam, alex]),
      [],
      [abstain('sam', 1), abstain('alex', 2)],
      AFTER_ALL,
    );
    expect(decision.deadlock?.reason).toBe(
      'no one is left to decide for CWAC: the approvers left can each count for one council only',
    );
  });

  it('refuses to decide without the councils of the partnership', () => {
    expect(() => decide(termsOf('per-council', [sam], { councils: [] }), [], [], AFTER_ALL)).toThrow(RangeError);
  });
});

describe('requests for changes, final votes and who may vote', () => {
  it('ends the approval as changes-requested', () => {
    const decision = decide(
      termsOf('majority', [sam, alex, priya]),
      [vote('sam', 'approve', 1), vote('alex', 'changes', 2, 'add the payback period'), vote('priya', 'approve', 3)],
      [],
      AFTER_ALL,
    );
    expect(decision.status).toBe('changes-requested');
    expect(decision.decidedBy).toEqual(alex);
    expect(decision.approvers.map((row) => row.state)).toEqual(['approved', 'changes', 'waiting']);
  });

  it('counts the first vote of an approver only', () => {
    const decision = decide(
      termsOf('all', [sam, alex]),
      [vote('sam', 'reject', 1), vote('sam', 'approve', 2), vote('alex', 'approve', 3)],
      [],
      AFTER_ALL,
    );
    expect(decision.status).toBe('rejected');
    expect(decision.approvers[0]?.state).toBe('rejected');
  });

  it('does not count a vote from someone who is not an approver', () => {
    const decision = decide(termsOf('any', [sam]), [vote('mallory', 'approve', 1)], [], AFTER_ALL);
    expect(decision.status).toBe('pending');
  });

  it('does not count a vote after the approver declared an interest', () => {
    const decision = decide(termsOf('any', [sam, alex]), [vote('sam', 'approve', 2)], [abstain('sam', 1)], AFTER_ALL);
    expect(decision.status).toBe('pending');
    expect(decision.approvers[0]?.state).toBe('abstained');
    expect(decision.approvers[0]?.comment).toBe('my department bids for this work');
  });

  it('shows each approver’s vote, comment and time', () => {
    const decision = decide(termsOf('all', [sam, alex]), [vote('sam', 'approve', 1, 'within budget')], [], AFTER_ALL);
    expect(decision.approvers).toEqual([
      { approver: sam, state: 'approved', at: at(1), comment: 'within budget', countsFor: undefined },
      { approver: alex, state: 'waiting', at: undefined, comment: undefined, countsFor: undefined },
    ]);
    expect(decision.counts).toEqual({ approved: 1, rejected: 0, changes: 0, abstained: 0, waiting: 1 });
  });

  it('gives the reason a vote is refused', () => {
    const open = approvalOf(termsOf('all', [sam, alex]), [vote('sam', 'approve', 1)]);
    expect(canVote(open, 'alex', AFTER_ALL)).toEqual({ ok: true });
    expect(canVote(open, 'mallory', AFTER_ALL)).toEqual({
      ok: false,
      refusal: 'not-an-approver',
      reason: 'not an approver for this',
    });
    expect(canVote(open, 'sam', AFTER_ALL)).toEqual({ ok: false, refusal: 'already-voted', reason: 'already voted' });

    const decided = approvalOf(termsOf('any', [sam, alex]), [vote('sam', 'approve', 1)]);
    expect(canVote(decided, 'alex', AFTER_ALL)).toEqual({
      ok: false,
      refusal: 'already-decided',
      reason: 'already decided',
    });

    const late = new Date('2026-11-01T00:00:00Z');
    expect(canVote(open, 'alex', late)).toEqual({ ok: false, refusal: 'expired', reason: 'expired' });

    const abstained = approvalOf(termsOf('all', [sam, alex]), [], [abstain('alex', 1)]);
    expect(canVote(abstained, 'alex', AFTER_ALL)).toMatchObject({ ok: false, refusal: 'abstained' });
    expect(canAbstain(abstained, 'alex', AFTER_ALL)).toMatchObject({ ok: false, refusal: 'abstained' });
    expect(canAbstain(open, 'alex', AFTER_ALL)).toEqual({ ok: true });
  });
});

describe('withdrawal', () => {
  const withdrawn = { by: { id: 'req', name: 'Robin Requester' }, at: at(5) };

  it('withdraws a pending approval, refuses votes after it and does not count one that raced it', () => {
    const approval = approvalOf(termsOf('all', [sam, alex], { withdrawn }), [vote('sam', 'approve', 1)]);
    const decision = decide(approval, approval.votes, approval.abstentions, AFTER_ALL);
    expect(decision.status).toBe('withdrawn');
    expect(decision.decidedBy).toEqual(withdrawn.by);
    expect(canVote(approval, 'alex', AFTER_ALL)).toEqual({ ok: false, refusal: 'withdrawn', reason: 'withdrawn' });
    expect(canWithdraw(approval, AFTER_ALL)).toMatchObject({ ok: false, refusal: 'withdrawn' });
    const raced = decide(approval, [...approval.votes, vote('alex', 'approve', 6)], [], AFTER_ALL);
    expect(raced.status).toBe('withdrawn');
  });

  it('leaves a decision made before the withdrawal standing', () => {
    const approval = approvalOf(termsOf('any', [sam], { withdrawn }), [vote('sam', 'approve', 1)]);
    expect(decide(approval, approval.votes, [], AFTER_ALL).status).toBe('approved');
    expect(canWithdraw(approval, AFTER_ALL)).toMatchObject({ ok: false, refusal: 'already-decided' });
    expect(canWithdraw(approvalOf(termsOf('any', [sam])), AFTER_ALL)).toEqual({ ok: true });
  });
});

describe('expiry at the end of the due day in London', () => {
  const expiryOf = (due: string, now: string) => decide(termsOf('all', [sam], { due }), [], [], new Date(now));

  it('in summer time (BST) the day ends at 23:00 UTC', () => {
    expect(expiryOf('2026-07-15', '2026-07-15T22:59:59.999Z').status).toBe('pending');
    const expired = expiryOf('2026-07-15', '2026-07-15T23:00:00.000Z');
    expect(expired.status).toBe('expired');
    expect(expired.decidedAt).toBe('2026-07-15T23:00:00.000Z');
    expect(expired.deadline).toBe('2026-07-15T23:00:00.000Z');
  });

  it('in winter (GMT) the day ends at midnight UTC', () => {
    expect(expiryOf('2026-12-15', '2026-12-15T23:59:59.999Z').status).toBe('pending');
    expect(expiryOf('2026-12-15', '2026-12-16T00:00:00.000Z').status).toBe('expired');
  });

  it('takes the clock change into account on the days the clocks go forward and back', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(expiryOf('2026-03-28', '2026-03-29T00:00:00.000Z').deadline).toBe('2026-03-29T00:00:00.000Z');
    expect(expiryOf('2026-03-29', '2026-03-29T00:00:00.000Z').deadline).toBe('2026-03-29T23:00:00.000Z');
    expect(expiryOf('2026-10-24', '2026-10-24T00:00:00.000Z').deadline).toBe('2026-10-24T23:00:00.000Z');
    expect(expiryOf('2026-10-25', '2026-10-24T00:00:00.000Z').deadline).toBe('2026-10-26T00:00:00.000Z');
  });

  it('does not count a vote cast after the deadline', () => {
    const terms = termsOf('any', [sam], { due: '2026-07-15' });
    const late: Vote = { approverId: 'sam', decision: 'approve', comment: '', at: '2026-07-15T23:00:00.000Z' };
    expect(decide(terms, [late], [], new Date('2026-07-16T09:00:00Z')).status).toBe('expired');
    const inTime: Vote = { ...late, at: '2026-07-15T22:59:59.000Z' };
    expect(decide(terms, [inTime], [], new Date('2026-07-16T09:00:00Z')).status).toBe('approved');
  });

  it('keeps a decision made in time after the due date has passed', () => {
    const terms = termsOf('any', [sam], { due: '2026-10-01' });
    expect(decide(terms, [vote('sam', 'reject', 1)], [], new Date('2026-12-01T00:00:00Z')).status).toBe('rejected');
  });
});

describe('checking a request before it is made', () => {
  const grants = [
    { userId: 'sam', userName: 'Sam Jones', role: 'approver' as const, council: 'CEC' },
    { userId: 'alex', userName: 'Alex Lee', role: 'approver' as const, council: 'CWAC' },
    { userId: 'chair', userName: 'Jo Chair', role: 'approver' as const, council: undefined },
    { userId: 'dual', userName: 'Dee Dual', role: 'approver' as const, council: 'CEC' },
    { userId: 'dual', userName: 'Dee Dual', role: 'approver' as const, council: 'CWAC' },
    { userId: 'ed', userName: 'Ed Editor', role: 'editor' as const, council: undefined },
    { userId: 'admin', userName: 'Ada Admin', role: 'admin' as const, council: undefined },
  ];
  const partnership = { councils: CEC_CWAC, approvers: approversFromGrants(grants) };
  const now = new Date('2026-10-01T09:00:00Z');
  const problems = (policy: ApprovalPolicy, names: string[], due = '2026-10-31'): RequestProblem[] => {
    const people = names.map((id) => ({ id, name: id }));
    const result = checkApprovalRequest({ policy, approvers: people, due }, partnership, now);
    return result.ok ? [] : result.problems;
  };

  it('takes approvers and their councils from the approver grants only', () => {
    expect(partnership.approvers).toEqual([
      { id: 'sam', name: 'Sam Jones', councils: ['CEC'] },
      { id: 'alex', name: 'Alex Lee', councils: ['CWAC'] },
      { id: 'chair', name: 'Jo Chair', councils: undefined },
      { id: 'dual', name: 'Dee Dual', councils: ['CEC', 'CWAC'] },
    ]);
  });

  it('accepts a joint decision with an approver from each council', () => {
    const result = checkApprovalRequest(
      {
        policy: 'per-council',
        approvers: [
          { id: 'sam', name: 'Sam' },
          { id: 'alex', name: 'Alex' },
        ],
        due: '2026-10-01',
      },
      partnership,
      now,
    );
    expect(result).toEqual({ ok: true, approvers: partnership.approvers.slice(0, 2) });
  });

  it('names the council a joint decision has no approver for', () => {
    expect(problems('per-council', ['sam'])).toEqual([
      {
        kind: 'council-without-approver',
        councils: ['CWAC'],
        reason: 'no approver for CWAC is named: per-council needs at least one approver from each council',
      },
    ]);
  });

  it('refuses a joint decision resting on one approver for every council', () => {
    expect(problems('per-council', ['chair'])).toEqual([
      {
        kind: 'councils-short-of-approvers',
        councils: ['CWAC'],
        reason: "CWAC would have no approver of its own: one person's approval counts for one council only",
      },
    ]);
    expect(problems('per-council', ['chair', 'sam'])).toEqual([]);
    expect(problems('per-council', ['dual', 'chair'])).toEqual([]);
  });

  it('refuses people who are not approvers in the partnership, and names them', () => {
    expect(problems('any', ['ed', 'admin', 'stranger']).map((p) => p.reason)).toEqual([
      'ed is not an approver in this partnership',
      'admin is not an approver in this partnership',
      'stranger is not an approver in this partnership',
    ]);
  });

  it('refuses no approvers and an approver named twice', () => {
    expect(problems('all', []).map((p) => p.kind)).toEqual(['no-approvers']);
    expect(problems('all', ['sam', 'sam']).map((p) => p.reason)).toEqual(['sam is named twice as an approver']);
  });

  it('refuses a due date that has passed in London, but not today', () => {
    expect(problems('any', ['sam'], '2026-09-30')).toEqual([
      { kind: 'due-passed', due: '2026-09-30', reason: 'the due date 2026-09-30 has passed' },
    ]);
    expect(problems('any', ['sam'], '2026-10-01')).toEqual([]);
    // At 23:30 UTC on 14 July it is already 15 July in London.
    const lateEvening = checkApprovalRequest(
      { policy: 'any', approvers: [{ id: 'sam', name: 'Sam' }], due: '2026-07-14' },
      partnership,
      new Date('2026-07-14T23:30:00Z'),
    );
    expect(lateEvening.ok).toBe(false);
    expect(problems('any', ['sam'], '2026-02-30').map((p) => p.kind)).toEqual(['due-not-a-date']);
  });
});

describe('approval lists', () => {
  const summary = (n: number, due: string, awaiting: string[], status: ApprovalSummary['status'] = 'pending') => ({
    id: approvalIdOf(n),
    title: `Item ${n}`,
    type: 'gateway' as const,
    due,
    requester: { id: 'req', name: 'Robin Requester' },
    approverIds: ['sam', 'alex'],
    awaitingIds: awaiting,
    status,
  });
  const now = new Date('2026-10-10T12:00:00Z');

  it('summarises an approval for its list row', () => {
    const approval = approvalOf(termsOf('all', [sam, alex]), [vote('sam', 'approve', 1)]);
    expect(summariseApproval(approval, AFTER_ALL)).toEqual({
      id: 'A-7',
      title: 'Admit the network refresh to the portfolio',
      type: 'gateway',
      due: '2026-10-31',
      requester: { id: 'req', name: 'Robin Requester' },
      approverIds: ['sam', 'alex'],
      awaitingIds: ['alex'],
      status: 'pending',
    });
  });

  it('shows a pending approval past its due day as expired', () => {
    expect(statusOn({ status: 'pending', due: '2026-10-09' }, '2026-10-10')).toBe('expired');
    expect(statusOn({ status: 'pending', due: '2026-10-10' }, '2026-10-10')).toBe('pending');
    expect(statusOn({ status: 'approved', due: '2026-10-09' }, '2026-10-10')).toBe('approved');
  });

  it('lists my pending approvals soonest due first, leaving out decided, expired and already voted', () => {
    const rows = [
      summary(10, '2026-10-20', ['sam']),
      summary(9, '2026-10-20', ['sam', 'alex']),
      summary(3, '2026-10-12', ['sam']),
      summary(4, '2026-10-09', ['sam']),
      summary(5, '2026-10-11', ['alex']),
      summary(6, '2026-10-11', [], 'approved'),
    ];
    expect(myPendingApprovals(rows, 'sam', now).map((s) => s.id)).toEqual(['A-3', 'A-9', 'A-10']);
    expect(pendingApprovals(rows, now).map((s) => s.id)).toEqual(['A-5', 'A-3', 'A-9', 'A-10']);
  });
});

// Property tests: a random partnership of 2 or 3 councils, up to 6 approvers (each for one council or
// for every council), each doing one thing, in random orders.
const COUNCILS = ['CEC', 'CWAC', 'WCC'];
type Action = VoteDecision | 'abstain' | 'none';

interface Scenario {
  readonly terms: ApprovalTerms;
  readonly actions: readonly Action[];
}

function scenario(
  policies: readonly ApprovalPolicy[],
  actions: readonly Action[],
  options: { everyCouncil?: boolean } = {},
): fc.Arbitrary<Scenario> {
  return fc
    .record({
      policy: fc.constantFrom(...policies),
      councilCount: fc.integer({ min: 2, max: 3 }),
      people: fc.array(fc.record({ scope: fc.integer({ min: 0, max: 3 }), action: fc.constantFrom(...actions) }), {
        minLength: 1,
        maxLength: 6,
      }),
    })
    .map(({ policy, councilCount, people }) => {
      const councils = COUNCILS.slice(0, councilCount);
      const approvers = people.map((p, i): Approver => ({
        id: `u${i + 1}`,
        name: `Approver ${i + 1}`,
        councils:
          p.scope < councilCount
            ? [councils[p.scope]!]
            : options.everyCouncil === false
              ? [councils[p.scope % councilCount]!]
              : undefined,
      }));
      return {
        terms: { policy, approvers, councils, due: '2026-10-31', withdrawn: undefined },
        actions: people.map((p) => p.action),
      };
    });
}

/** Random orders of the scenario's people (a permutation of their indices), any number of them. */
const withOrders = (arb: fc.Arbitrary<Scenario>, orders: number) =>
  arb.chain((s) => {
    const indices = s.actions.map((_, i) => i);
    const order = fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length });
    return fc.tuple(fc.constant(s), fc.array(order, { minLength: orders, maxLength: orders }));
  });

/** The scenario's actions as votes and abstentions, one a minute in the given order. */
function eventsOf(s: Scenario, order: readonly number[], upTo = order.length) {
  const votes: Vote[] = [];
  const abstentions: Abstention[] = [];
  order.slice(0, upTo).forEach((i, minute) => {
    const action = s.actions[i]!;
    const approverId = s.terms.approvers[i]!.id;
    if (action === 'abstain') abstentions.push(abstain(approverId, minute));
    else if (action !== 'none') votes.push(vote(approverId, action, minute));
  });
  return { votes, abstentions };
}

const run = (s: Scenario, order: readonly number[], upTo?: number) => {
  const { votes, abstentions } = eventsOf(s, order, upTo);
  return decide(s.terms, votes, abstentions, AFTER_ALL);
};

/** Position in `order` of the first person doing `action`, or -1. */
const firstIn = (s: Scenario, order: readonly number[], action: Action): number =>
  order.findIndex((i) => s.actions[i] === action);

describe('approval policies over every order of votes', () => {
  it('never depends on the order of approvals, rejections and abstentions under any, all and majority', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(['any', 'all', 'majority'], ['approve', 'reject', 'abstain', 'none']), 2),
        ([s, [a, b]]) => {
          const first = run(s, a!);
          const second = run(s, b!);
          expect(second.status).toBe(first.status);
          expect(second.deadlock).toEqual(first.deadlock);
        },
      ),
    );
  });

  it('never depends on the order of approvals and abstentions under per-council', () => {
    fc.assert(
      fc.property(withOrders(scenario(['per-council'], ['approve', 'abstain', 'none']), 2), ([s, [a, b]]) => {
        const first = run(s, a!);
        const second = run(s, b!);
        expect(second.status).toBe(first.status);
        expect(second.deadlock?.councils.length).toBe(first.deadlock?.councils.length);
      }),
    );
  });

  it('never changes a decided status with later votes or abstentions', () => {
    const everything = scenario(APPROVAL_POLICIES, ['approve', 'reject', 'changes', 'abstain', 'none']);
    fc.assert(
      fc.property(withOrders(everything, 1), ([s, [order]]) => {
        const full = run(s, order!);
        for (let upTo = 0; upTo <= order!.length; upTo++) {
          const partial = run(s, order!, upTo);
          if (partial.status === 'pending') continue;
          expect(full.status).toBe(partial.status);
          expect(full.decidedAt).toBe(partial.decidedAt);
          return;
        }
        expect(full.status).toBe('pending');
      }),
    );
  });

  it('does not depend on the order the votes are stored in', () => {
    const everything = scenario(APPROVAL_POLICIES, ['approve', 'reject', 'changes', 'abstain', 'none']);
    fc.assert(
      fc.property(withOrders(everything, 1), fc.func(fc.integer()), ([s, [order]], key) => {
        const { votes, abstentions } = eventsOf(s, order!);
        const shuffle = <T>(items: T[]): T[] => [...items].sort((x, y) => key(x) - key(y));
        expect(decide(s.terms, shuffle(votes), shuffle(abstentions), AFTER_ALL)).toEqual(
          decide(s.terms, votes, abstentions, AFTER_ALL),
        );
      }),
    );
  });

  it('approves under any at the first approval, unless changes were asked for before it', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(['any'], ['approve', 'reject', 'changes', 'abstain', 'none']), 1),
        ([s, [order]]) => {
          const approval = firstIn(s, order!, 'approve');
          const changes = firstIn(s, order!, 'changes');
          fc.pre(approval >= 0 && (changes < 0 || changes > approval));
          const decision = run(s, order!);
          expect(decision.status).toBe('approved');
          expect(decision.decidedAt).toBe(at(approval));
        },
      ),
    );
  });

  it('rejects under all at the first rejection, unless changes were asked for before it', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(['all'], ['approve', 'reject', 'changes', 'abstain', 'none']), 1),
        ([s, [order]]) => {
          const rejection = firstIn(s, order!, 'reject');
          const changes = firstIn(s, order!, 'changes');
          fc.pre(rejection >= 0 && (changes < 0 || changes > rejection));
          const decision = run(s, order!);
          expect(decision.status).toBe('rejected');
          expect(decision.decidedAt).toBe(at(rejection));
        },
      ),
    );
  });

  it('rejects under per-council at a rejection that comes before every council has agreed', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(['per-council'], ['approve', 'reject', 'abstain', 'none']), 1),
        ([s, [order]]) => {
          const rejection = firstIn(s, order!, 'reject');
          fc.pre(rejection >= 0);
          const before = run(s, order!, rejection);
          const decision = run(s, order!);
          if (before.status === 'approved') expect(decision.status).toBe('approved');
          else expect(decision).toMatchObject({ status: 'rejected', decidedAt: at(rejection) });
        },
      ),
    );
  });

  it('ends as changes-requested at the first request for changes made while the approval is open', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(APPROVAL_POLICIES, ['approve', 'reject', 'changes', 'abstain']), 1),
        ([s, [order]]) => {
          const changes = firstIn(s, order!, 'changes');
          fc.pre(changes >= 0 && run(s, order!, changes).status === 'pending');
          expect(run(s, order!)).toMatchObject({ status: 'changes-requested', decidedAt: at(changes) });
        },
      ),
    );
  });

  it('decides a majority by more than half of those who may vote, abstainers counted out', () => {
    fc.assert(
      fc.property(withOrders(scenario(['majority'], ['approve', 'reject', 'abstain', 'none']), 1), ([s, [order]]) => {
        const count = (action: Action) => s.actions.filter((a) => a === action).length;
        const mayVote = s.actions.length - count('abstain');
        const decision = run(s, order!);
        if (mayVote === 0) expect(decision.deadlock?.councils).toEqual([]);
        else if (2 * count('approve') > mayVote) expect(decision.status).toBe('approved');
        else if (2 * count('reject') >= mayVote) expect(decision.status).toBe('rejected');
        else expect(decision.status).toBe('pending');
      }),
    );
  });

  it('says no one is left to decide under per-council when a council’s only approver abstains', () => {
    const others = scenario(['per-council'], ['approve', 'abstain', 'none'], { everyCouncil: false });
    fc.assert(
      fc.property(withOrders(others, 1), ([s, [order]]) => {
        // Everyone for CEC is moved to another council, and one approver for CEC is added who abstains.
        const councils = s.terms.councils;
        const approvers: Approver[] = [
          ...s.terms.approvers.map((a) => (a.councils?.[0] === 'CEC' ? { ...a, councils: [councils[1]!] } : a)),
          { id: 'only', name: 'Only For CEC', councils: ['CEC'] },
        ];
        const widened: Scenario = { terms: { ...s.terms, approvers }, actions: [...s.actions, 'abstain'] };
        const decision = run(widened, [...order!, approvers.length - 1]);
        expect(decision.status).toBe('pending');
        expect(decision.deadlock?.councils).toContain('CEC');
        expect(decision.deadlock?.reason).toMatch(/^no one is left to decide for (.+ and )?CEC\b/);
        expect(decision.councils?.[0]?.state).toBe('abstained');
      }),
    );
  });

  it('accounts for every approver exactly once in the progress view', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(APPROVAL_POLICIES, ['approve', 'reject', 'changes', 'abstain', 'none']), 1),
        ([s, [order]]) => {
          const decision = run(s, order!);
          const counts = Object.values(decision.counts).reduce((sum, n) => sum + n, 0);
          expect(counts).toBe(s.terms.approvers.length);
          expect(decision.approvers.map((row) => row.approver.id)).toEqual(s.terms.approvers.map((a) => a.id));
        },
      ),
    );
  });

  it('refuses a second vote once an approver has voted, and every vote once decided', () => {
    fc.assert(
      fc.property(
        withOrders(scenario(APPROVAL_POLICIES, ['approve', 'reject', 'changes', 'abstain', 'none']), 1),
        ([s, [order]]) => {
          const { votes, abstentions } = eventsOf(s, order!);
          const approval = approvalOf(s.terms, votes, abstentions);
          const status = decide(s.terms, votes, abstentions, AFTER_ALL).status;
          for (const a of s.terms.approvers) {
            const check = canVote(approval, a.id, AFTER_ALL);
            if (votes.some((v) => v.approverId === a.id)) expect(check).toMatchObject({ refusal: 'already-voted' });
            else if (abstentions.some((x) => x.approverId === a.id))
              expect(check).toMatchObject({ refusal: 'abstained' });
            else if (status !== 'pending') expect(check).toMatchObject({ refusal: 'already-decided' });
            else expect(check).toEqual({ ok: true });
          }
        },
      ),
    );
  });
});
