/** A lost optimistic-concurrency race (412) or a create of a row that exists (409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const code = error.statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

/** A missing row; a missing table is a fault (the tables are created at boot) and goes up as an error. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 && errorCodeOf(error) !== 'TableNotFound';
}

/** The service's error code (e.g. TableNotFound), wherever this SDK version put it. */
export function errorCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; details?: { odataError?: { code?: unknown } }; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.details?.odataError?.code === 'string') return e.details.odataError.code;
  return typeof e?.message === 'string' ? /"code"\s*:\s*"(\w+)"/.exec(e.message)?.[1] : undefined;
}

/** Connection failures that mean the storage account cannot be reached at all (refused, reset, unknown host, timed out). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);

/**
 * True when storage could not be reached or is too busy to answer (no answer in time, a refused
 * connection, 500/503 from the service): a passing outage that people should hear about as such,
 * not a fault of ours. A missing table or row is not an outage.
 */
export function isStorageUnavailable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 500 || status === 503) return true;
  if (status !== undefined) return false;
  const e = error as { name?: unknown; code?: unknown; cause?: unknown };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  if (typeof e?.code === 'string' && UNREACHABLE.has(e.code)) return true;
  return e?.cause !== undefined && e.cause !== error && isStorageUnavailable(e.cause);
}

/** Turns the SDK's 409/412 into a typed ConflictError; anything else goes up unchanged. */
export async function orConflict<T>(operation: Promise<T>, what: string): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 412) throw new ConflictError(what, { cause: error });
    throw error;
  }
}

export interface RetryOptions {
  /** Epoch ms after which no new attempt starts (the turn's deadline). */
  readonly deadline?: number;
  /** At most this many attempts; without a deadline, 12. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** The longest wait between two attempts. */
  readonly maxDelayMs?: number;
  /** Which conflicts this loop retries; others go up to an outer loop (every ConflictError unless told). */
  readonly retries?: (error: ConflictError) => boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` again when it loses an optimistic-concurrency race (ConflictError), after a
 * jittered backoff, until it wins, the attempts run out or the deadline nears. Each attempt must
 * read what it changes afresh, so a retry decides on what is stored now.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  // With a deadline, the deadline is the limit: a burst of fifty writers to one row needs fifty turns.
  const attempts = options.attempts ?? (options.deadline === undefined ? 12 : Number.POSITIVE_INFINITY);
  const base = options.baseDelayMs ?? 10;
  // Fifty writers to one row need waits that grow well past one attempt's time, or they clash again in step.
  const cap = options.maxDelayMs ?? 1_000;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError) || n >= attempts || options.retries?.(error) === false) throw error;
      // Full jitter spreads writers that clashed, so they do not clash again in step.
      const delay = Math.random() * Math.min(cap, base * 2 ** n);
      if (Date.now() + delay >= deadline) throw error;
      await sleep(delay);
    }
  }
}
