import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { ApprovalId } from '../domain/approvals.js';
import type { Pence } from '../domain/money.js';
import type { PartnershipId } from '../domain/partnership.js';
import {
  PROJECT_STATUSES,
  projectIdOf,
  type Project,
  type ProjectId,
  type ProjectSummary,
  type RagReport,
} from '../domain/portfolio.js';
import { RAGS, type Rag } from '../domain/rag.js';
import { familyRows, rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';
import { Sequence } from './sequence.js';
import { Summary } from './summary.js';
import type { Tables } from './tables.js';

/**
 * The portfolio's rows in the partnership's partition:
 *   project|<P-n>                        the project (JSON), its status and gateway approval, under its ETag
 *   project|<P-n>|rag|<inverted time>|…  one row per RAG report, newest first
 *   summary|project|<nn>                 the portfolio list: each project with its last few reports
 *   seq|project                          numbers P-1, P-2 … (sequence.ts)
 */
const projectRows = familyRows('project');

/** Reports kept in a project's list entry: enough for "RAG changed since the last digest". */
export const RECENT_REPORTS = 6;

const person = z.object({ id: z.string(), name: z.string() });

/** A project as stored: everything but its reports, which are rows of their own. */
export interface ProjectRecord extends Omit<Project, 'reports'> {
  /** The gateway approval that admits it to the portfolio. */
  readonly gateway: ApprovalId | undefined;
  readonly closed: { readonly reason: string; readonly at: string; readonly by: string } | undefined;
}

const recordSchema = z.object({
  id: z.string(),
  name: z.string(),
  manager: person.optional(),
  sponsor: person.optional(),
  scope: z.string().optional(),
  budget: z.number().int().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  council: z.string(),
  status: z.enum(PROJECT_STATUSES),
  createdAt: z.string(),
  createdBy: person,
  gateway: z.string().optional(),
  closed: z.object({ reason: z.string(), at: z.string(), by: z.string() }).optional(),
});

const reportSchema = z.object({
  rag: z.enum(RAGS),
  commentary: z.string(),
  reportedBy: person,
  reportedAt: z.string(),
});

/** One project in the portfolio list: what `project list`, digests and the duplicate check need. */
const entrySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(PROJECT_STATUSES),
  council: z.string(),
  manager: person.optional(),
  gateway: z.string().optional(),
  /** Newest last: [RAG, ISO instant]. */
  recent: z.array(z.tuple([z.enum(RAGS), z.string()])),
});
export type ProjectEntry = z.infer<typeof entrySchema>;

export interface StoredProject {
  readonly project: ProjectRecord;
  readonly etag: string;
}

type ProjectEntity = { partitionKey: string; rowKey: string; project: string };
type ReportEntity = { partitionKey: string; rowKey: string; report: string };

export function entryOf(project: ProjectRecord, recent: ProjectEntry['recent']): ProjectEntry {
  return {
    id: project.id,
    name: project.name,
    status: project.status,
    council: project.council,
    ...(project.manager ? { manager: { id: project.manager.id, name: project.manager.name } } : {}),
    ...(project.gateway ? { gateway: project.gateway } : {}),
    recent: recent.slice(-RECENT_REPORTS),
  };
}

/** The domain's list row, for `projectList`. */
export function projectSummaryOf(entry: ProjectEntry): ProjectSummary {
  const latest = entry.recent.at(-1);
  return {
    id: entry.id as ProjectId,
    name: entry.name,
    status: entry.status,
    council: entry.council,
    manager: entry.manager,
    latestRag: latest?.[0],
    reportedAt: latest?.[1],
  };
}

/** Newest first: RowKeys sort ascending, so the time is inverted. */
function reportKey(id: ProjectId, at: string): string {
  return projectRows.key(id, 'rag', String(9_999_999_999_999 - Date.parse(at)).padStart(13, '0'), randomUUID());
}

function projectEntity(partnershipId: PartnershipId, project: ProjectRecord): ProjectEntity {
  return { partitionKey: partnershipId, rowKey: projectRows.key(project.id), project: JSON.stringify(project) };
}

function recordOf(row: ProjectEntity): ProjectRecord {
  const read = readJson(recordSchema, row, 'project', row.project);
  return {
    ...read,
    id: read.id as ProjectId,
    manager: read.manager,
    sponsor: read.sponsor,
    scope: read.scope,
    budget: read.budget as Pence | undefined,
    start: read.start,
    end: read.end,
    gateway: read.gateway as ApprovalId | undefined,
    closed: read.closed,
  };
}

export class ProjectRepository {
  readonly summary: Summary<ProjectEntry>;
  private readonly sequence: Sequence;

