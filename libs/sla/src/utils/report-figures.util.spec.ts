import { median, monthRange, monthsEndingWith, percentile, ratePercent, shiftMonth } from './report-figures.util';

describe('report figures', () => {
  it('gives a Japan month as instants', () => {
    expect(monthRange('2026-11')).toEqual({ start: new Date('2026-10-31T15:00:00Z'), end: new Date('2026-11-30T15:00:00Z') });
    expect(monthRange('2026-12')?.end).toEqual(new Date('2026-12-31T15:00:00Z'));
    for (const bad of ['2026-13', '2026-1', '26-11', '2026/11', '']) expect(monthRange(bad)).toBeNull();
  });

  it('lists the months ending with one, across a year', () => {
    expect(monthsEndingWith('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthsEndingWith('2026-11', 12)[0]).toBe('2025-12');
    expect([shiftMonth('2026-01', -1), shiftMonth('2026-12', 1), shiftMonth('2026-06', 0)]).toEqual(['2025-12', '2027-01', '2026-06']);
  });

  it.each([
    [[], 50, null], [[5], 50, 5], [[1, 2, 3, 4], 50, 2], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9], [[10, 1, 5], 50, 5], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
  ])('percentile of %j at %i is %s', (values, p, expected) => expect(percentile(values, p)).toBe(expected));

  it.each([
    ['none', [], null],
    ['one', [5], 5],
    ['an odd count, unsorted', [10, 1, 5], 5],
    ['an even count: the mean of the two middle values (acceptance, 2026-12)', [0, 960, 1320, 1440, 1440, 1860], 1380],
    ['an even count, unsorted', [1860, 1319, 0, 1440, 960, 1440], 1380],
    ['two values', [540, 1500], 1020],
    ['a half minute rounds up', [1, 2], 2],
  ])('median of %s', (_name, values, expected) => expect(median(values)).toBe(expected));

  it('rates in percent with one decimal', () => {
    expect(ratePercent(2, 3)).toBe(66.7);
    expect(ratePercent(0, 0)).toBeNull();
    expect(ratePercent(5, 5)).toBe(100);
  });
});
