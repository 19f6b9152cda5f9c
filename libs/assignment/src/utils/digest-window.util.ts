/** The daily digest goes out from 08:30 Japan time (minutes after midnight). */
export const DIGEST_MINUTE_OF_DAY_JST = 8 * 60 + 30;
const JST_OFFSET_MS = 9 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface DigestWindow {
  /** The Japan date of the digest (YYYY-MM-DD): one digest per expert and date. */
  key: string;
  /** Consults created from here … */
  since: Date;
  /** … up to (not including) here. */
  until: Date;
}

/**
 * Today's digest window at `now`, or null before 08:30 JST. It starts where the expert's last
 * digest ended (nothing is listed twice or skipped); a first digest covers the 24 hours before
 * today's 08:30.
 */
export function digestWindow(now: Date, lastCoveredUntil: Date | null): DigestWindow | null {
  const local = new Date(now.getTime() + JST_OFFSET_MS);
  const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
  if (minuteOfDay < DIGEST_MINUTE_OF_DAY_JST) return null;
  const key = local.toISOString().slice(0, 10);
  const todayAt = Date.parse(`${key}T00:00:00Z`) - JST_OFFSET_MS + DIGEST_MINUTE_OF_DAY_JST * 60_000;
  const since = lastCoveredUntil ?? new Date(todayAt - DAY_MS);
  return { key, since, until: now };
}
