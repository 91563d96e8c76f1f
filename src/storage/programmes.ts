import { z } from 'zod';
import { pence } from '../domain/money.js';
import type { PartnershipId } from '../domain/partnership.js';
import type { Programme } from '../domain/programme.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { familyRows, rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';
import type { Tables } from './tables.js';

/**
 * Programmes in the partnership's partition, one row each, keyed by the name as people compare
 * names (no case, single spaces), so two programmes cannot share a name:
 *   programme|<name>   the programme (JSON): budget, spend to date, start year, benefits by year
 * A partnership runs a handful of programmes: the list is one query of these rows.
 */
const programmeRows = familyRows('programme');

const money = z
  .number()
  .refine(Number.isSafeInteger, 'an amount must be whole pence')
  .transform((n) => pence(n));
const yearAmount = z.object({ fyStart: z.number().int(), amount: money });

const programmeSchema = z
  .object({
    name: z.string(),
    totalBudget: money,
    spendToDate: money,
    startYear: z.number().int(),
    benefits: z.array(yearAmount),
    costPhasing: z.array(yearAmount).optional(),
    createdAt: z.string(),
    createdBy: z.string(),
    spendRecordedAt: z.string().optional(),
    spendRecordedBy: z.string().optional(),
  })
  .transform((p) => ({ ...p, costPhasing: p.costPhasing }));

export type ProgrammeRecord = Programme & {
  readonly createdAt: string;
  readonly createdBy: string;
  /** When and by whom the spend to date was last recorded, after the programme was added. */
  readonly spendRecordedAt?: string | undefined;
  readonly spendRecordedBy?: string | undefined;
};

export interface StoredProgramme {
  readonly programme: ProgrammeRecord;
  readonly etag: string;
}

type ProgrammeEntity = { partitionKey: string; rowKey: string; programme: string };

function nameKey(name: string): string {
  return programmeRows.key(name.trim().replace(/\s+/g, ' ').toLowerCase());
}

function entity(partnershipId: PartnershipId, programme: ProgrammeRecord): ProgrammeEntity {
  return { partitionKey: partnershipId, rowKey: nameKey(programme.name), programme: JSON.stringify(programme) };
}

export class ProgrammeRepository {
  constructor(private readonly tables: Tables) {}

  /** Every programme, by name. */
  async list(partnershipId: PartnershipId): Promise<StoredProgramme[]> {
    const found: StoredProgramme[] = [];
    for await (const row of this.tables.partnerships.listEntities<ProgrammeEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, programmeRows.prefix) },
    })) {
      found.push({ programme: readJson(programmeSchema, row, 'programme', row.programme), etag: row.etag });
    }
    return found.sort((a, b) => a.programme.name.localeCompare(b.programme.name));
  }

  async get(partnershipId: PartnershipId, name: string): Promise<StoredProgramme | undefined> {
    const row = await getOrUndefined<ProgrammeEntity>(this.tables.partnerships, partnershipId, nameKey(name));
    return row && { programme: readJson(programmeSchema, row, 'programme', row.programme), etag: row.etag };
  }

  /** Adds a programme with its audit row; a name taken is a ConflictError. */
  async add(partnershipId: PartnershipId, programme: ProgrammeRecord, audit: AuditEntry): Promise<void> {
    await commitWithAudit(
      this.tables,
      partnershipId,
      [['create', entity(partnershipId, programme)]],
      audit,
      `programme ${programme.name} exists`,
    );
  }

  /** Replaces the programme if nobody changed it since it was read (ETag); a lost race is a ConflictError. */
  async update(
    partnershipId: PartnershipId,
    stored: StoredProgramme,
    next: ProgrammeRecord,
    audit: AuditEntry,
  ): Promise<void> {
    if (nameKey(next.name) !== nameKey(stored.programme.name)) throw new RangeError('a programme keeps its name');
    await commitWithAudit(
      this.tables,
      partnershipId,
      [['update', entity(partnershipId, next), 'Replace', { etag: stored.etag }]],
      audit,
      `programme ${next.name} changed meanwhile`,
    );
  }
}
