import { foldPlaceKana, foldWidth } from './text-fold.util';

describe('foldWidth', () => {
  it.each([
    ['full-width digits and hyphen', '０３－１２３４－５６７８', '03-1234-5678'],
    ['a full-width at-sign and letters', 'ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ', 'yamada@example.jp'],
    ['full-width parentheses', '（株）', '(株)'],
    ['the ideographic space', '山田　太郎', '山田 太郎'],
    ['kana, kanji and ASCII unchanged', 'ひまわり精機 abc 123', 'ひまわり精機 abc 123'],
    ['the wave dash and half-width kana unchanged', '〜ｶﾅ', '〜ｶﾅ'],
  ])('folds %s', (_name, text, expected) => {
    expect(foldWidth(text)).toBe(expected);
    expect(foldWidth(text)).toHaveLength(text.length);
  });

  it('folds a long full-width run', () => {
    expect(foldWidth('＝'.repeat(20_000))).toBe('='.repeat(20_000));
  });
});

describe('foldPlaceKana', () => {
  it.each([
    ['霞が関, 霞ヶ関, 霞ケ関 and 霞ガ関 read alike', '霞が関 霞ヶ関 霞ケ関 霞ガ関', '霞ヶ関 霞ヶ関 霞ヶ関 霞ヶ関'],
    ['kana that are not between kanji stay', 'ケーブルが切れた、ガス', 'ケーブルが切れた、ガス'],
  ])('%s', (_name, text, expected) => {
    expect(foldPlaceKana(text)).toBe(expected);
    expect(foldPlaceKana(text)).toHaveLength(text.length);
  });
});
