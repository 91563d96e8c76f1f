import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { addDays, londonDate } from '../domain/calendar.js';
import { SHARED, type PartnershipId } from '../domain/partnership.js';
import {
  DEFAULT_RISK_APPETITE,
  DEFAULT_RISK_SETTINGS,
  formatRiskId,
  RISK_CATEGORIES,
  type PlannedAction,
  type Risk,
  type RiskControl,
  type RiskLevel,
  type RiskId,
  type RiskSettings,
  type ScorePoint,
  type ScoreRecord,
} from '../domain/risk.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { familyRows, rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';
import { PlannedActions } from './planned-actions.js';
import { Sequence } from './sequence.js';
import {
  actionEntity,
  closureSchema,
  controlSchema,
  entryOf,
  entrySchema,
  pointsOf,
  readAction,
  recordSchema,
  riskSchema,
  sameScore,
  settingsSchema,
  type Closure,
  type DetailEntity,
  type RiskEntry,
  type SettingsEntity,
  type StoredAction,
} from './risk-rows.js';
import { Summary, type Shard } from './summary.js';
import type { Tables } from './tables.js';

/**
 * The risk register's rows in the partnership's partition:
 *   risk|<R-n>                                the risk (JSON), how it was closed, its last control and action numbers
 *   risk-detail|<R-n>|score|<instant>|<k>     one change of its scores: who, when, why, each score before and after
 *   risk-detail|<R-n>|control|<C-n>           a control in place
 *   risk-detail|<R-n>|action|<A-n>            a planned action
 *   risk-settings|partnership                 bands, appetite per category, review intervals
 *   seq|risk                                  the last R number given (sequence.ts)
 *   summary|risk|<nn>                         the register list (summary.ts)
 * Detail rows are a family of their own, so the list's rebuild reads the risks alone and `risk show`
 * reads everything of one risk with one range query.
 */
const riskRows = familyRows('risk');
const detailRows = familyRows('risk-detail');
const settingsRows = familyRows('risk-settings');

export interface StoredRisk {
  readonly risk: Risk;
  readonly closure: Closure | undefined;
  /** The last control and action numbers given, so C-n and A-n are never given twice. */
  readonly counters: { readonly controls: number; readonly actions: number };
  readonly etag: string;
}

export interface RiskDetail {
  /** Newest first. */
  readonly history: ScoreRecord[];
  readonly controls: RiskControl[];
  readonly actions: StoredAction[];
}

/** What changes beside the risk row: a score record, a new control, a new or changed action. */
export interface RiskRowsChanged {
  readonly record?: ScoreRecord;
  readonly control?: RiskControl;
  readonly action?: PlannedAction;
}

type RiskEntity = {
  partitionKey: string;
  rowKey: string;
  risk: string;
  closure: string;
  controls: number;
  actions: number;
};
function riskEntity(
  partnershipId: PartnershipId,
  risk: Risk,
  closure: Closure | undefined,
  counters: StoredRisk['counters'],
): RiskEntity {
  return {
    partitionKey: partnershipId,
    rowKey: riskRows.key(risk.id),
    risk: JSON.stringify(risk),
    closure: closure ? JSON.stringify(closure) : '',
    controls: counters.controls,
    actions: counters.actions,
  };
}

function recordEntity(partnershipId: PartnershipId, id: string, record: ScoreRecord): DetailEntity {
  const rowKey = detailRows.key(id, 'score', record.at, randomBytes(2).toString('hex'));
  return { partitionKey: partnershipId, rowKey, kind: 'score', data: JSON.stringify(record) };
}

export class RiskRepository {
  readonly summary: Summary<RiskEntry>;
  /** The risks' planned actions. */
  readonly actions: PlannedActions;
  private readonly sequence: Sequence;

  constructor(private readonly tables: Tables) {
    this.summary = new Summary(tables.partnerships, {
      family: 'risk',
      entry: entrySchema,
      // 2: an entry carries the project its risk threatens.
      version: 2,
      itemPrefix: riskRows.prefix,
    });
    this.sequence = new Sequence(tables.partnerships, 'risk');
    this.actions = new PlannedActions(tables, detailRows);
  }

  /** Bands, appetite and review intervals; the defaults until an admin sets them. */
  async settings(partnershipId: PartnershipId): Promise<{ settings: RiskSettings; etag: string | undefined }> {
    const row = await getOrUndefined<SettingsEntity>(
      this.tables.partnerships,
      partnershipId,
      settingsRows.key('partnership'),
    );
    if (!row) return { settings: DEFAULT_RISK_SETTINGS, etag: undefined };
    const stored = readJson(settingsSchema, row, 'settings', row.settings);
    return { settings: { ...stored, appetite: { ...DEFAULT_RISK_APPETITE, ...stored.appetite } }, etag: row.etag };
  }

