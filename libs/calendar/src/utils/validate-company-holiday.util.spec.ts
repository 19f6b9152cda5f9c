import { validateCompanyHoliday } from './validate-company-holiday.util';

describe('validateCompanyHoliday', () => {
  it.each([
    ['a single day', { start: '2026-08-13', reason: '夏季休業' }, { start: '2026-08-13', end: '2026-08-13', reason: '夏季休業', yearly: false }],
    ['a range', { start: '2026-08-13', end: '2026-08-15', reason: '夏季休業' }, { start: '2026-08-13', end: '2026-08-15', reason: '夏季休業', yearly: false }],
    ['a yearly range across the new year', { start: '12-29', end: '01-03', reason: '年末年始', yearly: true }, { start: '12-29', end: '01-03', reason: '年末年始', yearly: true }],
    ['a yearly leap day', { start: '02-29', reason: '記念日', yearly: true }, { start: '02-29', end: '02-29', reason: '記念日', yearly: true }],
  ])('accepts %s', (_name, input, holiday) => expect(validateCompanyHoliday(input)).toEqual({ holiday, errors: {} }));

  it.each([
    ['an impossible date', { start: '2026-02-30', reason: 'x' }, 'start'],
    ['a date in another format', { start: '2026/08/13', reason: 'x' }, 'start'],
    ['a range that runs backwards', { start: '2026-08-15', end: '2026-08-13', reason: 'x' }, 'end'],
    ['a range over a year', { start: '2026-01-01', end: '2027-06-01', reason: 'x' }, 'end'],
    ['a yearly day with a year', { start: '2026-12-29', reason: 'x', yearly: true }, 'start'],
    ['an impossible yearly day', { start: '02-30', reason: 'x', yearly: true }, 'start'],
    ['no reason', { start: '2026-08-13', reason: '  ' }, 'reason'],
  ])('refuses %s, naming the field', (_name, input, field) => {
    const result = validateCompanyHoliday(input);
    expect(result.holiday).toBeNull();
    expect(Object.keys(result.errors)).toContain(field);
  });
});
