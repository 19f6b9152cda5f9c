const JST_OFFSET_MS = 9 * 3600_000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a calendar month written YYYY-MM (2026-11; not 2026-13 or 2026-1). */
export function isJstMonth(text: string): boolean {
  return MONTH.test(text);
}

/** The Japan (Asia/Tokyo) calendar month "YYYY-MM" of an instant: 2026-11-30T15:30Z is 2026-12. */
export function jstMonthOf(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 7);
}

/** Japan calendar month "YYYY-MM": its instants [start, end), or null when the text is not a month. */
export function jstMonthRange(month: string): { start: Date; end: Date } | null {
  const m = MONTH.exec(month);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const jstMidnight = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1) - JST_OFFSET_MS);
  return { start: jstMidnight(y, mo - 1), end: jstMidnight(y, mo) };
}

/** The month `delta` months from "YYYY-MM": ("2026-01", -1) → "2025-12". */
export function shiftJstMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
