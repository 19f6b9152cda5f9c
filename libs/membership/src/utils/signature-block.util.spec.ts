import { signatureNames, stripSignature } from './signature-block.util';
import { foldWidth } from './text-fold.util';

const cases: Array<[string, string[], string]> = [
  ['"--" signature', ['端末を隔離しました。', '', '--', 'ひまわり精機 山田', 'TEL 03-1234-5678'], '端末を隔離しました。'],
  ['━━━ framed signature', ['ログを添付します。', '━━━━━━━━', '株式会社サンプル', '鈴木 一郎', 'mail: suzuki@sample.example.jp', '━━━━━━━━'], 'ログを添付します。'],
  ['trailing contact block without a rule', ['ご確認ください。', '', '株式会社サンプル 情報システム部', '鈴木', 'TEL: 03-0000-0000'], 'ご確認ください。'],
  ['a rule that only decorates the text stays text', ['手順は次の通りです。', '==========', '1. 端末をネットワークから外す', '2. 電源は切らない'],
    '手順は次の通りです。\n==========\n1. 端末をネットワークから外す\n2. 電源は切らない'],
  ['mobile footer', ['至急です。', '', 'iPhoneから送信'], '至急です。'],
];

describe('stripSignature', () => {
  it.each(cases)('%s', (_name, lines, expected) => {
    expect(stripSignature(lines.join('\n'))).toBe(expected);
  });
});

describe('signatureNames', () => {
  const names = (lines: string[]) => {
    const text = foldWidth(lines.join('\n'));
    return signatureNames(text).map((h) => text.slice(h.start, h.end));
  };
  it.each<[string, string[], string[]]>([
    ['a name beside the company, parted by a slash', ['本文', '--', 'Taro Yamada / Himawari Seiki Co., Ltd.'], ['Taro Yamada']],
    ['a name beside the department, parted by a bar', ['本文', '--', '鈴木 一郎 | 情報システム部'], ['鈴木 一郎']],
    ['a reading in hiragana', ['本文', '--', '佐藤 次郎（さとう じろう）', 'TEL 03-1234-5678'], ['佐藤 次郎', 'さとう じろう']],
    ['a team and a title are no names', ['本文', '--', 'Security Team', '課長代理', 'TEL 03-1234-5678'], []],
  ])('%s', (_name, lines, expected) => {
    expect(names(lines)).toEqual(expected);
  });
});
