import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import {
  APPROVAL_POLICIES,
  APPROVAL_STATUSES,
  APPROVAL_TYPES,
  formatItemRef,
  summariseApproval,
  type Abstention,
  type Approval,
  type ApprovalId,
  type ApprovalSummary,
  type Approver,
  type Vote,
  approvalIdOf,
  decide,
} from '../domain/approvals.js';
import type { PartnershipId } from '../domain/partnership.js';
import { conversationRecordSchema, type ConversationRecord } from './conversations.js';
import { familyRows, rowKeyStartsWith } from './keys.js';
import { isNotFound, statusOf } from './errors.js';
import { getOrUndefined, jsonParts, readJson, readJsonParts } from './rows.js';
import { Sequence } from './sequence.js';
import { Summary, type Shard } from './summary.js';
import type { Tables } from './tables.js';

/**
 * The approvals' rows in the partnership's partition:
 *   approval|<A-n>                    the approval: its terms, and its votes, abstentions and withdrawal, under one ETag
 *   approval|<A-n>|ballot|<voter id>  one row per approver who voted or declared an interest: a second cannot be written
 *   approval|<A-n>|post|<conv>|<id>   where its card was posted, to update every copy in place
 *   summary|approval|<nn>             the pending lists and digests (summary.ts)
 *   seq|approval                      numbers A-1, A-2 … (sequence.ts)
 *
 * A vote is first its voter's ballot row: written once whichever instance takes it, without
 * waiting for anyone (a second one for the same voter fails). Ballots are then counted into the
 * approval row, in the order cast, under its ETag: one count takes in every ballot cast so far, so
 * twenty votes at once are counted in a round or two, and a vote cast once the approval is decided
 * is never counted.
 */
const approvalRows = familyRows('approval');

const person = z.object({ id: z.string(), name: z.string() });
const approverSchema = person.extend({ councils: z.array(z.string()).optional() });
const itemRef = z.union([
  z.object({ kind: z.literal('project'), id: z.string() }),
  z.object({ kind: z.literal('risk'), id: z.string() }),
  z.object({ kind: z.literal('budget-line'), code: z.string() }),
]);

const termsSchema = z.object({
  id: z.string(),
  type: z.enum(APPROVAL_TYPES),
  title: z.string(),
  details: z.string(),
  concerns: itemRef.optional(),
  requester: person,
  requestedAt: z.string(),
  policy: z.enum(APPROVAL_POLICIES),
  approvers: z.array(approverSchema),
  councils: z.array(z.string()),
  due: z.string(),
});

const trailSchema = z.object({
  votes: z.array(
    z.object({
      approverId: z.string(),
      decision: z.enum(['approve', 'reject', 'changes']),
      comment: z.string(),
      at: z.string(),
    }),
  ),
  abstentions: z.array(z.object({ approverId: z.string(), interest: z.string(), at: z.string() })),
  withdrawn: z.object({ by: person, at: z.string() }).optional(),
});

/** One approval in the lists: what `approval list`, digests, reminders and `project show` need. */
const entrySchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(APPROVAL_TYPES),
  due: z.string(),
  requester: person,
  approvers: z.array(person),
  awaitingIds: z.array(z.string()),
  status: z.enum(APPROVAL_STATUSES),
  /** `P-2`, `R-3`, a budget line. */
  concerns: z.string().optional(),
  decidedAt: z.string().optional(),
});
export type ApprovalEntry = z.infer<typeof entrySchema>;

export interface StoredApproval {
  readonly approval: Approval;
  readonly etag: string;
}

/** Where one copy of an approval's card was posted: a reply to a command in a chat or channel. */
export interface ApprovalPost {
  readonly activityId: string;
  /** The conversation as the connector knows it (a channel thread's id keeps its `;messageid=`). */
  readonly conversation: ConversationRecord;
  /** In a personal chat the card shows its one viewer's own view; elsewhere the status everyone sees. */
  readonly viewerId: string | undefined;
  /** The full record with the vote trail (`approval show`), rather than the card alone. */
  readonly record: boolean;
  readonly postedAt: string;
}

type ApprovalEntity = { partitionKey: string; rowKey: string; terms: string } & Record<string, unknown>;
type PostEntity = { partitionKey: string; rowKey: string; post: string };
type BallotEntity = { partitionKey: string; rowKey: string; ballot: string };

/** A vote or a declared interest, as cast. */
export type Ballot = Vote | Abstention;

const ballotSchema = z.union([
  z.object({
    approverId: z.string(),
    decision: z.enum(['approve', 'reject', 'changes']),
    comment: z.string(),
    at: z.string(),
  }),
  z.object({ approverId: z.string(), interest: z.string(), at: z.string() }),
]);

