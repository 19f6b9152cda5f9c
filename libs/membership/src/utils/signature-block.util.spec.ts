import { stripSignature } from './signature-block.util';

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
