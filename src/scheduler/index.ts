import { randomBytes } from 'node:crypto';
import type { Services } from '../commands/services.js';
import type { CommandFamily } from '../commands/types.js';
import {
  afterFailedAttempt,
  canClaim,
  DEFAULT_LEASE_MS,
  isAbandoned,
  markSent,
  markSkipped,
} from '../domain/schedule.js';
import { DigestRepository } from '../storage/digests.js';
import { ReminderStore } from '../storage/reminders.js';
import { ScheduleStore, type RunRow, type StoredRun } from '../storage/schedule.js';
import { runDigest, type RunResult } from './digest-run.js';
import { forEachLimited, LeaseKeeper } from './lease.js';
import { runReminders, type ReminderContext } from './reminder-run.js';

/**
 * The scheduler inside every bot process: a tick every 30 s finds the runs due (one query of the
 * due-hour partitions of `schedule`), claims some of them (an ETag-conditional update with a
 * lease: exactly one process wins each), and runs them. There is no leader: every instance ticks,
 * and claims spread over instances because each tries the due runs in its own random order. The
 * first tick after start-up reads every hour before now (the catch-up); later ticks read the last
 * 13 hours, the most a run can be late and still be handled on time.
 */
export interface SchedulerOptions {
  readonly services: Services;
  readonly families: () => readonly CommandFamily[];
  readonly tickMs?: number;
  readonly leaseMs?: number;
  /** Runs claimed by one tick of one instance; the others are left to other instances and ticks. */
  readonly runsPerTick?: number;
  /** Sends in flight at once in one fan-out (the sender paces what reaches Teams). */
  readonly fanOut?: number;
  readonly instanceId?: string;
}

export interface TickReport {
  readonly at: Date;
  readonly runs: ReadonlyArray<Pick<RunRow, 'kind' | 'partnershipId' | 'due'> & { readonly outcome: string }>;
}

