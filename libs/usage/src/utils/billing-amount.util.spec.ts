import { basisPointsToPercent, chargeOf, percentToBasisPoints, taxYen } from './billing-amount.util';

describe('consumption tax in whole yen, fractions rounded down (terms art. 32)', () => {
  it.each([
    ['1 yen at 10%', 1, 1000, 0],
    ['9 yen at 10%', 9, 1000, 0],
    ['10 yen at 10%', 10, 1000, 1],
    ['19 yen at 10%', 19, 1000, 1],
    ['1 yen at 8%', 1, 800, 0],
    ['12 yen at 8% (0.96)', 12, 800, 0],
    ['13 yen at 8% (1.04)', 13, 800, 1],
    ['1234 yen at 10% (123.4)', 1234, 1000, 123],
    ['1234 yen at 8% (98.72)', 1234, 800, 98],
    ['1234 yen at 10.5% (129.57)', 1234, 1050, 129],
    ['5000 yen at 10%', 5000, 1000, 500],
    ['4999 yen at 8% (399.92)', 4999, 800, 399],
    ['0 yen', 0, 1000, 0],
    ['any price at 0%', 12345, 0, 0],
    ['9,999,999 yen at 10.25% (1,024,999.8975)', 9_999_999, 1025, 1_024_999],
    ['a price where floating point would say 115.00000000000001 (1150 × 10%)', 1150, 1000, 115],
  ])('%s → %i yen tax', (_name, price, bp, tax) => {
    expect(taxYen(price, bp)).toBe(tax);
    expect(chargeOf(price, bp)).toEqual({ price, tax, amount: price + tax });
  });

  it.each([[1.5, 1000], [-1, 1000], [100, 10.5]])('refuses a price or rate that is not whole (%p, %p)', (price, bp) => {
    expect(() => taxYen(price, bp)).toThrow(RangeError);
  });

  it.each([
    ['10', 1000], ['8', 800], ['10.5', 1050], ['10.25', 1025], ['0', 0], ['100', 10_000], [' 8.0 ', 800],
  ])('reads %j percent as %i basis points, and back', (text, bp) => {
    expect(percentToBasisPoints(text)).toBe(bp);
    expect(percentToBasisPoints(basisPointsToPercent(bp))).toBe(bp);
  });

  it.each(['', 'abc', '10%', '-1', '100.5', '101', '10.123', '1e1', '.5'])('refuses %j as a percentage', (text) => {
    expect(percentToBasisPoints(text)).toBeNull();
  });

  it.each([[1000, '10'], [1050, '10.5'], [825, '8.25'], [800, '8'], [5, '0.05']])('shows %i basis points as %s%%', (bp, text) => {
    expect(basisPointsToPercent(bp)).toBe(text);
  });
});
