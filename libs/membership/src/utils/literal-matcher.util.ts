import { foldKanjiVariants, foldWidth } from './text-fold.util';

/** Lower case for ASCII only, so that every offset stays where it was. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const WORD = /[A-Za-z0-9_-]/;

/** Literals as compared: width-folded, kanji variants folded (髙﨑 → 高崎), ASCII-lower-cased, spaces collapsed, and each also without its spaces. */
function literalVariants(literals: string[], minLength: number): Set<string> {
  const variants = new Set<string>();
  for (const literal of literals) {
    const base = asciiLower(foldKanjiVariants(foldWidth(literal))).trim().replace(/\s+/g, ' ');
    for (const v of [base, base.replace(/ /g, '')]) if (v.length >= minLength) variants.add(v);
  }
  return variants;
}

/**
 * Finds many literals (every member's company, name, club ID …) in one pass over the text:
 * candidates are looked up by their first two characters, so thousands of members cost no more
 * than a few. (A regex alternation of thousands of names backtracks through every branch at
 * every position.) Literals are compared width-folded, kanji variants folded (a registered 髙﨑
 * finds 高崎 and back) and ASCII-lower-cased, with a space inside them matching one space or none.
 * Every fold keeps offsets, so matches are spans of the text as given.
 */
export class LiteralMatcher {
  private readonly buckets = new Map<string, string[]>();
  /** First characters of the literals: most positions of a text start none and are passed at once. */
  private readonly firsts = new Set<number>();

  constructor(literals: string[], minLength = 2, private readonly wordBounded = false) {
    for (const v of literalVariants(literals, minLength)) {
      const key = v.slice(0, 2);
      const bucket = this.buckets.get(key) ?? [];
      bucket.push(v);
      this.buckets.set(key, bucket);
      this.firsts.add(v.charCodeAt(0));
    }
    for (const bucket of this.buckets.values()) bucket.sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  /**
   * Leftmost-longest, non-overlapping matches in a width-folded text, as [start, end). `lowered`
   * is the text through asciiLower, when the caller has it already (several matchers, one text).
   */
  find(folded: string, lowered?: string): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    if (this.buckets.size === 0) return out;
    const text = foldKanjiVariants(lowered ?? asciiLower(folded));
    for (let i = 0; i < text.length - 1; i++) {
      if (!this.firsts.has(text.charCodeAt(i))) continue;
      const bucket = this.buckets.get(text.slice(i, i + 2));
      if (!bucket) continue;
      const hit = bucket.find((v) => text.startsWith(v, i) && (!this.wordBounded || (!WORD.test(text[i - 1] ?? '') && !WORD.test(text[i + v.length] ?? ''))));
      if (!hit) continue;
      out.push([i, i + hit.length]);
      i += hit.length - 1;
    }
    return out;
  }
}

interface TaggedLiteral<K> {
  value: string;
  kind: K;
  wordBounded: boolean;
}

/**
 * Literals of several kinds (a member's company, department, contact, address …) found in one
 * pass, compared as LiteralMatcher compares them: leftmost-longest over all kinds, each match
 * tagged with the kind of its literal.
 */
export class TaggedLiteralMatcher<K extends string> {
  private readonly buckets = new Map<string, TaggedLiteral<K>[]>();
  private readonly firsts = new Set<number>();

  add(kind: K, literals: string[], minLength = 2, wordBounded = false): this {
    for (const value of literalVariants(literals, minLength)) {
      const key = value.slice(0, 2);
      const bucket = this.buckets.get(key) ?? [];
      if (!bucket.some((l) => l.value === value)) bucket.push({ value, kind, wordBounded });
      bucket.sort((a, b) => b.value.length - a.value.length);
      this.buckets.set(key, bucket);
      this.firsts.add(value.charCodeAt(0));
    }
    return this;
  }

  /** Matches in a width-folded, asciiLower-ed text (kanji variants are folded here), as [start, end, kind). */
  find(text: string): Array<{ start: number; end: number; kind: K }> {
    const out: Array<{ start: number; end: number; kind: K }> = [];
    if (this.buckets.size === 0) return out;
    const lowered = foldKanjiVariants(text);
    for (let i = 0; i < lowered.length - 1; i++) {
      if (!this.firsts.has(lowered.charCodeAt(i))) continue;
      const bucket = this.buckets.get(lowered.slice(i, i + 2));
      if (!bucket) continue;
      const hit = bucket.find((l) => lowered.startsWith(l.value, i)
        && (!l.wordBounded || (!WORD.test(lowered[i - 1] ?? '') && !WORD.test(lowered[i + l.value.length] ?? ''))));
      if (!hit) continue;
      out.push({ start: i, end: i + hit.value.length, kind: hit.kind });
      i += hit.value.length - 1;
    }
    return out;
  }
}
