import { ftsExpression, highlight, likePattern, normaliseForSearch, normaliseWithMap, searchTerms, snippet } from './search-text.util';

describe('normaliseForSearch', () => {
  it.each([
    ['full-width alphanumerics', 'Ｅｍｏｔｅｔ　ＶＥＲ２', 'emotet ver2'],
    ['half-width katakana with voiced marks', 'ｴﾓﾃｯﾄ ﾊﾞｯｸﾄﾞｱ', 'エモテット バックドア'],
    ['kanji and hiragana stay', 'ランサムウェアの被害', 'ランサムウェアの被害'],
    ['case and whitespace runs', 'VPN  装置\n\tの  脆弱性', 'vpn 装置 の 脆弱性'],
    ['circled and compatibility characters', '㈱サンプル ①', '(株)サンプル 1'],
    ['combining dakuten', 'か\u3099', 'が'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseForSearch(input)).toBe(expected);
  });

  it('maps every unit back to its source character', () => {
    const { text, starts, ends } = normaliseWithMap('Ａ㈱ｶﾞ');
    expect(text).toBe('a(株)ガ');
    expect(starts).toEqual([0, 1, 1, 1, 2]);
    expect(ends).toEqual([1, 2, 2, 2, 4]);
  });
});

describe('search terms', () => {
  it.each([
    ['one word', 'ランサムウェア', ['ランサムウェア']],
    ['full-width space between words', 'Ｅｍｏｔｅｔ　感染', ['emotet', '感染']],
    ['quotes dropped and duplicates merged', '"VPN" vpn', ['vpn']],
    ['empty', '   ', []],
  ])('%s', (_name, query, expected) => {
    expect(searchTerms(query)).toEqual(expected);
  });

  it('builds a trigram FTS query from the long terms only', () => {
    expect(ftsExpression(['emotet', 'ip', '感染'])).toBe('"emotet"');
    expect(ftsExpression(['ip'])).toBeNull();
  });

  it('escapes LIKE wildcards', () => {
    expect(likePattern('100%_x\\')).toBe('%100\\%\\_x\\\\%');
  });
});

describe('highlight', () => {
  it('escapes first, then marks, on the original spelling', () => {
    expect(highlight('<b>Ｅｍｏｔｅｔ</b> に感染', ['emotet'])).toBe('&#60;b&#62;<mark>Ｅｍｏｔｅｔ</mark>&#60;/b&#62; に感染');
  });

  it('marks every occurrence and merges overlaps', () => {
    expect(highlight('VPNとvpn装置', ['vpn', 'vpn装置'])).toBe('<mark>VPN</mark>と<mark>vpn装置</mark>');
  });

  it('cuts a window around the first match', () => {
    const text = `${'あ'.repeat(100)}ランサムウェア${'い'.repeat(100)}`;
    const s = snippet(text, ['ランサムウェア'], 40);
    expect(s).toMatch(/^…あ+<mark>ランサムウェア<\/mark>い+…$/);
  });
});
