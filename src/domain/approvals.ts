/**
 * Approvals: gateway items, business cases, risk acceptances, budget changes and stop/go decisions put
 * to named approvers, decided by a policy. The status is always worked out from the votes, abstentions
 * and the clock (never stored as the truth), so every instance that reads an approval agrees on it.
 *
 * Per-council is the joint-decision rule: an approval counted for every council and no rejection. One
 * person's approval counts for one council only, even when their approver role covers every council:
 * a joint decision needs each council's own agreement, and one officer with a partnership-wide role
 * is still one voice. Such an approver may fill the place of any one council that has no approval of
 * its own, so a chair for every council and an approver for CEC together decide for CEC and CWAC.
 */
import { endOfLondonDay, isIsoDate, londonDate } from './calendar.js';
import type { Person } from './people.js';
import { parseProjectId } from './portfolio.js';
import type { RoleGrant } from './roles.js';
import { listed, plural } from './vocabulary.js';

export const APPROVAL_TYPES = [
  'gateway',
  'business-case',
  'risk-acceptance',
  'budget-change',
  'stop-go',
  'other',
] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];

export const APPROVAL_POLICIES = ['any', 'all', 'majority', 'per-council'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'changes-requested',
  'expired',
  'withdrawn',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const VOTE_DECISIONS = ['approve', 'reject', 'changes'] as const;
export type VoteDecision = (typeof VOTE_DECISIONS)[number];

export type ApprovalId = string & { readonly __brand: 'ApprovalId' };

/** `A-12` for the twelfth approval of a partnership. */
export function approvalIdOf(n: number): ApprovalId {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`an approval number is a whole number from 1, got ${n}`);
  return `A-${n}` as ApprovalId;
}

/** `A-12`, `a12`, `A-012` → `A-12`; anything else is not an approval id. */
export function parseApprovalId(text: string): ApprovalId | undefined {
  const match = /^A-?0*([1-9]\d{0,14})$/i.exec(text.trim());
  const n = Number(match?.[1]);
  return match && Number.isSafeInteger(n) ? approvalIdOf(n) : undefined;
}

/** The number in an approval id, for ordering `A-9` before `A-10`. */
export function approvalNumber(id: ApprovalId): number {
  return Number(id.slice(2));
}

export type { Person } from './people.js';

export interface Approver extends Person {
  /** The councils this person is approver for; `undefined` when their approver role covers every council. */
  readonly councils: readonly string[] | undefined;
}

/** What an approval is about: a project, a risk, or a line of the budget. */
export type ItemRef =
  | { readonly kind: 'project'; readonly id: string }
  | { readonly kind: 'risk'; readonly id: string }
  | { readonly kind: 'budget-line'; readonly code: string };

/** `P-2` is a project, `R-3` a risk, any other code (`ICT-STAFF`, `4100.20`) a budget line; else undefined. */
export function parseItemRef(text: string): ItemRef | undefined {
  const cleaned = text.trim();
  const project = parseProjectId(cleaned);
  if (project) return { kind: 'project', id: project };
  const risk = /^R-?0*([1-9]\d{0,14})$/i.exec(cleaned);
  if (risk) return { kind: 'risk', id: `R-${Number(risk[1])}` };
  if (/^[A-Z0-9]+(?:[-./][A-Z0-9]+)*$/i.test(cleaned) && cleaned.length <= 20) {
    return { kind: 'budget-line', code: cleaned.toUpperCase() };
  }
  return undefined;
}

/** The reference as typed and shown: `P-2`, `R-3`, `ICT-STAFF`. */
export function formatItemRef(ref: ItemRef): string {
  return ref.kind === 'budget-line' ? ref.code : ref.id;
}

export interface Vote {
  readonly approverId: string;
  readonly decision: VoteDecision;
  readonly comment: string;
  /** ISO instant. */
  readonly at: string;
}

/** An approver who declares an interest steps out of the decision and leaves the count. */
export interface Abstention {
  readonly approverId: string;
  readonly interest: string;
  readonly at: string;
}

