import { consultNumberQuery } from './consult-number-query.util';

describe('consultNumberQuery', () => {
  it.each([
    ['digits', '123', 123],
    ['with #', '#123', 123],
    ['the subject tag', 'KKD#123', 123],
    ['lower case tag in brackets', '[kkd#45]', 45],
    ['full-width digits', '１２３', 123],
    ['full-width tag', 'ＫＫＤ＃１２３', 123],
    ['spaces around', '  12 ', 12],
  ])('%s: %s', (_name, q, expected) => {
    expect(consultNumberQuery(q)).toBe(expected);
  });

  it.each([['words', 'ランサムウェア'], ['a number inside words', 'CVE-2024-1234'], ['two numbers', '12 34'], ['empty', '']])('not a number: %s', (_name, q) => {
    expect(consultNumberQuery(q)).toBeNull();
  });
});
