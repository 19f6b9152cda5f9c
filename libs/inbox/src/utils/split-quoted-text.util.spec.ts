import { splitQuotedText, SplitText } from './split-quoted-text.util';

const lines = (...l: string[]): string => l.join('\n');

/** A mail whose fresh part is `fresh`, then a blank line, then the quoted history `quoted`. */
const topPost = (fresh: string[], quoted: string[]): [string, SplitText] => [
  `${lines(...fresh)}\n\n${lines(...quoted)}\n`,
  { fresh: lines(...fresh), quoted: lines(...quoted) },
];
/** A mail that must stay whole in `fresh`. */
const whole = (...l: string[]): [string, SplitText] => [`${lines(...l)}\n`, { fresh: lines(...l), quoted: '' }];

const SIGNATURE = [
  '━━━━━━━━━━━━━━━━━━━━',
  '株式会社サンプル 情報システム部',
  '鈴木 一郎 <suzuki@sample.example.jp>',
  'TEL: 03-1234-5678',
  '━━━━━━━━━━━━━━━━━━━━',
];
const OLD_BODY = ['鈴木様', '', 'お世話になっております。事務局の山田です。', '不審なメールの件、添付ファイルは開きましたか？', '', '山田'];
const quote = (prefix: string, body: string[]): string[] => body.map((l) => (l ? `${prefix} ${l}` : prefix));

/** Checks that no non-blank line of the input is lost and both parts are slices of the input. */
function expectNothingLost(text: string, result: SplitText): void {
  expect(text.includes(result.fresh.trim())).toBe(true);
  expect(text.includes(result.quoted.trim())).toBe(true);
  const kept = `${result.fresh}\n${result.quoted}`.split(/\r\n|\r|\n/);
  for (const line of text.split(/\r\n|\r|\n/)) if (line.trim()) expect(kept).toContain(line);
  if (result.fresh && result.quoted) expect(text.indexOf(result.quoted)).toBeGreaterThanOrEqual(result.fresh.length);
}

