/**
 * Splits a member's plain-text mail into what they wrote now and the quoted history, so staff
 * see the new part first and the history folded (never deleted).
 *
 * Hand-written rather than built on a reply-parsing library: the maintained ones
 * (email-reply-parser, planer) know none of the Japanese client headers (Gmail 「…年…月…日(火)
 * 10:00 名前 <addr>:」, iPhone 「…のメール:」, Thunderbird 「…さんは書きました:」, Outlook
 * 差出人/送信日時 blocks, 「元のメッセージ」, full-width ＞), drop signatures, and rebuild the text
 * from fragments, so the result is no longer a slice of the original.
 *
 * `quoted` is always a suffix of the original text and `fresh` the part before it (trailing
 * whitespace trimmed from both), so nothing is lost. Mails come from attackers too: header
 * patterns only run on lines up to MAX_HEADER_LINE characters and the whole pass is linear.
 */
export interface SplitText {
  /** What the sender wrote in this mail (trimmed of trailing blank lines). */
  fresh: string;
  /** The quoted history from the first quote header or quoted line on, or '' when there is none. */
  quoted: string;
}

interface Line {
  text: string;
  /** Offset of the line's first character in the original text. */
  start: number;
}

interface Candidate {
  line: number;
  /**
   * block: everything after is history (unprefixed old mail: Outlook header block, separator,
   * forward marker). quote: history prefixed with '>' (a quote block, or an attribution line
   * followed by one), where fresh text after it means an inline quote or an interleaved reply.
   */
  kind: 'block' | 'quote';
  /** An attribution line ("… wrote:", Gmail/iPhone date line) starts the quote block. */
  headerLed: boolean;
}

/** Lines after a quote block tolerated (as wrapped quote lines) before it counts as an interleaved reply. */
const INLINE_TOLERANCE = 2;
/** Longer lines are prose (or junk), never a header; also bounds the regex work per line. */
const MAX_HEADER_LINE = 300;
/** Header-block fields ("送信日時:" …) must follow "差出人:" within this many lines. */
const HEADER_BLOCK_SPAN = 5;
/** Lines after a signature rule looked at for the signature's contents. */
const SIGNATURE_SPAN = 10;

const SP = '[ \\t\\u3000]*';
const BLANK = /^\s*$/;
const QUOTE = /^[ \t\u3000]*[>＞]/;
const SEPARATOR = new RegExp(
  `^${SP}[-－―─]{2,}${SP}(?:original message|forwarded message|reply message|元のメッセージ|オリジナル${SP}メッセージ|転送(?:された)?メッセージ|転送メール)${SP}[-－―─]{2,}${SP}$`,
  'i',
);
const FORWARD_INTRO = new RegExp(`^${SP}(?:begin forwarded message|転送されたメッセージ|転送メッセージ)${SP}[:：]${SP}$`, 'i');
const OUTLOOK_RULE = /^[ \t\u3000]*_{10,}[ \t\u3000]*$/;
const HEADER_FROM = new RegExp(`^${SP}\\*?(?:差出人|送信者|送信元|発信者|from)\\*?${SP}[:：]`, 'i');
const HEADER_FIELD = new RegExp(`^${SP}\\*?(?:送信日時|送信日|日時|日付|sent|date|件名|subject)\\*?${SP}[:：]`, 'i');

const DATE = '(?:\\d{4}\\s*年\\s*\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日|\\d{4}[/.\\-]\\d{1,2}[/.\\-]\\d{1,2})';
/** Gmail JP "2026年11月24日(火) 10:00 山田 <y@example.jp>:", iPhone "2026/11/24 10:00、山田 <…>のメール:". */
const DATE_LED = new RegExp(`^${SP}${DATE}.*\\d{1,2}[:：]\\d{2}`);
const DATE_LED_END = new RegExp(`(?:[>＞]|のメール|のメッセージ|書きました|wrote)${SP}[:：]${SP}$`, 'i');
/** Gmail/Apple "On Tue, Nov 24, 2026 at 10:00 AM Yamada <…> wrote:", possibly wrapped. */
const ON_LEAD = new RegExp(`^${SP}On\\s`);
const WROTE_END = new RegExp(`(?:wrote|書きました)${SP}[:：]${SP}$`, 'i');
/** Thunderbird JP "山田 さんは書きました:", "… wrote:". */
const STRONG_HINT = /@|\d{1,2}[:：]\d{2}|\d{4}/;

