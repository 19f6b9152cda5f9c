import { isJstMonth, jstMonthOf, jstMonthRange, shiftJstMonth } from './japan-month.util';

describe('Japan calendar months', () => {
  it.each([
    ['the last minute of November in Japan', '2026-11-30T14:59:59.999Z', '2026-11'],
    ['15:30Z on 30 November is already December in Japan', '2026-11-30T15:30:00Z', '2026-12'],
    ['midnight JST on the 1st starts the month', '2026-11-30T15:00:00Z', '2026-12'],
    ['New Year in Japan while it is still 31 December in UTC', '2026-12-31T15:00:00Z', '2027-01'],
    ['a leap day', '2028-02-29T03:00:00Z', '2028-02'],
    ['the first instant of March after a leap February', '2028-02-29T15:00:00Z', '2028-03'],
  ])('%s (%s → %s)', (_name, utc, month) => {
    expect(jstMonthOf(new Date(utc))).toBe(month);
  });

  it.each([
    ['2026-11', '2026-10-31T15:00:00.000Z', '2026-11-30T15:00:00.000Z'],
    ['2026-12', '2026-11-30T15:00:00.000Z', '2026-12-31T15:00:00.000Z'],
    ['2028-02', '2028-01-31T15:00:00.000Z', '2028-02-29T15:00:00.000Z'],
  ])('the instants of %s are [%s, %s)', (month, start, end) => {
    const range = jstMonthRange(month)!;
    expect([range.start.toISOString(), range.end.toISOString()]).toEqual([start, end]);
    expect(jstMonthOf(range.start)).toBe(month);
    expect(jstMonthOf(new Date(range.end.getTime() - 1))).toBe(month);
  });

  it.each(['2026-13', '2026-1', '26-11', '2026/11', '', '2026-00', ' 2026-11'])('refuses %j as a month', (text) => {
    expect(jstMonthRange(text)).toBeNull();
    expect(isJstMonth(text)).toBe(false);
  });

  it.each([
    ['2026-01', -1, '2025-12'], ['2026-12', 1, '2027-01'], ['2026-06', 0, '2026-06'], ['2026-03', -14, '2025-01'],
  ])('%s shifted by %i is %s', (month, delta, expected) => {
    expect(shiftJstMonth(month, delta)).toBe(expected);
  });
});
