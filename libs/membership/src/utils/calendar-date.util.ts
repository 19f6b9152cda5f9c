/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Last day of a one-year term starting on `start` (terms art. 8): 2026-04-01 → 2027-03-31.
 * A term starting on 29 February ends on 28 February of the next year.
 */
export function contractEndFor(start: string): string {
  const [y, m, d] = start.split('-').map(Number);
  const sameDayNextYear = new Date(Date.UTC(y + 1, m - 1, d));
  if (sameDayNextYear.getUTCMonth() !== m - 1) sameDayNextYear.setUTCDate(0); // 29 Feb → 28 Feb
  else sameDayNextYear.setUTCDate(sameDayNextYear.getUTCDate() - 1);
  return sameDayNextYear.toISOString().slice(0, 10);
}