export interface Withdrawal {
  readonly by: Person;
  readonly at: string;
}

/** What `decide` needs: the rules of this approval, fixed when it was requested. */
export interface ApprovalTerms {
  readonly policy: ApprovalPolicy;
  readonly approvers: readonly Approver[];
  /** The partnership's council codes when it was requested: what `per-council` must hear from. */
  readonly councils: readonly string[];
  /** ISO date; the approval may be decided until the end of that day in London. */
  readonly due: string;
  readonly withdrawn: Withdrawal | undefined;
}

export interface Approval extends ApprovalTerms {
  readonly id: ApprovalId;
  readonly type: ApprovalType;
  readonly title: string;
  readonly details: string;
  readonly concerns: ItemRef | undefined;
  readonly requester: Person;
  readonly requestedAt: string;
  readonly votes: readonly Vote[];
  readonly abstentions: readonly Abstention[];
}

/** Where one approver, or one council, stands: `changes` means they asked for changes. */
export type ProgressState = 'approved' | 'rejected' | 'changes' | 'abstained' | 'waiting';

export interface ApproverProgress {
  readonly approver: Approver;
  readonly state: ProgressState;
  /** When they voted or declared an interest. */
  readonly at: string | undefined;
  /** Their comment, or the interest they declared. */
  readonly comment: string | undefined;
  /** Under `per-council`, the council their approval counts for. */
  readonly countsFor: string | undefined;
}

export interface CouncilProgress {
  readonly council: string;
  readonly state: ProgressState;
  readonly by: Person | undefined;
  readonly at: string | undefined;
}

/** Why a pending approval cannot be decided by the approvers it has left. */
export interface Deadlock {
  /** Under per-council, the councils no one is left to speak for; otherwise empty (no approver is left at all). */
  readonly councils: readonly string[];
  readonly reason: string;
}

export interface ApprovalDecision {
  readonly status: ApprovalStatus;
  /** When the status was reached: the deciding vote or abstention, the withdrawal, or the deadline. */
  readonly decidedAt: string | undefined;
  /** Whose vote, abstention or withdrawal settled it. */
  readonly decidedBy: Person | undefined;
  /** The policy in plain words, counting those who declared an interest. */
  readonly policy: string;
  readonly approvers: readonly ApproverProgress[];
  /** One row per council under `per-council`, otherwise undefined. */
  readonly councils: readonly CouncilProgress[] | undefined;
  readonly counts: Readonly<Record<ProgressState, number>>;
  /** While pending, what is still needed: `2 more approvals (3 of 4)`, `an approval for CWAC`. */
  readonly outstanding: string | undefined;
  /** Set while pending when the approvers left can no longer decide it. */
  readonly deadlock: Deadlock | undefined;
  /** ISO instant from which it is late: the end of the due day in London. */
  readonly deadline: string;
}

type Event =
  | { readonly kind: 'vote'; readonly time: number; readonly who: string; readonly vote: Vote }
  | { readonly kind: 'abstain'; readonly time: number; readonly who: string; readonly abstention: Abstention }
  | { readonly kind: 'withdraw'; readonly time: number; readonly who: string; readonly withdrawal: Withdrawal };

function instant(text: string, what: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new RangeError(`${what} must be an ISO date and time, got "${text}"`);
  return time;
}

/** Time order; events at the same millisecond go by person and kind, so the answer never depends on storage order. */
function timeline(terms: ApprovalTerms, votes: readonly Vote[], abstentions: readonly Abstention[]): Event[] {
  const events: Event[] = [
    ...votes.map((vote): Event => ({
      kind: 'vote',
      time: instant(vote.at, 'a vote time'),
      who: vote.approverId,
      vote,
    })),
    ...abstentions.map((abstention): Event => ({
      kind: 'abstain',
      time: instant(abstention.at, 'an abstention time'),
      who: abstention.approverId,
      abstention,
    })),
  ];
  if (terms.withdrawn) {
    const withdrawal = terms.withdrawn;
    events.push({
      kind: 'withdraw',
      time: instant(withdrawal.at, 'a withdrawal time'),
      who: withdrawal.by.id,
      withdrawal,
    });
  }
  const tieBreak = (e: Event): string =>
    `${e.who}\u0000${e.kind}\u0000${e.kind === 'vote' ? `${e.vote.decision}\u0000${e.vote.comment}` : ''}`;
  return events.sort((a, b) => a.time - b.time || (tieBreak(a) < tieBreak(b) ? -1 : tieBreak(a) > tieBreak(b) ? 1 : 0));
}

