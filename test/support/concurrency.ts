import { vi } from 'vitest';

/**
 * Holds every call of `object[method]` until `count` calls have arrived, then lets them all go on
 * at once. Commands posted together with Promise.all may otherwise be handled one after the
 * other (the first finished before the second has started), which tests nothing about a race.
 * A call never waits longer than `maxWaitMs`, so a command that does not get this far fails
 * the test on its own answer rather than hanging it. Restore the method with `restore()`.
 *
 *   const meeting = meetAt(bot.app.services.roles, 'revoke', 2);
 *   try { await Promise.all([...]); } finally { meeting.restore(); }
 */
export function meetAt<T extends object, K extends keyof T & string>(
  object: T,
  method: K,
  count: number,
  maxWaitMs = 5_000,
): { restore(): void; arrived(): number } {
  const original = object[method] as (...args: unknown[]) => unknown;
  let arrived = 0;
  let release!: () => void;
  const everyone = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, maxWaitMs).unref();
  });
  const methods = object as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  // A method spied on a prototype runs for whichever instance was called: `this` is kept.
  const spy = vi.spyOn(methods, method).mockImplementation(async function (this: unknown, ...args: unknown[]) {
    if (++arrived === count) release();
    await everyone;
    return original.apply(this, args);
  });
  return { restore: () => spy.mockRestore(), arrived: () => arrived };
}
