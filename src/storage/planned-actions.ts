import type { PartnershipId } from '../domain/partnership.js';
import type { PlannedAction } from '../domain/risk.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { rowKeyStartsWith, type familyRows } from './keys.js';
import { actionEntity, readAction, type DetailEntity, type StoredAction } from './risk-rows.js';
import { getOrUndefined } from './rows.js';
import type { Tables } from './tables.js';

/**
 * The planned actions of one family's items, risks or issues, kept under
 * `<family>-detail|<item id>|action|<A-n>`: listed, read one at a time, and marked done under the
 * ETag they were read with, so two people finishing one action at once record it once.
 */
export class PlannedActions {
  constructor(
    private readonly tables: Tables,
    private readonly detailRows: ReturnType<typeof familyRows>,
  ) {}

  async list(partnershipId: PartnershipId, id: string): Promise<StoredAction[]> {
    const actions: StoredAction[] = [];
    for await (const row of this.tables.partnerships.listEntities<DetailEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, this.detailRows.under(id, 'action')) },
    })) {
      actions.push(readAction(row));
    }
    return actions;
  }

  async get(partnershipId: PartnershipId, id: string, actionId: string): Promise<StoredAction | undefined> {
    const row = await getOrUndefined<DetailEntity>(
      this.tables.partnerships,
      partnershipId,
      this.detailRows.key(id, 'action', actionId),
    );
    return row && readAction(row);
  }

  /** Marks an action done, with its audit row, if nobody changed it since it was read; else a ConflictError. */
  async complete(
    partnershipId: PartnershipId,
    id: string,
    stored: StoredAction,
    done: PlannedAction['done'],
    audit: AuditEntry,
  ): Promise<void> {
    const entity = actionEntity(partnershipId, this.detailRows.key(id, 'action', stored.action.id), {
      ...stored.action,
      done,
    });
    await commitWithAudit(
      this.tables,
      partnershipId,
      [['update', entity, 'Replace', { etag: stored.etag }]],
      audit,
      `action ${stored.action.id} of ${id} changed meanwhile`,
    );
  }
}
