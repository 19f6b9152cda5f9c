import { BusinessCalendar, CalendarModule, CompanyHolidaysService } from '@kkd/calendar';
import { ValidationError } from '@kkd/core';
import { realDbModule } from './support/real-db';

const jst = (local: string) => new Date(`${local}+09:00`);

describe('company closings on a real database', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let holidays: CompanyHolidaysService;
  let calendar: BusinessCalendar;
  beforeEach(async () => {
    db = await realDbModule([CalendarModule]);
    holidays = db.module.get(CompanyHolidaysService);
    calendar = db.module.get(BusinessCalendar);
  });
  afterEach(async () => { await db.close(); });

  it('starts with the terms\' closing 12/29–1/3 every year', async () => {
    expect(await holidays.list()).toEqual([expect.objectContaining({ startDate: '12-29', endDate: '01-03', yearly: true, reason: '年末年始休業' })]);
    expect(calendar.isBusinessDay('2030-12-30')).toBe(false);
  });

  it('moves due times when a manager adds a closing, and back when it is removed', async () => {
    const before = calendar.dueAt(jst('2026-08-07T10:00')).toISOString(); // Fri → 8/10, 8/12, 8/13 (8/11 山の日)
    expect(before).toBe(jst('2026-08-13T17:00').toISOString());
    const summer = await holidays.add({ start: '2026-08-12', end: '2026-08-14', reason: '夏季休業' });
    expect(calendar.dueAt(jst('2026-08-07T10:00')).toISOString()).toBe(jst('2026-08-18T17:00').toISOString());
    await holidays.remove(summer.id);
    expect(calendar.dueAt(jst('2026-08-07T10:00')).toISOString()).toBe(before);
  });

  it('refuses a bad date with a message naming the field, and stores nothing', async () => {
    const error = await holidays.add({ start: '2026-02-30', reason: '誤り' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('start');
    expect(await holidays.list()).toHaveLength(1);
  });
});
