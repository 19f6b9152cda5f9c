import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('blocks after the limit of failures and frees the key when the window has passed', () => {
    const throttle = new LoginThrottle(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(throttle.isBlocked('ip|a@example.jp', t0 + i)).toBe(false);
      throttle.recordFailure('ip|a@example.jp', t0 + i);
    }
    expect(throttle.isBlocked('ip|a@example.jp', t0 + 10)).toBe(true);
    expect(throttle.isBlocked('ip|b@example.jp', t0 + 10)).toBe(false);
    expect(throttle.isBlocked('ip|a@example.jp', t0 + 60_003)).toBe(false);
  });

  it('forgets failures after a successful sign-in', () => {
    const throttle = new LoginThrottle(2, 60_000);
    throttle.recordFailure('k', 1);
    throttle.recordFailure('k', 2);
    throttle.reset('k');
    expect(throttle.isBlocked('k', 3)).toBe(false);
  });

  it('reports the first refusal of a blocked key once per window', () => {
    const throttle = new LoginThrottle(1, 60_000);
    throttle.recordFailure('k', 1);
    expect([throttle.firstRefusal('k', 2), throttle.firstRefusal('k', 3), throttle.firstRefusal('other', 3)]).toEqual([true, false, true]);
    expect(throttle.firstRefusal('k', 60_003)).toBe(true);
    throttle.reset('k');
    expect(throttle.firstRefusal('k', 60_004)).toBe(true);
  });
});
