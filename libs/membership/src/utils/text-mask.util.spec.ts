import { applyHits, chooseHits, MaskHit, patternHits, replaceHits } from './text-mask.util';

const TOKENS = { a: '〔A〕', b: '〔B〕' } as const;
const tokenOf = (kind: keyof typeof TOKENS) => TOKENS[kind];
const hit = (start: number, end: number, kind: keyof typeof TOKENS = 'a'): MaskHit<keyof typeof TOKENS> => ({ start, end, kind });

describe('chooseHits and replaceHits', () => {
  it.each<[string, string, MaskHit<keyof typeof TOKENS>[], string]>([
    ['no spans: the text as it was', 'abcdef', [], 'abcdef'],
    ['apart spans, in any order', 'abcdef', [hit(4, 6, 'b'), hit(0, 2)], '〔A〕cd〔B〕'],
    ['of overlapping spans the earlier wins', 'abcdef', [hit(1, 4), hit(2, 6, 'b')], 'a〔A〕ef'],
    ['of spans starting together the longer wins', 'abcdef', [hit(1, 3, 'b'), hit(1, 5)], 'a〔A〕f'],
    ['a span over a token already there is dropped', 'x〔会社名〕y', [hit(0, 3)], 'x〔会社名〕y'],
  ])('%s', (_name, text, found, expected) => {
    expect(replaceHits(text, chooseHits(text, found), tokenOf)).toBe(expected);
  });

  it('reports each replacement with its original text', () => {
    const seen: string[] = [];
    expect(applyHits('山田です', [hit(0, 2)], tokenOf, (kind, original, token) => seen.push(`${kind}:${original}:${token}`))).toBe('〔A〕です');
    expect(seen).toEqual(['a:山田:〔A〕']);
  });
});

describe('patternHits', () => {
  it.each<[string, RegExp, string, Array<[number, number]>]>([
    ['the whole match without groups', /\d+/gd, 'ab 12 cd 345', [[3, 5], [9, 12]]],
    ['the first participating group', /担当[:：](\S+)/gd, '担当:山田 担当：鈴木', [[3, 5], [9, 11]]],
  ])('%s', (_name, re, text, spans) => {
    expect(patternHits(re, text, 'a').map((h) => [h.start, h.end])).toEqual(spans);
  });

  it('skips the matches the caller refuses', () => {
    expect(patternHits(/\d+/gd, '1 22 333', 'a', (m) => m[0].length > 1).map((h) => h.start)).toEqual([2, 5]);
  });
});
