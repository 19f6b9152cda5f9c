import holidayJp from '@holiday-jp/holiday_jp';
import { withinCalendar } from './utils/calendar-range.util';
import { DAY_MS, JST_OFFSET_MS, jstDateOf } from './utils/civil-date.util';
import { CompanyHoliday, companyHolidayOn, DEFAULT_COMPANY_HOLIDAYS } from './utils/company-holidays.util';
import { HolidayJpEntry, nationalHolidayName } from './utils/national-holiday-name.util';
import {
  businessMinutesBetween, closedReason, describeDue, DueExplanation, explainDue,
} from './utils/business-time.util';

/** Japanese national holidays (incl. 振替休日 and 国民の休日) from @holiday-jp/holiday_jp, keyed YYYY-MM-DD. */
const NATIONAL_HOLIDAYS: Record<string, HolidayJpEntry | undefined> = holidayJp.holidays;

function nationalHoliday(date: string): string | null {
  const entry = NATIONAL_HOLIDAYS[date];
  return entry ? nationalHolidayName(entry) : null;
}

/** The national holidays of a year, in order, for the managers' calendar page. */
export function nationalHolidaysOf(year: number): { date: string; name: string }[] {
  return Object.keys(NATIONAL_HOLIDAYS).filter((d) => d.startsWith(`${year}-`)).sort()
    .map((date) => ({ date, name: nationalHolidayName(NATIONAL_HOLIDAYS[date]!) }));
}

/**
 * The secretariat's business calendar: weekdays 09:00–17:00 Asia/Tokyo, except national and
 * company holidays. Pure: every result depends only on the arguments and the holiday lists.
 */
export class BusinessCalendar {
  private companyHolidays: readonly CompanyHoliday[];
  /** Due instant (epoch ms) by Japan day number: the due time depends only on the date of receipt. */
  private readonly dueByDay = new Map<number, number>();

  constructor(companyHolidays: readonly CompanyHoliday[] = DEFAULT_COMPANY_HOLIDAYS) {
    this.companyHolidays = companyHolidays;
  }

  /** Replaces the company holidays (managers edit them in the console). */
  setCompanyHolidays(holidays: readonly CompanyHoliday[]): void {
    this.companyHolidays = holidays;
    this.dueByDay.clear();
  }

  /** Why the secretariat is closed on `date` (YYYY-MM-DD), or null on a business day. */
  closedReason = (date: string): string | null =>
    closedReason(date, (d) => nationalHoliday(d) ?? companyHolidayOn(d, this.companyHolidays));

  isBusinessDay(date: string | Date): boolean {
    return this.closedReason(typeof date === 'string' ? date : jstDateOf(date)) === null;
  }

  /** When the answer to a mail received at `received` is due. */
  dueAt(received: Date): Date {
    const day = Math.floor((received.getTime() + JST_OFFSET_MS) / DAY_MS);
    let due = this.dueByDay.get(day);
    if (due === undefined) {
      due = explainDue(received, this.closedReason).dueAt.getTime();
      this.dueByDay.set(day, due);
    }
    return new Date(due);
  }

  /**
   * The due time of a mail received at `received` when both lie in the years the holiday calendar
   * covers (withinCalendar), else null: outside them it would be wrong, or overflow, never guessed.
   */
  dueAtWithinCalendar(received: Date): Date | null {
    if (!withinCalendar(received)) return null;
    const due = this.dueAt(received);
    return withinCalendar(due) ? due : null;
  }

  explainDue(received: Date): DueExplanation & { text: string } {
    const explanation = explainDue(received, this.closedReason);
    return { ...explanation, text: describeDue(explanation) };
  }

  businessMinutesBetween(from: Date, to: Date): number {
    return businessMinutesBetween(from, to, this.closedReason);
  }
}
