// Subjects and opening lines of the password mails that follow an encrypted attachment ("PPAP").
const PASSWORD_WORDS = /パスワード|パス ?ワード|password|passcode|暗証番号|解凍/i;

/** A short mail about a password: the second half of a "PPAP" pair, sent right after the file. */
export function isPasswordMail(subject: string, text: string): boolean {
  const body = text.trim();
  return body.length <= 1500 && (PASSWORD_WORDS.test(subject) || PASSWORD_WORDS.test(body.slice(0, 300)));
}
