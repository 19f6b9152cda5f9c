import { LiteralMatcher, TaggedLiteralMatcher } from './literal-matcher.util';

describe('LiteralMatcher', () => {
  it.each<[string, string[], boolean, string, string[]]>([
    ['a literal, with or without its space', ['山田 太郎'], false, '山田 太郎と山田太郎', ['山田 太郎', '山田太郎']],
    ['the longest literal first', ['ひまわり', 'ひまわり精機'], false, 'ひまわり精機', ['ひまわり精機']],
    ['ASCII in any case', ['Himawari'], false, 'HIMAWARI himawari', ['HIMAWARI', 'himawari']],
    ['word-bounded: not inside a longer word', ['t-yamada'], true, 't-yamada と t-yamada-pc', ['t-yamada']],
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

  it('keeps a word-bounded literal out of longer numbers', () => {
    expect(matcher.find('x03-1234-56789')).toEqual([]);
  });
});
