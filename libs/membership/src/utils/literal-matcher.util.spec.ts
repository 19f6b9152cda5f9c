import { LiteralMatcher, TaggedLiteralMatcher } from './literal-matcher.util';

describe('LiteralMatcher', () => {
  it.each<[string, string[], boolean, string, string[]]>([
    ['a literal, with or without its space', ['山田 太郎'], false, '山田 太郎と山田太郎', ['山田 太郎', '山田太郎']],
    ['the longest literal first', ['ひまわり', 'ひまわり精機'], false, 'ひまわり精機', ['ひまわり精機']],
    ['ASCII in any case', ['Himawari'], false, 'HIMAWARI himawari', ['HIMAWARI', 'himawari']],
    ['word-bounded: not inside a longer word', ['t-yamada'], true, 't-yamada と t-yamada-pc', ['t-yamada']],
    ['a registered variant kanji in its everyday form, as written', ['髙﨑精機'], false, '髙﨑精機（髙崎精機）と高崎精機', ['髙﨑精機', '髙崎精機', '高崎精機']],
    ['a registered everyday form in its variant forms', ['渡辺 斎藤'], false, '渡邊 齋藤、渡邉齊藤', ['渡邊 齋藤', '渡邉齊藤']],
    ['a compatibility ideograph and its unified kanji', ['\uF9DC盛工業'], false, '隆盛工業', ['隆盛工業']],
    ['no shorter word sharing a variant kanji', ['髙﨑精機'], false, '高い精度、長崎県、高崎市', []],
  ])('%s', (_name, literals, bounded, text, expected) => {
    expect(new LiteralMatcher(literals, 2, bounded).find(text).map(([s, e]) => text.slice(s, e))).toEqual(expected);
  });
});

describe('TaggedLiteralMatcher', () => {
  const matcher = new TaggedLiteralMatcher<'company' | 'person' | 'phone'>()
    .add('company', ['ひまわり精機'])
    .add('person', ['山田 太郎'])
    .add('phone', ['03-1234-5678'], 7, true);

  it('finds every kind in one pass, leftmost first, each tagged', () => {
    const text = 'ひまわり精機の山田太郎（03-1234-5678）';
    expect(matcher.find(text).map((h) => [h.kind, text.slice(h.start, h.end)])).toEqual([['company', 'ひまわり精機'], ['person', '山田太郎'], ['phone', '03-1234-5678']]);
  });

  it('finds a kanji variant at the offsets of the text as written', () => {
    const variants = new TaggedLiteralMatcher<'company' | 'person'>().add('company', ['髙﨑精機']).add('person', ['山崎 花子']);
    const text = 'ＴＥＬ：高崎精機㈱ 山﨑花子';
    expect(variants.find(text).map((h) => [h.kind, text.slice(h.start, h.end)])).toEqual([['company', '高崎精機'], ['person', '山﨑花子']]);
  });

  it('keeps a word-bounded literal out of longer numbers', () => {
    expect(matcher.find('x03-1234-56789')).toEqual([]);
  });
});
