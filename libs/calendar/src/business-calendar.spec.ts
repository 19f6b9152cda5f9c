import { BusinessCalendar } from './business-calendar';

// Instants are written with their offset; results never depend on the server's TZ (the suite
// also runs with TZ=America/Los_Angeles).
const jst = (local: string) => new Date(`${local}+09:00`);
const calendar = new BusinessCalendar();

describe('due time of a mail (3 business days, not counting the day of the inquiry)', () => {
  it.each([
    ['PRODUCT.md example: Fri evening, weekend, 勤労感謝の日', '2026-11-20T18:30:00', '2026-11-26T17:00:00'],
    ['received on a national holiday', '2026-11-23T10:00:00', '2026-11-26T17:00:00'],
    ['received on a Saturday', '2026-11-21T09:00:00', '2026-11-26T17:00:00'],
    ['received early on a business day', '2026-11-24T08:00:00', '2026-11-27T17:00:00'],
    ['received at 23:59:59 still counts that day as D', '2026-11-24T23:59:59', '2026-11-27T17:00:00'],
    ['received at 00:00 is the next day', '2026-11-25T00:00:00', '2026-11-30T17:00:00'],
    ['year end: 12/29–1/3 closed', '2026-12-25T12:00:00', '2027-01-05T17:00:00'],
    ['inside the year-end closing', '2026-12-30T12:00:00', '2027-01-06T17:00:00'],
    ['Golden Week with 振替休日 (5/6)', '2026-04-30T12:00:00', '2026-05-08T17:00:00'],
    ['Silver Week with 国民の休日 (9/22)', '2026-09-18T12:00:00', '2026-09-28T17:00:00'],
    ['leap day 2028', '2028-02-28T12:00:00', '2028-03-02T17:00:00'],
  ])('%s: %s → %s', (_name, received, due) => {
    expect(calendar.dueAt(jst(received)).toISOString()).toBe(jst(due).toISOString());
  });

  it('explains itself', () => {
    const e = calendar.explainDue(jst('2026-11-20T18:30:00'));
    expect(e.text).toBe('受付 11/20(金) → 営業日 11/24, 11/25, 11/26 → 期限 11/26 17:00');
    expect(e.skipped).toEqual([
      { date: '2026-11-21', reason: '土曜日' }, { date: '2026-11-22', reason: '日曜日' }, { date: '2026-11-23', reason: '勤労感謝の日' },
    ]);
  });
});

describe('business days', () => {
  it.each([
    ['2026-11-24', true], ['2026-11-23', false], ['2026-11-21', false], ['2026-12-28', true], ['2026-12-29', false],
    ['2027-01-03', false], ['2027-01-04', true], ['2026-05-06', false], ['2026-09-22', false],
  ])('%s is a business day: %s', (date, expected) => expect(calendar.isBusinessDay(date)).toBe(expected));

  it('takes company holidays, single days and ranges, from managers', () => {
    const custom = new BusinessCalendar();
    custom.setCompanyHolidays([{ start: '2026-11-25', end: '2026-11-26', reason: '創立記念日' }]);
    expect(custom.closedReason('2026-11-25')).toBe('創立記念日');
    expect(custom.isBusinessDay('2026-12-29')).toBe(true); // the default closing was replaced
    expect(custom.dueAt(jst('2026-11-20T18:30:00')).toISOString()).toBe(jst('2026-11-30T17:00:00').toISOString());
  });
});

describe('business minutes between two instants', () => {
  it.each([
    ['within one business day', '2026-11-24T10:00:00', '2026-11-24T11:30:00', 90],
    ['across a night', '2026-11-24T16:00:00', '2026-11-25T10:00:00', 120],
    ['across a weekend and a holiday', '2026-11-20T18:30:00', '2026-11-24T09:30:00', 30],
    ['a whole business day', '2026-11-24T00:00:00', '2026-11-25T00:00:00', 480],
    ['outside business hours only', '2026-11-24T17:00:00', '2026-11-25T09:00:00', 0],
    ['backwards is zero', '2026-11-25T10:00:00', '2026-11-24T10:00:00', 0],
  ])('%s', (_name, from, to, minutes) => {
    expect(calendar.businessMinutesBetween(jst(from), jst(to))).toBe(minutes);
  });
});