const postSchema = z.object({
  activityId: z.string(),
  conversation: conversationRecordSchema,
  viewerId: z.string().optional(),
  record: z.boolean(),
  postedAt: z.string(),
});

/** The newest copies are the ones people look at; older ones stay as they were. */
export const POSTS_UPDATED = 25;

function approverOf(a: z.infer<typeof approverSchema>): Approver {
  return { id: a.id, name: a.name, councils: a.councils };
}

export function entryOf(approval: Approval, now: Date): ApprovalEntry {
  const summary = summariseApproval(approval, now);
  const { decidedAt } = decide(approval, approval.votes, approval.abstentions, now);
  return {
    id: summary.id,
    title: summary.title,
    type: summary.type,
    due: summary.due,
    requester: { id: approval.requester.id, name: approval.requester.name },
    approvers: approval.approvers.map((a) => ({ id: a.id, name: a.name })),
    awaitingIds: [...summary.awaitingIds],
    status: summary.status,
    ...(approval.concerns ? { concerns: formatItemRef(approval.concerns) } : {}),
    ...(decidedAt ? { decidedAt } : {}),
  };
}

/** The domain's list row, for `myPendingApprovals` and `pendingApprovals`. */
export function summaryOf(entry: ApprovalEntry): ApprovalSummary {
  return {
    id: entry.id as ApprovalId,
    title: entry.title,
    type: entry.type,
    due: entry.due,
    requester: entry.requester,
    approverIds: entry.approvers.map((a) => a.id),
    awaitingIds: entry.awaitingIds,
    status: entry.status,
  };
}

function approvalEntity(partnershipId: PartnershipId, approval: Approval): ApprovalEntity {
  const terms = {
    id: approval.id,
    type: approval.type,
    title: approval.title,
    details: approval.details,
    concerns: approval.concerns,
    requester: { id: approval.requester.id, name: approval.requester.name },
    requestedAt: approval.requestedAt,
    policy: approval.policy,
    approvers: approval.approvers,
    councils: approval.councils,
    due: approval.due,
  };
  const trail = { votes: approval.votes, abstentions: approval.abstentions, withdrawn: approval.withdrawn };
  return {
    partitionKey: partnershipId,
    rowKey: approvalRows.key(approval.id),
    terms: JSON.stringify(terms),
    ...jsonParts('trail', trail),
  };
}

/** One approver's vote or declared interest: keyed by the voter, so a second cannot be written. */
function ballotEntity(partnershipId: PartnershipId, id: ApprovalId, ballot: Ballot): BallotEntity {
  return {
    partitionKey: partnershipId,
    rowKey: approvalRows.key(id, 'ballot', ballot.approverId),
    ballot: JSON.stringify(ballot),
  };
}

export class ApprovalRepository {
  readonly summary: Summary<ApprovalEntry>;
  private readonly sequence: Sequence;

  constructor(private readonly tables: Tables) {
    this.summary = new Summary(tables.partnerships, {
      family: 'approval',
      entry: entrySchema,
      version: 1,
      itemPrefix: approvalRows.prefix,
    });
    this.sequence = new Sequence(tables.partnerships, 'approval');
  }

  /** The next number, with the batch action that claims it. */
  async take(partnershipId: PartnershipId): Promise<{ id: ApprovalId; action: TransactionAction }> {
    const { n, action } = await this.sequence.take(partnershipId);
    return { id: approvalIdOf(n), action };
  }

  async get(partnershipId: PartnershipId, id: ApprovalId): Promise<StoredApproval | undefined> {
    const row = await getOrUndefined<ApprovalEntity>(this.tables.partnerships, partnershipId, approvalRows.key(id));
    return row && { approval: this.approvalOf(row), etag: row.etag };
  }

  /** Every approval's list entry, from the summary (rebuilt from the rows when it is missing). */
  async list(partnershipId: PartnershipId, now: Date): Promise<ApprovalEntry[]> {
    const { entries, current } = await this.summary.readAll(partnershipId);
    return current ? entries : this.rebuildSummary(partnershipId, now);
  }

  /** The actions that store a new approval (numbered with `take`), a ballot row for any vote it holds, and its list entry. */
  async createActions(partnershipId: PartnershipId, approval: Approval, now: Date): Promise<TransactionAction[]> {
    const shard = await this.summary.readShard(partnershipId, approval.id);
    return [
      ['create', approvalEntity(partnershipId, approval)],
      ...[...approval.votes, ...approval.abstentions].map((ballot) =>
        this.ballotAction(partnershipId, approval.id, ballot),
      ),
      this.summary.write(partnershipId, shard, [[approval.id, entryOf(approval, now)]]),
    ];
  }