const SIGNATURE_RULE = /^[ \t\u3000]*(?:--[ \t]*|[-－―─━═=＝_＿*＊~〜～#＃]{3,})[ \t\u3000]*$/;
const SIGNATURE_DASHES = /^--[ \t]*$/;
const SIGNATURE_CONTENT =
  /株式会社|有限会社|合同会社|（株）|\(株\)|㈱|会社|協会|法人|大学|部|課|室|センター|tel|fax|phone|mail|〒|https?:\/\/|@|電話/i;
const SIGNATURE_LINE = /^[ \t\u3000]*(?:sent from my |get outlook for |outlook for (?:ios|android)|(?:iphone|ipad|android|ios)\s*から送信)/i;

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    lines.push({ text: text.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  lines.push({ text: text.slice(start), start });
  return lines;
}

const isBlank = (line: Line | undefined): boolean => line === undefined || BLANK.test(line.text);
const isQuote = (line: Line | undefined): boolean => line !== undefined && QUOTE.test(line.text);
const short = (line: Line | undefined): line is Line => line !== undefined && line.text.length <= MAX_HEADER_LINE;

function nextNonBlank(lines: Line[], from: number): number {
  let i = from;
  while (i < lines.length && isBlank(lines[i])) i++;
  return i;
}

/** "差出人:" / "From:" followed within a few lines by "送信日時:" / "件名:" / "Sent:" / "Subject:". */
function isHeaderBlock(lines: Line[], i: number): boolean {
  if (!short(lines[i]) || !HEADER_FROM.test(lines[i].text)) return false;
  for (let j = i + 1; j <= i + HEADER_BLOCK_SPAN && j < lines.length && !isBlank(lines[j]); j++) {
    if (short(lines[j]) && HEADER_FIELD.test(lines[j].text)) return true;
  }
  return false;
}

/** Number of lines (1 or 2) of an attribution line starting at i, whether it is strong, or null. */
function attribution(lines: Line[], i: number): { span: number; strong: boolean } | null {
  const line = lines[i];
  if (!short(line) || isQuote(line)) return null;
  const next = lines[i + 1];
  const wrapped = short(next) && !isBlank(next) && !isQuote(next) ? `${line.text} ${next.text}` : null;
  if (DATE_LED.test(line.text)) {
    if (DATE_LED_END.test(line.text)) return { span: 1, strong: true };
    if (wrapped !== null && DATE_LED_END.test(wrapped)) return { span: 2, strong: true };
    return null;
  }
  if (ON_LEAD.test(line.text)) {
    if (WROTE_END.test(line.text)) return { span: 1, strong: /\d/.test(line.text) };
    if (wrapped !== null && WROTE_END.test(wrapped)) return { span: 2, strong: /\d/.test(wrapped) };
    return null;
  }
  if (WROTE_END.test(line.text)) return { span: 1, strong: STRONG_HINT.test(line.text) };
  return null;
}

function findCandidates(lines: Line[], headerLines: Set<number>): Candidate[] {
  const candidates: Candidate[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isQuote(line)) {
      if (!isQuote(lines[i - 1])) candidates.push({ line: i, kind: 'quote', headerLed: false });
      continue;
    }
    if (isBlank(line) || !short(line)) continue;
    if (SEPARATOR.test(line.text) || FORWARD_INTRO.test(line.text) || isHeaderBlock(lines, i)) {
      candidates.push({ line: i, kind: 'block', headerLed: false });
      continue;
    }
    if (OUTLOOK_RULE.test(line.text)) {
      const header = nextNonBlank(lines, i + 1);
      if (header <= i + 2 && isHeaderBlock(lines, header)) {
        candidates.push({ line: i, kind: 'block', headerLed: false });
        i = header;
      }
      continue;
    }
    const attr = attribution(lines, i);
    if (!attr) continue;
    const body = nextNonBlank(lines, i + attr.span);
    if (isQuote(lines[body])) {
      for (let j = i; j < i + attr.span; j++) headerLines.add(j);
      candidates.push({ line: i, kind: 'quote', headerLed: true });
      // The quote block it introduces belongs to this candidate.
      i = body;
      while (isQuote(lines[i + 1])) i++;
    } else if (attr.strong) {
      candidates.push({ line: i, kind: 'block', headerLed: true });
    }
  }
  return candidates;
}

/**
 * Per line: 1 when it is text the sender may have written (not blank, not quoted, not an
 * attribution line, not a signature), else 0. A "--" rule starts a signature; other rules
 * (━━━, ＝＝＝, -----) only when a name/company/contact line follows.
 */
function freshFlags(lines: Line[], headerLines: Set<number>): number[] {
  const flags = lines.map(() => 0);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isBlank(line) || isQuote(line) || headerLines.has(i) || SIGNATURE_LINE.test(line.text)) continue;
    if (SIGNATURE_RULE.test(line.text)) {
      let end = i + 1;
      while (end < lines.length && end <= i + SIGNATURE_SPAN && !isBlank(lines[end]) && !isQuote(lines[end])) {
        if (SIGNATURE_RULE.test(lines[end].text)) { end++; break; }
        end++;
      }
      const isSignature = SIGNATURE_DASHES.test(line.text.trim())
        || lines.slice(i + 1, end).some((l) => SIGNATURE_CONTENT.test(l.text));
      if (isSignature) i = end - 1;
      continue; // a bare rule line is decoration, not text
    }
    flags[i] = 1;
  }
  return flags;
}

