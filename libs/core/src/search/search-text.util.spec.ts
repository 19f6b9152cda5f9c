import {
  excerpt, excerptHtml, foldIdentity, ftsExpression, highlight, identityTerms, likePattern, marked, normaliseForSearch, normaliseWithMap, searchableText, searchTerms, snippet,
} from './search-text.util';

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
    ['a quote separates terms', 'a"; filename="evil.exe', ['a', ';', 'filename=', 'evil.exe']],
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

describe('searchable text (stored for LIKE)', () => {
  it('folds each field as the terms are folded, one per line, leaving empty ones out', () => {
    expect(searchableText(['ＡＢＣ商事㈱', null, '  ', 'ｶﾌﾞｼｷｶﾞｲｼｬ　Ｔａｒｏ', 'Info@ABC.example.jp'])).toBe('abc商事株式会社\nカブシキガイシャ taro\ninfo@abc.example.jp');
    for (const term of identityTerms('abc商事 カブシキガイシャ INFO@abc')) expect(searchableText(['ＡＢＣ商事', 'ｶﾌﾞｼｷｶﾞｲｼｬ', 'info@abc.example.jp'])).toContain(term);
  });

  it('keeps fields apart: a term never runs from one field into the next', () => {
    expect(searchableText(['ひまわり', '精機'])).not.toContain(searchTerms('ひまわり精機')[0]);
  });
});

describe('identity fold', () => {
  it.each([
    ['㈱ as its long form', '㈱ひまわり精機', '株式会社ひまわり精機'],
    ['(株) in full-width parentheses', 'ひまわり精機（株）', 'ひまわり精機株式会社'],
    ['㈲ and (有)', '㈲みどり商店 (有)あお', '有限会社みどり商店 有限会社あお'],
    ['(同), ㈳ and ㈶', '(同)ラボ ㈳協会 ㈶基金', '合同会社ラボ 社団法人協会 財団法人基金'],
    ['long forms stay', '株式会社 一般社団法人', '株式会社 一般社団法人'],
    ['name variants 髙, 﨑 and 𠮷', '髙﨑 𠮷田', '高崎 吉田'],
    ['a bracketed word that is no legal form stays', '(株主)', '(株主)'],
  ])('%s', (_name, input, expected) => {
    expect(foldIdentity(normaliseForSearch(input))).toBe(expected);
  });

  it.each([
    ['a legal form after the name', 'ひまわり精機株式会社', ['ひまわり精機', '株式会社']],
    ['a legal form before the name, abbreviated', '(株)ひまわり精機', ['株式会社', 'ひまわり精機']],
    ['㈱ after the name', 'ひまわり精機㈱', ['ひまわり精機', '株式会社']],
    ['a legal form alone', '（有）', ['有限会社']],
    ['variants and a legal form', '株式会社髙﨑製作所', ['株式会社', '高崎製作所']],
    ['duplicates merged', '(株)a 株式会社', ['株式会社', 'a']],
    ['empty', ' ', []],
  ])('query terms: %s', (_name, query, expected) => {
    expect(identityTerms(query)).toEqual(expected);
  });

  // Stored spelling, query: every term of the query occurs in the stored text.
  it.each([
    ['ひまわり精機株式会社', 'ひまわり精機㈱'],
    ['ひまわり精機株式会社', 'ひまわり精機(株)'],
    ['ひまわり精機株式会社', '(株)ひまわり精機'],
    ['ひまわり精機㈱', 'ひまわり精機株式会社'],
    ['(株)ひまわり精機', 'ひまわり精機株式会社'],
    ['㈱髙﨑製作所', '株式会社髙﨑製作所'],
    ['㈱髙﨑製作所', '高崎製作所'],
    ['株式会社高崎製作所', '㈱髙﨑製作所'],
    ['有限会社みどり商店', '㈲みどり商店'],
    ['(有)みどり商店', '有限会社みどり'],
    ['合同会社ラボ', '(同)ラボ'],
    ['一般社団法人セキュリティ協会', '(社)セキュリティ協会'],
    ['㈶情報基金', '財団法人情報基金'],
    ['株式会社ひまわり精機', '株式会'],
  ])('stored %s is found by %s', (stored, query) => {
    const text = searchableText([stored]);
    for (const term of identityTerms(query)) expect([term, text.includes(term)]).toEqual([term, true]);
  });

  it('still tells companies apart', () => {
    expect(identityTerms('ひまわり精機㈱').every((t) => searchableText(['ひまわり製作所株式会社']).includes(t))).toBe(false);
    expect(identityTerms('㈲ひまわり精機').every((t) => searchableText(['ひまわり精機株式会社']).includes(t))).toBe(false);
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

describe('normaliseWithMap fast path', () => {
  it('maps plain Japanese and ASCII one to one, and folds what follows', () => {
    const { text, starts, ends } = normaliseWithMap('あア漢a-ＡB ｶﾞが\u3099');
    expect(text).toBe('あア漢a-ab ガが\u3099'.normalize('NFKC'));
    expect(starts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 10]);
    expect(ends).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 12]);
  });

  it('agrees with normalising the whole text where NFKC keeps lengths', () => {
    const sample = 'ＥＭＯＴＥＴ（ｴﾓﾃｯﾄ）の感染、VPN装置のﾌｧｰﾑｳｪｱ更新。\n\n  Windows　Server';
    expect(normaliseWithMap(sample).text).toBe(sample.normalize('NFKC').toLowerCase().replace(/\s+/g, ' '));
  });
});

describe('excerpts with match offsets (the API) and as HTML (the console)', () => {
  it('gives the whole text with the offsets of its matches', () => {
    expect(marked('ＶＰＮ装置の脆弱性', ['vpn装置'])).toEqual({ text: 'ＶＰＮ装置の脆弱性', marks: [[0, 5]] });
  });

  it('cuts a window around the first match, whitespace runs as one space, offsets inside the window', () => {
    const text = `${'あ'.repeat(60)}\n\n　ｴﾓﾃｯﾄ に感染${'い'.repeat(100)}`;
    const e = excerpt(text, ['エモテット', '感染'], 40);
    expect(e.text.startsWith('…')).toBe(true);
    expect(e.text.endsWith('…')).toBe(true);
    expect(e.marks.map(([s, t]) => e.text.slice(s, t))).toEqual(['ｴﾓﾃｯﾄ', '感染']);
    expect(e.text).toContain('あ ｴﾓﾃｯﾄ に感染');
  });

  it('has no marks when no term occurs, and starts at the beginning', () => {
    expect(excerpt('短い本文', ['ランサムウェア'])).toEqual({ text: '短い本文', marks: [] });
  });

  it('escapes the text before inserting the marks', () => {
    expect(excerptHtml({ text: '<img src=x onerror=alert(1)> emotet', marks: [[29, 35]] }))
      .toBe('&#60;img src&#61;x onerror&#61;alert(1)&#62; <mark>emotet</mark>');
  });
});
