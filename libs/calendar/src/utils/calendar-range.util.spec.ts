import { CALENDAR_RANGE_TEXT, calendarYears, withinCalendar } from './calendar-range.util';

describe('the holiday calendar range', () => {
  it('is the years of the holiday data', () => {
    expect(calendarYears({ '1999-01-01': {}, '2001-05-05': {}, '2000-01-10': {} })).toEqual({ first: 1999, last: 2001 });
    expect(calendarYears()).toEqual({ first: 1970, last: 2050 });
    expect(CALENDAR_RANGE_TEXT).toBe('1970-01-01 to 2050-12-31 (Japan time)');
  });

  it.each([
    ['the first Japan midnight', '1970-01-01T00:00:00+09:00', true],
    ['just before it', '1969-12-31T23:59:59+09:00', false],
    ['the last Japan second', '2050-12-31T23:59:59+09:00', true],
    ['just after it', '2051-01-01T00:00:00+09:00', false],
    ['year 1', '0001-01-01T00:00:00Z', false],
    ['year 9999', '9999-12-31T23:59:59+09:00', false],
  ])('%s is %s', (_name, iso, expected) => {
    expect(withinCalendar(new Date(iso))).toBe(expected);
  });
});
