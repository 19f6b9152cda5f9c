import { identityTerms } from '@kkd/core';
import { memberSearchText } from './member-search-text.util';

describe('memberSearchText', () => {
  const registered = memberSearchText(
    { company: 'ＡＢＣ商事㈱', department: 'ｼｽﾃﾑ部', contactName: 'Ｙａｍａｄａ Taro' },
    ['Soc@ABC.example.jp', 'csirt@abc.example.jp'],
  );

  it.each([
    ['the company in half-width, lower case', 'abc商事'],
    ['the company in full-width, upper case', 'ＡＢＣ商事'],
    ['the legal form as NFKC folds ㈱', '(株)'],
    ['the legal form written out, before the name', '株式会社ABC商事'],
    ['a half-width department in full-width katakana', 'システム部'],
    ['the contact name in any case and width', 'YAMADA ｔａｒｏ'],
    ['the second address', 'CSIRT@abc'],
  ])('holds every term of %s', (_name, query) => {
    for (const term of identityTerms(query)) expect(registered).toContain(term);
  });

  it('leaves out a missing department or contact name', () => {
    expect(memberSearchText({ company: 'ひまわり精機', department: null, contactName: null }, ['soc@himawari.example.jp'])).toBe('ひまわり精機\nsoc@himawari.example.jp');
  });
});
