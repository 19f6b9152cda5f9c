import { splitQuotedText } from './split-quoted-text.util';

/*
 * The Japanese "PPAP" habit: an encrypted ZIP in one mail, its password in a second short mail
 * minutes later, written by hand (「パスワードのお知らせ」「Re: 元の件名」) or sent by a PPAP gateway
 * (「[パスワード通知] 元の件名」). Such a mail carries the password itself: a labelled value
 * (「パスワード：Xy7#k2pQ」「PW: …」「解凍パスワードは … です」) or a lone token line under a password
 * subject or lead-in. Mails that only talk about passwords (「パスワードを入力してしまった」
 * 「パスワード使い回し」) carry no value and are new consults.
 */

/** Words naming a password. Input is NFKC-normalised, so full-width forms arrive as ASCII. */
const PASSWORD_WORD = '(?:パスワード|パス ?ワード|パスコード|暗証番号|(?<![A-Za-z])(?:password|passcode|passphrase|PWD?|PASS)(?![A-Za-z])|(?:解凍|復号|展開)用?(?:の)?キー)';
/** Something that could be a password: printable ASCII without spaces, with a letter or digit. */
const TOKEN = '(?=[!-~]*[A-Za-z0-9])[!-~]{4,64}';
/** A line that is one token, not only letters (a word such as "Emotet" is no password). */
const LONE_TOKEN = new RegExp(`^${TOKEN}$`);
/** A value closing its line: 「パスワード：「Xy7#k2pQ」」「パスワードは abc123 です。」. */
const LABELLED_VALUE = new RegExp(
  `${PASSWORD_WORD}[^\\n:=]{0,6}?\\s*(?::|=|は)\\s*[「『"'(\\[]?(${TOKEN}?)[」』"')\\]]?\\s*(?:です|になります|となります|でございます)?[。.!]?\\s*$`, 'i',
);
const MENTIONS_PASSWORD = new RegExp(PASSWORD_WORD, 'i');
/** A line leading into the value on the next: 「パスワードは以下のとおりです。」「解凍パスワード：」「パスワードをお送りします。」. */
const LEADS_IN = /(?:[:=]|は|です|ます|以下[^。]*|下記[^。]*)[。.]?$/;
/** Subjects of a password notice: 「パスワードのお知らせ」「【パスワード】見積書」「[PW] 見積書」「見積書.zipのパスワード」. */
const NOTICE_SUBJECT = new RegExp(
  `^(?:(?:re|fwd?|転送)\\s*:\\s*)*[\\[【(<〔]?\\s*(?:解凍|添付ファイルの|ファイルの)?${PASSWORD_WORD}`
  + '(?:のお知らせ|のご連絡|のご案内|通知|送付|について|です)?\\s*(?:[\\]】)>〕:]|\\s|$)'
  + `|の${PASSWORD_WORD}(?:のお知らせ|のご連絡|のご案内|通知|送付|について|です)?\\s*$`, 'i',
);
/** Lone lines that look like tokens but are addresses, links, numbers, dates or rules. */
const NOT_A_PASSWORD = /@[A-Za-z0-9-]+\.[A-Za-z]|^[a-z][a-z0-9+.-]*:\/\/|^www\.|^[\d.:/\-()+]+$|^[^A-Za-z0-9]*$|^CVE-\d/i;
/**
 * Reports of what happened to a password. They veto even a labelled value
 * (「入力してしまったパスワード: Summer2024」); topics such as フィッシング do not, since members
 * send the password of a suspicious ZIP they forwarded.
 */
const INCIDENT = /入力してしまっ|使い回|リスト攻撃|(?:パスワード|ID)(?:が|を)?(?:(?:漏え?い|漏洩|流出)し[たて]|漏れ[たて]|盗ま|抜き取ら)|乗っ取ら/i;
/** Longer than a password mail with a gateway's boilerplate and a signature. */
const MAX_FRESH_LENGTH = 1000;

/** Whether this mail conveys the password of an encrypted file sent just before (the "PPAP" pair). */
export function isPasswordMail(subject: string, text: string): boolean {
  const fresh = splitQuotedText(text.normalize('NFKC')).fresh.trim();
  if (fresh.length === 0 || fresh.length > MAX_FRESH_LENGTH || INCIDENT.test(fresh)) return false;
  const lines = fresh.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.some((l) => LABELLED_VALUE.test(l))) return true;
  const noticeSubject = NOTICE_SUBJECT.test(subject.normalize('NFKC').trim());
  const leadIn = (line: string | undefined) => line !== undefined && MENTIONS_PASSWORD.test(line) && LEADS_IN.test(line);
  return lines.some((line, i) => isLoneToken(line) && (noticeSubject || leadIn(lines[i - 1])));
}

function isLoneToken(line: string): boolean {
  return LONE_TOKEN.test(line) && /[^A-Za-z]/.test(line) && !NOT_A_PASSWORD.test(line);
}