/** Splits a decoded plain-text mail into the fresh part and the folded quoted history. */
export function splitQuotedText(text: string): SplitText {
  const lines = splitLines(text);
  const headerLines = new Set<number>();
  const candidates = findCandidates(lines, headerLines);
  const flags = freshFlags(lines, headerLines);
  const before: number[] = [0]; // before[i] = fresh lines in lines[0 .. i-1]
  for (const flag of flags) before.push(before[before.length - 1] + flag);
  const nonBlankBefore = (i: number): boolean => lines.slice(0, i).some((l) => !isBlank(l));
  // nextBlock[k] = line of the first block candidate after candidate k (unprefixed old mail follows it).
  const nextBlock: number[] = [];
  for (let k = candidates.length - 1, line = lines.length; k >= 0; k--) {
    nextBlock[k] = line;
    if (candidates[k].kind === 'block') line = candidates[k].line;
  }
  /** Fresh lines after candidate k, up to the next block candidate. */
  const freshAfter = (k: number): number => before[nextBlock[k]] - before[candidates[k].line + 1];
  const splitAt = (i: number): SplitText => ({
    fresh: text.slice(0, lines[i].start).trimEnd(),
    quoted: text.slice(lines[i].start).trimEnd(),
  });

  if (candidates.length === 0) return { fresh: text.trimEnd(), quoted: '' };
  const first = candidates[0];
  if (first.kind === 'block') return splitAt(first.line);
  const after = freshAfter(0);
  // Top posting: nothing (or only a wrapped line or two) after the quote block.
  if (after === 0 || (after <= INLINE_TOLERANCE && nonBlankBefore(first.line))) return splitAt(first.line);
  // Inline quote, bottom posting or interleaved answers: those stay in fresh. Only history that
  // clearly starts later (a separator/header block, or an attribution line with nothing fresh
  // after its quote block) is folded.
  for (let k = 1; k < candidates.length; k++) {
    const c = candidates[k];
    if (c.kind === 'block' || (c.headerLed && freshAfter(k) === 0)) return splitAt(c.line);
  }
  return { fresh: text.trimEnd(), quoted: '' };
}
