/**
 * Failed sign-ins per key (address of the client + account name) in a sliding window: after
 * `limit` failures, further attempts are refused until the window has passed.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  /** When a refusal of a blocked key was last reported (one audit line per key and window, not one per attempt). */
  private readonly reported = new Map<string, number>();

  constructor(private readonly limit = 5, private readonly windowMs = 15 * 60_000) {}

  isBlocked(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.limit;
  }

  recordFailure(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.set(key, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(key: string): void {
    this.failures.delete(key);
    this.reported.delete(key);
  }

  /** True for the first refusal of a blocked key in a window, false for the ones after it. */
  firstRefusal(key: string, now: number): boolean {
    const last = this.reported.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.reported.set(key, now);
    if (this.reported.size > 10_000) this.reported.delete(this.reported.keys().next().value as string);
    return true;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }
}
