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

describe('companyHits (a company registered with variant kanji)', () => {
  // The acceptance tester's member: registered as ㈱髙﨑精機, written 高崎 because 髙/﨑 are hard to type.
  const matcher = companyMatcher(['㈱髙﨑精機']);
  it.each<[string, string, string[]]>([
    ['the everyday form beside the registered one', '株式会社髙﨑精機（髙崎精機）の件', ['株式会社髙﨑精機', '髙崎精機']],
    ['the everyday form with a legal form', '高崎精機株式会社、(株)高嵜精機', ['高崎精機株式会社', '(株)高嵜精機']],
    ['words sharing a kanji with the name', '高い精度、長崎県の高崎市', []],
  ])('%s', (_name, text, expected) => {
    expect(companyHits(foldWidth(text), matcher).map((h) => text.slice(h.start, h.end))).toEqual(expected);
  });

  it('finds the registered variant when the everyday form is registered', () => {
    const text = '㈱髙﨑精機より';
    expect(companyHits(foldWidth(text), companyMatcher(['高崎精機株式会社'])).map((h) => text.slice(h.start, h.end))).toEqual(['㈱髙﨑精機']);
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
