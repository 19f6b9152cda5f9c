import { CompanyHolidayRow } from '@kkd/calendar';

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
const md = (date: string) => `${Number(date.slice(-5, -3))}/${Number(date.slice(-2))}`;

export function calendarPage(year: number, national: { date: string; name: string }[], company: CompanyHolidayRow[]) {
  return {
    year, prevYear: year - 1, nextYear: year + 1,
    national: national.map((h) => ({ date: `${md(h.date)}(${weekdayOf(h.date)})`, name: h.name })),
    company: company.map((c) => ({
      id: c.id, reason: c.reason, yearly: c.yearly,
      period: c.yearly
        ? `毎年 ${md(c.startDate)}${c.endDate !== c.startDate ? `〜${md(c.endDate)}` : ''}`
        : `${c.startDate}${c.endDate !== c.startDate ? ` 〜 ${c.endDate}` : ''}`,
    })),
  };
}
