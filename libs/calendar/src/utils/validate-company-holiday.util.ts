import { CompanyHoliday } from './company-holidays.util';

export interface CompanyHolidayInput {
  start: string;
  /** Empty for a single day. */
  end?: string;
  reason: string;
  yearly?: boolean;
}

const isRealDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** A date YYYY-MM-DD, or MM-DD (checked against a leap year) for a yearly closing. */
function checkDate(value: string, yearly: boolean): string | null {
  if (yearly) {
    const m = /^(\d{2})-(\d{2})$/.exec(value);
    return m && isRealDate(2028, Number(m[1]), Number(m[2])) ? null : '毎年の休業日は MM-DD（例: 12-29）で入力してください。';
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) ? null : '日付は YYYY-MM-DD（例: 2026-08-13）の実在する日で入力してください。';
}

/** Checks a manager's entry; returns the closing, or a message per field (start, end, reason). */
export function validateCompanyHoliday(input: CompanyHolidayInput): { holiday: CompanyHoliday | null; errors: Record<string, string> } {
  const yearly = input.yearly === true;
  const start = input.start.trim();
  const end = (input.end ?? '').trim() || start;
  const reason = input.reason.trim();
  const errors: Record<string, string> = {};
  const startError = checkDate(start, yearly);
  if (startError) errors.start = startError;
  const endError = checkDate(end, yearly);
  if (endError) errors.end = endError;
  // A yearly range may wrap the new year (12-29 → 01-03); a dated range may not run backwards.
  if (!startError && !endError && !yearly && end < start) errors.end = '終了日が開始日より前です。';
  if (!yearly && !startError && !errors.end && daysBetween(start, end) > 366) errors.end = '期間は1年以内にしてください。';
  if (!reason) errors.reason = '理由を入力してください。';
  else if (reason.length > 100) errors.reason = '理由は100文字以内で入力してください。';
  return Object.keys(errors).length ? { holiday: null, errors } : { holiday: { start, end, reason, yearly }, errors };
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}
