import { jstMonthRange, shiftJstMonth } from '@kkd/core';

/** Japan calendar month "YYYY-MM": its instants [start, end), or null when the text is not a month. */
export const monthRange = jstMonthRange;

/** The month `delta` months from "YYYY-MM": ("2026-01", -1) → "2025-12". */
export const shiftMonth = shiftJstMonth;

/** The `count` months ending with `month`, oldest first: ("2026-02", 3) → 2025-12, 2026-01, 2026-02. */
export function monthsEndingWith(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftMonth(month, i - (count - 1)));
}

/**
 * The median of the values, or null for none: with an even count, the mean of the two middle
 * values (rounded to a whole minute), not the lower one as the nearest rank would give.
 */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/**
 * The p-th percentile (nearest rank) of the values, or null for none: a value that was observed,
 * "p % of responses took at most this" (the 90th; the middle is `median`).
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Share in percent with one decimal, or null when nothing was decided. */
export function ratePercent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
