import { splitQuotedText } from '@kkd/inbox';
import { MASK_TOKEN, stripSignature } from '@kkd/membership';

/** Raw characters read per mail: the opening of any consult, bounded since a page view reads up to 200. */
const READ_CHARS = 4_000;
/** A forward (by its subject or the marker its client writes): it is about what it forwards. */
const FORWARD_SUBJECT = /^\s*(?:\[kkd#\d+\]\s*)?(?:fwd?|転送)\s*[:：]/i;
const FORWARD_MARK = /forwarded message|転送(?:された)?メッセージ/i;

/** Reply and forward prefixes, our [KKD#n] tag and short bracketed tags (【ご相談】【至急】[社外秘]) a member puts on every subject. */
const SUBJECT_NOISE = /^(?:\s*(?:\[kkd#\d+\]|(?:re|fwd?|aw|返信|転送)\s*[:：]|【[^】]{1,8}】|\[[^\]]{1,8}\]))+\s*/i;

/**
 * The greetings and closings every mail of a member carries (NFKC-folded text). Matched as phrases
 * anywhere, so 「いつもお世話になっております。〇〇です。」 on one line loses its greeting only.
 */
const STOCK_PHRASES = new RegExp(
  [
    '(?:いつも|平素より|平素は)?(?:大変|たいへん)?お世話に(?:なって(?:おり|い)ます|なります)',
    'お疲れ(?:様|さま)です',
    '(?:以上[、,]?\\s*)?(?:引き続き|今後とも)?(?:何卒|なにとぞ|どうぞ|どうか)?(?:よろしく|宜しく)お願い(?:いた|致)?(?:します|申し上げます)',
    '突然の(?:ご連絡|メール)(?:を|にて)?失礼(?:いた|致)?します',
    'お忙しい(?:ところ|中)[^\\n、。]{0,12}?(?:恐れ入りますが|恐縮ですが|申し訳ございませんが|すみませんが)',
    '以上(?:です|となります)',
    '(?:best|kind) regards|thanks in advance|thank you',
  ].join('|'),
  'gi',
);
/** 「〔会社名〕の〔氏名〕です」 and 「ひまわり商事 情報システム部の山田です」: who is writing, not what about. */
const SELF_INTRO = /(?:〔氏名〕|(?:会社|部|課|室|グループ|センター|チーム)(?:の|\s)\S{1,10})\s*(?:です|と申します|でございます)[。.!！]?$/;
/** 「駆け込み寺 ご担当者様」「〔会社名〕 御中」: the addressee line. */
const ADDRESSEE = /(?:様|御中|各位)[、,]?$/;
const SHORT_LINE = 40;

const QUOTE_MARK = /^[ \t]*(?:[>＞|][ \t]?)+/;
/** The header lines of a forwarded or quoted mail and its marker line (bare rules stay: they open the old signature). */
const QUOTE_HEADER = /^(?:from|sent|date|to|cc|subject|差出人|送信者|送信日時|日付|日時|宛先|件名)\s*[:：]|^[-_=\s]*(?:forwarded message|original message|元のメッセージ|転送(?:された)?メッセージ)|(?:wrote|書きました|のメール)\s*[:：]\s*$|<[^<>\s]*@[^<>\s]*>\s*[:：]?\s*$/i;

/**
 * What a consult's opening mail says, for telling whether two consults are about the same thing:
 * its subject without Re:/Fwd: and tags, and its own text without quoted history, signature,
 * greetings and closings, addressee and self-introduction lines, or identity mask tokens
 * (〔会社名〕〔氏名〕…). Those are the same in every mail of a member, so left in they make any
 * two of its consults look alike. A forward (「再送します」 above the old mail) is compared by what
 * it forwards, cleaned the same way; other quoted history is left out.
 */
export function comparableText(subject: string, text: string): string {
  const { fresh, quoted } = splitQuotedText(text.slice(0, READ_CHARS));
  let body = ownWords(fresh);
  const forward = FORWARD_SUBJECT.test(subject.normalize('NFKC')) || FORWARD_MARK.test(quoted.slice(0, 200)) || letterCount(body) === 0;
  if (quoted && forward) {
    const history = quoted.split(/\r\n|\r|\n/).map((l) => l.replace(QUOTE_MARK, '')).filter((l) => !QUOTE_HEADER.test(l.trim())).join('\n');
    body = `${body}\n${ownWords(history)}`.trim();
  }
  const title = subject.normalize('NFKC').replace(SUBJECT_NOISE, '').replace(MASK_TOKEN, '').trim();
  return `${title}\n${body}`.trim();
}

/** A text without its signature, then line by line without the parts every mail of a member shares. */
function ownWords(text: string): string {
  const unsigned = stripSignature(text) || text;
  const lines: string[] = [];
  for (const raw of unsigned.normalize('NFKC').split(/\r\n|\r|\n/)) {
    if (QUOTE_MARK.test(raw)) continue;
    const line = raw.replace(STOCK_PHRASES, '').replace(/^[\s。、.,!！]+/, '').trim();
    if (line.length <= SHORT_LINE && (ADDRESSEE.test(line) || SELF_INTRO.test(line))) continue;
    const kept = line.replace(MASK_TOKEN, '').trim();
    if (/[\p{L}\p{N}]/u.test(kept)) lines.push(kept);
  }
  return lines.join('\n');
}

function letterCount(text: string): number {
  return text.replace(/[^\p{L}\p{N}]/gu, '').length;
}
