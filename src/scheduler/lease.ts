import type { ScheduleStore, StoredRun } from '../storage/schedule.js';

/**
 * Holds a claimed run during a long fan-out: the lease is renewed (under the row's ETag) whenever
 * a third of it has passed, so a live holder keeps it and a dead one loses it when it runs out.
 * When a renewal finds the row changed, another process has taken the run over: stop sending.
 */
export class LeaseKeeper {
  private renewedAt: number;
  private renewing: Promise<boolean> | undefined;
  private lost = false;

  constructor(
    private run: StoredRun,
    private readonly store: ScheduleStore,
    private readonly clock: () => Date,
    private readonly leaseMs: number,
  ) {
    this.renewedAt = clock().getTime();
  }

  /** The run as last written, for the final state. */
  get current(): StoredRun {
    return this.run;
  }

  /** Whether the lease is still held; renews it when due. Safe to call from many sends at once. */
  async keep(): Promise<boolean> {
    if (this.lost) return false;
    if (this.clock().getTime() - this.renewedAt < this.leaseMs / 3) return true;
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renew(): Promise<boolean> {
    const now = this.clock();
    const renewed = await this.store.renew(this.run, now, this.leaseMs);
    if (!renewed) {
      this.lost = true;
      return false;
    }
    this.run = renewed;
    this.renewedAt = now.getTime();
    return true;
  }
}

/**
 * Runs `work` for every item with at most `limit` at once, in order of the list; stops starting
 * new ones when `go` answers false. The sender paces what reaches Teams; this only bounds what is
 * in flight.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  go: () => Promise<boolean> | boolean = () => true,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (!(await go()) || next >= items.length) return;
      await work(items[next++]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
