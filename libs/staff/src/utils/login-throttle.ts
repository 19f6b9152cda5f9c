/** Where failed sign-ins are counted: the database (LoginFailureRepository), shared by every instance. */
export interface LoginFailureStore {
  /** How many entries `key` has at or after `since` (epoch ms). */
  count(key: string, since: number): Promise<number>;
  /** Adds an entry for `key` at `at`; entries of any key older than `expiredBefore` may go. */
  add(key: string, at: number, expiredBefore: number): Promise<void>;
  /** Forgets every entry of these keys. */
  clear(keys: string[]): Promise<void>;
}

/** A sign-in's throttle key: the client's address and the account, as StaffService builds it too. */
export const throttleKey = (clientIp: string, email: string) => `${clientIp}|${email.trim().toLowerCase()}`;
/** The account part of a throttle key (an address never contains '|'). */
const accountOf = (key: string) => key.slice(key.indexOf('|') + 1);
/** The store key under which a refusal of `key` was reported. */
const refusalKey = (key: string) => `refused|${key}`;
/** Wrong second-factor codes are counted per account, whatever the address they came from. */
const codeKey = (key: string) => `code|${accountOf(key)}`;

/**
 * Failed sign-ins per key (address of the client + account name) in a sliding window: after
 * `limit` failures, further attempts are refused until the window has passed. The counts live in
 * a store that every server process shares, so that attempts spread over instances meet one limit.
 *
 * A wrong second-factor code counts toward the same limit, per account from any address (only
 * someone who has the password can give one). A correct password does not forget those: only a
 * completed sign-in (`signedIn`) does, so starting over at the password step gains no attempts.
 */
export class LoginThrottle {
  constructor(private readonly store: LoginFailureStore, private readonly limit = 5, private readonly windowMs = 15 * 60_000) {}

  async isBlocked(key: string, now: number): Promise<boolean> {
    return (await this.attemptsLeft(key, now)) <= 0;
  }

  /** Failures still allowed before `key` is blocked: wrong passwords from its address plus the account's wrong codes. */
  async attemptsLeft(key: string, now: number): Promise<number> {
    const since = now - this.windowMs + 1;
    return this.limit - (await this.store.count(key, since)) - (await this.store.count(codeKey(key), since));
  }

  recordFailure(key: string, now: number): Promise<void> {
    return this.store.add(key, now, now - this.windowMs + 1);
  }

  /**
   * Counts a second-factor attempt as a failure before its code is checked (a right code then
   * calls `signedIn`, which forgets it), and returns the attempts left after it. Counting first
   * means attempts sent in parallel cannot all pass a check made before any was recorded: a
   * negative result is over the limit and the code must not be checked.
   */
  async countCodeAttempt(key: string, now: number): Promise<number> {
    await this.store.add(codeKey(key), now, now - this.windowMs + 1);
    return this.attemptsLeft(key, now);
  }

  /** A correct password: its address's wrong passwords are forgotten, the account's wrong codes are not. */
  reset(key: string): Promise<void> {
    return this.store.clear([key, refusalKey(key)]);
  }

  /** A completed sign-in (password and second factor): every failure of the key and its account is forgotten. */
  signedIn(key: string): Promise<void> {
    return this.store.clear([key, refusalKey(key), codeKey(key)]);
  }

  /** True for the first refusal of a blocked key in a window, false for the ones after it (one audit line, not one per attempt). */
  async firstRefusal(key: string, now: number): Promise<boolean> {
    if ((await this.store.count(refusalKey(key), now - this.windowMs + 1)) > 0) return false;
    await this.store.add(refusalKey(key), now, now - this.windowMs + 1);
    return true;
  }
}
