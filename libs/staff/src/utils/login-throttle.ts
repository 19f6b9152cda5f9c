/** Where failed sign-ins are counted: the database (LoginFailureRepository), shared by every instance. */
export interface LoginFailureStore {
  /** How many entries `key` has at or after `since` (epoch ms). */
  count(key: string, since: number): Promise<number>;
  /** Adds an entry for `key` at `at`; entries of any key older than `expiredBefore` may go. */
  add(key: string, at: number, expiredBefore: number): Promise<void>;
  /** Forgets every entry of these keys. */
  clear(keys: string[]): Promise<void>;
}

/** The store key under which a refusal of `key` was reported. */
const refusalKey = (key: string) => `refused|${key}`;

/**
 * Failed sign-ins per key (address of the client + account name) in a sliding window: after
 * `limit` failures, further attempts are refused until the window has passed. The counts live in
 * a store that every server process shares, so that attempts spread over instances meet one limit.
 */
export class LoginThrottle {
  constructor(private readonly store: LoginFailureStore, private readonly limit = 5, private readonly windowMs = 15 * 60_000) {}

  async isBlocked(key: string, now: number): Promise<boolean> {
    return (await this.store.count(key, now - this.windowMs + 1)) >= this.limit;
  }

  recordFailure(key: string, now: number): Promise<void> {
    return this.store.add(key, now, now - this.windowMs + 1);
  }

  reset(key: string): Promise<void> {
    return this.store.clear([key, refusalKey(key)]);
  }

  /** True for the first refusal of a blocked key in a window, false for the ones after it (one audit line, not one per attempt). */
  async firstRefusal(key: string, now: number): Promise<boolean> {
    if ((await this.store.count(refusalKey(key), now - this.windowMs + 1)) > 0) return false;
    await this.store.add(refusalKey(key), now, now - this.windowMs + 1);
    return true;
  }
}