export const TICK_MS = 30_000;
const RECENT_HOURS_MS = 13 * 3600 * 1000;
/** A full read of the outbox again now and then, in case a run slipped past every recent read. */
const FULL_READ_EVERY_MS = 6 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export class Scheduler {
  readonly instanceId: string;
  private readonly store: ScheduleStore;
  private readonly context: ReminderContext;
  private readonly leaseMs: number;
  private readonly runsPerTick: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Ticks run one after another: a tick asked for while one runs waits for it. */
  private chain: Promise<unknown> = Promise.resolve();
  private busy = false;
  private lastFullRead: number | undefined;
  private sweptHour: string | undefined;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    const { services } = options;
    this.instanceId = options.instanceId ?? randomBytes(4).toString('hex');
    this.store = new ScheduleStore(services.tables);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.runsPerTick = options.runsPerTick ?? 20;
    this.context = {
      services,
      sources: { families: options.families, audit: services.audit, logger: services.logger },
      digests: new DigestRepository(services.tables),
      reminders: new ReminderStore(services.tables),
      store: this.store,
      logger: services.logger.child({ scheduler: this.instanceId }),
      fanOut: options.fanOut ?? 32,
      stopping: () => this.stopping,
    };
  }

  /** Ticks every 30 s from now on (the server does this; tests call `tick` themselves). */
  start(): void {
    if (this.timer) return;
    this.stopping = false;
    const tick = () => {
      if (this.busy) return;
      void this.tick().catch((error: unknown) => this.context.logger.error({ err: error }, 'scheduler tick failed'));
    };
    this.timer = setInterval(tick, this.options.tickMs ?? TICK_MS);
    this.timer.unref();
    tick();
  }

  /** Stops ticking; a fan-out in flight stops between sends, and its run is taken over after its lease. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.chain;
  }

  /** One tick: lay this hour's reminders sweep, claim what is due, run it. Ticks of one instance never overlap. */
  async tick(): Promise<TickReport> {
    const run = this.chain
      .then(() => {
        this.busy = true;
        return this.tickOnce();
      })
      .finally(() => {
        this.busy = false;
      });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Claims the runs due without running them (what a process that dies just after claiming leaves behind). */
  async claimDue(): Promise<StoredRun[]> {
    const now = this.context.services.clock();
    return this.claim(await this.store.openRuns(now, this.readFrom(now)), now);
  }

  private async tickOnce(): Promise<TickReport> {
    const now = this.context.services.clock();
    await this.laySweep(now);
    const runs: Array<TickReport['runs'][number]> = [];
    // A sweep lays the hour's reminder runs: read again so this tick runs them too.
    for (let pass = 0; pass < 2; pass++) {
      const claimed = await this.claim(await this.store.openRuns(now, this.readFrom(now)), now);
      await forEachLimited(claimed, 4, async (run) => {
        runs.push({ ...pick(run.row), outcome: await this.execute(run) });
      });
      if (!claimed.some((run) => run.row.kind === 'sweep')) break;
    }
    return { at: now, runs };
  }

  /** Every hour before now at start-up and every few hours, else the recent ones. */
  private readFrom(now: Date): Date | undefined {
    if (this.lastFullRead === undefined || now.getTime() - this.lastFullRead >= FULL_READ_EVERY_MS) {
      this.lastFullRead = now.getTime();
      return undefined;
    }
    return new Date(now.getTime() - RECENT_HOURS_MS);
  }

  /** The hourly sweep that lays each partnership's reminders run; every instance lays it, one row is written. */
  private async laySweep(now: Date): Promise<void> {
    const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const key = hour.toISOString();
    if (this.sweptHour === key) return;
    await this.store.ensureRun('sweep', '', hour);
    this.sweptHour = key;
  }

  private async claim(open: readonly StoredRun[], now: Date): Promise<StoredRun[]> {
    const claimed: StoredRun[] = [];
    for (const run of shuffled(open)) {
      if (claimed.length >= this.runsPerTick) break;
      if (isAbandoned(run.row, now)) {
        await this.store.replace(run, { ...run.row, state: 'failed', outcome: 'its last holder stopped' });
      } else if (canClaim(run.row, now)) {
        const won = await this.store.claim(run, now, this.instanceId, this.leaseMs);
        if (won) claimed.push(won);
      }
    }
    return claimed;
  }

  /** Runs one claimed run and writes how it ended under the ETag of the claim it still holds. */
  private async execute(run: StoredRun): Promise<string> {
    const keeper = new LeaseKeeper(run, this.store, this.context.services.clock, this.leaseMs);
    let result: RunResult;
    try {
      result = await this.perform(run, keeper);
    } catch (error) {
      this.context.logger.error({ err: error, run: pick(run.row) }, 'scheduled run failed');
      result = { state: 'retry', outcome: `failed: ${error instanceof Error ? error.message : 'unknown'}` };
    }
    const held = keeper.current;
    const next =
      result.state === 'sent'
        ? markSent(held.row)
        : result.state === 'skipped'
          ? markSkipped(held.row)
          : afterFailedAttempt(held.row, this.context.services.clock());
    const written = await this.store.replace(held, { ...next, outcome: result.outcome.slice(0, 500) });
    if (!written) this.context.logger.warn({ run: pick(run.row) }, 'run taken over by another instance');
    this.context.logger.info({ run: pick(run.row), state: next.state, outcome: result.outcome }, 'scheduled run');
    return result.outcome;
  }

  private async perform(run: StoredRun, keeper: LeaseKeeper): Promise<RunResult> {
    switch (run.row.kind) {
      case 'digest':
        return runDigest(this.context, run, keeper);
      case 'reminders':
        return runReminders(this.context, run, keeper);
      case 'sweep': {
        const ids = await this.store.partnershipIds();
        await this.store.ensureRuns('reminders', ids, new Date(run.row.due));
        return { state: 'sent', outcome: `reminders laid for ${ids.length}` };
      }
    }
  }
}

function pick(row: RunRow): Pick<RunRow, 'kind' | 'partnershipId' | 'due'> {
  return { kind: row.kind, partnershipId: row.partnershipId, due: row.due };
}

/** A random order, so that instances ticking together mostly try different runs first. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