  constructor(private readonly tables: Tables) {
    this.summary = new Summary(tables.partnerships, {
      family: 'project',
      entry: entrySchema,
      version: 1,
      itemPrefix: projectRows.prefix,
    });
    this.sequence = new Sequence(tables.partnerships, 'project');
  }

  async take(partnershipId: PartnershipId): Promise<{ id: ProjectId; action: TransactionAction }> {
    const { n, action } = await this.sequence.take(partnershipId);
    return { id: projectIdOf(n), action };
  }

  async get(partnershipId: PartnershipId, id: ProjectId): Promise<StoredProject | undefined> {
    const row = await getOrUndefined<ProjectEntity>(this.tables.partnerships, partnershipId, projectRows.key(id));
    return row && { project: recordOf(row), etag: row.etag };
  }

  /** Every project's list entry, from the summary (rebuilt from the rows when it is missing). */
  async list(partnershipId: PartnershipId): Promise<ProjectEntry[]> {
    const { entries, current } = await this.summary.readAll(partnershipId);
    return current ? entries : this.rebuildSummary(partnershipId);
  }

  /** The project's reports, newest first; `limit` of them when given. */
  async reports(partnershipId: PartnershipId, id: ProjectId, limit = 1000): Promise<RagReport[]> {
    const reports: RagReport[] = [];
    const pages = this.tables.partnerships
      .listEntities<ReportEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, projectRows.under(id, 'rag')) },
      })
      .byPage({ maxPageSize: Math.min(limit, 1000) });
    for await (const page of pages) {
      for (const row of page) reports.push(readJson(reportSchema, row, 'report', row.report));
      if (reports.length >= limit) break;
    }
    return reports.slice(0, limit);
  }

  /** The actions that store a new project (numbered with `take`) and its list entry. */
  async createActions(partnershipId: PartnershipId, project: ProjectRecord): Promise<TransactionAction[]> {
    const shard = await this.summary.readShard(partnershipId, project.id);
    return [
      ['create', projectEntity(partnershipId, project)],
      this.summary.write(partnershipId, shard, [[project.id, entryOf(project, [])]]),
    ];
  }

  /** The project rewritten under the ETag it was read with (a status change), with its list entry. */
  async changeActions(
    partnershipId: PartnershipId,
    stored: StoredProject,
    next: ProjectRecord,
  ): Promise<TransactionAction[]> {
    const shard = await this.summary.readShard(partnershipId, next.id);
    const recent = shard.entries.get(next.id)?.recent ?? [];
    return [
      ['update', projectEntity(partnershipId, next), 'Replace', { etag: stored.etag }],
      this.summary.write(partnershipId, shard, [[next.id, entryOf(next, recent)]]),
    ];
  }

  /**
   * The actions that add a RAG report: its row and the project's list entry, under the shard's
   * ETag, so a report and a status change made together are decided one after the other.
   */
  async reportActions(
    partnershipId: PartnershipId,
    project: ProjectRecord,
    report: RagReport,
  ): Promise<TransactionAction[]> {
    const shard = await this.summary.readShard(partnershipId, project.id);
    const recent = [...(shard.entries.get(project.id)?.recent ?? []), [report.rag, report.reportedAt] as [Rag, string]];
    return [
      [
        'create',
        {
          partitionKey: partnershipId,
          rowKey: reportKey(project.id, report.reportedAt),
          report: JSON.stringify(report),
        },
      ],
      this.summary.write(partnershipId, shard, [[project.id, entryOf(project, recent)]]),
    ];
  }

  /** The summary written afresh from the project rows and their reports. */
  async rebuildSummary(partnershipId: PartnershipId): Promise<ProjectEntry[]> {
    return this.summary.rebuild(partnershipId, async () => {
      const projects = new Map<string, ProjectRecord>();
      const reports = new Map<string, RagReport[]>();
      for await (const row of this.tables.partnerships.listEntities<ProjectEntity & ReportEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, projectRows.prefix) },
      })) {
        if (typeof row.project === 'string') {
          const project = recordOf(row);
          projects.set(project.id, project);
        } else if (typeof row.report === 'string') {
          const id = row.rowKey.slice(projectRows.prefix.length).split('|')[0]!;
          reports.set(id, [...(reports.get(id) ?? []), readJson(reportSchema, row, 'report', row.report)]);
        }
      }
      return [...projects.values()].map((project) => {
        const own = [...(reports.get(project.id) ?? [])].sort(
          (a, b) => Date.parse(a.reportedAt) - Date.parse(b.reportedAt),
        );
        return [
          project.id,
          entryOf(
            project,
            own.map((r) => [r.rag, r.reportedAt] as [Rag, string]),
          ),
        ] as const;
      });
    });
  }
}

/** The project with its reports, as the domain rules read it. */
export function projectOf(record: ProjectRecord, reports: readonly RagReport[]): Project {
  return { ...record, reports };
}