const cases: Array<[string, string, SplitText]> = [
  ['Outlook JP top-post with 差出人/送信日時/宛先/件名 block and ━━━ signature', ...topPost(
    ['山田様', '', 'お世話になっております。', '添付ファイルは開いていません。メールは削除済みです。', '', ...SIGNATURE],
    ['差出人: 山田 太郎 <yamada@kkd.example.jp>', '送信日時: 2026年11月24日 10:00', '宛先: 鈴木 一郎 <suzuki@sample.example.jp>',
      '件名: 不審メールについて', '', ...OLD_BODY],
  )],
  ['Outlook JP -----元のメッセージ----- separator', ...topPost(
    ['承知しました。本日中に端末を隔離します。'],
    ['-----元のメッセージ-----', '差出人: 山田 太郎 [mailto:yamada@kkd.example.jp]', '送信日時: Tuesday, November 24, 2026 10:00 AM',
      '宛先: 鈴木 一郎', '件名: 端末の隔離について', '', ...OLD_BODY],
  )],
  ['Outlook English -----Original Message----- with From/Sent/Subject', ...topPost(
    ['ご連絡ありがとうございます。', '確認のうえ折り返します。'],
    ['-----Original Message-----', 'From: Yamada Taro <yamada@kkd.example.jp>', 'Sent: Tuesday, November 24, 2026 10:00 AM',
      'To: Suzuki <suzuki@sample.example.jp>', 'Subject: RE: 相談', '', ...OLD_BODY],
  )],
  ['new Outlook underscore rule before 差出人 / 送信者 block', ...topPost(
    ['ログを添付します。'],
    ['________________________________', '送信者: 山田 太郎 <yamada@kkd.example.jp>', '送信日時: 2026年11月24日 10:00',
      '宛先: 鈴木 一郎', '件名: ログ提出のお願い', '', ...OLD_BODY],
  )],
  ['Outlook for Mac 差出人/日付 block', ...topPost(
    ['了解です。'],
    ['差出人: 山田 太郎 <yamada@kkd.example.jp>', '日付: 2026年11月24日 火曜日 10:00', '宛先: 鈴木 一郎', '件名: Re: 相談', '', ...OLD_BODY],
  )],
  ['Gmail JP attribution with > quotes', ...topPost(
    ['鈴木です。', 'パスワードは変更済みです。'],
    ['2026年11月24日(火) 10:00 山田 太郎 <yamada@kkd.example.jp>:', '', ...quote('>', OLD_BODY)],
  )],
  ['Gmail JP attribution wrapped onto two lines', ...topPost(
    ['鈴木です。', '本件、社内で共有しました。'],
    ['2026年11月24日(火) 10:00 事務局 山田 太郎 <', 'yamada@kkd.example.jp>:', '', ...quote('>', OLD_BODY)],
  )],
  ['Gmail English "On … wrote:"', ...topPost(
    ['Thanks, we blocked the sender domain.'],
    ['On Tue, Nov 24, 2026 at 10:00 AM Yamada Taro <yamada@kkd.example.jp> wrote:', '', ...quote('>', OLD_BODY)],
  )],
  ['Gmail English attribution wrapped onto two lines', ...topPost(
    ['Thanks, we blocked the sender domain.'],
    ['On Tue, Nov 24, 2026 at 10:00 AM Yamada Taro <', 'yamada@kkd.example.jp> wrote:', '', ...quote('>', OLD_BODY)],
  )],
  ['iPhone "…、名前 <addr>のメール:"', ...topPost(
    ['外出先からです。戻り次第確認します。', '', 'iPhoneから送信'],
    ['2026/11/24 10:00、山田 太郎 <yamada@kkd.example.jp>のメール:', '', ...quote('>', OLD_BODY)],
  )],
  ['Thunderbird JP "さんは書きました:"', ...topPost(
    ['鈴木です。', '該当メールのヘッダーを転送します。'],
    ['山田 太郎 さんは書きました:', ...quote('>', OLD_BODY)],
  )],
  ['Thunderbird "On date, name wrote:"', ...topPost(
    ['対応完了しました。'],
    ['On 2026/11/24 10:00, Yamada Taro wrote:', ...quote('>', OLD_BODY)],
  )],
  ['plain > quoting without a header', ...topPost(['承知しました。'], quote('>', OLD_BODY))],
  ['nested > > quoting', ...topPost(
    ['再送します。'],
    ['> 2026/11/23 9:00、鈴木 <suzuki@sample.example.jp>のメール:', '> > 添付を開いてしまいました。', '> > どうすればよいですか？', '>',
      '> まずLANケーブルを抜いてください。'],
  )],
  ['full-width ＞ quoting', ...topPost(['ありがとうございます。'], quote('＞', OLD_BODY))],
  ['a wrapped quote line (no ">") inside the quote block is tolerated', ...topPost(
    ['確認しました。'],
    ['> 先日お送りした注意喚起メールの件で、対象となる', 'バージョンの一覧を添付しております。', '> ご確認ください。'],
  )],
  ['Gmail forwarded message', ...topPost(
    ['このメールはフィッシングでしょうか？'],
    ['---------- Forwarded message ---------', 'From: 三井住友カード <info@evil.example>', 'Date: 2026年11月24日(火) 9:12',
      'Subject: 【重要】カードのご利用確認', 'To: <suzuki@sample.example.jp>', '', 'お客様のカードが一時停止されました。'],
  )],
  ['Thunderbird JP -------- 転送メッセージ --------', ...topPost(
    ['転送します。'],
    ['-------- 転送メッセージ --------', '件名: 【至急】請求書', '日付: Tue, 24 Nov 2026 09:12:00 +0900', '差出人: 経理部 <keiri@evil.example>'],
  )],
  ['interleaved answers stay fresh', ...whole(
    '山田様', '', 'ご質問に回答します。', '', '> 添付ファイルは開きましたか？', '開いていません。', '',
    '> パスワードを入力しましたか？', '入力していません。', '', '> 端末は再起動しましたか？', 'まだです。', '', '--', '鈴木',
  )],
  ['bottom post under an attribution line stays fresh', ...whole(
    'On Tue, Nov 24, 2026 at 10:00 AM Yamada Taro <yamada@kkd.example.jp> wrote:', '> 添付は開きましたか？', '',
    '開いていません。', 'メールはゴミ箱に移しました。', '念のためウイルススキャンも実施済みです。',
  )],
  ['short bottom post (nothing above the quote) stays fresh', ...whole('> 添付は開きましたか？', '', '開いていません。')],
  ['an inline > line followed by fresh text stays fresh', ...whole(
    '以下のURLがSMSで届きました。', '> https://evil.example/login', 'これはフィッシングでしょうか？', 'アクセスはしていません。',
    'よろしくお願いします。',
  )],
  ['inline quote kept, history after the attribution line folded', ...topPost(
    ['以下の文面のメールが届きました。', '> 至急パスワードを更新してください', 'これはフィッシングでしょうか？', 'リンクは開いていません。',
      '対応をご教示ください。'],
    ['2026年11月24日(火) 10:00 山田 太郎 <yamada@kkd.example.jp>:', ...quote('>', OLD_BODY)],
  )],
  ['no quotes at all, salutation and "--" signature', ...whole(
    '山田様', '', 'お世話になっております。', '本日9時頃、不審なメールを受信しました。', '', '-- ', '鈴木 一郎', '株式会社サンプル',
  )],
  ['＝＝＝ / ----- signatures and a date line are not headers', ...whole(
    '2026年11月24日(火) 10:00から打ち合わせ:', '会議室Aでお願いします。', '', '＝＝＝＝＝＝＝＝＝＝', '株式会社サンプル', '鈴木',
    '＝＝＝＝＝＝＝＝＝＝', '-----', 'TEL: 03-1234-5678',
  )],
  ['a prose line ending in "wrote:" without a quote after it is not a header', ...whole(
    'The attacker wrote:', 'please pay the invoice today', 'We did not reply.',
  )],
  ['a mail that is only a quote', '> 添付は開きましたか？\n> ご確認ください。\n', { fresh: '', quoted: '> 添付は開きましたか？\n> ご確認ください。' }],
  ['a forward with no comment', '---------- Forwarded message ---------\nFrom: a <a@evil.example>\nSubject: x\n\nbody\n',
    { fresh: '', quoted: '---------- Forwarded message ---------\nFrom: a <a@evil.example>\nSubject: x\n\nbody' }],
  ['CRLF line endings', '了解です。\r\n\r\n2026/11/24 10:00、山田 <y@kkd.example.jp>のメール:\r\n\r\n> 件名の件\r\n',
    { fresh: '了解です。', quoted: '2026/11/24 10:00、山田 <y@kkd.example.jp>のメール:\r\n\r\n> 件名の件' }],
  ['empty text', '', { fresh: '', quoted: '' }],
  ['blank lines only', '\n \n\u3000\n', { fresh: '', quoted: '' }],
  // Known limitations, pinned so a change is deliberate:
  ['(limitation) up to 2 lines after a top-post quote are folded with it', ...topPost(
    ['お世話になっております。'],
    ['> 添付ファイルは開きましたか？', 'いいえ、開いていません。', '', 'よろしくお願いします。'],
  )],
  ['(limitation) a signature below the quote (Thunderbird default) is folded', ...topPost(
    ['対応しました。'],
    ['山田 太郎 さんは書きました:', '> 至急対応願います。', '', '-- ', '鈴木 一郎'],
  )],
  ['(limitation) pasted From:/Subject: headers of a suspicious mail start the history', ...topPost(
    ['下記のメールが届きました。'],
    ['From: 経理部 <keiri@evil.example>', 'Subject: 【至急】請求書', '', '添付の請求書をご確認ください。', '', 'これは詐欺でしょうか？'],
  )],
];

describe('splitQuotedText', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    const result = splitQuotedText(text);
    expect(result).toEqual(expected);
    expectNothingLost(text, result);
  });

  it('has at least 15 named scenarios', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  it.each([
    ['huge single line', 'あ'.repeat(200_000)],
    ['long whitespace run before text', `a${' '.repeat(200_000)}b`],
    ['long rule line', `本文\n${'-'.repeat(200_000)}x`],
    ['many quote blocks', Array.from({ length: 5000 }, (_, i) => (i % 2 ? `> q${i}` : `a${i}`)).join('\n')],
    ['many attribution lines', Array.from({ length: 3000 }, () => 'On 2026/11/24 10:00, X wrote:\n> q').join('\n')],
  ])('stays fast and loses nothing on %s', (_name, text) => {
    const started = Date.now();
    const result = splitQuotedText(text);
    expect(Date.now() - started).toBeLessThan(1000);
    expectNothingLost(text, result);
  });
});
