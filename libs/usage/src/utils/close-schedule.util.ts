import { jstMonthOf, jstMonthRange, shiftJstMonth } from '@kkd/core';

/** The scheduler closes the previous month on the 1st at 09:00 Asia/Tokyo. */
export const CLOSE_HOUR_JST = 9;

/** The instant a month is due to be closed: 09:00 JST on the 1st of the month after it. */
export function closeDueAt(month: string): Date {
  const next = jstMonthRange(shiftJstMonth(month, 1))!;
  return new Date(next.start.getTime() + CLOSE_HOUR_JST * 3600_000);
}

/** The latest month that should be closed at `now` (the one before, from 09:00 on the 1st). */
export function latestMonthDueForClose(now: Date): string {
  const previous = shiftJstMonth(jstMonthOf(now), -1);
  return now.getTime() >= closeDueAt(previous).getTime() ? previous : shiftJstMonth(previous, -1);
}

/** A month can be closed (by hand as well) once it is over in Japan. */
export function isMonthOver(month: string, now: Date): boolean {
  return jstMonthRange(month)!.end.getTime() <= now.getTime();
}
