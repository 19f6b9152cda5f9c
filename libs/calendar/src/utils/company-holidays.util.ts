/**
 * Days the secretariat is closed besides weekends and national holidays. A range is inclusive;
 * `yearly` ranges are given as MM-DD and repeat every year (12-29 → 01-03 wraps the new year).
 */
export interface CompanyHoliday {
  start: string;
  end: string;
  reason: string;
  yearly?: boolean;
}

/** The default closing (PRODUCT.md): 12/29–1/3 every year. */
export const DEFAULT_COMPANY_HOLIDAYS: CompanyHoliday[] = [{ start: '12-29', end: '01-03', reason: '年末年始休業', yearly: true }];

/** The reason `date` (YYYY-MM-DD) falls in one of the ranges, or null. */
export function companyHolidayOn(date: string, holidays: readonly CompanyHoliday[]): string | null {
  const monthDay = date.slice(5);
  for (const h of holidays) {
    if (h.yearly) {
      const inside = h.start <= h.end ? monthDay >= h.start && monthDay <= h.end : monthDay >= h.start || monthDay <= h.end;
      if (inside) return h.reason;
    } else if (date >= h.start && date <= h.end) {
      return h.reason;
    }
  }
  return null;
}
