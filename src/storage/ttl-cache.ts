/**
 * A short in-process memory of rows that rarely change (which partnership a chat is linked to, a
 * partnership's profile). Another instance's change shows here within `ttlMs` at the latest; this
 * instance forgets a key as soon as it writes it. Writes never decide on what is held here.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
