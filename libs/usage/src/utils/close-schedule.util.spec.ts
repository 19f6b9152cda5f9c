import { closeDueAt, isMonthOver, latestMonthDueForClose } from './close-schedule.util';

const jst = (local: string) => new Date(`${local}+09:00`);

describe('when a month is closed', () => {
  it.each([
    ['2026-11', '2026-12-01T09:00'],
    ['2026-12', '2027-01-01T09:00'],
    ['2028-02', '2028-03-01T09:00'],
  ])('%s is due to close at %s JST', (month, local) => {
    expect(closeDueAt(month)).toEqual(jst(local));
  });

  it.each([
    ['mid-month: the month before last is the latest due', '2026-11-25T12:00', '2026-10'],
    ['the 1st before 09:00 JST: the previous month is not due yet', '2026-12-01T08:59', '2026-10'],
    ['the 1st at 09:00 JST: the previous month is due', '2026-12-01T09:00', '2026-11'],
    ['the 1st after 09:00 (catching up after a restart)', '2026-12-01T15:00', '2026-11'],
    ['January: December of the year before', '2027-01-01T09:00', '2026-12'],
    ['30 November 15:30 UTC is 1 December 00:30 JST, before 09:00', '2026-12-01T00:30', '2026-10'],
  ])('%s (%s JST → %s)', (_name, local, month) => {
    expect(latestMonthDueForClose(jst(local))).toBe(month);
  });

  it.each([
    ['2026-11', '2026-11-30T23:59', false],
    ['2026-11', '2026-12-01T00:00', true],
    ['2026-12', '2026-11-25T12:00', false],
  ])('%s is over at %s JST: %s', (month, local, over) => {
    expect(isMonthOver(month, jst(local))).toBe(over);
  });
});