/** The counted vote or abstention of each approver: the first one only, since a vote is final. */
interface Tally {
  readonly votes: Map<string, Vote>;
  readonly abstentions: Map<string, Abstention>;
}

function mayCountFor(approver: Approver, council: string): boolean {
  return approver.councils === undefined || approver.councils.includes(council);
}

/**
 * Assigns approvers to councils, one council each (a maximum matching). Candidates earlier in the list
 * are placed first, so approvers for one council take their own and an every-council approver fills a gap.
 */
function matchCouncils(councils: readonly string[], candidates: readonly Approver[]): Map<string, Approver> {
  const holder = new Map<string, number>();
  const place = (i: number, tried: Set<string>): boolean => {
    const candidate = candidates[i]!;
    for (const council of councils) {
      if (tried.has(council) || !mayCountFor(candidate, council)) continue;
      tried.add(council);
      const current = holder.get(council);
      if (current === undefined || place(current, tried)) {
        holder.set(council, i);
        return true;
      }
    }
    return false;
  };
  candidates.forEach((_, i) => place(i, new Set()));
  return new Map([...holder].map(([council, i]) => [council, candidates[i]!]));
}

/** Council-specific approvers first, then by the time they voted, then by id. */
function byPlacement(timeOf: (a: Approver) => number) {
  const breadth = (a: Approver): number => a.councils?.length ?? Number.POSITIVE_INFINITY;
  return (a: Approver, b: Approver): number =>
    breadth(a) - breadth(b) || timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function approversWho(terms: ApprovalTerms, tally: Tally, decision: VoteDecision): Approver[] {
  return terms.approvers.filter((a) => tally.votes.get(a.id)?.decision === decision);
}

function stillIn(terms: ApprovalTerms, tally: Tally): Approver[] {
  return terms.approvers.filter((a) => !tally.abstentions.has(a.id));
}

function approvedCover(terms: ApprovalTerms, tally: Tally): Map<string, Approver> {
  const approving = approversWho(terms, tally, 'approve');
  const timeOf = (a: Approver): number => Date.parse(tally.votes.get(a.id)?.at ?? '');
  return matchCouncils(terms.councils, [...approving].sort(byPlacement(timeOf)));
}

type Outcome = 'approved' | 'rejected' | 'changes-requested';

/** The policy applied to what has been counted so far; undefined while it is still open. */
function outcomeOf(terms: ApprovalTerms, tally: Tally): Outcome | undefined {
  if (approversWho(terms, tally, 'changes').length > 0) return 'changes-requested';
  const eligible = stillIn(terms, tally);
  const approved = approversWho(terms, tally, 'approve').length;
  const rejected = approversWho(terms, tally, 'reject').length;
  switch (terms.policy) {
    case 'any':
      if (approved > 0) return 'approved';
      return eligible.length > 0 && rejected === eligible.length ? 'rejected' : undefined;
    case 'all':
      if (rejected > 0) return 'rejected';
      return eligible.length > 0 && approved === eligible.length ? 'approved' : undefined;
    case 'majority':
      if (eligible.length === 0) return undefined;
      if (2 * approved > eligible.length) return 'approved';
      // Half or more against: more than half in favour can no longer be reached.
      return 2 * rejected >= eligible.length ? 'rejected' : undefined;
    case 'per-council':
      if (rejected > 0) return 'rejected';
      return approvedCover(terms, tally).size === terms.councils.length ? 'approved' : undefined;
  }
}

/** The policy in plain words: `more than half of the 4 approvers`; abstentions are counted out. */
export function describePolicy(terms: Pick<ApprovalTerms, 'policy' | 'approvers' | 'councils'>, abstained = 0): string {
  const left = terms.approvers.length - abstained;
  switch (terms.policy) {
    case 'any':
      return 'any one approver';
    case 'all':
      return abstained === 0 ? 'every approver' : `every approver except the ${abstained} who declared an interest`;
    case 'majority':
      return abstained === 0
        ? `more than half of the ${plural(left, 'approver')}`
        : `more than half of the ${plural(left, 'approver')} who may vote (${abstained} declared an interest)`;
    case 'per-council':
      return `at least one approver from each council (${terms.councils.join(', ')}) and no rejection`;
  }
}

function deadlockOf(terms: ApprovalTerms, tally: Tally): Deadlock | undefined {
  const eligible = stillIn(terms, tally);
  if (terms.policy !== 'per-council') {
    if (eligible.length > 0) return undefined;
    return { councils: [], reason: 'no one is left to decide: every approver has declared an interest' };
  }
  // Those who approved or have yet to vote; a rejection or a request for changes has already decided it.
  const possible = eligible.filter((a) => !tally.votes.has(a.id) || tally.votes.get(a.id)?.decision === 'approve');
  const cover = matchCouncils(terms.councils, [...possible].sort(byPlacement(() => 0)));
  const uncovered = terms.councils.filter((c) => !cover.has(c));
  if (uncovered.length === 0) return undefined;
  const unspoken = uncovered.filter((c) => !possible.some((a) => mayCountFor(a, c)));
  const reason =
    unspoken.length > 0
      ? `no one is left to decide for ${listed(unspoken, 'and')}: every approver for ${unspoken.length === 1 ? 'it' : 'them'} has declared an interest`
      : `no one is left to decide for ${listed(uncovered, 'and')}: the approvers left can each count for one council only`;
  return { councils: uncovered, reason };
}

function outstandingOf(terms: ApprovalTerms, tally: Tally): string {
  const eligible = stillIn(terms, tally);
  const approved = approversWho(terms, tally, 'approve').length;
  switch (terms.policy) {
    case 'any':
      return 'one approval';
    case 'all': {
      const waiting = eligible.filter((a) => !tally.votes.has(a.id)).map((a) => a.name);
      return `approval from ${listed(waiting, 'and')}`;
    }
    case 'majority': {
      const needed = Math.floor(eligible.length / 2) + 1;
      return `${plural(needed - approved, 'more approval')} (${needed} of ${eligible.length})`;
    }
    case 'per-council': {
      const cover = approvedCover(terms, tally);
      const missing = terms.councils.filter((c) => !cover.has(c));
      return `${missing.length === 1 ? 'an approval' : 'approvals'} for ${listed(missing, 'and')}`;
    }
  }
}

function stateOf(approverId: string, tally: Tally): ProgressState {
  const vote = tally.votes.get(approverId);
  if (vote) return vote.decision === 'approve' ? 'approved' : vote.decision === 'reject' ? 'rejected' : 'changes';
  return tally.abstentions.has(approverId) ? 'abstained' : 'waiting';
}

/** A council shows a rejection (or request for changes) by anyone who may speak for it, else its counted approval. */
function councilRows(terms: ApprovalTerms, tally: Tally): CouncilProgress[] {
  const cover = approvedCover(terms, tally);
  return terms.councils.map((council): CouncilProgress => {
    const speakers = terms.approvers.filter((a) => mayCountFor(a, council));
    const against = speakers
      .map((a) => ({ a, vote: tally.votes.get(a.id) }))
      .filter((x) => x.vote !== undefined && x.vote.decision !== 'approve')
      .sort((x, y) => Date.parse(x.vote?.at ?? '') - Date.parse(y.vote?.at ?? ''))[0];
    if (against?.vote) {
      const state = against.vote.decision === 'reject' ? 'rejected' : 'changes';
      return { council, state, by: against.a, at: against.vote.at };
    }
    const approver = cover.get(council);
    if (approver) return { council, state: 'approved', by: approver, at: tally.votes.get(approver.id)?.at };
    const abstained = speakers.length > 0 && speakers.every((a) => tally.abstentions.has(a.id));
    return { council, state: abstained ? 'abstained' : 'waiting', by: undefined, at: undefined };
  });
}

/**
 * The status of an approval at `now`, and where each approver (and, for per-council, each council)
 * stands. Events count in time order up to the deadline; once the policy is met or can no longer be,
 * later votes change nothing. A second vote or abstention by the same approver, and anything from
 * someone who is not an approver, is not counted.
 */
export function decide(
  terms: ApprovalTerms,
  votes: readonly Vote[],
  abstentions: readonly Abstention[],
  now: Date,
): ApprovalDecision {
  if (terms.policy === 'per-council' && terms.councils.length === 0) {
    throw new RangeError('a per-council approval needs the councils of the partnership');
  }
  const deadline = endOfLondonDay(terms.due);
  const tally: Tally = { votes: new Map(), abstentions: new Map() };
  const approverIds = new Set(terms.approvers.map((a) => a.id));
  let status: ApprovalStatus = 'pending';
  let decidedAt: string | undefined;
  let decidedBy: Person | undefined;

  for (const event of timeline(terms, votes, abstentions)) {
    if (event.time >= deadline.getTime()) break;
    if (event.kind === 'withdraw') {
      status = 'withdrawn';
      decidedAt = event.withdrawal.at;
      decidedBy = event.withdrawal.by;
      break;
    }
    if (!approverIds.has(event.who) || tally.votes.has(event.who) || tally.abstentions.has(event.who)) continue;
    if (event.kind === 'vote') tally.votes.set(event.who, event.vote);
    else tally.abstentions.set(event.who, event.abstention);
    const outcome = outcomeOf(terms, tally);
    if (outcome) {
      status = outcome;
      decidedAt = event.kind === 'vote' ? event.vote.at : event.abstention.at;
      decidedBy = terms.approvers.find((a) => a.id === event.who);
      break;
    }
  }
  if (status === 'pending' && now.getTime() >= deadline.getTime()) {
    status = 'expired';
    decidedAt = deadline.toISOString();
  }

  const cover = terms.policy === 'per-council' ? approvedCover(terms, tally) : new Map<string, Approver>();
  const countsFor = new Map([...cover].map(([council, approver]) => [approver.id, council]));
  const approverRows = terms.approvers.map((approver): ApproverProgress => ({
    approver,
    state: stateOf(approver.id, tally),
    at: tally.votes.get(approver.id)?.at ?? tally.abstentions.get(approver.id)?.at,
    comment: tally.votes.get(approver.id)?.comment ?? tally.abstentions.get(approver.id)?.interest,
    countsFor: countsFor.get(approver.id),
  }));
  const counts: Record<ProgressState, number> = { approved: 0, rejected: 0, changes: 0, abstained: 0, waiting: 0 };
  for (const row of approverRows) counts[row.state] += 1;
  const deadlock = status === 'pending' ? deadlockOf(terms, tally) : undefined;

  return {
    status,
    decidedAt,
    decidedBy,
    policy: describePolicy(terms, tally.abstentions.size),
    approvers: approverRows,
    councils: terms.policy === 'per-council' ? councilRows(terms, tally) : undefined,
    counts,
    outstanding: status === 'pending' && !deadlock ? outstandingOf(terms, tally) : undefined,
    deadlock,
    deadline: deadline.toISOString(),
  };
}

export type VoteRefusal =
  'not-an-approver' | 'already-voted' | 'abstained' | 'already-decided' | 'withdrawn' | 'expired';
export type VoteCheck = { ok: true } | { ok: false; refusal: VoteRefusal; reason: string };

const REFUSALS: Record<VoteRefusal, string> = {
  'not-an-approver': 'not an approver for this',
  'already-voted': 'already voted',
  abstained: 'already declared an interest',
  'already-decided': 'already decided',
  withdrawn: 'withdrawn',
  expired: 'expired',
};

const refuse = (refusal: VoteRefusal): VoteCheck => ({ ok: false, refusal, reason: REFUSALS[refusal] });

function openOrRefusal(approval: Approval, now: Date): VoteCheck {
  const { status } = decide(approval, approval.votes, approval.abstentions, now);
  if (status === 'withdrawn' || status === 'expired') return refuse(status);
  return status === 'pending' ? { ok: true } : refuse('already-decided');
}

/** Whether this person may vote now, else why not. A vote is final, so one vote each. */
export function canVote(approval: Approval, voterId: string, now: Date): VoteCheck {
  if (!approval.approvers.some((a) => a.id === voterId)) return refuse('not-an-approver');
  if (approval.votes.some((v) => v.approverId === voterId)) return refuse('already-voted');
  if (approval.abstentions.some((a) => a.approverId === voterId)) return refuse('abstained');
  return openOrRefusal(approval, now);
}

/** Declaring an interest is open to an approver who has not voted, while the approval is open. */
export function canAbstain(approval: Approval, approverId: string, now: Date): VoteCheck {
  return canVote(approval, approverId, now);
}

/** A request may be withdrawn while it is pending; who may withdraw it (the requester, an admin) is the command's rule. */
export function canWithdraw(approval: Approval, now: Date): VoteCheck {
  return openOrRefusal(approval, now);
}

/** The approvers of a partnership from its role grants: one entry a person, with every council they approve for. */
export function approversFromGrants(
  grants: ReadonlyArray<Pick<RoleGrant, 'userId' | 'userName' | 'role' | 'council'>>,
): Approver[] {
  const byId = new Map<string, { name: string; councils: string[] | undefined }>();
  for (const grant of grants) {
    if (grant.role !== 'approver') continue;
    const entry = byId.get(grant.userId) ?? { name: grant.userName, councils: [] };
    if (grant.council === undefined) entry.councils = undefined;
    else if (entry.councils && !entry.councils.includes(grant.council)) entry.councils.push(grant.council);
    byId.set(grant.userId, entry);
  }
  return [...byId].map(([id, { name, councils }]) => ({ id, name, councils }));
}

export type RequestProblem =
  | { readonly kind: 'no-approvers'; readonly reason: string }
  | { readonly kind: 'not-an-approver'; readonly person: Person; readonly reason: string }
  | { readonly kind: 'named-twice'; readonly person: Person; readonly reason: string }
  | { readonly kind: 'council-without-approver'; readonly councils: readonly string[]; readonly reason: string }
  | { readonly kind: 'councils-short-of-approvers'; readonly councils: readonly string[]; readonly reason: string }
  | { readonly kind: 'due-not-a-date'; readonly reason: string }
  | { readonly kind: 'due-passed'; readonly due: string; readonly reason: string };

export interface ApprovalRequest {
  readonly policy: ApprovalPolicy;
  /** The people named as approvers (e.g. from @mentions). */
  readonly approvers: readonly Person[];
  readonly due: string;
}

export type RequestCheck = { ok: true; approvers: Approver[] } | { ok: false; problems: RequestProblem[] };

/**
 * Checks a request against the partnership before it is stored: every approver named holds the approver
 * role (their councils are taken from their grants), a per-council request can hear from every council
 * with one approver counting for one council, and the due date is today or later in London.
 */
export function checkApprovalRequest(
  request: ApprovalRequest,
  partnership: { readonly councils: readonly string[]; readonly approvers: readonly Approver[] },
  now: Date,
): RequestCheck {
  const problems: RequestProblem[] = [];
  if (request.approvers.length === 0) {
    problems.push({ kind: 'no-approvers', reason: 'no approvers were named: name at least one' });
  }
  const approvers: Approver[] = [];
  const seen = new Set<string>();
  for (const person of request.approvers) {
    if (seen.has(person.id)) {
      problems.push({ kind: 'named-twice', person, reason: `${person.name} is named twice as an approver` });
      continue;
    }
    seen.add(person.id);
    const known = partnership.approvers.find((a) => a.id === person.id);
    const councils = known?.councils?.filter((c) => partnership.councils.includes(c));
    if (!known || councils?.length === 0) {
      problems.push({
        kind: 'not-an-approver',
        person,
        reason: `${person.name} is not an approver in this partnership`,
      });
      continue;
    }
    approvers.push({ id: known.id, name: known.name, councils });
  }

  if (request.policy === 'per-council' && approvers.length > 0) {
    const none = partnership.councils.filter((c) => !approvers.some((a) => mayCountFor(a, c)));
    if (none.length > 0) {
      problems.push({
        kind: 'council-without-approver',
        councils: none,
        reason: `no approver for ${listed(none, 'and')} is named: per-council needs at least one approver from each council`,
      });
    } else {
      const cover = matchCouncils(partnership.councils, [...approvers].sort(byPlacement(() => 0)));
      const short = partnership.councils.filter((c) => !cover.has(c));
      if (short.length > 0) {
        problems.push({
          kind: 'councils-short-of-approvers',
          councils: short,
          reason: `${listed(short, 'and')} would have no approver of ${short.length === 1 ? 'its' : 'their'} own: one person's approval counts for one council only`,
        });
      }
    }
  }

  if (!isIsoDate(request.due)) {
    problems.push({
      kind: 'due-not-a-date',
      reason: `the due date "${request.due}" is not a date: write e.g. 2026-10-31`,
    });
  } else if (request.due < londonDate(now)) {
    problems.push({ kind: 'due-passed', due: request.due, reason: `the due date ${request.due} has passed` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, approvers };
}

/** The row a list card or digest reads for one approval. */
export interface ApprovalSummary {
  readonly id: ApprovalId;
  readonly title: string;
  readonly type: ApprovalType;
  readonly due: string;
  readonly requester: Person;
  readonly approverIds: readonly string[];
  /** Approvers who have neither voted nor declared an interest. */
  readonly awaitingIds: readonly string[];
  /** As decided when the row was written; `statusOn` adds expiry at read time. */
  readonly status: ApprovalStatus;
}

export function summariseApproval(approval: Approval, now: Date): ApprovalSummary {
  const decision = decide(approval, approval.votes, approval.abstentions, now);
  return {
    id: approval.id,
    title: approval.title,
    type: approval.type,
    due: approval.due,
    requester: approval.requester,
    approverIds: approval.approvers.map((a) => a.id),
    awaitingIds: decision.approvers.filter((row) => row.state === 'waiting').map((row) => row.approver.id),
    status: decision.status,
  };
}

/** A pending approval whose due day (in London) is over has expired; `today` is `londonDate(now)`. */
export function statusOn(summary: Pick<ApprovalSummary, 'status' | 'due'>, today: string): ApprovalStatus {
  return summary.status === 'pending' && summary.due < today ? 'expired' : summary.status;
}

const byDueThenNumber = (a: ApprovalSummary, b: ApprovalSummary): number =>
  (a.due < b.due ? -1 : a.due > b.due ? 1 : 0) || approvalNumber(a.id) - approvalNumber(b.id);

/** Every approval still open, soonest due first (for digests). */
export function pendingApprovals(summaries: readonly ApprovalSummary[], now: Date): ApprovalSummary[] {
  const today = londonDate(now);
  return summaries.filter((s) => statusOn(s, today) === 'pending').sort(byDueThenNumber);
}

/** `approval list`: the open approvals waiting for this person's vote, soonest due first. */
export function myPendingApprovals(
  summaries: readonly ApprovalSummary[],
  voterId: string,
  now: Date,
): ApprovalSummary[] {
  return pendingApprovals(summaries, now).filter((s) => s.awaitingIds.includes(voterId));
}
