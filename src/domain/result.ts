/** The one shape for an outcome that is not thrown: a value, or what is wrong with the input. */
export type Result<T, P = string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: P };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <P = string>(problem: P): Result<never, P> => ({ ok: false, problem });
