import holidayJp from '@holiday-jp/holiday_jp';
import { JST_OFFSET_MS } from './civil-date.util';

/**
 * The Japan years whose national holidays the calendar knows (@holiday-jp/holiday_jp: 1970 to
 * 2050). Outside them a due time would silently ignore holidays, or overflow Date arithmetic.
 */
export function calendarYears(holidays: Record<string, unknown> = holidayJp.holidays): { first: number; last: number } {
  const years = Object.keys(holidays).map((d) => Number(d.slice(0, 4)));
  return { first: Math.min(...years), last: Math.max(...years) };
}

const YEARS = calendarYears();
const START_MS = Date.UTC(YEARS.first, 0, 1) - JST_OFFSET_MS;
const END_MS = Date.UTC(YEARS.last + 1, 0, 1) - JST_OFFSET_MS;

/** Whether the instant falls in a Japan year the holiday calendar covers. */
export function withinCalendar(instant: Date): boolean {
  const t = instant.getTime();
  return t >= START_MS && t < END_MS;
}

/** The covered range, for messages: `1970-01-01 to 2050-12-31 (Japan time)`. */
export const CALENDAR_RANGE_TEXT = `${YEARS.first}-01-01 to ${YEARS.last}-12-31 (Japan time)`;
