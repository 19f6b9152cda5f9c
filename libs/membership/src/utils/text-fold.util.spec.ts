import { foldKanjiVariants, foldPlaceKana, foldWidth } from './text-fold.util';

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

describe('foldKanjiVariants', () => {
  it.each([
    ['髙 and 﨑/嵜 (CP932 extensions) as 高 and 崎', '髙﨑 高嵜 髙崎', '高崎 高崎 高崎'],
    ['the variants members type alike', '德 邊邉 齋齊斉 濵濱 澤 櫻 廣 國 瀨 槇 藪 冨 嶋 眞 曻', '徳 辺辺 斎斎斎 浜浜 沢 桜 広 国 瀬 槙 薮 富 島 真 昇'],
    ['a compatibility ideograph as its unified kanji (NFKC)', '\uF9DC 塚 ⼭', '隆 塚 山'],
    ['the everyday forms unchanged', '高崎 徳島 渡辺 斎藤 浜松 長崎県 高い', '高崎 徳島 渡辺 斎藤 浜松 長崎県 高い'],
    ['kana, ASCII and symbols unchanged', 'ひまわり ABC ① ㈱ 〔会社名〕', 'ひまわり ABC ① ㈱ 〔会社名〕'],
    ['a variant outside the BMP left as written (offsets stay)', '𠮷野', '𠮷野'],
  ])('folds %s', (_name, text, expected) => {
    expect(foldKanjiVariants(text)).toBe(expected);
    expect(foldKanjiVariants(text)).toHaveLength(text.length);
  });
});
