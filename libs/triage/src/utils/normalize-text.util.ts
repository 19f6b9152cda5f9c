// Katakana ァ..ヶ and the iteration marks ヽヾ sit exactly 0x60 above their hiragana; ー (U+30FC),
// ・ and ヷ..ヺ have no hiragana form and are kept.
const KATAKANA = /[\u30a1-\u30f6\u30fd\u30fe]/g;
const WHITESPACE = /\s+/g;

/**
 * Text folded so that the ways members type the same word compare equal: NFKC (full-width
 * ＡＢＣ/１２３ and half-width ｶﾀｶﾅ become ordinary), lower case, katakana as hiragana
 * (ランサムウェア = ﾗﾝｻﾑｳｪｱ = らんさむうぇあ), whitespace runs (including the ideographic space)
 * as one space, trimmed. Each step is a single pass, so 100 KB bodies stay cheap.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(WHITESPACE, ' ')
    .trim();
}
