import { kanaToRomaji, looseRomaji, romajiAddressHits, romajiCompanyKeys } from './romaji-identity.util';

describe('kanaToRomaji and looseRomaji', () => {
  it.each<[string, string]>([
    ['ひまわり', 'himawari'],
    ['サクラ', 'sakura'],
    ['きょうと', 'kyouto'],
    ['しゃっぷ', 'shappu'],
    ['じゃんぷ', 'janpu'],
  ])('%s', (kana, romaji) => {
    expect(kanaToRomaji(kana)).toBe(romaji);
  });

  it('reads Kunrei, Hepburn and long vowels alike', () => {
    expect(looseRomaji('Sinzi')).toBe(looseRomaji('shinji'));
    expect(looseRomaji('Ohno')).toBe(looseRomaji('Ono'));
    expect(looseRomaji('kyouto')).toBe(looseRomaji('kyoto'));
  });
});

describe('romajiCompanyKeys', () => {
  it.each<[string, string, string[], { sure: string[]; likely: string[] }]>([
    ['the domain reads as the kana of the name', 'ひまわり精機株式会社', ['himawari.example.jp'], { sure: ['himawari'], likely: [] }],
    ['a hyphenated domain: its first word is the key', 'ひまわり精機株式会社', ['himawari-seiki.co.jp'], { sure: ['himawari'], likely: [] }],
    ['a kanji name: the domain only suggests', '髙﨑製作所', ['takasaki.example.jp'], { sure: [], likely: ['takasaki'] }],
    ['a registered Latin name', 'ひまわり精機株式会社（Himawari Seiki Co., Ltd.）', ['hs.example.jp'], { sure: ['himawari'], likely: [] }],
    ['English words and generic labels are never keys', 'さくら株式会社', ['security.example.co.jp', 'mail.example.com'], { sure: [], likely: [] }],
  ])('%s', (_name, company, domains, expected) => {
    expect(romajiCompanyKeys(company, domains)).toEqual(expected);
  });
});

describe('romajiAddressHits', () => {
  const spans = (text: string, postal: string | null, signature: number[] = []) =>
    romajiAddressHits(text, postal, (line) => signature.includes(line)).map((h) => text.slice(h.start, h.end));
  it.each<[string, string, string | null, number[], string[]]>([
    ['a line with the registered postal code', '1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo 100-8901, Japan', '100-8901', [], ['1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo 100-8901, Japan']],
    ['after a label', 'Address: Kasumigaseki 1-2-3, Tokyo 1008901', '100-8901', [], ['Kasumigaseki 1-2-3, Tokyo 1008901']],
    ['a romaji shape in a signature: the whole line', 'Head office: 5-6 Umeda, Kita-ku, Osaka', null, [0], ['Head office: 5-6 Umeda, Kita-ku, Osaka']],
    ['a romaji shape in the body: the address only', 'Our plant in Kita-ku, Osaka-shi, Osaka is down', null, [], ['Kita-ku, Osaka-shi, Osaka']],
    ['a contact line with the postal code', '〒100-8901 TEL 03-1234-5678', '100-8901', [], []],
    ['another postal code, no romaji shape', 'Tokyo 105-0011', '100-8901', [], []],
  ])('%s', (_name, text, postal, signature, expected) => {
    expect(spans(text, postal, signature)).toEqual(expected);
  });
});