  /** Replaces the settings if nobody changed them since they were read; a lost race is a ConflictError. */
  async saveSettings(
    partnershipId: PartnershipId,
    etag: string | undefined,
    next: RiskSettings,
    audit: AuditEntry,
  ): Promise<void> {
    const entity: SettingsEntity = {
      partitionKey: partnershipId,
      rowKey: settingsRows.key('partnership'),
      settings: JSON.stringify(next),
    };
    const action: TransactionAction = etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }];
    await commitWithAudit(this.tables, partnershipId, [action], audit, 'the risk settings changed meanwhile');
  }

  /** Every risk's list entry, open and closed, from the summary (rebuilt from the rows when it is missing). */
  async list(partnershipId: PartnershipId): Promise<RiskEntry[]> {
    const { entries, current } = await this.summary.readAll(partnershipId);
    return current ? entries : this.rebuildSummary(partnershipId);
  }

  async get(partnershipId: PartnershipId, id: string): Promise<StoredRisk | undefined> {
    const row = await getOrUndefined<RiskEntity>(this.tables.partnerships, partnershipId, riskRows.key(id));
    return row && this.stored(row);
  }

  /** The score history (newest first), controls and actions of one risk, from one range query. */
  async detail(partnershipId: PartnershipId, id: string): Promise<RiskDetail> {
    const detail: RiskDetail = { history: [], controls: [], actions: [] };
    for await (const row of this.tables.partnerships.listEntities<DetailEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, detailRows.under(id)) },
    })) {
      if (row.kind === 'score') detail.history.push(readJson(recordSchema, row, 'data', row.data));
      else if (row.kind === 'control') detail.controls.push(readJson(controlSchema, row, 'data', row.data));
      else detail.actions.push(readAction(row));
    }
    detail.history.reverse();
    return detail;
  }

  /**
   * Adds a risk under the next R number: the number's claim, the risk, its first score record and its
   * summary entry, with the audit row, in one batch. Another writer that took the same number makes
   * this a ConflictError; the caller retries and gets the next number.
   */
  async add(
    partnershipId: PartnershipId,
    draft: (id: RiskId) => Risk,
    record: Omit<ScoreRecord, 'changes'>,
    audit: (risk: Risk) => AuditEntry,
  ): Promise<Risk> {
    const { n, action: claim } = await this.sequence.take(partnershipId);
    const risk = draft(formatRiskId(n));
    const shard = await this.shardOf(partnershipId, risk.id);
    const changes = (['inherent', 'current', 'target'] as const).map((which) => ({ which, to: risk[which] }));
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        claim,
        ['create', riskEntity(partnershipId, risk, undefined, { controls: 0, actions: 0 })],
        ['create', recordEntity(partnershipId, risk.id, { ...record, changes })],
        this.summary.write(partnershipId, shard, [[risk.id, entryOf(risk, [{ on: record.at, score: risk.current }])]]),
      ],
      audit(risk),
      `risk ${risk.id} was numbered meanwhile`,
    );
    return risk;
  }

  /**
   * Writes the changed risk under the ETag it was read with, its summary entry, and the rows that
   * change with it, in one batch with the audit row. A lost race is a ConflictError.
   */
  async change(
    partnershipId: PartnershipId,
    stored: StoredRisk,
    next: Pick<StoredRisk, 'risk' | 'closure' | 'counters'>,
    rows: RiskRowsChanged,
    audit: AuditEntry,
  ): Promise<void> {
    const id = stored.risk.id;
    const shard = await this.shardOf(partnershipId, id);
    let points = pointsOf(shard.entries.get(id) ?? { points: [] });
    if (!sameScore(stored.risk.current, next.risk.current)) {
      points = [...points, { on: rows.record?.at ?? audit.at, score: next.risk.current }];
    }
    const actions: TransactionAction[] = [
      ['update', riskEntity(partnershipId, next.risk, next.closure, next.counters), 'Replace', { etag: stored.etag }],
      this.summary.write(partnershipId, shard, [[id, entryOf(next.risk, points)]]),
    ];
    if (rows.record) actions.push(['create', recordEntity(partnershipId, id, rows.record)]);
    if (rows.control) {
      const entity: DetailEntity = {
        partitionKey: partnershipId,
        rowKey: detailRows.key(id, 'control', rows.control.id),
        kind: 'control',
        data: JSON.stringify(rows.control),
      };
      actions.push(['create', entity]);
    }
    if (rows.action)
      actions.push([
        'upsert',
        actionEntity(partnershipId, detailRows.key(id, 'action', rows.action.id), rows.action),
        'Replace',
      ]);
    await commitWithAudit(this.tables, partnershipId, actions, audit, `risk ${id} changed meanwhile`);
  }

  /** The summary written afresh from the risks and their score records: two queries of the family's rows. */
  async rebuildSummary(partnershipId: PartnershipId): Promise<RiskEntry[]> {
    return this.summary.rebuild(partnershipId, async () => {
      const points = new Map<string, ScorePoint[]>();
      const risks: StoredRisk[] = [];
      const readRisks = async () => {
        const rows = this.tables.partnerships.listEntities<RiskEntity>({
          queryOptions: { filter: rowKeyStartsWith(partnershipId, riskRows.prefix) },
        });
        for await (const row of rows) risks.push(this.stored(row));
      };
      const readPoints = async () => {
        const filter = `${rowKeyStartsWith(partnershipId, detailRows.prefix)} and kind eq 'score'`;
        for await (const row of this.tables.partnerships.listEntities<DetailEntity>({ queryOptions: { filter } })) {
          const record = readJson(recordSchema, row, 'data', row.data);
          const current = record.changes.find((c) => c.which === 'current');
          const id = row.rowKey.slice(detailRows.prefix.length).split('|')[0]!;
          if (current) points.set(id, [...(points.get(id) ?? []), { on: record.at, score: current.to }]);
        }
      };
      await Promise.all([readRisks(), readPoints()]);
      // R-n ids are letters, a dash and digits, so a key part is the id itself.
      return risks.map((r) => [r.risk.id, entryOf(r.risk, points.get(r.risk.id) ?? [])] as const);
    });
  }

  /** The summary shard a change writes; one of an older version is rebuilt from the rows first. */
  private shardOf(partnershipId: PartnershipId, id: string): Promise<Shard<RiskEntry>> {
    return this.summary.readShard(partnershipId, id, () => this.rebuildSummary(partnershipId));
  }

  private stored(row: RiskEntity & { etag: string }): StoredRisk {
    return {
      risk: readJson(riskSchema, row, 'risk', row.risk),
      closure: row.closure ? readJson(closureSchema, row, 'closure', row.closure) : undefined,
      counters: { controls: row.controls, actions: row.actions },
      etag: row.etag,
    };
  }
}

