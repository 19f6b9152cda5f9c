import { isPlausibleName, SIGN_OFF, SIGNATURE_NAME_LINE } from './identity-patterns.util';
import { foldWidth } from './text-fold.util';
import { MaskHit } from './text-mask.util';

/** A rule that may open or frame a signature: "--", "━━━", "＝＝＝", "-----", "*****", "____". */
const RULE = /^[ \t\u3000]*(?:--[ \t]*|[-－―─━═=＝_＿*＊~〜～#＃・]{3,})[ \t\u3000]*$/;
/** Lines that only a signature or mail footer has. */
const CONTACT = /(?:^|[^a-z])(?:(?:tel|fax|phone|mobile|e-?mail|mail|url|web)\s*[:：.]|(?:tel|fax|phone|mobile)\s+[+(]?\d)|電話|携帯|〒|https?:\/\/|@|株式会社|有限会社|合同会社|[(（]株[)）]|㈱|法人|大学/i;
const MOBILE_FOOTER = /^[ \t\u3000]*(?:sent from my |get outlook for |outlook for (?:ios|android)|(?:iphone|ipad|android|ios)\s*から送信)/i;
/** Lines after a rule looked at for the signature's contents. */
const SPAN = 10;
/** A trailing block without a rule: at most this many lines, with at least two contact lines. */
const TRAILING_MAX = 8;

/** Parts of a signature line written side by side, parted by a slash or a bar with spaces around it. */
const PARTS_SEPARATOR = /[ \t][/|][ \t]/;
const LINE_PART = /(?<=^|[ \t][/|][ \t])(?:(?![ \t][/|][ \t]).)+/g;

export interface LineRange {
  /** First line of the block (0-based). */
  start: number;
  /** One past its last line. */
  end: number;
}

const isBlank = (line: string) => line.trim() === '';
const isContact = (line: string) => CONTACT.test(foldWidth(line));

/**
 * The signature blocks and mobile footers of a mail's lines. A "--" line always starts one; any
 * other rule only when a contact line (TEL, 〒, @, 株式会社 …) follows within ten lines. Without a
 * rule, a final paragraph of up to eight lines with two contact lines is a signature too.
 */
export function signatureBlocks(lines: string[]): LineRange[] {
  const blocks: LineRange[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (MOBILE_FOOTER.test(lines[i])) {
      blocks.push({ start: i, end: i + 1 });
      continue;
    }
    if (!RULE.test(lines[i])) continue;
    let end = i + 1;
    let contact = /^[ \t]*--[ \t]*$/.test(lines[i]);
    while (end < lines.length && end <= i + SPAN && !isBlank(lines[end])) {
      if (RULE.test(lines[end])) { end++; break; }
      if (isContact(lines[end])) contact = true;
      end++;
    }
    if (contact && end > i + 1) {
      blocks.push({ start: i, end });
      i = end - 1;
    }
  }
  const last = lines.length - 1 - [...lines].reverse().findIndex((l) => !isBlank(l));
  if (last < lines.length && !blocks.some((b) => b.end > last)) {
    let start = last;
    while (start > 0 && !isBlank(lines[start - 1]) && last - start + 1 < TRAILING_MAX) start--;
    const contacts = lines.slice(start, last + 1).filter(isContact).length;
    if (contacts >= 2 && last - start + 1 >= 2) blocks.push({ start, end: last + 1 });
  }
  return blocks.sort((a, b) => a.start - b.start);
}

/** The mail without its signature blocks and mobile footers, trailing blank lines trimmed. */
export function stripSignature(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const drop = new Set<number>();
  for (const block of signatureBlocks(lines)) for (let i = block.start; i < block.end; i++) drop.add(i);
  return lines.filter((_l, i) => !drop.has(i)).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Names on the signature lines of a width-folded text (after any department and title), and a
 * closing name alone on its last line, as spans. `blocks` are the signature blocks when already
 * found (on the text before an earlier pass replaced its TEL, 〒 or company lines).
 */
export function signatureNames(folded: string, blocks?: LineRange[]): MaskHit<'person'>[] {
  const lines = folded.split('\n');
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) offsets.push(at);
  const out: MaskHit<'person'>[] = [];
  const nameIn = (text: string, at: number, re: RegExp) => {
    const m = re.exec(text);
    if (!m || !isPlausibleName(m[1])) return;
    for (const g of m.indices!.slice(1)) if (g) out.push({ start: at + g[0], end: at + g[1], kind: 'person' });
  };
  for (const block of blocks ?? signatureBlocks(lines)) {
    for (let i = block.start; i < block.end; i++) {
      nameIn(lines[i], offsets[i], SIGNATURE_NAME_LINE);
      // A name beside the company on one line: "Taro Yamada / Himawari Seiki Co., Ltd.", "山田 太郎 | 情報システム部".
      if (PARTS_SEPARATOR.test(lines[i])) for (const p of lines[i].matchAll(LINE_PART)) nameIn(p[0], offsets[i] + p.index, SIGNATURE_NAME_LINE);
    }
  }
  const last = lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim() !== '');
  if (last < lines.length) nameIn(lines[last], offsets[last], SIGN_OFF);
  return out;
}