  /** The action that records one ballot as cast; a second for the same voter fails (the row exists). */
  ballotAction(partnershipId: PartnershipId, id: ApprovalId, ballot: Ballot): TransactionAction {
    return ['create', ballotEntity(partnershipId, id, ballot)];
  }

  /** Every ballot cast, counted into the approval or not yet. */
  async ballots(partnershipId: PartnershipId, id: ApprovalId): Promise<Ballot[]> {
    const ballots: Ballot[] = [];
    for await (const row of this.tables.partnerships.listEntities<BallotEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, approvalRows.under(id, 'ballot')) },
    })) {
      ballots.push(readJson(ballotSchema, row, 'ballot', row.ballot));
    }
    return ballots;
  }

  /** The approval rewritten under its ETag (ballots counted, a withdrawal), with its list entry. */
  async changeActions(
    partnershipId: PartnershipId,
    stored: StoredApproval,
    next: Approval,
    now: Date,
  ): Promise<TransactionAction[]> {
    const shard: Shard<ApprovalEntry> = await this.summary.readShard(partnershipId, next.id);
    return [
      ['update', approvalEntity(partnershipId, next), 'Replace', { etag: stored.etag }],
      this.summary.write(partnershipId, shard, [[next.id, entryOf(next, now)]]),
    ];
  }

  /** Remembers where a copy of the card was posted; posting the same message twice keeps one row. */
  async recordPost(partnershipId: PartnershipId, id: ApprovalId, post: ApprovalPost): Promise<void> {
    const entity: PostEntity = {
      partitionKey: partnershipId,
      rowKey: approvalRows.key(id, 'post', post.conversation.conversationId, post.activityId),
      post: JSON.stringify(post),
    };
    await this.tables.partnerships.upsertEntity(entity, 'Replace');
  }

  /**
   * Claims the one update of an approval's cards that says it has expired: true for the first
   * caller, on whichever instance; false once it was claimed.
   */
  async claimExpiryNotice(partnershipId: PartnershipId, id: ApprovalId, at: Date): Promise<boolean> {
    try {
      await this.tables.partnerships.createEntity({
        partitionKey: partnershipId,
        rowKey: approvalRows.key(id, 'expired'),
        at: at.toISOString(),
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  /** A copy that is gone (the message was deleted): it is not updated again. */
  async forgetPost(partnershipId: PartnershipId, id: ApprovalId, post: ApprovalPost): Promise<void> {
    const rowKey = approvalRows.key(id, 'post', post.conversation.conversationId, post.activityId);
    await this.tables.partnerships.deleteEntity(partnershipId, rowKey).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  /** Where the card was posted, newest first: the copies to update after a vote. */
  async posts(partnershipId: PartnershipId, id: ApprovalId): Promise<ApprovalPost[]> {
    const posts: ApprovalPost[] = [];
    for await (const row of this.tables.partnerships.listEntities<PostEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, approvalRows.under(id, 'post')) },
    })) {
      const read = readJson(postSchema, row, 'post', row.post);
      posts.push({ ...read, viewerId: read.viewerId, conversation: { ...read.conversation, active: true } });
    }
    return posts.sort((a, b) => (a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : 0));
  }

  /** The summary written afresh from the approval rows. */
  async rebuildSummary(partnershipId: PartnershipId, now: Date): Promise<ApprovalEntry[]> {
    return this.summary.rebuild(partnershipId, async () => {
      const entries: Array<readonly [string, ApprovalEntry]> = [];
      for await (const row of this.tables.partnerships.listEntities<ApprovalEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, approvalRows.prefix) },
      })) {
        if (typeof row.terms !== 'string') continue;
        const approval = this.approvalOf(row);
        entries.push([approval.id, entryOf(approval, now)]);
      }
      return entries;
    });
  }

  private approvalOf(row: ApprovalEntity): Approval {
    const terms = readJson(termsSchema, row, 'terms', row.terms);
    const trail = readJsonParts(trailSchema, row, 'trail');
    return {
      id: terms.id as ApprovalId,
      type: terms.type,
      title: terms.title,
      details: terms.details,
      concerns: terms.concerns,
      requester: terms.requester,
      requestedAt: terms.requestedAt,
      policy: terms.policy,
      approvers: terms.approvers.map(approverOf),
      councils: terms.councils,
      due: terms.due,
      votes: trail.votes,
      abstentions: trail.abstentions,
      withdrawn: trail.withdrawn,
    };
  }
}
