import type { TransactionAction } from '@azure/data-tables';
import type { PartnershipId } from '../domain/partnership.js';
import { claim, dueInstantKey, renewLease, type OutboxLease, type OutboxState } from '../domain/schedule.js';
import { ConflictError, orConflict, statusOf } from './errors.js';
import { escapeKey, keys } from './keys.js';
import type { Tables } from './tables.js';

/**
 * The outbox of scheduled work, in the `schedule` table (layout in keys.ts). Each run is one row in
 * the partition of the UTC hour it is due, so every instance finds what is due with one range query
 * of a few hours; a claim is an ETag-conditional update with a lease, so exactly one instance holds
 * a run at a time, and a run whose holder died is claimed again when its lease runs out.
 *
 * Kinds of run:
 *   digest|<pid>|<due>     the partnership's digest for every subscription due at that minute
 *   reminders|<pid>|<due>  the partnership's reminders (hourly)
 *   sweep||<due>           the hourly sweep that lays one `reminders` run per partnership
 */
export type RunKind = 'digest' | 'reminders' | 'sweep';

export interface RunRow extends OutboxLease {
  readonly kind: RunKind;
  /** Empty for the sweep, which is of no partnership. */
  readonly partnershipId: string;
  /** ISO instant the run is due, to the minute. */
  readonly due: string;
  /** Which instance holds (or last held) the claim: for the log. */
  readonly holder?: string;
  /** What the run came to, in a few words: `sent to 3`, `skipped: 13 hours late`. */
  readonly outcome?: string;
}

export interface StoredRun {
  readonly row: RunRow;
  readonly etag: string;
}

type RunEntity = {
  partitionKey: string;
  rowKey: string;
  kind: string;
  partnershipId: string;
  due: string;
  state: string;
  attempts: number;
  leaseUntil: string;
  notBefore: string;
  holder: string;
  outcome: string;
};

/** `2026-11-30T09`: the UTC hour a run is due in, its partition. */
function hourPartition(at: Date): string {
  return at.toISOString().slice(0, 13);
}

function runRowKey(kind: RunKind, partnershipId: string, due: Date): string {
  return `${kind}|${escapeKey(partnershipId)}|${dueInstantKey(due)}`;
}

function toEntity(row: RunRow): RunEntity {
  const due = new Date(row.due);
  return {
    partitionKey: hourPartition(due),
    rowKey: runRowKey(row.kind, row.partnershipId, due),
    kind: row.kind,
    partnershipId: row.partnershipId,
    due: row.due,
    state: row.state,
    attempts: row.attempts,
    leaseUntil: row.leaseUntil ?? '',
    notBefore: row.notBefore ?? '',
    holder: row.holder ?? '',
    outcome: row.outcome ?? '',
  };
}

function rowOf(e: RunEntity): RunRow {
  return {
    kind: e.kind as RunKind,
    partnershipId: e.partnershipId,
    due: e.due,
    state: e.state as OutboxState,
    attempts: e.attempts,
    ...(e.leaseUntil ? { leaseUntil: e.leaseUntil } : {}),
    ...(e.notBefore ? { notBefore: e.notBefore } : {}),
    ...(e.holder ? { holder: e.holder } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
  };
}

function newRun(kind: RunKind, partnershipId: string, due: Date): RunRow {
  return { kind, partnershipId, due: due.toISOString(), state: 'due', attempts: 0 };
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

export class ScheduleStore {
  constructor(private readonly tables: Tables) {}

  /** Writes the run as due unless it exists: every process that computes the same run writes one row. */
  async ensureRun(kind: RunKind, partnershipId: string, due: Date): Promise<'created' | 'exists'> {
    try {
      await this.tables.schedule.createEntity(toEntity(newRun(kind, partnershipId, due)));
      return 'created';
    } catch (error) {
      if (statusOf(error) === 409) return 'exists';
      throw error;
    }
  }

  /** Many runs of one due instant (one partition): one transaction per 100, existing ones left as they are. */
  async ensureRuns(kind: RunKind, partnershipIds: readonly string[], due: Date): Promise<void> {
    const BATCH = 100;
    for (let start = 0; start < partnershipIds.length; start += BATCH) {
      const batch = partnershipIds.slice(start, start + BATCH);
      const actions: TransactionAction[] = batch.map((pid) => ['create', toEntity(newRun(kind, pid, due))]);
      try {
        await this.tables.schedule.submitTransaction(actions);
      } catch (error) {
        // One row of the batch exists (a sweep tried again): lay them one by one.
        if (statusOf(error) !== 409) throw error;
        for (const pid of batch) await this.ensureRun(kind, pid, due);
      }
    }
  }

  async get(kind: RunKind, partnershipId: string, due: Date): Promise<StoredRun | undefined> {
    try {
      const e = await this.tables.schedule.getEntity<RunEntity>(
        hourPartition(due),
        runRowKey(kind, partnershipId, due),
      );
      return { row: rowOf(e), etag: e.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * The runs not yet finished that were due by `now`: one query of the due-hour partitions from
   * `from` (every one before `now` when absent: the start-up catch-up) to `now`'s hour.
   */
  async openRuns(now: Date, from?: Date): Promise<StoredRun[]> {
    const range = [
      ...(from ? [`PartitionKey ge ${quote(hourPartition(from))}`] : []),
      `PartitionKey le ${quote(hourPartition(now))}`,
    ];
    const filter = `${range.join(' and ')} and (state eq 'due' or state eq 'claimed')`;
    const runs: StoredRun[] = [];
    for await (const e of this.tables.schedule.listEntities<RunEntity>({ queryOptions: { filter } })) {
      if (Date.parse(e.due) <= now.getTime()) runs.push({ row: rowOf(e), etag: e.etag });
    }
    return runs;
  }

  /** Claims the run for `holder` if nobody changed it since it was read; undefined when another process won. */
  async claim(run: StoredRun, now: Date, holder: string, leaseMs?: number): Promise<StoredRun | undefined> {
    return this.replace(run, { ...claim(run.row, now, leaseMs), holder });
  }

  /** Holds the claim longer; undefined when the lease was lost to another process. */
  async renew(run: StoredRun, now: Date, leaseMs?: number): Promise<StoredRun | undefined> {
    return this.replace(run, renewLease(run.row, now, leaseMs));
  }

  /** Writes the run's next state under the ETag it was read with; undefined when it changed meanwhile. */
  async replace(run: StoredRun, next: RunRow): Promise<StoredRun | undefined> {
    try {
      const result = await orConflict(
        this.tables.schedule.updateEntity(toEntity(next), 'Replace', { etag: run.etag }),
        'the run changed meanwhile',
      );
      return { row: next, etag: result.etag ?? '' };
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }

  /** The ids of every partnership, for the reminders sweep: one query across the table's profile rows. */
  async partnershipIds(): Promise<PartnershipId[]> {
    const ids: PartnershipId[] = [];
    for await (const e of this.tables.partnerships.listEntities<{ partitionKey: string }>({
      queryOptions: { filter: `RowKey eq ${quote(keys.profile)}`, select: ['PartitionKey'] },
    })) {
      ids.push(e.partitionKey as PartnershipId);
    }
    return ids;
  }
}
