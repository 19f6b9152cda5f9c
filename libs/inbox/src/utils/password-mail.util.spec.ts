import { isPasswordMail } from './password-mail.util';

describe('isPasswordMail', () => {
  it.each([
    ['a gateway password notice', '[パスワード通知] 調査資料', 'パスワード: Xy7#pQ2m', true],
    ['a manual one', '先ほどの添付ファイル', '先ほどお送りしたファイルのパスワードは abc123 です。', true],
    ['English', 'Password for the attachment', 'Password: secret', true],
    ['解凍 wording', 'Re: 資料', '解凍用のキーをお送りします。k39dk', true],
    ['an ordinary consult', 'ランサムウェアの相談', 'ファイルが暗号化されました。至急ご相談です。', false],
    ['a long report mentioning passwords late', '報告', `${'経緯を説明します。'.repeat(60)}パスワードを変更しました。`, false],
  ])('%s → %s', (_name, subject, text, expected) => expect(isPasswordMail(subject, text)).toBe(expected));
});
