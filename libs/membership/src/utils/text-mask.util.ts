/**
 * The replacing half of every identity mask (the FAQ anonymiser, the expert's view of a member's
 * mail): finders report spans of the width-folded text, the spans are resolved leftmost-longest
 * and replaced by tokens. Folding keeps offsets (foldWidth), so spans apply to the original text.
 */
export interface MaskHit<K extends string = string> {
  start: number;
  end: number;
  kind: K;
}

/** A token the masks write: 〔会社名〕, 〔氏名〕 … (never masked again by a later pass). */
export const MASK_TOKEN = /〔[^〔〕\n]{1,10}〕/g;

/** Spans of a pattern's matches: the first participating group (a name after its label), else the whole match. */
export function patternHits<K extends string>(re: RegExp, folded: string, kind: K, accept: (m: RegExpExecArray) => boolean = () => true): MaskHit<K>[] {
  const out: MaskHit<K>[] = [];
  for (const m of folded.matchAll(re)) {
    if (!accept(m)) continue;
    const group = m.indices!.slice(1).find((g) => g !== undefined);
    const [start, end] = group ?? m.indices![0]!;
    if (end > start) out.push({ start, end, kind });
  }
  return out;
}

/** The spans to replace: those overlapping a token already in the text are dropped, and of overlapping spans the earlier (then the longer) wins. */
export function chooseHits<K extends string>(text: string, found: MaskHit<K>[]): MaskHit<K>[] {
  if (found.length === 0) return found;
  const tokens = text.includes('〔') ? [...text.matchAll(MASK_TOKEN)].map((m) => [m.index, m.index + m[0].length]) : [];
  const inToken = (h: MaskHit<K>) => tokens.some(([s, e]) => h.start < e && h.end > s);
  const chosen: MaskHit<K>[] = [];
  for (const h of found.filter((x) => !inToken(x)).sort((a, b) => a.start - b.start || b.end - a.end)) {
    const prev = chosen[chosen.length - 1];
    if (prev && h.start < prev.end) continue;
    chosen.push(h);
  }
  return chosen;
}

/** The text with chosen spans (chooseHits: sorted, apart) replaced by their tokens. */
export function replaceHits<K extends string>(text: string, chosen: MaskHit<K>[], tokenOf: (kind: K) => string): string {
  let out = '';
  let at = 0;
  for (const h of chosen) {
    out += text.slice(at, h.start) + tokenOf(h.kind);
    at = h.end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** Replaces the spans by their tokens (chooseHits decides which); `onReplace` hears each replacement. */
export function applyHits<K extends string>(
  text: string, found: MaskHit<K>[], tokenOf: (kind: K) => string, onReplace?: (kind: K, original: string, token: string) => void,
): string {
  const chosen = chooseHits(text, found);
  if (onReplace) for (const h of chosen) onReplace(h.kind, text.slice(h.start, h.end), tokenOf(h.kind));
  return replaceHits(text, chosen, tokenOf);
}
