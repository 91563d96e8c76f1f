import type { TableClient } from '@azure/data-tables';
import { statusOf } from './errors.js';
import { conversationKey, escapeKey } from './keys.js';
import type { Storage } from './tables.js';

/**
 * The activities the bot has handled, so that one Teams sends again (it got no answer in time)
 * has no second effect, whichever instance receives it. A row per activity id, in the table of
 * the day it was handled (`seen<yyyymmdd>`, UTC), keyed by conversation:
 *
 *   | table           | PartitionKey | RowKey        | at              |
 *   | seen<yyyymmdd>  | <conv key>   | <activity id> | ISO time handled |
 *
 * An id is remembered for the rest of its day, and at least `MEMORY_MS` across midnight: in the
 * first hour of a day the previous day's table is read too, and a row found there counts only
 * while it is younger than that (the expiry is checked on read). Tables older than yesterday are
 * dropped whole, by the first instance to claim an id on a new day.
 */
export const MEMORY_MS = 60 * 60 * 1000;
const STEM = 'seen';
/**
 * A claim that storage does not answer in this time is given up (the caller handles the activity
 * anyway), so a storage outage costs the turn this much before the command finds it out itself.
 */
const CLAIM_TIMEOUT_MS = 1_000;

type SeenEntity = { partitionKey: string; rowKey: string; at: string };

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10).replace(/-/g, '');
}

export class DeliveryLog {
  /** Days whose table this instance has created, so that only the first claim of a day pays for it. */
  private readonly ready = new Map<string, Promise<void>>();

  constructor(
    private readonly storage: Storage,
    private readonly onCleanupError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Records that the activity is being handled; 'seen' when it was handled before (within the
   * memory), 'first' otherwise. The create decides between two instances that got it at once.
   */
  async claim(conversationId: string, activityId: string, at: Date): Promise<'first' | 'seen'> {
    const row: SeenEntity = {
      partitionKey: conversationKey({ kind: 'conversation', conversationId }),
      rowKey: escapeKey(activityId),
      at: at.toISOString(),
    };
    const abortSignal = AbortSignal.timeout(CLAIM_TIMEOUT_MS);
    const yesterday = new Date(at.getTime() - MEMORY_MS);
    if (dayOf(yesterday) !== dayOf(at) && (await this.seenIn(dayOf(yesterday), row, yesterday, abortSignal))) {
      return 'seen';
    }
    const table = await this.today(dayOf(at), at, abortSignal);
    try {
      await table.createEntity(row, { abortSignal });
      return 'first';
    } catch (error) {
      if (statusOf(error) === 409) return 'seen';
      throw error;
    }
  }

  private async seenIn(day: string, row: SeenEntity, since: Date, abortSignal: AbortSignal): Promise<boolean> {
    try {
      const found = await this.storage.daily
        .table(STEM, day)
        .getEntity<SeenEntity>(row.partitionKey, row.rowKey, { abortSignal });
      return found.at >= since.toISOString();
    } catch (error) {
      // Not there, or yesterday's table is gone already (dropped, or never made): nothing was seen there.
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  private async today(day: string, at: Date, abortSignal: AbortSignal): Promise<TableClient> {
    const table = this.storage.daily.table(STEM, day);
    let made = this.ready.get(day);
    if (!made) {
      made = table.createTable({ abortSignal });
      this.ready.set(day, made);
      made.then(
        () => this.cleanUp(day, at),
        () => this.ready.delete(day),
      );
    }
    await made;
    return table;
  }

  /** Drops the tables before yesterday; runs once a day per instance, in the background. */
  private cleanUp(day: string, at: Date): void {
    for (const known of this.ready.keys()) if (known < day) this.ready.delete(known);
    const yesterday = dayOf(new Date(at.getTime() - 24 * 60 * 60 * 1000));
    this.storage.daily.dropBefore(STEM, yesterday).catch(this.onCleanupError);
  }
}
