import { similarity, textShingles } from './text-similarity.util';

const ORIGINAL = 'ファイルサーバーのファイルが暗号化され、拡張子が.lockbitに変わっていました。各フォルダに身代金を要求するテキストが置かれています。';
const SIGNATURE = '\n\n--\nひまわり商事株式会社 情報システム部\n山田 太郎\nTEL: 03-1234-5678';

describe('textShingles', () => {
  it.each([
    ['character bigrams', 'abcd', ['ab', 'bc', 'cd']],
    ['whitespace removed, so bigrams span it', 'ab c\n d', ['ab', 'bc', 'cd']],
    ['normalised first', 'ＡＢ ｶﾞｲ', ['ab', 'bが', 'がい']],
    ['a repeated bigram counted once', 'ああああ', ['ああ']],
    ['one character', '脆', ['脆']],
    ['empty', '', []],
    ['whitespace only', ' \u3000\n', []],
    ['surrogate pairs kept whole', '𠮷野家', ['𠮷野', '野家']],
  ])('%s: %j', (_name, text, shingles) => expect([...textShingles(text)].sort()).toEqual([...shingles].sort()));

  it('reads only the first 4,000 characters, not counting whitespace', () => {
    const head = '一二三四五六七八九十'.repeat(400); // 4,000 characters, 10 distinct bigrams
    expect(textShingles(`${head.replace(/(.{50})/g, '$1\n   ')}ランサムウェア`)).toEqual(textShingles(head));
    expect(textShingles(`${head}ランサムウェア`).has('らん')).toBe(false);
  });

  it('a 100 KB body of one text repeated reads like that text', () => {
    const body = `${ORIGINAL}\n`.repeat(1_500);
    expect(similarity(textShingles(body), textShingles(ORIGINAL))).toBeGreaterThan(0.9);
  });
});

describe('similarity', () => {
  const sim = (a: string, b: string) => similarity(textShingles(a), textShingles(b));

  it.each([
    ['identical', ORIGINAL, ORIGINAL],
    ['full-width vs half-width forms of the same text', 'ＶＰＮ機器にﾛｸﾞｲﾝ試行　ＣＶＥ－２０２６－１２３４', 'VPN機器にログイン試行 CVE-2026-1234'],
    ['katakana vs hiragana, line wrapping', 'ランサムウェア\nに感染', 'らんさむうぇあに 感染'],
  ])('%s → 1', (_name, a, b) => expect(sim(a, b)).toBe(1));

  it.each([
    ['the same incident with Re: and a signature',
      `Re: ${ORIGINAL}${SIGNATURE}`, ORIGINAL],
    ['the same incident reworded',
      'ファイルサーバー上のファイルが暗号化されて、拡張子が.lockbitに変わっています。フォルダごとに身代金を要求するテキストが置かれていました。', ORIGINAL],
    ['the same phishing report reworded with a signature',
      `Re: 不審なメールの添付ファイルを開いてしまいました\n営業部の社員が請求書を装った不審なメールの添付ファイルを開いてしまいました。${SIGNATURE}`,
      '営業部の社員が、請求書を装った不審なメールの添付ファイルを開いてしまいました。どう対応すべきでしょうか。'],
  ])('%s → high (> 0.5)', (_name, a, b) => expect(sim(a, b)).toBeGreaterThan(0.5));

  it.each([
    ['ransomware vs DDoS', ORIGINAL, '昨夜から公開Webサーバーに大量のアクセスがあり、サービスが停止しています。DDoS攻撃と思われます。'],
    ['phishing vs a vulnerability question', '営業部の社員が請求書を装った不審なメールの添付ファイルを開いてしまいました。', '当社で利用しているVPN製品が脆弱性CVE-2026-12345の影響を受けるか教えてください。'],
    ['account takeover vs a policy question', '役員のMicrosoft 365アカウントが乗っ取られ、取引先に大量の迷惑メールが送信されていました。', 'セキュリティポリシーの見直しについて、ほかの会員の事例を参考までに伺いたいです。'],
  ])('unrelated Japanese texts: %s → low (< 0.2)', (_name, a, b) => expect(sim(a, b)).toBeLessThan(0.2));

  it.each([
    ['two empty sets', new Set<string>(), new Set<string>(), 0],
    ['one empty set', new Set(['ab']), new Set<string>(), 0],
    ['half shared', new Set(['ab', 'bc']), new Set(['ab', 'cd']), 0.5],
    ['subset', new Set(['ab']), new Set(['ab', 'bc', 'cd']), 0.5],
  ])('Dice coefficient: %s', (_name, a, b, expected) => {
    expect(similarity(a, b)).toBeCloseTo(expected);
    expect(similarity(b, a)).toBeCloseTo(expected);
  });
});
