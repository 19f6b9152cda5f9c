/**
 * Calendar dates in Japan written YYYY-MM-DD. All arithmetic is done on UTC fields of a Date that
 * stands for the civil date, so the server's own time zone never changes a result.
 */
export const JST_OFFSET_MS = 9 * 3600_000;
export const DAY_MS = 86_400_000;
const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];

/** The Japan (Asia/Tokyo, UTC+9 all year) calendar date of an instant. */
export function jstDateOf(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of hh:mm Japan time on a civil date. */
export function jstInstant(date: string, hour: number, minute = 0): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hour, minute) - JST_OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** "11/20(金)" */
export function shortJa(date: string): string {
  return `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}(${WEEKDAYS_JA[weekdayOf(date)]})`;
}
