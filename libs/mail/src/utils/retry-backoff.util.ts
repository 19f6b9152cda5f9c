export const MAX_ATTEMPTS = 10;

/** Delay before the next attempt after `attempts` failures: 30 s doubling, at most one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3600_000);
}
