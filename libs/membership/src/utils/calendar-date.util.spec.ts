import { contractEndFor, isCalendarDate } from './calendar-date.util';

describe('contractEndFor', () => {
  it.each([
    ['2026-04-01', '2027-03-31'],
    ['2026-01-01', '2026-12-31'],
    ['2027-03-01', '2028-02-29'],
    ['2028-02-29', '2029-02-28'],
    ['2026-12-31', '2027-12-30'],
  ])('a term from %s ends on %s', (start, end) => expect(contractEndFor(start)).toBe(end));
});

describe('isCalendarDate', () => {
  it.each([['2026-02-28', true], ['2026-02-29', false], ['2028-02-29', true], ['2026-13-01', false], ['2026/01/01', false]])(
    '%s → %s', (value, expected) => expect(isCalendarDate(value)).toBe(expected),
  );
});