/**
 * Lays `count` open risks straight into the rows, numbered on from the partnership's last R number,
 * and writes the summary afresh: for the bench, which measures `risk list` over many risks. Bench
 * data has no audit or score records. Scores, categories, councils, owners and review dates vary so
 * that every band and every list filter has risks to keep.
 */
export async function seedRisks(tables: Tables, partnershipId: PartnershipId, count: number, now: Date): Promise<void> {
  const repository = new RiskRepository(tables);
  const { n: first, action: claim } = await new Sequence(tables.partnerships, 'risk').takeMany(partnershipId, count);
  await tables.partnerships.submitTransaction([claim]);
  const owners = ['Sam Jones', 'Alex Morgan', 'Jo Williams', 'Priya Shah'].map((name, i) => ({
    id: `29:bench-owner-${i}`,
    name,
    aadObjectId: undefined,
  }));
  const councils = [SHARED, 'CEC', 'CWAC'];
  let seed = 20_261_125;
  const next = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % below;
  };
  const today = londonDate(now);
  const BATCH = 100;
  for (let start = 0; start < count; start += BATCH) {
    const actions: TransactionAction[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const current = { likelihood: (1 + next(5)) as RiskLevel, impact: (1 + next(5)) as RiskLevel };
      const risk: Risk = {
        id: formatRiskId(first + i),
        title: `Bench risk ${first + i}: supplier, data centre and service desk dependencies`,
        description: '',
        category: RISK_CATEGORIES[next(RISK_CATEGORIES.length)]!,
        owner: owners[next(owners.length)]!,
        council: councils[next(councils.length)]!,
        project: undefined,
        status: 'open',
        inherent: { likelihood: 5, impact: current.impact },
        current,
        target: { likelihood: 1, impact: current.impact },
        lastReview: addDays(today, -next(200)),
        nextReview: today,
        createdAt: now.toISOString(),
        createdBy: 'bench',
      };
      actions.push(['create', riskEntity(partnershipId, risk, undefined, { controls: 0, actions: 0 })]);
    }
    await tables.partnerships.submitTransaction(actions);
  }
  await repository.rebuildSummary(partnershipId);
}
