import { companyHits, companyMatcher, widenToLegalForm } from './company-name.util';
import { foldWidth } from './text-fold.util';

describe('companyHits (a company as written, widened to its legal form)', () => {
  const matcher = companyMatcher(['ひまわり精機株式会社', 'Himawari Seiki Co., Ltd.']);
  it.each<[string, string, string[]]>([
    ['the registered name', 'ひまわり精機株式会社より', ['ひまわり精機株式会社']],
    ['the legal form before', '株式会社ひまわり精機の件', ['株式会社ひまわり精機']],
    ['an abbreviated legal form', '(株)ひまわり精機、ひまわり精機㈱', ['(株)ひまわり精機', 'ひまわり精機㈱']],
    ['full-width parentheses and a space', '（株） ひまわり精機', ['（株） ひまわり精機']],
    ['without a legal form', 'ひまわり精機では', ['ひまわり精機']],
    ['a Latin name in another case', 'HIMAWARI SEIKI CO., LTD. reports', ['HIMAWARI SEIKI CO., LTD.']],
    ['another company', 'さくら物産株式会社', []],
  ])('%s', (_name, text, expected) => {
    expect(companyHits(foldWidth(text), matcher).map((h) => text.slice(h.start, h.end))).toEqual(expected);
  });

  it('widens nothing when no legal form is beside the name', () => {
    expect(widenToLegalForm('弊社ひまわり精機では', 2, 8)).toEqual([2, 8]);
  });
});
