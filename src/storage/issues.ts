import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { PartnershipId } from '../domain/partnership.js';
import { formatIssueId, ISSUE_SEVERITIES, type Issue, type IssueId } from '../domain/risk-issue.js';
import type { PlannedAction, RiskId } from '../domain/risk.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { familyRows, rowKeyStartsWith } from './keys.js';
import { actionEntity, ownerSchema } from './risk-rows.js';
import { getOrUndefined, readJson } from './rows.js';
import { PlannedActions } from './planned-actions.js';
import { Sequence } from './sequence.js';
import { Summary } from './summary.js';
import type { Tables } from './tables.js';

/**
 * The issue log's rows in the partnership's partition:
 *   issue|<I-n>                           the issue (JSON) and its last action number
 *   issue-detail|<I-n>|action|<A-n>       a planned action
 *   seq|issue                             the last I number given (sequence.ts)
 *   summary|issue|<nn>                    the issue list (summary.ts)
 */
const issueRows = familyRows('issue');
const detailRows = familyRows('issue-detail');

const issueSchema = z
  .object({
    id: z.string().transform((id) => id as IssueId),
    title: z.string(),
    description: z.string(),
    severity: z.enum(ISSUE_SEVERITIES),
    owner: ownerSchema,
    council: z.string(),
    status: z.enum(['open', 'resolved']),
    linkedRisk: z
      .string()
      .transform((id) => id as RiskId)
      .optional(),
    raisedOn: z.string(),
    targetDate: z.string().optional(),
    resolvedOn: z.string().optional(),
    resolution: z.string().optional(),
    createdBy: z.string(),
  })
  .transform((i): Issue => ({
    ...i,
    linkedRisk: i.linkedRisk,
    targetDate: i.targetDate,
    resolvedOn: i.resolvedOn,
    resolution: i.resolution,
  }));

/** One issue in the list: what the list card, the digest and the risk it came from need. */
const entrySchema = z.object({
  id: z.string().transform((id) => id as IssueId),
  title: z.string(),
  severity: z.enum(ISSUE_SEVERITIES),
  ownerId: z.string(),
  ownerName: z.string(),
  council: z.string(),
  status: z.enum(['open', 'resolved']),
  linkedRisk: z.string().optional(),
  raisedOn: z.string(),
  targetDate: z.string().optional(),
  resolvedOn: z.string().optional(),
});
export type IssueEntry = z.infer<typeof entrySchema>;

export interface StoredIssue {
  readonly issue: Issue;
  /** The last action number given, so A-n is never given twice. */
  readonly actions: number;
  readonly etag: string;
}

type IssueEntity = { partitionKey: string; rowKey: string; issue: string; actions: number };

export function issueEntryOf(issue: Issue): IssueEntry {
  const { id, title, severity, owner, council, status, linkedRisk, raisedOn, targetDate, resolvedOn } = issue;
  return {
    id,
    title,
    severity,
    ownerId: owner.id,
    ownerName: owner.name,
    council,
    status,
    raisedOn,
    ...(linkedRisk ? { linkedRisk } : {}),
    ...(targetDate ? { targetDate } : {}),
    ...(resolvedOn ? { resolvedOn } : {}),
  };
}

function issueEntity(partnershipId: PartnershipId, issue: Issue, actions: number): IssueEntity {
  return { partitionKey: partnershipId, rowKey: issueRows.key(issue.id), issue: JSON.stringify(issue), actions };
}

export class IssueRepository {
  readonly summary: Summary<IssueEntry>;
  /** The issues' planned actions. */
  readonly actions: PlannedActions;
  private readonly sequence: Sequence;

  constructor(private readonly tables: Tables) {
    this.summary = new Summary(tables.partnerships, {
      family: 'issue',
      entry: entrySchema,
      version: 1,
      itemPrefix: issueRows.prefix,
    });
    this.sequence = new Sequence(tables.partnerships, 'issue');
    this.actions = new PlannedActions(tables, detailRows);
  }

  /** Every issue's list entry, open and resolved (rebuilt from the rows when the summary is missing). */
  async list(partnershipId: PartnershipId): Promise<IssueEntry[]> {
    const { entries, current } = await this.summary.readAll(partnershipId);
    return current ? entries : this.rebuildSummary(partnershipId);
  }

  async get(partnershipId: PartnershipId, id: string): Promise<StoredIssue | undefined> {
    const row = await getOrUndefined<IssueEntity>(this.tables.partnerships, partnershipId, issueRows.key(id));
    return row && this.stored(row);
  }

  /** Raises an issue under the next I number, in one batch with its summary entry and audit row; a lost race is a ConflictError. */
  async add(
    partnershipId: PartnershipId,
    draft: (id: IssueId) => Issue,
    audit: (issue: Issue) => AuditEntry,
  ): Promise<Issue> {
    const { n, action: claim } = await this.sequence.take(partnershipId);
    const issue = draft(formatIssueId(n));
    const shard = await this.summary.readShard(partnershipId, issue.id);
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        claim,
        ['create', issueEntity(partnershipId, issue, 0)],
        this.summary.write(partnershipId, shard, [[issue.id, issueEntryOf(issue)]]),
      ],
      audit(issue),
      `issue ${issue.id} was numbered meanwhile`,
    );
    return issue;
  }

  /** Writes the changed issue under the ETag it was read with, its summary entry, and a new or changed action. */
  async change(
    partnershipId: PartnershipId,
    stored: StoredIssue,
    next: Pick<StoredIssue, 'issue' | 'actions'>,
    action: PlannedAction | undefined,
    audit: AuditEntry,
  ): Promise<void> {
    const id = stored.issue.id;
    const shard = await this.summary.readShard(partnershipId, id);
    const actions: TransactionAction[] = [
      ['update', issueEntity(partnershipId, next.issue, next.actions), 'Replace', { etag: stored.etag }],
      this.summary.write(partnershipId, shard, [[id, issueEntryOf(next.issue)]]),
    ];
    if (action) {
      actions.push(['upsert', actionEntity(partnershipId, detailRows.key(id, 'action', action.id), action), 'Replace']);
    }
    await commitWithAudit(this.tables, partnershipId, actions, audit, `issue ${id} changed meanwhile`);
  }

  async rebuildSummary(partnershipId: PartnershipId): Promise<IssueEntry[]> {
    return this.summary.rebuild(partnershipId, async () => {
      const entries: Array<readonly [string, IssueEntry]> = [];
      for await (const row of this.tables.partnerships.listEntities<IssueEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, issueRows.prefix) },
      })) {
        const { issue } = this.stored(row);
        entries.push([issue.id, issueEntryOf(issue)]);
      }
      return entries;
    });
  }

  private stored(row: IssueEntity & { etag: string }): StoredIssue {
    return { issue: readJson(issueSchema, row, 'issue', row.issue), actions: row.actions, etag: row.etag };
  }
}
