import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * What a turn (the handling of one activity) and each send within it know about their time:
 * the deadline, a signal that aborts whatever is still waiting on the connector when it passes,
 * and the reference under which a failure is logged. Carried in async context, so the connector's
 * HTTP pipeline reads it without botbuilder passing it along.
 */
export interface TimeScope {
  readonly ref: string;
  /** Epoch ms. */
  readonly deadline: number;
  readonly signal: AbortSignal;
}

const turns = new AsyncLocalStorage<TimeScope>();
const sends = new AsyncLocalStorage<TimeScope>();

export function newRef(): string {
  return randomBytes(3).toString('hex');
}

/** The turn running now, if any (proactive sends run outside one). */
export function currentTurn(): TimeScope | undefined {
  return turns.getStore();
}

/** The send attempt running now, if any. */
export function currentSend(): TimeScope | undefined {
  return sends.getStore();
}

/** Runs `work` as one send attempt: the connector call it makes is aborted at `scope.signal`. */
export function asSend<T>(scope: TimeScope, work: () => Promise<T>): Promise<T> {
  return sends.run(scope, work);
}

const OVERRAN = Symbol('overran');

export type TurnOutcome<T> =
  { readonly kind: 'done'; readonly value: T } | { readonly kind: 'overran'; readonly ref: string };

/**
 * Runs a turn with a deadline. When the deadline passes first, the turn's signal aborts what it
 * still waits on and 'overran' comes back at once, so the HTTP answer goes within Teams' time;
 * the turn's own promise is left to settle, and its failure is swallowed (it is logged with the
 * reference by whoever answers for the turn).
 */
export async function runTurn<T>(
  deadlineMs: number,
  work: (scope: TimeScope) => Promise<T>,
  ref: string = newRef(),
): Promise<TurnOutcome<T> & { settled: Promise<void> }> {
  const controller = new AbortController();
  const scope: TimeScope = { ref, deadline: Date.now() + deadlineMs, signal: controller.signal };
  const running = turns.run(scope, () => work(scope));
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<typeof OVERRAN>((resolve) => {
    timer = setTimeout(() => resolve(OVERRAN), deadlineMs);
  });
  try {
    const first = await Promise.race([running.then((value) => ({ value })), overran]);
    if (first === OVERRAN) {
      controller.abort(new TurnOverran(ref));
      return { kind: 'overran', ref, settled };
    }
    return { kind: 'done', value: first.value, settled };
  } finally {
    clearTimeout(timer);
  }
}

/** The reason a turn's connector calls were aborted. */
export class TurnOverran extends Error {
  override readonly name = 'TurnOverran';
  constructor(readonly ref: string) {
    super(`the turn passed its deadline (ref ${ref})`);
  }
}

/** A signal that aborts when any of these do (AbortSignal.any, with the undefined ones left out). */
export function anySignal(...signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length <= 1) return given[0];
  return AbortSignal.any(given);
}
