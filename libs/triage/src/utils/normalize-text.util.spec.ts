import { normalizeForMatch } from './normalize-text.util';

describe('normalizeForMatch', () => {
  it.each([
    ['full-width Latin and digits', 'ＲＡＮＳＯＭＷＡＲＥ １２３', 'ransomware 123'],
    ['upper case', 'DDoS Attack', 'ddos attack'],
    ['katakana to hiragana', 'ランサムウェア', 'らんさむうぇあ'],
    ['half-width katakana', 'ﾗﾝｻﾑｳｪｱ', 'らんさむうぇあ'],
    ['half-width voiced marks compose', 'ｶﾞｲﾌﾞ', 'がいぶ'],
    ['hiragana unchanged', 'らんさむうぇあ', 'らんさむうぇあ'],
    ['prolonged sound mark kept', 'サーバー', 'さーばー'],
    ['half-width prolonged sound mark', 'ｻｰﾊﾞｰ', 'さーばー'],
    ['small kana and ヴ ヶ', 'ヴァ ヵ ヶ', 'ゔぁ ゕ ゖ'],
    ['middle dot and ヷ kept', 'ﾒｰﾙ･ｻｰﾊﾞ ヷ', 'めーる・さーば ヷ'],
    ['kanji unchanged', '不正アクセス', '不正あくせす'],
    ['ideographic space and runs collapsed', 'ＤＤｏＳ　 攻撃\r\n\t です', 'ddos 攻撃 です'],
    ['trimmed', '  \n 緊急 \u3000', '緊急'],
    ['full-width punctuation', 'ＪＰＣＥＲＴ／ＣＣ：通報', 'jpcert/cc:通報'],
    ['empty', '', ''],
  ])('%s: %j → %j', (_name, text, expected) => expect(normalizeForMatch(text)).toBe(expected));

  it.each([
    ['ランサムウェア', 'ﾗﾝｻﾑｳｪｱ'],
    ['ランサムウェア', 'らんさむうぇあ'],
    ['Ｅｍｏｔｅｔ', 'emotet'],
    ['ＣＶＥ－２０２６－１２３４', 'cve-2026-1234'],
  ])('%j and %j fold to the same text', (a, b) => expect(normalizeForMatch(a)).toBe(normalizeForMatch(b)));

  it('folds a 100 KB body throughout', () => {
    const body = 'ﾗﾝｻﾑｳｪｱに感染しました。ＰＣ　１台　 '.repeat(4_000);
    const out = normalizeForMatch(body);
    expect(out).not.toMatch(/[ｦ-ﾟァ-ヶＡ-ｚ０-９　]/);
    expect(out.startsWith('らんさむうぇあに感染しました。pc 1台 らんさむ')).toBe(true);
  });
});
