import { companyHits, companyLiterals, companyMatcher, widenToLegalForm } from './company-name.util';
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

describe('companyLiterals (a company registered with its Latin name)', () => {
  it.each<[string, string, string[]]>([
    ['a Latin name in brackets', 'ひまわり精機株式会社（Himawari Seiki Co., Ltd.）', ['ひまわり精機株式会社', 'Himawari Seiki Co., Ltd.', 'ひまわり精機', 'Himawari Seiki']],
    ['a Latin name after a slash', 'ひまわり精機 / Himawari Seiki', ['ひまわり精機', 'Himawari Seiki']],
    ['an abbreviated legal form is no Latin name', '(株)ひまわり精機', ['(株)ひまわり精機', 'ひまわり精機']],
    ['Latin letters inside the name stay in it', 'NTTデータ株式会社', ['NTTデータ株式会社', 'NTTデータ']],
  ])('%s', (_name, company, expected) => {
    expect(companyLiterals([company])).toEqual(expected);
  });

  it('finds each name in a text', () => {
    const matcher = companyMatcher(['ひまわり精機株式会社（Himawari Seiki Co., Ltd.）']);
    const text = 'HIMAWARI SEIKI と ひまわり精機';
    expect(companyHits(foldWidth(text), matcher).map((h) => text.slice(h.start, h.end))).toEqual(['HIMAWARI SEIKI', 'ひまわり精機']);
  });
});
