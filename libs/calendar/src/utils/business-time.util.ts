import { addDays, jstDateOf, jstInstant, shortJa, weekdayOf } from './civil-date.util';

/** Why a date is not a business day, or null when it is one. */
export type ClosedReason = (date: string) => string | null;

export const BUSINESS_START_HOUR = 9;
export const BUSINESS_END_HOUR = 17;
/** The response is due on the 3rd business day strictly after the day of the inquiry. */
export const SLA_BUSINESS_DAYS = 3;

/** Weekends first, then national and company holidays (`holiday` gives the name). */
export function closedReason(date: string, holiday: (date: string) => string | null): string | null {
  const weekday = weekdayOf(date);
  if (weekday === 0) return '日曜日';
  if (weekday === 6) return '土曜日';
  return holiday(date);
}

export interface DueExplanation {
  /** The Japan date of receipt (D). */
  receivedDate: string;
  /** Days after D that do not count, with the reason. */
  skipped: { date: string; reason: string }[];
  /** The business days counted, in order; the last one is the due day. */
  businessDays: string[];
  dueAt: Date;
}

/**
 * The SLA rule (PRODUCT.md): 17:00 Japan time on the 3rd business day strictly after D, the Japan
 * date on which the mail was received, whatever the time of day and whether or not D is a business day.
 */
export function explainDue(received: Date, closed: ClosedReason, businessDays = SLA_BUSINESS_DAYS): DueExplanation {
  const receivedDate = jstDateOf(received);
  const skipped: DueExplanation['skipped'] = [];
  const counted: string[] = [];
  let date = receivedDate;
  while (counted.length < businessDays) {
    date = addDays(date, 1);
    const reason = closed(date);
    if (reason) skipped.push({ date, reason });
    else counted.push(date);
  }
  return { receivedDate, skipped, businessDays: counted, dueAt: jstInstant(date, BUSINESS_END_HOUR) };
}

/** "受付 11/20(金) → 営業日 11/24, 11/25, 11/26 → 期限 11/26 17:00" */
export function describeDue(e: DueExplanation): string {
  const md = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;
  const last = e.businessDays[e.businessDays.length - 1];
  return `受付 ${shortJa(e.receivedDate)} → 営業日 ${e.businessDays.map(md).join(', ')} → 期限 ${md(last)} ${BUSINESS_END_HOUR}:00`;
}

/** Minutes of [from, to) that fall inside 09:00–17:00 Japan time on business days. */
export function businessMinutesBetween(from: Date, to: Date, closed: ClosedReason): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  const last = jstDateOf(to);
  for (let date = jstDateOf(from); date <= last; date = addDays(date, 1)) {
    if (closed(date)) continue;
    const start = Math.max(from.getTime(), jstInstant(date, BUSINESS_START_HOUR).getTime());
    const end = Math.min(to.getTime(), jstInstant(date, BUSINESS_END_HOUR).getTime());
    if (end > start) total += (end - start) / 60_000;
  }
  return Math.floor(total);
}
