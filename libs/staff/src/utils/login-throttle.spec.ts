import { LoginFailureStore, LoginThrottle } from './login-throttle';

/** The store's contract in memory (the database one, LoginFailureRepository, is exercised by the e2e specs). */
class MemoryStore implements LoginFailureStore {
  entries: { key: string; at: number }[] = [];
  async count(key: string, since: number) { return this.entries.filter((e) => e.key === key && e.at >= since).length; }
  async add(key: string, at: number, expiredBefore: number) { this.entries = [...this.entries.filter((e) => e.at >= expiredBefore), { key, at }]; }
  async clear(keys: string[]) { this.entries = this.entries.filter((e) => !keys.includes(e.key)); }
}

describe('LoginThrottle', () => {
  it('blocks after the limit of failures and frees the key when the window has passed', async () => {
    const throttle = new LoginThrottle(new MemoryStore(), 3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(await throttle.isBlocked('ip|a@example.jp', t0 + i)).toBe(false);
      await throttle.recordFailure('ip|a@example.jp', t0 + i);
    }
    expect(await throttle.isBlocked('ip|a@example.jp', t0 + 10)).toBe(true);
    expect(await throttle.isBlocked('ip|b@example.jp', t0 + 10)).toBe(false);
    expect(await throttle.isBlocked('ip|a@example.jp', t0 + 59_999)).toBe(true); // the first failure is still inside
    expect(await throttle.isBlocked('ip|a@example.jp', t0 + 60_000)).toBe(false);
  });

  it('counts failures recorded through any throttle sharing the store (one per server process)', async () => {
    const store = new MemoryStore();
    const [a, b] = [new LoginThrottle(store, 3, 60_000), new LoginThrottle(store, 3, 60_000)];
    await a.recordFailure('k', 1);
    await b.recordFailure('k', 2);
    expect(await a.isBlocked('k', 3)).toBe(false);
    await a.recordFailure('k', 3);
    expect([await a.isBlocked('k', 4), await b.isBlocked('k', 4)]).toEqual([true, true]);
  });

  it('forgets failures after a successful sign-in', async () => {
    const throttle = new LoginThrottle(new MemoryStore(), 2, 60_000);
    await throttle.recordFailure('k', 1);
    await throttle.recordFailure('k', 2);
    await throttle.reset('k');
    expect(await throttle.isBlocked('k', 3)).toBe(false);
  });

  it('drops entries older than the window when adding, whatever their key', async () => {
    const store = new MemoryStore();
    const throttle = new LoginThrottle(store, 2, 60_000);
    await throttle.recordFailure('old', 1);
    await throttle.recordFailure('new', 70_000);
    expect(store.entries.map((e) => e.key)).toEqual(['new']);
  });

  it('reports the first refusal of a blocked key once per window', async () => {
    const throttle = new LoginThrottle(new MemoryStore(), 1, 60_000);
    await throttle.recordFailure('k', 1);
    expect([await throttle.firstRefusal('k', 2), await throttle.firstRefusal('k', 3), await throttle.firstRefusal('other', 3)]).toEqual([true, false, true]);
    expect(await throttle.firstRefusal('k', 60_003)).toBe(true);
    await throttle.reset('k');
    expect(await throttle.firstRefusal('k', 60_004)).toBe(true);
  });

  describe('wrong second-factor codes', () => {
    it('count toward the limit of every address of the account, together with its address\'s wrong passwords', async () => {
      const throttle = new LoginThrottle(new MemoryStore(), 3, 60_000);
      expect(await throttle.countCodeAttempt('10.0.0.1|a@example.jp', 1)).toBe(2);
      await throttle.recordFailure('10.0.0.2|a@example.jp', 2);
      expect([await throttle.attemptsLeft('10.0.0.2|a@example.jp', 3), await throttle.attemptsLeft('10.0.0.3|a@example.jp', 3), await throttle.attemptsLeft('10.0.0.1|b@example.jp', 3)]).toEqual([1, 2, 3]);
      expect(await throttle.countCodeAttempt('10.0.0.3|a@example.jp', 4)).toBe(1);
      expect(await throttle.isBlocked('10.0.0.2|a@example.jp', 5)).toBe(true);
      expect(await throttle.isBlocked('10.0.0.9|a@example.jp', 5)).toBe(false);
    });

    it('survive a correct password (reset) and are forgotten by a completed sign-in', async () => {
      const throttle = new LoginThrottle(new MemoryStore(), 2, 60_000);
      await throttle.countCodeAttempt('ip|a@example.jp', 1);
      await throttle.countCodeAttempt('ip|a@example.jp', 2);
      await throttle.reset('ip|a@example.jp');
      expect(await throttle.isBlocked('ip|a@example.jp', 3)).toBe(true);
      await throttle.signedIn('ip|a@example.jp');
      expect(await throttle.attemptsLeft('ip|a@example.jp', 4)).toBe(2);
    });

    it('report an attempt over the limit as negative, so that it is not checked', async () => {
      const throttle = new LoginThrottle(new MemoryStore(), 2, 60_000);
      expect([await throttle.countCodeAttempt('k', 1), await throttle.countCodeAttempt('k', 2), await throttle.countCodeAttempt('k', 3)]).toEqual([1, 0, -1]);
      expect(await throttle.attemptsLeft('k', 60_003)).toBe(2); // the window has passed
    });
  });
});
