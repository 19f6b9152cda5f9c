import { isPasswordMail } from './password-mail.util';

const SIGNATURE = '\n\n-------------\nさくら商事株式会社 総務部\n山﨑 花子 (Yamasaki Hanako)\nTel: 06-2345-6789\nit-admin@sakura-shoji.example.jp\n';
const GATEWAY = [
  '※本メールはシステムより自動送信されています。',
  '',
  '先ほど送信されたメールの添付ファイルを開くためのパスワードをお知らせします。',
  '',
  '件名: 見積書の送付',
  '添付ファイル名: 見積書.zip',
  'パスワード: Xy7#k2pQ',
  '',
  '※パスワードが第三者に漏えいしないようご注意ください。',
].join('\n');

describe('isPasswordMail', () => {
  it.each([
    ['a gateway notice with a labelled value', '[パスワード通知] 見積書の送付', GATEWAY],
    ['a short gateway notice', 'パスワード通知', 'パスワード: Xy7#pQ2m'],
    ['full-width label and colon', 'パスワードのお知らせ', '先ほどお送りしたファイルのパスワードです。\n\nパスワード：Ｘｙ７＃ｋ２ｐＱ' + SIGNATURE],
    ['bracketed subject, value in 「」', '【パスワード】調査資料', 'お世話になっております。\nパスワード：「Xy7#k2pQ」\nよろしくお願いいたします。' + SIGNATURE],
    ['[PW] subject and PW label', '[PW] 調査資料の送付', 'PW: k39dKx02'],
    ['解凍パスワード in a sentence', 'Re: 調査資料の送付', '解凍パスワードは k39dKx02 です。' + SIGNATURE],
    ['the ZIP mail\'s subject, a manual sentence', '調査資料の送付', '先ほどお送りしたファイルのパスワードは abc123 です。'],
    ['a lone token under a password lead-in', 'Re: 調査資料の送付', 'パスワードは以下のとおりです。\n\nXy7#k2pQ' + SIGNATURE],
    ['a lone token after 「お送りします」', '先ほどの件', '先ほどのファイルの解凍パスワードをお送りします。\nQ8#vTz41'],
    ['a lone token after a bare label', 'Re: 調査資料の送付', '解凍パスワード：\n  k39dKx02  '],
    ['a lone token under a password subject', '調査資料.zipのパスワード', 'Xy7#k2pQ\n\nよろしくお願いします。'],
    ['English', 'Password for the attachment', 'Password: s3cret!x'],
    ['a reply quoting the file mail', 'Re: 調査資料の送付', 'パスワード: Xy7#k2pQ\n\n2026/11/26 9:00 山﨑 花子 wrote:\n> 調査資料を添付します。\n> パスワードは別メールで送ります。'],
  ])('password mail: %s', (_name, subject, text) => expect(isPasswordMail(subject, text)).toBe(true));

  it.each([
    // The acceptance tester's mails: new consults that mention passwords.
    ['phishing: ID/password entered', 'フィッシングサイトにID/パスワードを入力してしまった',
      'さくらです。\n社員が宅配業者を装ったSMSのリンクからID/パスワードを入力してしまいました。\nパスワード変更以外に必要な対応はありますか。' + SIGNATURE],
    ['password reuse', 'VPNのパスワード使い回しについて', 'さくらです。VPNのパスワードを他サービスと使い回している社員がいます。リスクを教えてください。'],
    ['a leak report', 'パスワードが漏えいした可能性', '管理者アカウントのパスワードが漏えいした可能性があります。\n対象: vpn01.example.jp\nCVE-2024-3400'],
    ['a list attack report', 'パスワードリスト攻撃を受けています', 'ログインの失敗が続いています。\nFW01\n203.0.113.5'],
    ['a report quoting the entered password', '不審なサイトについて', '入力してしまったパスワード: Summer2024!'],
    ['a password subject but no value', 'パスワードのお知らせ', 'パスワードは別途お電話でお伝えします。' + SIGNATURE],
    ['the ZIP mail announcing the password mail', '請求書の送付', '請求書を添付します。パスワードは別メールで送ります。'],
    ['a host name under a line about passwords', 'VPNの件', 'VPNのパスワードについて。\nFW01-2\nどの機器から変更すべきでしょうか。'],
    ['a values-free question', 'パスワードの管理方法', '社内のパスワードポリシーは何文字以上にすべきでしょうか。'],
    ['a masked value', 'パスワード通知', 'パスワード: ********'],
    ['an ordinary consult', 'ランサムウェアの相談', 'ファイルが暗号化されました。至急ご相談です。'],
    ['a long report with a labelled value', '報告', `${'経緯を説明します。'.repeat(120)}\nパスワード: abc123`],
  ])('not a password mail: %s', (_name, subject, text) => expect(isPasswordMail(subject, text)).toBe(false));
});
